#include "sentiment/model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "sentiment/hash.h"

namespace orchard::sentiment {
namespace {

constexpr std::string_view kMagic = "orchard-sentiment-model";
constexpr double kWeightScale = 1000;   // weights are stored as integers in thousandths
constexpr double kPhraseMin = 0.3;      // a span must push the score at least this much
constexpr double kLexiconShare = 0.25;  // a lexicon hit's valence counts this much in phrases

bool IsClauseEnd(const Token& t) {
  char c = t.lower[0];
  return c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':';
}

uint32_t Bucket(uint64_t hash, int bits) {
  return static_cast<uint32_t>((hash ^ (hash >> 32)) & ((uint64_t{1} << bits) - 1));
}

void Softmax(const Weights& logits, double (&p)[kClasses]) {
  double top = std::max({logits[0], logits[1], logits[2]});
  double sum = 0;
  for (int c = 0; c < kClasses; ++c) sum += p[c] = std::exp(logits[c] - top);
  for (double& x : p) x /= sum;
}

Label Argmax(const Weights& logits) {
  int best = 0;
  for (int c = 1; c < kClasses; ++c)
    if (logits[c] > logits[best]) best = c;
  return static_cast<Label>(best);
}

// The spans whose contributions point the way of the label (either way for neutral): runs of
// adjacent tokens with contributions of one sign, strongest first.
std::vector<Phrase> Spans(const std::vector<Token>& tokens, const std::vector<double>& contribution,
                          Label label, double min_weight) {
  std::vector<Phrase> phrases;
  size_t i = 0;
  while (i < tokens.size()) {
    double c = contribution[i];
    bool wanted =
        std::abs(c) >= 0.05 && (label == Label::kNeutral || (label == Label::kPositive) == (c > 0));
    if (!wanted) {
      ++i;
      continue;
    }
    size_t j = i;
    double sum = c;
    while (j + 1 < tokens.size() && std::abs(contribution[j + 1]) >= 0.05 &&
           (contribution[j + 1] > 0) == (c > 0)) {
      sum += contribution[++j];
    }
    if (std::abs(sum) >= min_weight) phrases.push_back({tokens[i].begin, tokens[j].end, sum});
    i = j + 1;
  }
  std::stable_sort(phrases.begin(), phrases.end(), [](const Phrase& a, const Phrase& b) {
    return std::abs(a.weight) > std::abs(b.weight);
  });
  if (phrases.size() > kMaxPhrases) phrases.resize(kMaxPhrases);
  return phrases;
}

void AppendWeights(std::string& out, const Weights& w) {
  char buf[64];
  for (float x : w) {
    int n = std::snprintf(buf, sizeof buf, " %ld", std::lround(x * kWeightScale));
    out.append(buf, static_cast<size_t>(n));
  }
  out += '\n';
}

// Words that narrate a purchase or a delivery: factual lines of a review ("i ordered it on
// monday", "it arrived in two days") rather than opinions.
bool IsPurchaseWord(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "arrived", "bought", "buy",      "came",     "delivered", "got",      "order",
      "ordered", "own",    "owned",    "purchase", "purchased", "received", "returned",
      "shipped", "sent",   "shipping", "model",    "version",   "using",    "used"};
  for (std::string_view k : kWords)
    if (w == k) return true;
  return false;
}

// The dense features (kDenseNames) of a tokenized, lexicon-scored text.
void DenseFeatures(const std::vector<Token>& tokens, const LexiconScore& lex, int words, int caps,
                   std::array<float, kDense>& dense) {
  bool digits = false, model_number = false, purchase = false, first_person = false;
  bool first = true;
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::kWord) continue;
    bool digit = false, alpha = false;
    for (char c : t.lower) {
      digit = digit || (c >= '0' && c <= '9');
      alpha = alpha || (c >= 'a' && c <= 'z');
    }
    digits = digits || digit;
    model_number = model_number || (digit && alpha);
    purchase = purchase || IsPurchaseWord(t.lower);
    if (first) {
      first_person = t.lower == "i" || t.lower == "we" || t.lower == "my" || t.lower == "our" ||
                     t.lower.starts_with("i'");
      first = false;
    }
  }
  size_t covered = 0;
  for (const LexiconHit& h : lex.hits) covered += h.last_token - h.first_token + 1;
  double pos = lex.positive, neg = -lex.negative;
  float length = static_cast<float>(std::log1p(words) / 4);
  bool no_hits = lex.hits.empty();
  dense = {1.0f,
           static_cast<float>(lex.compound),
           static_cast<float>(pos / (pos + 2)),
           static_cast<float>(neg / (neg + 2)),
           lex.compound <= kLexiconNegative ? 1.0f : 0.0f,
           lex.compound >= kLexiconPositive ? 1.0f : 0.0f,
           lex.negated > 0 ? 1.0f : 0.0f,
           lex.exclamations > 0 ? 1.0f : 0.0f,
           lex.questions > 0 ? 1.0f : 0.0f,
           caps > 0 ? 1.0f : 0.0f,
           no_hits ? 1.0f : 0.0f,
           length,
           words > 0 ? static_cast<float>(std::min<double>(1.0, double(covered) / words)) : 0.0f,
           digits ? 1.0f : 0.0f,
           model_number ? 1.0f : 0.0f,
           words <= 4 ? 1.0f : 0.0f,
           first_person ? 1.0f : 0.0f,
           purchase ? 1.0f : 0.0f,
           !no_hits && std::abs(lex.compound) < 0.3 ? 1.0f : 0.0f,
           no_hits ? length : 0.0f};
}

}  // namespace

std::string_view LabelName(Label label) {
  switch (label) {
    case Label::kNegative:
      return "negative";
    case Label::kPositive:
      return "positive";
    case Label::kNeutral:
      break;
  }
  return "neutral";
}

Sentiment ScorePlain(const Lexicon& lexicon, std::string_view text) {
  std::vector<Token> tokens = Tokenize(text, lexicon.emoticons());
  LexiconScore lex = ScoreLexicon(lexicon, tokens);
  Sentiment out;
  out.score = lex.compound;
  out.label = lex.compound >= kLexiconPositive   ? Label::kPositive
              : lex.compound <= kLexiconNegative ? Label::kNegative
                                                 : Label::kNeutral;
  std::vector<double> contribution(tokens.size());
  for (const LexiconHit& h : lex.hits) {
    for (uint32_t t = h.first_token; t <= h.last_token; ++t)
      contribution[t] += h.valence / (h.last_token - h.first_token + 1);
  }
  out.phrases = Spans(tokens, contribution, out.label, 0.05);
  return out;
}

// Long: one pass that emits every sparse feature kind; splitting it would scatter the scope
// rules (negation to the clause end, bigrams within a clause) over several functions.
void ExtractFeatures(const Lexicon& lexicon, std::string_view text, int hash_bits, Features& out) {
  TokenizeInto(text, lexicon.emoticons(), out.tokens);
  out.lexicon = ScoreLexicon(lexicon, out.tokens);
  out.sparse.clear();
  const std::vector<Token>& tokens = out.tokens;
  bool negated = false;
  int words = 0, caps = 0;
  size_t prev = tokens.size();  // the previous word of the clause, if any
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    auto at = static_cast<uint32_t>(i);
    if (t.kind == TokenKind::kPunct) {
      char c = t.lower[0];
      if (c == '!' || c == '?') {
        Fnv h;
        h.Add('p').Add(c).Add(t.lower.size() > 1 ? '+' : '1');
        out.sparse.push_back({Bucket(h.value, hash_bits), at, at});
      }
      if (IsClauseEnd(t)) {
        negated = false;
        prev = tokens.size();
      }
      continue;
    }
    ++words;
    caps += t.all_caps ? 1 : 0;
    Fnv h;
    h.Add(t.kind == TokenKind::kWord ? 'w' : 'e').Add(negated ? '!' : ' ').Add(t.lower);
    out.sparse.push_back({Bucket(h.value, hash_bits), at, at});
    if (prev < tokens.size()) {
      Fnv b;
      b.Add('b').Add(tokens[prev].lower).Add(' ').Add(t.lower);
      out.sparse.push_back({Bucket(b.value, hash_bits), static_cast<uint32_t>(prev), at});
    }
    prev = i;
    const Lexicon::Entry* entry = lexicon.Find(t.lower);
    if ((entry && (entry->flags & Lexicon::kNegation)) || t.lower.ends_with("n't")) negated = true;
    if (t.lower == "but") negated = false;
  }
  DenseFeatures(tokens, out.lexicon, words, caps, out.dense);
}

Model::Model(Lexicon lexicon, int hash_bits, std::array<Weights, kDense> dense,
             std::vector<std::pair<uint32_t, Weights>> sparse, Provenance provenance)
    : lexicon_(std::move(lexicon)),
      hash_bits_(hash_bits),
      dense_(dense),
      provenance_(std::move(provenance)) {
  size_t capacity = 16;
  while (capacity < sparse.size() * 2) capacity *= 2;
  keys_.assign(capacity, 0);
  values_.assign(capacity, Weights{});
  for (const auto& [bucket, w] : sparse) {
    size_t slot = bucket & (capacity - 1);
    while (keys_[slot] != 0 && keys_[slot] != bucket + 1) slot = (slot + 1) & (capacity - 1);
    keys_[slot] = bucket + 1;
    values_[slot] = w;
  }
  empty_slots_ = static_cast<size_t>(std::count(keys_.begin(), keys_.end(), 0u));
}

const Weights* Model::Find(uint32_t bucket) const {
  size_t mask = keys_.size() - 1;
  for (size_t slot = bucket & mask;; slot = (slot + 1) & mask) {
    if (keys_[slot] == bucket + 1) return &values_[slot];
    if (keys_[slot] == 0) return nullptr;
  }
}

Weights Model::Logits(const Features& features) const {
  Weights z{};
  for (size_t d = 0; d < kDense; ++d)
    for (int c = 0; c < kClasses; ++c) z[c] += dense_[d][c] * features.dense[d];
  for (const SparseFeature& f : features.sparse) {
    if (const Weights* w = Find(f.bucket))
      for (int c = 0; c < kClasses; ++c) z[c] += (*w)[c];
  }
  return z;
}

std::string Model::Serialize() const {
  std::string out;
  out += std::string(kMagic) + " " + std::to_string(kVersion) + "\n";
  out += "hash_bits " + std::to_string(hash_bits_) + "\n";
  out += "seed " + std::to_string(provenance_.seed) + "\n";
  out += "data " + provenance_.data_hash + "\n";
  out += "recipe " + provenance_.recipe + "\n";
  out += "dense " + std::to_string(kDense) + "\n";
  for (size_t d = 0; d < kDense; ++d) {
    out += kDenseNames[d];
    AppendWeights(out, dense_[d]);
  }
  auto entries = lexicon_.Sorted();
  out += "lexicon " + std::to_string(entries.size()) + "\n";
  char buf[32];
  for (const auto& [key, valence] : entries) {
    int n = std::snprintf(buf, sizeof buf, "\t%.2f\n", static_cast<double>(valence));
    out += key;
    out.append(buf, static_cast<size_t>(n));
  }
  std::vector<std::pair<uint32_t, Weights>> sparse;
  for (size_t slot = 0; slot < keys_.size(); ++slot)
    if (keys_[slot] != 0) sparse.emplace_back(keys_[slot] - 1, values_[slot]);
  std::sort(sparse.begin(), sparse.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  out += "weights " + std::to_string(sparse.size()) + "\n";
  for (const auto& [bucket, w] : sparse) {
    out += std::to_string(bucket);
    AppendWeights(out, w);
  }
  out += "checksum " + Fnv().Add(out).Hex() + "\n";
  return out;
}

Sentiment Scorer::Score(std::string_view text) {
  ExtractFeatures(model_.lexicon(), text, model_.hash_bits(), features_);
  if (features_.tokens.empty()) return {};  // nothing to read: neutral, 0
  Weights z = model_.Logits(features_);
  double p[kClasses];
  Softmax(z, p);
  Sentiment out;
  out.label = Argmax(z);
  out.score = std::clamp(p[2] - p[0], -1.0, 1.0);
  const std::vector<Token>& tokens = features_.tokens;
  contribution_.assign(tokens.size(), 0.0);
  for (const SparseFeature& f : features_.sparse) {
    const Weights* w = model_.Find(f.bucket);
    if (!w) continue;
    double c = (*w)[2] - (*w)[0];
    uint32_t n = f.last_token - f.first_token + 1;
    for (uint32_t t = f.first_token; t <= f.last_token; ++t) contribution_[t] += c / n;
  }
  // The lexicon's dense features (compound, the positive and negative sums, the lexicon's own
  // label) often carry most of the decision, and they come from the lexicon's hits: their part
  // of the score is shared among the hits that point its way, by the size of their valence, so
  // "very unhappy" is the phrase it highlights, not the words around it.
  double lexicon_part = 0;
  for (size_t i = 1; i <= 5; ++i) {
    const Weights& w = model_.dense()[i];
    lexicon_part += features_.dense[i] * (w[2] - w[0]);
  }
  double pointing = 0;
  for (const LexiconHit& h : features_.lexicon.hits) {
    if (h.valence * lexicon_part > 0) pointing += std::abs(h.valence);
  }
  for (const LexiconHit& h : features_.lexicon.hits) {
    const uint32_t n = h.last_token - h.first_token + 1;
    double share = h.valence * kLexiconShare;
    if (pointing > 0 && h.valence * lexicon_part > 0) {
      share += lexicon_part * std::abs(h.valence) / pointing;
    }
    for (uint32_t t = h.first_token; t <= h.last_token; ++t) contribution_[t] += share / n;
  }
  out.phrases = Spans(tokens, contribution_, out.label, kPhraseMin);
  return out;
}

Label Scorer::Classify(std::string_view text) {
  ExtractFeatures(model_.lexicon(), text, model_.hash_bits(), features_);
  if (features_.tokens.empty()) return Label::kNeutral;
  return Argmax(model_.Logits(features_));
}

}  // namespace orchard::sentiment
