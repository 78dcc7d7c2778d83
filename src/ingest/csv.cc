#include "ingest/csv.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace orchard::ingest {

namespace {
constexpr size_t kBuffer = 64 * 1024;
}  // namespace

std::optional<size_t> FirstInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // ASCII, most of what a file holds, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;  // a continuation byte first, or 0xF8 and up
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and past U+10FFFF are not UTF-8.
    static constexpr std::array<uint32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::nullopt;
}

CsvReader::CsvReader(std::istream& in, CsvOptions options)
    : in_(in), options_(options), buffer_(kBuffer) {
  Fill();
  if (end_ >= 3 && static_cast<unsigned char>(buffer_[0]) == 0xEF &&
      static_cast<unsigned char>(buffer_[1]) == 0xBB &&
      static_cast<unsigned char>(buffer_[2]) == 0xBF) {
    pos_ = 3;  // the UTF-8 byte order mark some tools (Excel) write first
  }
  if (options_.delimiter) {
    delimiter_ = *options_.delimiter;
  } else {
    Sniff();
  }
}

CsvReader::Status CsvReader::Fill() {
  if (eof_) return Status::kEnd;
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  end_ = static_cast<size_t>(in_.gcount());
  pos_ = 0;
  bytes_read_ += static_cast<int64_t>(end_);
  if (end_ == 0) eof_ = true;
  return eof_ ? Status::kEnd : Status::kRecord;
}

int CsvReader::Peek() {
  if (pos_ == end_ && Fill() == Status::kEnd) return -1;
  return static_cast<unsigned char>(buffer_[pos_]);
}

int CsvReader::Get() {
  int c = Peek();
  if (c >= 0) ++pos_;
  return c;
}

void CsvReader::Sniff() {
  // The first line of what is buffered, outside quotes: the most frequent of , ; and tab.
  size_t counts[3] = {0, 0, 0};
  bool quoted = false;
  for (size_t i = pos_; i < end_; ++i) {
    char c = buffer_[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    if (c == ',') ++counts[0];
    if (c == ';') ++counts[1];
    if (c == '\t') ++counts[2];
  }
  delimiter_ = ',';
  if (counts[1] > counts[0] && counts[1] >= counts[2]) delimiter_ = ';';
  if (counts[2] > counts[0] && counts[2] > counts[1]) delimiter_ = '\t';
}

// Inside a field, a run of bytes that neither end it nor need a look (a delimiter, a quote, a line
// end) is appended at once, straight from the buffer; Next's byte-by-byte loop takes what ends
// the run. Two thirds of the reading's time went to that loop's call per byte.
bool CsvReader::AppendRun(bool quoted, std::string& field) {
  const char* begin = buffer_.data() + pos_;
  const char* end = buffer_.data() + end_;
  const char* at = begin;
  if (quoted) {
    while (at < end && *at != '"' && *at != '\n' && *at != '\r') ++at;
  } else {
    while (at < end && *at != delimiter_ && *at != '"' && *at != '\n' && *at != '\r') ++at;
  }
  const size_t n = static_cast<size_t>(at - begin);
  pos_ += n;
  const size_t room =
      field.size() < options_.max_field_bytes ? options_.max_field_bytes - field.size() : 0;
  field.append(begin, std::min(n, room));
  return n <= room;
}

Result<CsvReader::Status> CsvReader::Next(CsvRecord* record, CsvProblem* problem) {
  // Blank lines between records are skipped.
  for (;;) {
    int c = Peek();
    if (c == -1) {
      if (in_.bad()) return Fail(ErrorCode::kUnavailable, "could not read the input");
      return Status::kEnd;
    }
    if (c == '\n') {
      Get();
      ++line_;
    } else if (c == '\r') {
      Get();
      if (Peek() == '\n') Get();
      ++line_;
    } else {
      break;
    }
  }
  record->fields.clear();
  record->line = line_;
  record->number = ++records_;
  bool bad = false;
  auto fail = [&](std::string reason) {
    if (bad) return;
    bad = true;
    *problem =
        CsvProblem{line_, static_cast<int64_t>(record->fields.size()) + 1, std::move(reason)};
  };
  std::string field;
  auto add = [&](int c) {
    if (field.size() < options_.max_field_bytes) {
      field += static_cast<char>(c);
    } else {
      fail("a field longer than " + std::to_string(options_.max_field_bytes) + " bytes");
    }
  };
  auto end_field = [&] {
    if (auto at = FirstInvalidUtf8(field)) {
      fail("invalid UTF-8 at byte " + std::to_string(*at + 1) + " of the field");
    }
    if (record->fields.size() >= options_.max_fields) {
      fail("more than " + std::to_string(options_.max_fields) + " fields");
    } else if (!bad) {
      record->fields.push_back(std::move(field));
    }
    field.clear();
  };
  // A line end (CR, LF or CRLF), the first byte already read.
  auto line_end = [&](int c) {
    if (c == '\r' && Peek() == '\n') Get();
    ++line_;
  };
  enum class State { kStart, kUnquoted, kQuoted, kAfterQuote } state = State::kStart;
  for (;;) {
    if ((state == State::kUnquoted || state == State::kQuoted) &&
        !AppendRun(state == State::kQuoted, field)) {
      add(0);  // past the limit: the record's problem, as add says it
    }
    int c = Get();
    if (c == -1) {
      if (in_.bad()) return Fail(ErrorCode::kUnavailable, "could not read the input");
      if (state == State::kQuoted) {
        // Named where the record starts: the end of the input says nothing about which row.
        fail("a quoted field is not closed before the end of the input");
        problem->line = record->line;
      }
      end_field();
      break;
    }
    if (state == State::kQuoted) {
      if (c == '"') {
        if (Peek() == '"') {
          Get();
          add('"');
        } else {
          state = State::kAfterQuote;
        }
      } else {
        if (c == '\n' || (c == '\r' && Peek() != '\n')) ++line_;
        add(c);
      }
      continue;
    }
    if (c == delimiter_) {
      end_field();
      state = State::kStart;
      continue;
    }
    if (c == '\n' || c == '\r') {
      end_field();
      line_end(c);
      break;
    }
    if (state == State::kStart && c == '"') {
      state = State::kQuoted;
      continue;
    }
    if (state == State::kAfterQuote) {
      fail("text after a closing quote; a quote inside a quoted field is written twice (\"\")");
    } else if (c == '"') {
      fail(
          "a quote inside a field that does not start with one; quote the whole field and "
          "write the quote twice");
    }
    state = State::kUnquoted;
    add(c);
  }
  return bad ? Status::kProblem : Status::kRecord;
}

}  // namespace orchard::ingest
