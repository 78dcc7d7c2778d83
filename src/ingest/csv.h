// CsvReader: the records of a CSV file, streamed from any std::istream in constant memory (one
// buffer and the record being read), for the importers (issue 6). RFC 4180 — quoted fields with
// "" inside, delimiters and line breaks inside quotes — plus what real exports bring: a UTF-8 byte
// order mark, CRLF, LF or CR line ends, ',' ';' or tab delimiters (sniffed from the first line
// when not given), and invalid UTF-8, reported rather than crashed on.
//
// Hand-written: Debian packages no C++ CSV library that streams, reports positions and recovers
// from a bad record (libcsv is C, lenient and reports no column; the header-only ones read whole
// files).
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace orchard::ingest {

struct CsvOptions {
  std::optional<char> delimiter;     // none: sniffed from the first line (',' if unclear)
  size_t max_field_bytes = 1 << 20;  // a longer field is a bad record, not a memory blow-up
  size_t max_fields = 4096;          // per record
};

struct CsvRecord {
  std::vector<std::string> fields;
  int64_t line = 0;    // the line it starts on, counting from 1 (a quoted field may span lines)
  int64_t number = 0;  // which record, counting from 1 (the header is record 1)
};

// A record that cannot be read: where, and why. Reading goes on with the next record.
struct CsvProblem {
  int64_t line = 0;    // of the problem itself, counting from 1
  int64_t column = 0;  // the field, counting from 1
  std::string reason;
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& in, CsvOptions options = {});

  enum class Status { kRecord, kProblem, kEnd };
  // Reads the next record into *record; or, if it cannot be read, says why in *problem and skips
  // it (the next call reads the record after it); or kEnd. Blank lines are skipped. An error of
  // the stream itself is an Unavailable Error.
  Result<Status> Next(CsvRecord* record, CsvProblem* problem);

  char delimiter() const { return delimiter_; }
  // The bytes of the records read so far (not of the reads ahead of them).
  int64_t bytes_read() const { return bytes_read_ - static_cast<int64_t>(end_ - pos_); }

 private:
  int Peek();  // the next byte, or -1 at the end
  int Get();
  Status Fill();
  void Sniff();
  // Appends the buffered bytes up to the next one that ends or needs a look in a field
  // (quoted: a quote or line end; else also the delimiter); false if that passes the limit.
  bool AppendRun(bool quoted, std::string& field);

  std::istream& in_;
  CsvOptions options_;
  char delimiter_ = ',';
  std::vector<char> buffer_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  int64_t bytes_read_ = 0;
  int64_t line_ = 1;
  int64_t records_ = 0;
};

// Where `text` stops being UTF-8: the byte offset of the first invalid sequence, none if valid.
std::optional<size_t> FirstInvalidUtf8(std::string_view text);

}  // namespace orchard::ingest
