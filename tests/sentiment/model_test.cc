// The model file and the model's quality: a damaged or foreign file is refused; the shipped
// models/sentiment.model is what training on ../shared/data/sentiment with seed 1 writes, byte for
// byte; and its held-out figures on customer-service-like text beat the plain lexicon and reach
// issue 20's targets (quality assertions, not timing ones).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "sentiment/data.h"
#include "sentiment/embedded.h"
#include "sentiment/model.h"
#include "sentiment/train.h"

namespace orchard::sentiment {
namespace {

const std::string kData = ORCHARD_SOURCE_DIR "/../shared/data/sentiment";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

TEST(SentimentModelFile, ShippedFileIsTheEmbeddedOneAndRoundTrips) {
  std::string shipped = ReadFile(ORCHARD_SOURCE_DIR "/models/sentiment.model");
  EXPECT_EQ(shipped, EmbeddedModelText());
  auto model = Model::Parse(shipped);
  ASSERT_TRUE(model) << model.error().ToString();
  EXPECT_EQ(model->Serialize(), shipped);
  EXPECT_LT(shipped.size(), 4u << 20) << "the model file should stay a few MB at most";
}

TEST(SentimentModelFile, DamagedOrForeignFilesAreRefused) {
  std::string shipped(EmbeddedModelText());
  auto refused = [](std::string_view text, std::string_view why) {
    auto model = Model::Parse(text);
    ASSERT_FALSE(model) << why;
    EXPECT_NE(model.error().message.find(why), std::string::npos) << model.error().message;
  };
  refused("", "not an Orchard sentiment model");
  refused("hello\n", "not an Orchard sentiment model");
  std::string newer = shipped;
  newer.replace(0, newer.find('\n'), "orchard-sentiment-model 3");
  refused(newer, "version 3");
  refused(shipped.substr(0, shipped.size() / 2), "damaged");
  std::string flipped = shipped;
  flipped[flipped.size() / 2] = flipped[flipped.size() / 2] == '1' ? '2' : '1';
  refused(flipped, "checksum");
}

TEST(SentimentModel, ReproducesTheShippedFileFromTheDataAndTheSeed) {
  auto corpus = LoadCorpus(kData);
  ASSERT_TRUE(corpus) << corpus.error().ToString();
  auto lexicon = Lexicon::FromFiles(kData + "/lexicons");
  ASSERT_TRUE(lexicon) << lexicon.error().ToString();
  TrainOptions options;  // the defaults are the shipped recipe, seed 1
  Model trained =
      Train(*lexicon, corpus->train, corpus->data_hash, options, [](std::string_view) {});
  std::string text = trained.Serialize();
  EXPECT_TRUE(text == EmbeddedModelText())
      << "models/sentiment.model is not what `orchard model train sentiment` writes: retrain it";
  // Another seed shuffles differently, so a different file: the seed matters and is recorded.
  options.seed = 2;
  Model other = Train(*lexicon, corpus->train, corpus->data_hash, options, [](std::string_view) {});
  EXPECT_NE(other.Serialize(), text);
}

TEST(SentimentModel, HeldOutQualityOnCustomerServiceText) {
  auto corpus = LoadCorpus(kData);
  ASSERT_TRUE(corpus) << corpus.error().ToString();
  auto model = Model::Parse(EmbeddedModelText());
  ASSERT_TRUE(model);
  Scorer scorer(*model);
  const HeldOutSet* service = nullptr;
  for (const auto& set : corpus->held_out)
    if (set.name == "customer-service") service = &set;
  ASSERT_NE(service, nullptr);
  ASSERT_GT(service->rows.size(), 1500u);
  Metrics m = Measure(service->rows, [&](std::string_view t) { return scorer.Score(t).label; });
  Metrics plain = Measure(
      service->rows, [&](std::string_view t) { return ScorePlain(model->lexicon(), t).label; });
  // Issue 20's targets on customer-service text, both met (0.770 and 0.604, docs/SENTIMENT.md).
  EXPECT_GE(m.negative_f1, 0.75);
  EXPECT_GE(m.macro_f1, 0.60);
  EXPECT_GT(m.macro_f1, plain.macro_f1 + 0.05);
  EXPECT_GT(m.accuracy, plain.accuracy + 0.1);
}

// The phrases a person is shown are the words that carry the feeling: when the lexicon's part of
// the model decides, its hits are highlighted, not the words around them.
TEST(SentimentModel, ThePhraseShownIsTheWordThatCarriesTheFeeling) {
  auto model = Model::Parse(EmbeddedModelText());
  ASSERT_TRUE(model);
  Scorer scorer(*model);
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"We are very unhappy", "unhappy"},
      {"We are so frustrated with the delays", "frustrated"},
      {"The renewal call was a disaster for our team", "disaster"}};
  for (const auto& [text, word] : cases) {
    Sentiment s = scorer.Score(text);
    EXPECT_EQ(s.label, Label::kNegative) << text;
    ASSERT_FALSE(s.phrases.empty()) << text;
    const Phrase& top = s.phrases.front();
    EXPECT_THAT(std::string(text.substr(top.begin, top.end - top.begin)),
                ::testing::HasSubstr(std::string(word)))
        << text;
    EXPECT_LT(top.weight, 0) << text;
  }
}

TEST(SentimentModel, NoHeldOutRowIsTrainedOn) {
  auto corpus = LoadCorpus(kData);
  ASSERT_TRUE(corpus);
  std::set<std::string> train;
  for (const Example& e : corpus->train) train.insert(e.text);
  // UCI and VADER rows are split by text or by review, so no held-out sentence of theirs is
  // trained on; only short stock phrases ("thank you!") also occur elsewhere (a Reddit comment).
  for (const auto& set : corpus->held_out) {
    if (set.name == "goemotions-test") continue;
    for (const Example& e : set.rows) {
      if (e.text.size() <= 20) continue;
      EXPECT_FALSE(train.contains(e.text)) << set.name << ": " << e.text;
    }
  }
}

}  // namespace
}  // namespace orchard::sentiment
