// Small text helpers the importers and exporters share: ASCII case folding (Salesforce field
// names and keys compare case-insensitively), picklist folding, trimming, CSV quoting.
#pragma once

#include <string>
#include <string_view>

namespace orchard::ingest {

// ASCII letters lower-cased; everything else as is.
inline std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Letters and digits only, lower case: "Proposal/Price Quote" → "proposalpricequote", so
// picklist values and HubSpot headers match however they are spelt.
inline std::string Folded(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

// Without leading and trailing spaces and tabs.
inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One CSV field per RFC 4180: quoted when it holds a comma, quote or line break.
inline std::string CsvQuoted(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace orchard::ingest
