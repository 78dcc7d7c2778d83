// Binary COPY rows (binary_copy.h).
#include "store/postgres/binary_copy.h"

#include <charconv>
#include <limits>

#include "core/date.h"

namespace orchard::store::postgres {

namespace {

// PostgreSQL counts dates and timestamps from 2000-01-01.
constexpr int32_t kPgEpochDays = 10957;  // days from 1970-01-01
constexpr int64_t kPgEpochSeconds = int64_t{kPgEpochDays} * 86400;

template <class T>
void AppendBigEndian(std::string& out, T value) {
  using U = std::make_unsigned_t<T>;
  U v = static_cast<U>(value);
  char bytes[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); ++i) {
    bytes[sizeof(T) - 1 - i] = static_cast<char>(v & 0xff);
    v = static_cast<U>(v >> 8);
  }
  out.append(bytes, sizeof(T));
}

template <class T>
void AppendField(std::string& out, T value) {
  AppendBigEndian<int32_t>(out, static_cast<int32_t>(sizeof(T)));
  AppendBigEndian<T>(out, value);
}

Status Mismatch(size_t column, const char* what) {
  return Fail(ErrorCode::kInternal,
              "postgresql: binary copy: column " + std::to_string(column + 1) + " is not " + what);
}

// The integer a value holds (an integer, or text that is one).
std::optional<int64_t> IntegerOf(const SqlValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
    if (ec == std::errc() && end == s->data() + s->size()) return n;
  }
  return std::nullopt;
}

Status AppendValue(const SqlValue& v, CopyType type, size_t column, std::string& out) {
  if (std::holds_alternative<std::monostate>(v)) {
    AppendBigEndian<int32_t>(out, -1);
    return Ok();
  }
  switch (type) {
    case CopyType::kInt8:
    case CopyType::kInt4:
    case CopyType::kBool: {
      auto n = IntegerOf(v);
      if (!n) return Mismatch(column, "an integer");
      if (type == CopyType::kInt8) {
        AppendField<int64_t>(out, *n);
      } else if (type == CopyType::kInt4) {
        if (*n < std::numeric_limits<int32_t>::min() || *n > std::numeric_limits<int32_t>::max()) {
          return Mismatch(column, "a 32-bit integer");
        }
        AppendField<int32_t>(out, static_cast<int32_t>(*n));
      } else {
        AppendField<int8_t>(out, static_cast<int8_t>(*n != 0));
      }
      return Ok();
    }
    case CopyType::kText: {
      if (const auto* s = std::get_if<std::string>(&v)) {
        AppendBigEndian<int32_t>(out, static_cast<int32_t>(s->size()));
        out += *s;
      } else {
        char digits[24];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, std::get<int64_t>(v));
        AppendBigEndian<int32_t>(out, static_cast<int32_t>(end - digits));
        out.append(digits, end);
      }
      return Ok();
    }
    case CopyType::kDate: {
      const auto* s = std::get_if<std::string>(&v);
      if (!s || s->size() != 10) return Mismatch(column, "a date (YYYY-MM-DD)");
      auto d = Date::Parse(*s);
      if (!d) return Mismatch(column, "a date (YYYY-MM-DD)");
      AppendField<int32_t>(out, d->days() - kPgEpochDays);
      return Ok();
    }
    case CopyType::kTimestamp: {
      // Only the form Timestamp::ToString writes: whole seconds, nothing dropped.
      const auto* s = std::get_if<std::string>(&v);
      if (!s || s->size() != 19) return Mismatch(column, "a timestamp (YYYY-MM-DD HH:MM:SS)");
      // Rows written together mostly share their timestamps (an import stamps every new row
      // with its start): the last one parsed is kept, by each writing thread.
      thread_local std::string last_text;
      thread_local int64_t last_micros = 0;
      if (*s != last_text) {
        auto t = Timestamp::Parse(*s);
        if (!t) return Mismatch(column, "a timestamp (YYYY-MM-DD HH:MM:SS)");
        last_micros = (t->unix_seconds() - kPgEpochSeconds) * 1'000'000;
        last_text = *s;
      }
      AppendField<int64_t>(out, last_micros);
      return Ok();
    }
  }
  return Mismatch(column, "of a known type");
}

}  // namespace

std::optional<CopyType> CopyTypeOf(int64_t oid) {
  switch (oid) {
    case 20:  // bigint
      return CopyType::kInt8;
    case 23:  // integer
      return CopyType::kInt4;
    case 16:  // boolean
      return CopyType::kBool;
    case 25:    // text
    case 1043:  // varchar
      return CopyType::kText;
    case 1082:  // date
      return CopyType::kDate;
    case 1114:  // timestamp without time zone
      return CopyType::kTimestamp;
    default:
      return std::nullopt;
  }
}

void AppendBinaryCopyHeader(std::string& out) {
  static constexpr char kSignature[] = "PGCOPY\n\377\r\n";
  out.append(kSignature, sizeof kSignature);  // with its terminating zero byte: 11 bytes
  AppendBigEndian<int32_t>(out, 0);           // flags
  AppendBigEndian<int32_t>(out, 0);           // header extension length
}

void AppendBinaryCopyTrailer(std::string& out) { AppendBigEndian<int16_t>(out, -1); }

Status AppendBinaryCopyRow(std::span<const SqlValue> row, std::span<const CopyType> types,
                           std::string& out) {
  AppendBigEndian<int16_t>(out, static_cast<int16_t>(row.size()));
  for (size_t i = 0; i < row.size(); ++i) ORCHARD_CHECK(AppendValue(row[i], types[i], i, out));
  return Ok();
}

}  // namespace orchard::store::postgres
