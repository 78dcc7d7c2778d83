// The lexicon rules as a user reads them: each changes the score the way one expects; the
// tokenizer keeps byte offsets a UI can highlight; phrases point at the words that drove a score.
#include <gtest/gtest.h>

#include "sentiment/embedded.h"
#include "sentiment/lexicon.h"
#include "sentiment/model.h"
#include "sentiment/tokenizer.h"

namespace orchard::sentiment {
namespace {

const Model& Shipped() {
  static const Model model = *Model::Parse(EmbeddedModelText());
  return model;
}

double Compound(std::string_view text) {
  const Lexicon& lexicon = Shipped().lexicon();
  return ScoreLexicon(lexicon, Tokenize(text, lexicon.emoticons())).compound;
}

std::string_view Span(std::string_view text, const Phrase& p) {
  return text.substr(p.begin, p.end - p.begin);
}

TEST(SentimentRules, NegationFlipsGoodToNotGood) {
  EXPECT_GT(Compound("The food is good"), 0.05);
  EXPECT_LT(Compound("The food is not good"), -0.05);
  EXPECT_LT(Compound("The food isn't good"), -0.05);
  EXPECT_LT(Compound("The food isn\xE2\x80\x99t good"), -0.05);  // typographic apostrophe
  Scorer scorer(Shipped());
  EXPECT_EQ(scorer.Score("The food is good").label, Label::kPositive);
  EXPECT_EQ(scorer.Score("The food is not good").label, Label::kNegative);
}

TEST(SentimentRules, ButWeighsTheSecondClause) {
  EXPECT_LT(Compound("The food was great but the service was terrible"), 0);
  EXPECT_GT(Compound("The service was terrible but the food was great"), 0);
}

TEST(SentimentRules, CapsExclamationsAndBoostersIntensify) {
  EXPECT_LT(Compound("The service is BAD today"), Compound("The service is bad today"));
  EXPECT_GT(Compound("The service is good!!!"), Compound("The service is good"));
  EXPECT_GT(Compound("The service is very good"), Compound("The service is good"));
  EXPECT_LT(Compound("The service is slightly good"), Compound("The service is good"));
  // A text all in capitals is shouting throughout: no word stands out.
  EXPECT_DOUBLE_EQ(Compound("THE SERVICE IS BAD"), Compound("the service is bad"));
}

TEST(SentimentRules, EmojiAndEmoticonsCount) {
  EXPECT_GT(Compound("Delivery tomorrow :)"), 0.05);
  EXPECT_LT(Compound("Delivery tomorrow :("), -0.05);
  EXPECT_LT(Compound("Delivery tomorrow :-("), -0.05);
  EXPECT_GT(Compound("Delivery tomorrow \xF0\x9F\x98\x8D"), 0.05);   // 😍
  EXPECT_LT(Compound("Delivery tomorrow \xF0\x9F\x98\xA1"), -0.05);  // 😡
  EXPECT_GT(Compound("Delivery tomorrow <3"), 0.05);
}

TEST(SentimentRules, EmptyTextIsNeutralZero) {
  for (std::string_view text : {"", "   ", "\n"}) {
    Sentiment plain = ScorePlain(Shipped().lexicon(), text);
    EXPECT_EQ(plain.label, Label::kNeutral);
    EXPECT_EQ(plain.score, 0);
    Scorer scorer(Shipped());
    Sentiment model = scorer.Score(text);
    EXPECT_EQ(model.label, Label::kNeutral);
    EXPECT_EQ(model.score, 0);
    EXPECT_TRUE(model.phrases.empty());
  }
}

TEST(SentimentRules, ScoresStayInRange) {
  Scorer scorer(Shipped());
  for (std::string_view text : {"GREAT GREAT GREAT!!!! :) :) \xF0\x9F\x98\x8D", "awful horrible",
                                "?????", "not not not bad"}) {
    Sentiment s = scorer.Score(text);
    EXPECT_GE(s.score, -1);
    EXPECT_LE(s.score, 1);
    double c = Compound(text);
    EXPECT_GE(c, -1);
    EXPECT_LE(c, 1);
  }
}

TEST(SentimentTokenizer, KeepsByteOffsetsCapsAndEmoticons) {
  std::string text = "Caf\xC3\xA9 was GREAT :) \xF0\x9F\x91\x8D!!! don't";
  auto tokens = Tokenize(text, Shipped().lexicon().emoticons());
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_EQ(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin), "Caf\xC3\xA9");
  EXPECT_EQ(tokens[2].lower, "great");
  EXPECT_TRUE(tokens[2].all_caps);
  EXPECT_EQ(tokens[3].kind, TokenKind::kEmoticon);
  EXPECT_EQ(tokens[4].kind, TokenKind::kEmoji);
  EXPECT_EQ(tokens[5].kind, TokenKind::kPunct);
  EXPECT_EQ(tokens[5].lower, "!!!");
  EXPECT_EQ(tokens[6].lower, "don't");
}

TEST(SentimentTokenizer, InvalidUtf8IsSkippedNotReadPast) {
  std::string text = "bad \xFF\xC3 service \xE2\x82";  // a stray byte, two truncated sequences
  auto tokens = Tokenize(text, Shipped().lexicon().emoticons());
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].lower, "bad");
  EXPECT_EQ(tokens[1].lower, "service");
  for (const Token& t : tokens) EXPECT_LE(t.end, text.size());
  EXPECT_EQ(SanitizeUtf8("a\xFF"
                         "b"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(SentimentPhrases, PointAtTheWordsThatDroveTheScore) {
  std::string text = "Last week the support team was awful and slow";
  Sentiment plain = ScorePlain(Shipped().lexicon(), text);
  ASSERT_FALSE(plain.phrases.empty());
  EXPECT_EQ(Span(text, plain.phrases[0]), "awful");
  EXPECT_LT(plain.phrases[0].weight, 0);

  Scorer scorer(Shipped());
  Sentiment model = scorer.Score(text);
  EXPECT_EQ(model.label, Label::kNegative);
  ASSERT_FALSE(model.phrases.empty());
  EXPECT_NE(Span(text, model.phrases[0]).find("awful"), std::string_view::npos);
  for (const Phrase& p : model.phrases) EXPECT_LT(p.weight, 0);

  std::string negated = "The new dashboard is not good";
  Sentiment n = scorer.Score(negated);
  ASSERT_FALSE(n.phrases.empty());
  EXPECT_NE(Span(negated, n.phrases[0]).find("not good"), std::string_view::npos);
}

}  // namespace
}  // namespace orchard::sentiment
