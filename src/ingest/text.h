// Small text helpers the importers and exporters share: ASCII case folding (Salesforce field
// names and keys compare case-insensitively), picklist folding, trimming. (CSV quoting is
// core/text.h's AppendCsvField, shared with the reports.)
#pragma once

#include <cctype>
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

// "Dana Ruiz" → "dana.ruiz": letters and digits lower-cased, every other run a single dot;
// "user" when nothing is left.
inline std::string Slug(std::string_view name) {
  std::string out;
  for (char ch : name) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '.') {
      out += '.';
    }
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out.empty() ? "user" : out;
}

// The e-mail address of a user an import knows only by name: "Dana Ruiz" from source "maven" is
// dana.ruiz@maven.invalid (.invalid receives no mail), then dana.ruiz.2@…, .3@… while
// `taken(address)` says another user has it.
template <class Taken>
std::string InvalidAddressFor(std::string_view name, std::string_view source, Taken taken) {
  const std::string domain = "@" + Slug(source) + ".invalid";
  std::string address = Slug(name) + domain;
  for (int n = 2; taken(address); ++n) address = Slug(name) + "." + std::to_string(n) + domain;
  return address;
}

}  // namespace orchard::ingest
