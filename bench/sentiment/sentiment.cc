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

#include <cstdlib>
#include <string>
#include <string_view>

#include "bench/sentiment/throughput.h"

int main(int argc, char** argv) {
  std::string data = "../shared/data/sentiment";
  double seconds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--data") data = argv[i + 1];
    if (flag == "--seconds") seconds = std::atof(argv[i + 1]);
  }
  auto m = orchard::bench::MeasureSentiment(data, seconds);
  if (!m) {
    fmt::print(stderr, "orchard-bench-sentiment: {}\n", m.error().ToString());
    return 1;
  }
  fmt::print("{} held-out texts, {:.0f} bytes on average, one thread, ~{:.0f} s each:\n", m->texts,
             m->mean_text_bytes, seconds);
  fmt::print("  model (label, score, phrases)  {:>10.0f} texts/s\n", m->model_texts_per_s);
  fmt::print("  plain lexicon                  {:>10.0f} texts/s\n", m->lexicon_texts_per_s);
  fmt::print(
      "RESULT sentiment_texts_per_s={:.0f} lexicon_texts_per_s={:.0f} mean_text_bytes={:.0f}\n",
      m->model_texts_per_s, m->lexicon_texts_per_s, m->mean_text_bytes);
  return 0;
}
