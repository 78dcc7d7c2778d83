#include "sentiment/tokenizer.h"

#include <algorithm>

namespace orchard::sentiment {
namespace {

constexpr int32_t kInvalid = -1;

struct CodePoint {
  int32_t value = kInvalid;
  uint32_t length = 1;
};

// Decodes one UTF-8 sequence at i; an invalid or truncated one is one byte of kInvalid.
CodePoint Decode(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return {b, 1};
  uint32_t len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) return {};
  int32_t cp = len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (uint32_t k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (c & 0x3F);
  }
  bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, len};
}

bool IsAsciiAlnum(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsSpace(int32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 ||
         c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x3000;
}

bool IsEmoji(int32_t c) {
  return (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
         (c >= 0x1F000 && c <= 0x1F2FF) || c == 0x2B50 || c == 0x2B55 || c == 0x2764;
}

// Modifiers that belong to the emoji before them: variation selector, skin tones, joiner.
bool IsEmojiModifier(int32_t c) {
  return c == 0xFE0F || c == 0xFE0E || c == 0x200D || (c >= 0x1F3FB && c <= 0x1F3FF);
}

// A non-ASCII code point that reads as part of a word (accented letters, other scripts).
bool IsWordCodePoint(int32_t c) {
  if (c < 0x80) return IsAsciiAlnum(c);
  if (c < 0xC0) return false;                    // Latin-1 punctuation and symbols
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // general punctuation, arrows, symbols
  if (c >= 0x3000 && c <= 0x303F) return false;
  if (c >= 0xFE00 && c <= 0xFE0F) return false;
  return !IsEmoji(c);
}

bool IsApostrophe(int32_t c) { return c == '\'' || c == 0x2019; }

size_t EmoticonAt(std::string_view text, size_t i, const std::vector<std::string>& emoticons) {
  constexpr size_t kLongest = 6;
  char buf[kLongest];
  size_t n = std::min(kLongest, text.size() - i);
  for (size_t k = 0; k < n; ++k) {
    char c = text[i + k];
    buf[k] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (size_t len = n; len >= 2; --len) {
    // The emoticon must end the token: ":p" in ":people" is not one.
    if (i + len < text.size() && IsAsciiAlnum(static_cast<unsigned char>(text[i + len]))) continue;
    std::string_view candidate(buf, len);
    auto it = std::lower_bound(emoticons.begin(), emoticons.end(), candidate,
                               [](const std::string& a, std::string_view b) { return a < b; });
    if (it != emoticons.end() && *it == candidate) return len;
  }
  return 0;
}

Token Make(TokenKind kind, std::string_view text, size_t begin, size_t end) {
  Token t;
  t.kind = kind;
  t.begin = static_cast<uint32_t>(begin);
  t.end = static_cast<uint32_t>(end);
  t.lower.assign(text.substr(begin, end - begin));
  int upper = 0, lower = 0;
  for (char& c : t.lower) {
    if (c >= 'A' && c <= 'Z') {
      ++upper;
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c >= 'a' && c <= 'z') {
      ++lower;
    }
  }
  t.all_caps = kind == TokenKind::kWord && upper >= 2 && lower == 0;
  // The typographic apostrophe reads as the plain one ("don’t" is "don't").
  for (size_t at = t.lower.find("\xE2\x80\x99"); at != std::string::npos;
       at = t.lower.find("\xE2\x80\x99", at + 1))
    t.lower.replace(at, 3, "'");
  return t;
}

// The end of the word that starts at i: word code points, with inner apostrophes and hyphens.
size_t WordEnd(std::string_view text, size_t i) {
  size_t j = i;
  while (j < text.size()) {
    CodePoint cp = Decode(text, j);
    if (IsWordCodePoint(cp.value)) {
      j += cp.length;
      continue;
    }
    bool joiner = IsApostrophe(cp.value) || cp.value == '-';
    if (joiner && j + cp.length < text.size()) {
      CodePoint next = Decode(text, j + cp.length);
      if (IsWordCodePoint(next.value)) {
        j += cp.length + next.length;
        continue;
      }
    }
    break;
  }
  return j;
}

}  // namespace

void TokenizeInto(std::string_view text, const std::vector<std::string>& emoticons,
                  std::vector<Token>& out) {
  out.clear();
  size_t i = 0;
  while (i < text.size()) {
    CodePoint cp = Decode(text, i);
    if (cp.value == kInvalid || IsSpace(cp.value)) {
      i += cp.length;
    } else if (IsWordCodePoint(cp.value)) {
      size_t end = WordEnd(text, i);
      out.push_back(Make(TokenKind::kWord, text, i, end));
      i = end;
    } else if (IsEmoji(cp.value)) {
      size_t end = i + cp.length;
      while (end < text.size()) {
        CodePoint next = Decode(text, end);
        if (!IsEmojiModifier(next.value)) break;
        end += next.length;
      }
      out.push_back(Make(TokenKind::kEmoji, text, i, end));
      i = end;
    } else if (size_t len = cp.value < 0x80 ? EmoticonAt(text, i, emoticons) : 0; len > 0) {
      out.push_back(Make(TokenKind::kEmoticon, text, i, i + len));
      i += len;
    } else {
      size_t end = i + cp.length;  // a run of the same mark: "!!!", "..."
      while (end + cp.length <= text.size() &&
             text.substr(end, cp.length) == text.substr(i, cp.length))
        end += cp.length;
      out.push_back(Make(TokenKind::kPunct, text, i, end));
      i = end;
    }
  }
}

std::vector<Token> Tokenize(std::string_view text, const std::vector<std::string>& emoticons) {
  std::vector<Token> out;
  TokenizeInto(text, emoticons, out);
  return out;
}

std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    CodePoint cp = Decode(text, i);
    if (cp.value == kInvalid || (cp.value < 0x20 && cp.value != '\t')) {
      out += cp.value == kInvalid ? "\xEF\xBF\xBD" : " ";
    } else {
      out.append(text.substr(i, cp.length));
    }
    i += cp.length;
  }
  return out;
}

}  // namespace orchard::sentiment
