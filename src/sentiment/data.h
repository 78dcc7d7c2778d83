// The labelled data the sentiment model is trained and evaluated on (../shared/data/sentiment/),
// read into one Corpus with fixed splits, so every run sees the same rows in the same order:
// - GoEmotions (Reddit): train.tsv trains, dev.tsv is the development set, test.tsv is held out.
//   Labels: negative (1) or positive (3) when a row has one of them; a row with both is dropped
//   (mixed); ambiguous (0) and neutral (2) are neutral.
// - UCI labelled sentences (Amazon, Yelp, IMDb; positive / negative) and the VADER ground-truth
//   sentences (Amazon, movies, NYT, tweets; mean ratings > 0.05 positive, < -0.05 negative, else
//   neutral, the VADER paper's threshold): each row goes by FNV-1a of its file and key (the text
//   for UCI, the review id for VADER, so sentences of one review stay together) to held out (3 in
//   10), development (2 in 10) or training (5 in 10).
// The held-out rows are never read by training. The customer-service-like set is the held-out
// UCI Amazon and Yelp rows plus the held-out VADER Amazon rows.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "sentiment/model.h"

namespace orchard::sentiment {

struct Example {
  std::string text;
  Label label = Label::kNeutral;
  bool customer_service = false;  // Amazon or Yelp: the domain the targets are set on
};

struct HeldOutSet {
  std::string name;
  std::string description;
  bool binary = false;  // gold labels are only negative or positive
  std::vector<Example> rows;
};

struct Corpus {
  std::vector<Example> train;
  std::vector<Example> dev;
  std::vector<HeldOutSet>
      held_out;           // goemotions-test, uci-amazon-yelp, vader-amazon, customer-service
  std::string data_hash;  // FNV-1a 64 over every file read (lexicons included), in order
};

// Reads dir (the folder holding lexicons/, goemotions-sentiment/, uci-labelled/, vader-eval/).
Result<Corpus> LoadCorpus(const std::string& dir);

}  // namespace orchard::sentiment
