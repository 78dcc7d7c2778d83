#include "sentiment/lexicon.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>

namespace orchard::sentiment {
namespace {

// VADER's empirical constants (vaderSentiment.py).
constexpr double kBoost = 0.293;      // a booster word adds, a dampener subtracts
constexpr double kCapsBoost = 0.733;  // an ALL CAPS word in a text that is not all caps
constexpr double kNegate = -0.74;     // a negated valence
constexpr double kAlpha = 15;         // compound = sum / sqrt(sum^2 + alpha)
constexpr double kAfinnScale = 0.8;   // AFINN's -5..+5 onto VADER's -4..+4

constexpr std::string_view kNegations[] = {
    "aint",   "arent",    "cannot",  "cant",     "couldnt",  "darent",   "didnt",   "doesnt",
    "ain't",  "aren't",   "can't",   "couldn't", "daren't",  "didn't",   "doesn't", "dont",
    "hadnt",  "hasnt",    "havent",  "isnt",     "mightnt",  "mustnt",   "neither", "don't",
    "hadn't", "hasn't",   "haven't", "isn't",    "mightn't", "mustn't",  "neednt",  "needn't",
    "never",  "none",     "nope",    "nor",      "not",      "nothing",  "nowhere", "oughtnt",
    "shant",  "shouldnt", "uhuh",    "wasnt",    "werent",   "oughtn't", "shan't",  "shouldn't",
    "uh-uh",  "wasn't",   "weren't", "without",  "wont",     "wouldnt",  "won't",   "wouldn't",
    "rarely", "seldom",   "no"};

constexpr std::string_view kBoosters[] = {
    "absolutely",    "amazingly",    "awfully",       "completely", "considerable", "considerably",
    "decidedly",     "deeply",       "effing",        "enormous",   "enormously",   "entirely",
    "especially",    "exceptional",  "exceptionally", "extreme",    "extremely",    "fabulously",
    "flipping",      "flippin",      "frackin",       "fracking",   "fricking",     "frickin",
    "frigging",      "friggin",      "fully",         "fuckin",     "fucking",      "fuggin",
    "fugging",       "greatly",      "hella",         "highly",     "hugely",       "incredible",
    "incredibly",    "intensely",    "major",         "majorly",    "more",         "most",
    "particularly",  "purely",       "quite",         "really",     "remarkably",   "so",
    "substantially", "thoroughly",   "total",         "totally",    "tremendous",   "tremendously",
    "uber",          "unbelievably", "unusually",     "utter",      "utterly",      "very"};

constexpr std::string_view kDampeners[] = {
    "almost",   "barely",     "hardly",     "kinda",        "kindof", "less",   "little",
    "marginal", "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely",
    "slight",   "slightly",   "somewhat",   "sorta",        "sortof", "fairly", "bit"};

// Emoji valences (-4..+4), hand-set: VADER's emoji lexicon was not copied into shared/data.
constexpr std::array<std::pair<std::string_view, float>, 40> kEmoji = {{
    {"\xF0\x9F\x98\x80", 2.5f},  {"\xF0\x9F\x98\x81", 2.5f},  {"\xF0\x9F\x98\x82", 2.0f},
    {"\xF0\x9F\x98\x83", 2.5f},  {"\xF0\x9F\x98\x84", 2.5f},  {"\xF0\x9F\x98\x8A", 2.5f},
    {"\xF0\x9F\x98\x8D", 3.0f},  {"\xF0\x9F\x98\x98", 2.5f},  {"\xF0\x9F\x99\x82", 1.5f},
    {"\xF0\x9F\xA4\xA9", 3.0f},  {"\xF0\x9F\xA5\xB0", 3.0f},  {"\xF0\x9F\x91\x8D", 2.0f},
    {"\xF0\x9F\x91\x8F", 2.0f},  {"\xF0\x9F\x99\x8F", 1.5f},  {"\xF0\x9F\x8E\x89", 2.5f},
    {"\xF0\x9F\x92\xAF", 2.0f},  {"\xE2\x9D\xA4", 3.0f},      {"\xE2\x99\xA5", 3.0f},
    {"\xE2\x9C\x85", 1.5f},      {"\xE2\xAD\x90", 2.0f},      {"\xF0\x9F\x98\x89", 1.5f},
    {"\xF0\x9F\x98\x8E", 2.0f},  {"\xF0\x9F\x98\x90", -0.5f}, {"\xF0\x9F\x98\x95", -1.5f},
    {"\xF0\x9F\x98\x9E", -2.5f}, {"\xF0\x9F\x98\x9F", -2.0f}, {"\xF0\x9F\x98\xA0", -3.0f},
    {"\xF0\x9F\x98\xA1", -3.5f}, {"\xF0\x9F\x98\xA2", -2.5f}, {"\xF0\x9F\x98\xAD", -2.5f},
    {"\xF0\x9F\x98\xA4", -2.5f}, {"\xF0\x9F\x98\xA9", -2.5f}, {"\xF0\x9F\x98\xAB", -2.5f},
    {"\xF0\x9F\x98\x92", -2.0f}, {"\xF0\x9F\x99\x81", -1.5f}, {"\xE2\x98\xB9", -2.0f},
    {"\xF0\x9F\x91\x8E", -2.0f}, {"\xF0\x9F\x92\x94", -3.0f}, {"\xF0\x9F\xA4\xAC", -3.5f},
    {"\xE2\x9D\x8C", -1.5f},
}};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Reads "key TAB number …" lines (LF or CRLF) into the lexicon, valences times scale.
Status ReadTsv(const std::string& path, double scale, Lexicon& lexicon) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read the lexicon " + path);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0)
      return Fail(ErrorCode::kInvalidArgument,
                  path + ":" + std::to_string(number) + ": expected 'entry<TAB>score'");
    size_t end = line.find('\t', tab + 1);
    std::string number_text = line.substr(tab + 1, end == std::string::npos ? end : end - tab - 1);
    float value = 0;
    auto [ptr, ec] =
        std::from_chars(number_text.data(), number_text.data() + number_text.size(), value);
    if (ec != std::errc())
      return Fail(ErrorCode::kInvalidArgument,
                  path + ":" + std::to_string(number) + ": not a number: " + number_text);
    lexicon.Set(Lower(line.substr(0, tab)), static_cast<float>(value * scale));
  }
  return Ok();
}

// The booster (or dampener) increment of `word` before a word of valence v.
double BoostOf(const Token& word, uint8_t flags, double v, bool caps_differ) {
  double scalar = 0;
  if (flags & Lexicon::kBooster) {
    scalar = kBoost;
  } else if (flags & Lexicon::kDampener) {
    scalar = -kBoost;
  } else {
    return 0;
  }
  if (v < 0) scalar = -scalar;
  if (word.all_caps && caps_differ) scalar += v > 0 ? kCapsBoost : -kCapsBoost;
  return scalar;
}

bool EndsClause(const Token& t) {
  if (t.kind != TokenKind::kPunct) return false;
  char c = t.lower[0];
  return c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':';
}

}  // namespace

bool IsNegation(std::string_view lower) {
  return std::find(std::begin(kNegations), std::end(kNegations), lower) != std::end(kNegations) ||
         (lower.size() > 3 && lower.substr(lower.size() - 3) == "n't");
}

Lexicon::Lexicon() {
  for (std::string_view w : kNegations) entries_[std::string(w)].flags |= kNegation;
  for (std::string_view w : kBoosters) entries_[std::string(w)].flags |= kBooster;
  for (std::string_view w : kDampeners) entries_[std::string(w)].flags |= kDampener;
}

void Lexicon::Set(std::string key, float valence) {
  bool emoticon = !key.empty() && static_cast<unsigned char>(key[0]) < 0x80 &&
                  !std::isalnum(static_cast<unsigned char>(key[0])) && key.size() >= 2;
  Entry& entry = entries_[key];
  if (emoticon && !entry.scored) {
    emoticons_.insert(std::lower_bound(emoticons_.begin(), emoticons_.end(), key), key);
  }
  // Hundredths, as the model file writes them: a lexicon read back from a model file is
  // the same, bit for bit, as the one the model was trained with.
  entry.valence = static_cast<float>(std::lround(valence * 100.0f)) / 100.0f;
  entry.scored = true;
  if (size_t space = key.find(' '); space != std::string::npos)
    entries_[key.substr(0, space)].flags |= kPhraseStart;
}

const Lexicon::Entry* Lexicon::Find(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string, float>> Lexicon::Sorted() const {
  std::vector<std::pair<std::string, float>> out;
  for (const auto& [key, entry] : entries_)
    if (entry.scored) out.emplace_back(key, entry.valence);
  std::sort(out.begin(), out.end());
  return out;
}

size_t Lexicon::size() const {
  size_t n = 0;
  for (const auto& [key, entry] : entries_) n += entry.scored ? 1 : 0;
  return n;
}

Result<Lexicon> Lexicon::FromFiles(const std::string& dir) {
  Lexicon lexicon;
  for (const auto& [emoji, valence] : kEmoji) lexicon.Set(std::string(emoji), valence);
  // AFINN first, so that VADER's entry wins where both have one.
  ORCHARD_CHECK(ReadTsv(dir + "/AFINN-emoticon-8.txt", kAfinnScale, lexicon));
  ORCHARD_CHECK(ReadTsv(dir + "/AFINN-en-165.txt", kAfinnScale, lexicon));
  ORCHARD_CHECK(ReadTsv(dir + "/vader_lexicon.txt", 1.0, lexicon));
  return lexicon;
}

LexiconScore ScoreLexicon(const Lexicon& lexicon, const std::vector<Token>& tokens) {
  LexiconScore score;
  int caps = 0, words = 0;
  std::vector<const Lexicon::Entry*> entries(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == TokenKind::kPunct) {
      if (t.lower[0] == '!') score.exclamations += static_cast<int>(t.lower.size());
      if (t.lower[0] == '?') score.questions += static_cast<int>(t.lower.size());
      continue;
    }
    entries[i] = lexicon.Find(t.lower);
    if (t.kind != TokenKind::kWord) continue;
    ++words;
    caps += t.all_caps ? 1 : 0;
  }
  bool caps_differ = caps > 0 && caps < words;
  size_t but_at = tokens.size();
  std::string pair;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.lower == "but" && but_at == tokens.size()) but_at = i;
    const Lexicon::Entry* entry = entries[i];
    if (entry == nullptr) continue;
    if (entry->flags & (Lexicon::kBooster | Lexicon::kDampener)) continue;
    // A two-word phrase ("can't stand", "no fun") takes precedence over its words.
    size_t last = i;
    if ((entry->flags & Lexicon::kPhraseStart) && i + 1 < tokens.size()) {
      pair.assign(t.lower).append(" ").append(tokens[i + 1].lower);
      if (const Lexicon::Entry* phrase = lexicon.Find(pair); phrase && phrase->scored) {
        entry = phrase;
        last = i + 1;
      }
    }
    if (!entry->scored || entry->valence == 0) continue;
    double v = entry->valence;
    if (t.all_caps && caps_differ) v += v > 0 ? kCapsBoost : -kCapsBoost;
    // The three words before: boosters add (decaying with distance), a negation flips.
    bool negated = false;
    double base = v;
    size_t j = i;
    for (int k = 0; k < 3 && j > 0; ++k) {
      --j;
      if (EndsClause(tokens[j])) break;
      if (entries[j] == nullptr) {
        negated = negated || tokens[j].lower.ends_with("n't");
        continue;
      }
      double decay = k == 0 ? 1.0 : k == 1 ? 0.95 : 0.9;
      v += BoostOf(tokens[j], entries[j]->flags, base, caps_differ) * decay;
      if (entries[j]->flags & Lexicon::kNegation) negated = true;
    }
    if (negated) {
      v *= kNegate;
      ++score.negated;
    }
    score.hits.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(last), v});
    i = last;
  }
  double sum = 0;
  for (LexiconHit& h : score.hits) {
    if (but_at < tokens.size()) h.valence *= h.first_token < but_at ? 0.5 : 1.5;
    sum += h.valence;
    (h.valence > 0 ? score.positive : score.negative) += h.valence;
  }
  double emphasis = std::min(score.exclamations, 4) * 0.292;
  if (score.questions > 1) emphasis += std::min(score.questions * 0.18, 0.96);
  if (sum > 0) sum += emphasis;
  if (sum < 0) sum -= emphasis;
  score.compound = std::clamp(sum / std::sqrt(sum * sum + kAlpha), -1.0, 1.0);
  return score;
}

}  // namespace orchard::sentiment
