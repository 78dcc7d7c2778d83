#include "core/text.h"

#include <clocale>
#include <cstdint>
#include <cwctype>

namespace orchard {

std::string FoldCase(std::string_view text) {
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n;) {
    unsigned char c = in[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    uint32_t cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
    bool valid = len != 0 && i + len <= n;
    for (size_t k = 1; valid && k < len; ++k) {
      valid = (in[i + k] & 0xC0) == 0x80;
      cp = (cp << 6) | (in[i + k] & 0x3Fu);
    }
    if (!valid || utf8 == locale_t{}) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    auto lower = static_cast<uint32_t>(towlower_l(static_cast<wint_t>(cp), utf8));
    if (lower < 0x80) {
      out.push_back(static_cast<char>(lower));
    } else if (lower < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (lower >> 6)));
      out.push_back(static_cast<char>(0x80 | (lower & 0x3F)));
    } else if (lower < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (lower >> 12)));
      out.push_back(static_cast<char>(0x80 | ((lower >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (lower & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (lower >> 18)));
      out.push_back(static_cast<char>(0x80 | ((lower >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((lower >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (lower & 0x3F)));
    }
    i += len;
  }
  return out;
}

}  // namespace orchard
