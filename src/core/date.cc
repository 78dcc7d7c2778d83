#include "core/date.h"

#include <charconv>
#include <chrono>

namespace orchard {

namespace chr = std::chrono;

namespace {

chr::year_month_day Ymd(int32_t days) {
  return chr::year_month_day{chr::sys_days{chr::days{days}}};
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string Pad(int v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

// `width` decimal digits of v (0 <= v < 10^width) at out: dates and times are written for every
// row an import or an export carries, so without a string built per part.
void PutDigits(char* out, int v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

// "YYYY-MM-DD" at out (10 characters) for a year of four digits; false for any other year.
bool PutDate(char* out, int32_t days) {
  chr::year_month_day ymd = Ymd(days);
  int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) return false;
  PutDigits(out, year, 4);
  out[4] = '-';
  PutDigits(out + 5, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
  out[7] = '-';
  PutDigits(out + 8, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
  return true;
}

}  // namespace

Result<Date> Date::FromYmd(int year, int month, int day) {
  chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                          chr::day{static_cast<unsigned>(day)}};
  if (year < 1 || year > 9999 || !ymd.ok()) {
    return Fail(ErrorCode::kInvalidArgument,
                "not a real date: " + Pad(year, 4) + "-" + Pad(month, 2) + "-" + Pad(day, 2));
  }
  return Date(static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count()));
}

Result<Date> Date::Parse(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseInt(text.substr(0, 4), y) ||
      !ParseInt(text.substr(5, 2), m) || !ParseInt(text.substr(8, 2), d)) {
    return Fail(ErrorCode::kInvalidArgument,
                "not a date: \"" + std::string(text) + "\" (expected YYYY-MM-DD)");
  }
  return FromYmd(y, m, d);
}

int Date::year() const { return static_cast<int>(Ymd(days_).year()); }
int Date::month() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).month())); }
int Date::day() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).day())); }

std::string Date::ToString() const {
  char text[10];
  if (PutDate(text, days_)) return std::string(text, sizeof text);
  return Pad(year(), 4) + "-" + Pad(month(), 2) + "-" + Pad(day(), 2);
}

Date Date::AddMonths(int n) const {
  auto ymd = Ymd(days_);
  chr::year_month_day shifted = ymd + chr::months{n};
  if (!shifted.ok()) {
    shifted = chr::year_month_day{
        chr::year_month_day_last{shifted.year(), chr::month_day_last{shifted.month()}}};
  }
  return Date(static_cast<int32_t>(chr::sys_days{shifted}.time_since_epoch().count()));
}

Date Date::FirstOfMonth() const { return AddDays(1 - day()); }

Timestamp Timestamp::At(Date day, int hour, int minute, int second) {
  return Timestamp(static_cast<int64_t>(day.days()) * 86400 + hour * 3600 + minute * 60 + second);
}

Result<Timestamp> Timestamp::Parse(std::string_view text) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument, "not a timestamp: \"" + std::string(text) +
                                                 "\" (expected YYYY-MM-DD HH:MM:SS, UTC)");
  };
  if (text.size() == 10) {
    auto d = Date::Parse(text);
    if (!d) return bad();
    return At(*d);
  }
  if (text.size() < 19 || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' ||
      text[16] != ':') {
    return bad();
  }
  auto d = Date::Parse(text.substr(0, 10));
  int h = 0, mi = 0, s = 0;
  if (!d || !ParseInt(text.substr(11, 2), h) || !ParseInt(text.substr(14, 2), mi) ||
      !ParseInt(text.substr(17, 2), s) || h > 23 || mi > 59 || s > 60) {
    return bad();
  }
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.front() == '.') {  // fraction of a second: dropped
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  if (!(rest.empty() || rest == "Z" || rest == "+00" || rest == "+00:00")) return bad();
  return At(*d, h, mi, s);
}

Date Timestamp::date() const {
  int64_t days = seconds_ >= 0 ? seconds_ / 86400 : (seconds_ - 86399) / 86400;
  return Date::FromDays(static_cast<int32_t>(days));
}

std::string Timestamp::ToString() const {
  Date d = date();
  int rem = static_cast<int>(seconds_ - static_cast<int64_t>(d.days()) * 86400);
  char text[19];
  if (!PutDate(text, d.days())) {
    return d.ToString() + " " + Pad(rem / 3600, 2) + ":" + Pad(rem / 60 % 60, 2) + ":" +
           Pad(rem % 60, 2);
  }
  text[10] = ' ';
  PutDigits(text + 11, rem / 3600, 2);
  text[13] = ':';
  PutDigits(text + 14, rem / 60 % 60, 2);
  text[16] = ':';
  PutDigits(text + 17, rem % 60, 2);
  return std::string(text, sizeof text);
}

std::string Timestamp::ToIso8601() const {
  std::string s = ToString();
  s[10] = 'T';
  s.push_back('Z');
  return s;
}

}  // namespace orchard
