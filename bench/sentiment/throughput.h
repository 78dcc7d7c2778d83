// Sentiment throughput on one core, as bench/sentiment measures it and bench/models reports it:
// the held-out texts (GoEmotions test and the customer-service-like set) scored over and over on
// one thread for about `seconds` each after a warm-up pass, with the shipped model (label, score
// and phrases: what `orchard sentiment` prints) and with the plain lexicon scorer.
#pragma once

#include <fmt/core.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"
#include "sentiment/data.h"
#include "sentiment/embedded.h"
#include "sentiment/model.h"

namespace orchard::bench {

struct SentimentThroughput {
  size_t texts = 0;
  double mean_text_bytes = 0;
  double model_texts_per_s = 0;
  double lexicon_texts_per_s = 0;
};

// Texts per second of score over texts, repeated for at least `seconds`.
template <class Score>
double TextsPerSecond(const std::vector<std::string>& texts, double seconds, Score&& score) {
  size_t sink = 0;
  for (const auto& t : texts) sink += score(t);  // warm-up
  size_t done = 0;
  auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (const auto& t : texts) sink += score(t);
    done += texts.size();
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  if (sink == 1) fmt::print("");  // keep the work observable
  return static_cast<double>(done) / elapsed;
}

// The corpus in `data` (../shared/data/sentiment by default in both benches).
inline Result<SentimentThroughput> MeasureSentiment(const std::string& data, double seconds) {
  ORCHARD_TRY(auto corpus, sentiment::LoadCorpus(data));
  ORCHARD_TRY(auto model, sentiment::Model::Parse(sentiment::EmbeddedModelText()));
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const auto& set : corpus.held_out) {
    if (set.name != "goemotions-test" && set.name != "customer-service") continue;
    for (const sentiment::Example& e : set.rows) {
      texts.push_back(e.text);
      bytes += e.text.size();
    }
  }
  if (texts.empty()) return FailValue("data", "no held-out texts in " + data);
  SentimentThroughput out;
  out.texts = texts.size();
  out.mean_text_bytes = static_cast<double>(bytes) / static_cast<double>(texts.size());
  sentiment::Scorer scorer(model);
  out.model_texts_per_s = TextsPerSecond(
      texts, seconds, [&](const std::string& t) { return scorer.Score(t).phrases.size() + 1; });
  out.lexicon_texts_per_s = TextsPerSecond(texts, seconds, [&](const std::string& t) {
    return sentiment::ScorePlain(model.lexicon(), t).phrases.size() + 1;
  });
  return out;
}

}  // namespace orchard::bench
