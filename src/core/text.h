// Text helpers shared by the storage adapters, the in-memory book and every CSV Orchard writes.
#pragma once

#include <string>
#include <string_view>

namespace orchard {

// LOWER as PostgreSQL computes it in a UTF-8 database: every letter, not only ASCII. The case
// mapping is glibc's (towlower_l in C.UTF-8); bytes that are not valid UTF-8 pass through
// unchanged. SQLite's lower() is replaced by this, and the in-memory book folds names and
// searches with it, so a name search finds the same rows wherever it is answered.
std::string FoldCase(std::string_view text);

// One CSV field per RFC 4180, appended to out: in double quotes, inner quotes doubled, when it
// holds a comma, a quote, CR or LF; else as is (an empty text stays empty: a writer that must
// tell it from NULL quotes it itself). The one quoting of every CSV Orchard writes: `orchard
// export`, the Salesforce export, the import's rejected rows, `orchard report --format csv`.
inline void AppendCsvField(std::string& out, std::string_view text) {
  bool quote = false;
  for (char c : text) {  // a plain loop: find_first_of calls memchr four times per byte
    if (c == ',' || c == '"' || c == '\r' || c == '\n') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// The same, as a string of its own.
inline std::string CsvField(std::string_view text) {
  std::string out;
  AppendCsvField(out, text);
  return out;
}

}  // namespace orchard
