// The sentiment lexicon and the rule-based scorer over it, after VADER (Hutto & Gilbert, ICWSM
// 2014): valences from the VADER lexicon (last entry wins for its 14 duplicates, as its loader
// does), AFINN-165 words, phrases and emoticons where VADER has none, and a small table of emoji;
// the rules are VADER's in spirit: boosters and dampeners in the three words before a word,
// negation in the three words before it, "but" halving what comes before and raising what comes
// after, ALL CAPS emphasis when the text is not all caps, and "!"/"?" emphasis.
//
// Hand-written: no Debian-packaged C++ library does lexicon sentiment. The Lexicon owns its
// entries; the scorer only reads it, so one Lexicon serves every thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "sentiment/tokenizer.h"

namespace orchard::sentiment {

class Lexicon {
 public:
  // What a word does besides its valence (the rules' word lists, built in).
  static constexpr uint8_t kNegation = 1, kBooster = 2, kDampener = 4, kPhraseStart = 8;
  struct Entry {
    float valence = 0;
    bool scored = false;  // has a valence from a lexicon (else only flags)
    uint8_t flags = 0;
  };

  Lexicon();  // the rule words only

  // Reads vader_lexicon.txt, AFINN-en-165.txt and AFINN-emoticon-8.txt from dir.
  static Result<Lexicon> FromFiles(const std::string& dir);
  // Adds (or replaces) one entry; keys are lower case, phrases joined by one space.
  void Set(std::string key, float valence);

  // The entry of a lower-cased word or phrase (valence -4..+4), or nullptr.
  const Entry* Find(std::string_view key) const;
  // Entries in key order (for the model file).
  std::vector<std::pair<std::string, float>> Sorted() const;
  size_t size() const;  // entries with a valence
  // Entries that start with punctuation, sorted: what the tokenizer matches as emoticons.
  const std::vector<std::string>& emoticons() const { return emoticons_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
  std::vector<std::string> emoticons_;
};

// One word or phrase of the text that the lexicon scored, with its valence after the rules.
struct LexiconHit {
  uint32_t first_token = 0;  // tokens [first_token, last_token]
  uint32_t last_token = 0;
  double valence = 0;
};

struct LexiconScore {
  double compound = 0;  // normalised to [-1, 1]
  double positive = 0;  // sum of the positive valences after the rules
  double negative = 0;  // sum of the negative valences (<= 0)
  int negated = 0;      // hits whose sign a negation flipped
  int exclamations = 0;
  int questions = 0;
  std::vector<LexiconHit> hits;
};

// Compound thresholds of the three labels (VADER's).
inline constexpr double kLexiconPositive = 0.05;
inline constexpr double kLexiconNegative = -0.05;

// Scores already-tokenized text (tokens from Tokenize with lexicon.emoticons()).
LexiconScore ScoreLexicon(const Lexicon& lexicon, const std::vector<Token>& tokens);

// Whether a lower-cased word negates what follows ("not", "never", "don't", "without", …).
bool IsNegation(std::string_view lower);

}  // namespace orchard::sentiment
