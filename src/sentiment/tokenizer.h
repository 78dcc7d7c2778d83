// The sentiment tokenizer: splits a text into words, emoticons, emoji and punctuation runs, each
// with its byte span in the original text (so phrases can be highlighted) and a lower-cased form
// (so lookups ignore case) plus whether it was written in ALL CAPS (VADER's emphasis rule).
//
// Hand-written: no Debian-packaged library does social-media tokenization of this kind, and the
// rules are small. Bytes that are not valid UTF-8 are skipped, never read past the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace orchard::sentiment {

enum class TokenKind : uint8_t {
  kWord,      // letters, digits, inner apostrophes and hyphens: "don't", "wi-fi", "5"
  kEmoticon,  // ":)", ":-(", "<3", "</3", ";p" … (starting with punctuation)
  kEmoji,     // one pictograph code point (U+1F300–U+1FAFF, U+2600–U+27BF, …)
  kPunct,     // a run of the same punctuation mark: "!!!", "?", "...", ","
};

struct Token {
  TokenKind kind = TokenKind::kWord;
  uint32_t begin = 0;  // byte offsets into the original text, [begin, end)
  uint32_t end = 0;
  bool all_caps = false;  // a word of two or more letters, every letter upper case
  std::string lower;      // ASCII lower-cased text (non-ASCII bytes kept as they are)
};

// Splits text into tokens. Emoticons are recognised by longest match against `emoticons`
// (sorted, lower-case; see Lexicon::Emoticons) where a token would start with punctuation.
std::vector<Token> Tokenize(std::string_view text, const std::vector<std::string>& emoticons);

// The same into a reused vector (the scorer's hot path: no allocation per text once warm).
void TokenizeInto(std::string_view text, const std::vector<std::string>& emoticons,
                  std::vector<Token>& out);

// Valid UTF-8 for JSON: each byte that does not start a valid sequence becomes U+FFFD.
std::string SanitizeUtf8(std::string_view text);

}  // namespace orchard::sentiment
