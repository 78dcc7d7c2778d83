// libFuzzer target for the CSV reader (issue 6): any bytes, with any delimiter option, must not
// crash, hang or grow memory without bound, and every record returned must hold valid UTF-8
// within the limits, on lines that only go forward. tests/fuzz.cmake builds it with clang and runs
// it briefly in the test suite; `build/ci/tests/csv_fuzz -max_total_time=600 CORPUS` runs longer.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "ingest/csv.h"

using orchard::ingest::CsvOptions;
using orchard::ingest::CsvProblem;
using orchard::ingest::CsvReader;
using orchard::ingest::CsvRecord;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  CsvOptions options;
  options.max_field_bytes = 64;  // small, so that inputs reach the limits
  options.max_fields = 8;
  // The first byte picks the delimiter: sniffed, ',', ';' or tab.
  static constexpr char kGiven[] = {0, ',', ';', '\t'};
  if (char d = kGiven[data[0] % 4]; d != 0) options.delimiter = d;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  CsvReader reader(in, options);
  CsvRecord record;
  CsvProblem problem;
  int64_t last_line = 0;
  for (size_t guard = 0; guard <= size + 1; ++guard) {  // each call consumes a byte at least
    auto status = reader.Next(&record, &problem);
    if (!status) std::abort();
    if (*status == CsvReader::Status::kEnd) return 0;
    if (*status == CsvReader::Status::kProblem) {
      if (problem.line < last_line || problem.column < 1 || problem.reason.empty()) std::abort();
      continue;
    }
    if (record.line < last_line || record.fields.empty() || record.fields.size() > 8) {
      std::abort();
    }
    last_line = record.line;
    for (const std::string& f : record.fields) {
      if (f.size() > 64 || orchard::ingest::FirstInvalidUtf8(f)) std::abort();
    }
  }
  std::abort();  // more records than bytes: the reader stopped consuming its input
}
