// The condition language's text helpers (automation/condition.h), shared by its parser
// (condition_parse.cc) and its evaluator (condition.cc): ASCII case folding, UTF-8 lengths,
// numbers as conditions write them, quoting for error messages, edit distance for "did you
// mean", values in words. Only the standard library: the fuzz target compiles these files with
// clang alone (tests/fuzz.cmake).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "automation/condition.h"

namespace orchard::automation::condition_text {

inline constexpr size_t kShownBytes = 40;  // of a token quoted in an error

inline char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::string LowerAscii(std::string_view s);
// `text` equals `folded` (already lower case) without regard to ASCII case.
bool EqualsFolded(std::string_view text, std::string_view folded);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// The length of the UTF-8 sequence starting at s[i] (1 for a byte that starts none).
size_t Utf8Length(std::string_view s, size_t i);
std::string Quote(std::string_view s);    // a text as a condition writes it
std::string Shown(std::string_view raw);  // a token quoted for an error, cut if long
std::string Thousands(size_t n);          // 4,000
std::string FormatNumber(double v, bool suffixes);
bool ParseNumber(std::string_view raw, double& out);
size_t EditDistance(std::string_view a, std::string_view b);
std::string_view TypeName(ValueType type);
std::string FormatValue(const Value& value, ValueType type);  // "missing" when it is

}  // namespace orchard::automation::condition_text
