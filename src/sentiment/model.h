// The sentiment model: multinomial logistic regression over hashed word unigrams and bigrams
// (words after a negation marked as negated, up to the end of the clause) and a dozen features of
// the lexicon scorer (compound, positive and negative sums, negations, emphasis). Three classes:
// negative, neutral, positive; score = P(positive) - P(negative), in [-1, 1].
//
// The Model owns its weights and its lexicon (both live in the model file, so a model file is
// all the scorer needs); it is immutable once built, so one Model serves every thread. A Scorer
// holds one thread's scratch buffers. Hand-written: no Debian-packaged library offers a small
// linear text model with this feature set, and prediction is a few dozen lookups.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sentiment/lexicon.h"
#include "sentiment/tokenizer.h"

namespace orchard::sentiment {

enum class Label : uint8_t { kNegative = 0, kNeutral = 1, kPositive = 2 };
inline constexpr int kClasses = 3;
std::string_view LabelName(Label label);

// A span of the text that drove the result: bytes [begin, end) of the original text, and how
// much it pushed the score (> 0 towards positive, < 0 towards negative).
struct Phrase {
  uint32_t begin = 0;
  uint32_t end = 0;
  double weight = 0;
};

struct Sentiment {
  Label label = Label::kNeutral;
  double score = 0;             // [-1, 1]
  std::vector<Phrase> phrases;  // strongest first, at most kMaxPhrases
};

inline constexpr size_t kMaxPhrases = 5;

// The plain lexicon scorer as a Sentiment: VADER's compound and thresholds, hits as phrases.
Sentiment ScorePlain(const Lexicon& lexicon, std::string_view text);

// The dense features, by name, in the order of the model file.
// The last eight are objectivity cues: the share of words the lexicon scores, digits, model
// numbers ("ad2600"), a short fragment, first-person narration ("i bought …"), a purchase or
// delivery word, a weak lexicon score, and a text without any hit by its length.
inline constexpr std::array<std::string_view, 20> kDenseNames = {
    "bias",      "compound",         "positive",
    "negative",  "lexicon_negative", "lexicon_positive",
    "negated",   "exclaimed",        "asked",
    "all_caps",  "no_hits",          "length",
    "hit_share", "digits",           "model_number",
    "short",     "first_person",     "purchase",
    "weak",      "no_hits_length"};
inline constexpr size_t kDense = kDenseNames.size();

// One sparse feature occurrence: its hash bucket and the tokens it covers.
struct SparseFeature {
  uint32_t bucket = 0;
  uint32_t first_token = 0;
  uint32_t last_token = 0;
};

struct Features {
  std::vector<Token> tokens;
  LexiconScore lexicon;
  std::array<float, kDense> dense{};
  std::vector<SparseFeature> sparse;
};

// Tokenizes text and computes its features into out (reused between calls).
void ExtractFeatures(const Lexicon& lexicon, std::string_view text, int hash_bits, Features& out);

using Weights = std::array<float, kClasses>;

// What the model file records about where the model came from (no date: the file reproduces
// byte for byte from the data and the seed).
struct Provenance {
  uint64_t seed = 0;
  std::string data_hash;  // FNV-1a 64 of the training files, hex
  std::string recipe;     // the training options, for `orchard model show`
};

class Model {
 public:
  static constexpr int kVersion = 2;

  Model(Lexicon lexicon, int hash_bits, std::array<Weights, kDense> dense,
        std::vector<std::pair<uint32_t, Weights>> sparse, Provenance provenance);

  // Reads a model file's text; a wrong header, version, count or checksum is an error.
  static Result<Model> Parse(std::string_view text);
  // The model file: a text format, byte for byte the same for the same model.
  std::string Serialize() const;

  const Lexicon& lexicon() const { return lexicon_; }
  int hash_bits() const { return hash_bits_; }
  size_t sparse_size() const { return keys_.size() - empty_slots_; }
  const Provenance& provenance() const { return provenance_; }

  // Class scores (logits) of extracted features.
  Weights Logits(const Features& features) const;
  // The weights of a bucket, or nullptr.
  const Weights* Find(uint32_t bucket) const;
  const std::array<Weights, kDense>& dense() const { return dense_; }

 private:
  Lexicon lexicon_;
  int hash_bits_ = 0;
  std::array<Weights, kDense> dense_{};
  std::vector<uint32_t> keys_;  // open addressing: bucket + 1, 0 = empty
  std::vector<Weights> values_;
  size_t empty_slots_ = 0;
  Provenance provenance_;
};

// Scores texts with a model; holds one thread's scratch buffers.
class Scorer {
 public:
  explicit Scorer(const Model& model) : model_(model) {}
  Sentiment Score(std::string_view text);
  // Only the label (no phrases): the evaluation's and the benchmark's path.
  Label Classify(std::string_view text);

 private:
  const Model& model_;
  Features features_;
  std::vector<double> contribution_;
};

}  // namespace orchard::sentiment
