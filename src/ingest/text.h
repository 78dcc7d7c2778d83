// Small text helpers the importers and exporters share: ASCII case folding (Salesforce field
// names and keys compare case-insensitively), picklist folding, trimming. (CSV quoting is
// core/text.h's AppendCsvField, shared with the reports.)
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

}  // namespace orchard::ingest
