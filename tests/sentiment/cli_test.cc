// `orchard sentiment` and `orchard model … sentiment` through the real binary: one JSON object per
// input line (an invalid UTF-8 line included), a bad --model file refused with a clear error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "support/process.h"

namespace orchard {
namespace {

using ::testing::HasSubstr;
using testing::RunOrchard;
using testing::TempDir;

std::vector<boost::json::object> JsonLines(const std::string& out) {
  std::vector<boost::json::object> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(boost::json::parse(line).as_object());
  return lines;
}

TEST(SentimentCli, OneJsonObjectPerLine) {
  std::string input =
      "The support team was wonderful, thank you!\n"
      "The update broke everything and nobody answers.\n"
      "\n"
      "bad \xFF\xFE service \xC3\n"
      "Invoice 4411 attached.\r\n";
  auto r = RunOrchard({"sentiment"}, {}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0].at("label").as_string(), "positive");
  EXPECT_EQ(lines[1].at("label").as_string(), "negative");
  EXPECT_EQ(lines[2].at("label").as_string(), "neutral");
  EXPECT_EQ(lines[2].at("score").to_number<double>(), 0);
  EXPECT_EQ(lines[3].at("label").as_string(), "negative");  // the invalid bytes are skipped
  for (const auto& o : lines) {
    double score = o.at("score").to_number<double>();
    EXPECT_GE(score, -1);
    EXPECT_LE(score, 1);
    EXPECT_TRUE(o.at("phrases").is_array());
  }
  const auto& phrase = lines[0].at("phrases").as_array().at(0).as_object();
  std::string first = "The support team was wonderful, thank you!";
  auto begin = phrase.at("begin").to_number<size_t>(), end = phrase.at("end").to_number<size_t>();
  EXPECT_EQ(first.substr(begin, end - begin), phrase.at("text").as_string());
}

TEST(SentimentCli, ABadModelFileIsRefused) {
  TempDir dir;
  std::string bad = dir.path() + "/bad.model";
  std::ofstream(bad) << "orchard-sentiment-model 2\nhash_bits 20\n";
  auto r = RunOrchard({"sentiment", "--model", bad}, {}, "good\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("damaged"));
  EXPECT_THAT(r.err, HasSubstr(bad));
  EXPECT_EQ(r.out, "");

  r = RunOrchard({"sentiment", "--model", dir.path() + "/missing.model"}, {}, "good\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("cannot read"));

  r = RunOrchard({"sentiment", "--model", ORCHARD_SOURCE_DIR "/models/sentiment.model"}, {},
                 "great\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"label\":\"positive\""));
}

TEST(SentimentCli, ModelShowAndEval) {
  auto r = RunOrchard({"model", "show", "sentiment"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("seed"));
  EXPECT_THAT(r.out, HasSubstr("fnv1a64:"));

  r = RunOrchard({"model", "eval", "sentiment", "--format", "json", "--data",
                  ORCHARD_SOURCE_DIR "/../shared/data/sentiment"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = boost::json::parse(r.out).as_object();
  EXPECT_EQ(report.at("sets").as_array().size(), 4u);
  for (const auto& set : report.at("sets").as_array())
    EXPECT_GT(set.at("model").at("accuracy").to_number<double>(),
              set.at("lexicon").at("accuracy").to_number<double>());
}

}  // namespace
}  // namespace orchard
