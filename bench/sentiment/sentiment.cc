// bench/sentiment: how many texts per second one core scores (issue 20's target: >= 50,000),
// with the shipped model (label, score and phrases: what `orchard sentiment` prints) and, side by
// side, the plain lexicon scorer.
//
//   orchard-bench-sentiment [--data DIR] [--seconds S]
//
// Scores the held-out texts (GoEmotions test and the customer-service-like set, ../shared/data/
// sentiment by default) over and over on one thread for about S seconds each (default 3), after a
// warm-up pass. Ends with
//   RESULT sentiment_texts_per_s=N lexicon_texts_per_s=M mean_text_bytes=B
#include <fmt/core.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sentiment/data.h"
#include "sentiment/embedded.h"
#include "sentiment/model.h"

namespace {

using orchard::sentiment::Example;

// Texts per second of score over texts, repeated for at least `seconds`.
template <class Score>
double Rate(const std::vector<std::string>& texts, double seconds, Score&& score) {
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

}  // namespace

int main(int argc, char** argv) {
  std::string data = "../shared/data/sentiment";
  double seconds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--data") data = argv[i + 1];
    if (flag == "--seconds") seconds = std::atof(argv[i + 1]);
  }
  auto corpus = orchard::sentiment::LoadCorpus(data);
  if (!corpus) {
    fmt::print(stderr, "orchard-bench-sentiment: {}\n", corpus.error().ToString());
    return 1;
  }
  auto model = orchard::sentiment::Model::Parse(orchard::sentiment::EmbeddedModelText());
  if (!model) {
    fmt::print(stderr, "orchard-bench-sentiment: {}\n", model.error().ToString());
    return 1;
  }
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const auto& set : corpus->held_out) {
    if (set.name != "goemotions-test" && set.name != "customer-service") continue;
    for (const Example& e : set.rows) {
      texts.push_back(e.text);
      bytes += e.text.size();
    }
  }
  orchard::sentiment::Scorer scorer(*model);
  double model_rate = Rate(
      texts, seconds, [&](const std::string& t) { return scorer.Score(t).phrases.size() + 1; });
  double lexicon_rate = Rate(texts, seconds, [&](const std::string& t) {
    return orchard::sentiment::ScorePlain(model->lexicon(), t).phrases.size() + 1;
  });
  fmt::print("{} held-out texts, {:.0f} bytes on average, one thread, ~{:.0f} s each:\n",
             texts.size(), static_cast<double>(bytes) / static_cast<double>(texts.size()), seconds);
  fmt::print("  model (label, score, phrases)  {:>10.0f} texts/s\n", model_rate);
  fmt::print("  plain lexicon                  {:>10.0f} texts/s\n", lexicon_rate);
  fmt::print(
      "RESULT sentiment_texts_per_s={:.0f} lexicon_texts_per_s={:.0f} mean_text_bytes={:.0f}\n",
      model_rate, lexicon_rate, static_cast<double>(bytes) / static_cast<double>(texts.size()));
  return 0;
}
