// Binary COPY rows (binary_copy.h).
#include "store/postgres/binary_copy.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
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

// A row is written straight into room made for it once (AppendBinaryCopyRow): appending each
// length and value on its own was 9% of a PostgreSQL import's client time.
template <class T>
char* PutBigEndian(char* p, T value) {
  using U = std::make_unsigned_t<T>;
  U v = static_cast<U>(value);
  if constexpr (std::endian::native == std::endian::little && sizeof(T) > 1) v = std::byteswap(v);
  std::memcpy(p, &v, sizeof v);
  return p + sizeof v;
}

template <class T>
char* PutField(char* p, T value) {
  return PutBigEndian<T>(PutBigEndian<int32_t>(p, static_cast<int32_t>(sizeof(T))), value);
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

// Writes one value at p (room for it made by the caller: at most 4 bytes and the larger of its
// text and 24 bytes) and moves p past it.
Status PutValue(const SqlValue& v, CopyType type, size_t column, char*& p) {
  if (std::holds_alternative<std::monostate>(v)) {
    p = PutBigEndian<int32_t>(p, -1);
    return Ok();
  }
  switch (type) {
    case CopyType::kInt8:
    case CopyType::kInt4:
    case CopyType::kBool: {
      auto n = IntegerOf(v);
      if (!n) return Mismatch(column, "an integer");
      if (type == CopyType::kInt8) {
        p = PutField<int64_t>(p, *n);
      } else if (type == CopyType::kInt4) {
        if (*n < std::numeric_limits<int32_t>::min() || *n > std::numeric_limits<int32_t>::max()) {
          return Mismatch(column, "a 32-bit integer");
        }
        p = PutField<int32_t>(p, static_cast<int32_t>(*n));
      } else {
        p = PutField<int8_t>(p, static_cast<int8_t>(*n != 0));
      }
      return Ok();
    }
    case CopyType::kText: {
      if (const auto* s = std::get_if<std::string>(&v)) {
        p = PutBigEndian<int32_t>(p, static_cast<int32_t>(s->size()));
        std::memcpy(p, s->data(), s->size());
        p += s->size();
      } else {
        auto [end, ec] = std::to_chars(p + 4, p + 24, std::get<int64_t>(v));
        PutBigEndian<int32_t>(p, static_cast<int32_t>(end - (p + 4)));
        p = end;
      }
      return Ok();
    }
    case CopyType::kDate: {
      const auto* s = std::get_if<std::string>(&v);
      if (!s || s->size() != 10) return Mismatch(column, "a date (YYYY-MM-DD)");
      auto d = Date::Parse(*s);
      if (!d) return Mismatch(column, "a date (YYYY-MM-DD)");
      p = PutField<int32_t>(p, d->days() - kPgEpochDays);
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
      p = PutField<int64_t>(p, last_micros);
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
  size_t room = 2;
  for (const SqlValue& v : row) {
    const auto* s = std::get_if<std::string>(&v);
    room += 4 + std::max<size_t>(s ? s->size() : 0, 24);
  }
  const size_t start = out.size();
  Status status = Ok();
  out.resize_and_overwrite(start + room, [&](char* data, size_t) {
    char* p = PutBigEndian<int16_t>(data + start, static_cast<int16_t>(row.size()));
    for (size_t i = 0; i < row.size() && status; ++i) status = PutValue(row[i], types[i], i, p);
    return static_cast<size_t>(p - data);
  });
  return status;
}

}  // namespace orchard::store::postgres
