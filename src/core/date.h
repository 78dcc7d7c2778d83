// Date: a calendar day (no time zone), stored as days since 1970-01-01. Timestamp: a UTC instant
// in whole seconds. Both print and parse ISO 8601, which is also how they are stored in the
// database (DATE and TIMESTAMP columns, readable by any SQL tool).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace orchard {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date FromDays(int32_t days_since_epoch) { return Date(days_since_epoch); }
  // Fails on an impossible day (2023-02-29, month 13) with a message naming it.
  static Result<Date> FromYmd(int year, int month, int day);
  // Accepts "YYYY-MM-DD" only.
  static Result<Date> Parse(std::string_view text);

  constexpr int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  std::string ToString() const;  // "YYYY-MM-DD"

  constexpr Date AddDays(int32_t n) const { return Date(days_ + n); }
  // Same day n months later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29).
  Date AddMonths(int n) const;
  Date AddYears(int n) const { return AddMonths(12 * n); }
  Date FirstOfMonth() const;

  constexpr int32_t operator-(Date o) const { return days_ - o.days_; }
  constexpr auto operator<=>(const Date&) const = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

class Timestamp {
 public:
  constexpr Timestamp() = default;
  static constexpr Timestamp FromUnixSeconds(int64_t s) { return Timestamp(s); }
  static Timestamp At(Date day, int hour = 0, int minute = 0, int second = 0);
  // Accepts "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DDTHH:MM:SS" with optional "Z" / "+00" / fraction.
  static Result<Timestamp> Parse(std::string_view text);

  constexpr int64_t unix_seconds() const { return seconds_; }
  Date date() const;
  std::string ToString() const;   // "YYYY-MM-DD HH:MM:SS" (UTC), the database form
  std::string ToIso8601() const;  // "YYYY-MM-DDTHH:MM:SSZ", the API form

  constexpr Timestamp AddSeconds(int64_t s) const { return Timestamp(seconds_ + s); }
  constexpr auto operator<=>(const Timestamp&) const = default;

 private:
  constexpr explicit Timestamp(int64_t s) : seconds_(s) {}
  int64_t seconds_ = 0;
};

}  // namespace orchard
