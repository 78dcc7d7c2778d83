#include "automation/condition_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>
#include <vector>

namespace orchard::automation::condition_text {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// ASCII case-insensitive equality; `folded` is already lower case (the literals are, once).
bool EqualsFolded(std::string_view text, std::string_view folded) {
  if (text.size() != folded.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (Lower(text[i]) != folded[i]) return false;
  }
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// The length of the valid UTF-8 sequence at s[i] (no overlongs, no surrogates), or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

// A text literal as the language writes it: double quotes, with \ and " escaped.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A piece of the source for an error message: in single quotes, cut at a character boundary.
std::string Shown(std::string_view raw) {
  if (raw.size() <= kShownBytes) return "'" + std::string(raw) + "'";
  size_t cut = kShownBytes;
  while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(raw.substr(0, cut)) + "…'";
}

// 4000 → "4,000", for limits in messages.
std::string Thousands(size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The shortest text that reads back as the same double. With suffixes, whole thousands and
// millions are written 250k and 3m, as people write them.
std::string FormatNumber(double v, bool suffixes) {
  if (suffixes && v != 0 && std::abs(v) < 1e15 && v == std::trunc(v)) {
    const auto n = static_cast<long long>(v);
    if (n % 1000000 == 0) return std::to_string(n / 1000000) + "m";
    if (n % 1000 == 0) return std::to_string(n / 1000) + "k";
  }
  char buffer[512];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed);
  if (ec != std::errc{}) {
    auto [end2, ec2] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return ec2 == std::errc{} ? std::string(buffer, end2) : std::string("0");
  }
  return std::string(buffer, end);
}

// A number as written: digits with single '_' between them, an optional fraction and an
// optional k or m suffix. The suffix becomes an exponent, so 1.5m is exactly 1500000.
bool ParseNumber(std::string_view raw, double& out) {
  std::string digits;
  size_t i = 0;
  if (i < raw.size() && raw[i] == '-') digits += raw[i++];
  auto run = [&] {
    if (i >= raw.size() || !IsDigit(raw[i])) return false;
    while (i < raw.size()) {
      if (IsDigit(raw[i])) {
        digits += raw[i++];
      } else if (raw[i] == '_' && i + 1 < raw.size() && IsDigit(raw[i + 1])) {
        ++i;
      } else {
        break;
      }
    }
    return true;
  };
  if (!run()) return false;
  if (i < raw.size() && raw[i] == '.') {
    digits += raw[i++];
    if (!run()) return false;
  }
  if (i < raw.size() && (Lower(raw[i]) == 'k' || Lower(raw[i]) == 'm')) {
    digits += Lower(raw[i++]) == 'k' ? "e3" : "e6";
  }
  if (i != raw.size()) return false;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return ec == std::errc{} && end == digits.data() + digits.size() && std::isfinite(out);
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kNumber:
      return "number";
    case ValueType::kText:
      return "text";
    case ValueType::kBool:
      return "true/false";
  }
  return "?";
}

std::string FormatValue(const Value& value, ValueType type) {
  if (value.missing || value.type != type) return "missing";
  switch (type) {
    case ValueType::kNumber:
      return FormatNumber(value.number, false);
    case ValueType::kText:
      return Quote(value.text);
    case ValueType::kBool:
      return value.boolean ? "true" : "false";
  }
  return "missing";
}

}  // namespace orchard::automation::condition_text
