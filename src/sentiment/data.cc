#include "sentiment/data.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "sentiment/hash.h"

namespace orchard::sentiment {
namespace {

enum class Split { kTrain, kDev, kHeldOut };

Split SplitOf(std::string_view file, std::string_view key) {
  uint64_t h = Fnv().Add(file).Add('\t').Add(key).value % 10;
  return h < 3 ? Split::kHeldOut : h < 5 ? Split::kDev : Split::kTrain;
}

Result<std::string> ReadFile(const std::string& path, Fnv& data_hash) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Fail(ErrorCode::kNotFound,
                "cannot read " + path + " (is --data the folder of ../shared/data/sentiment?)");
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  data_hash.Add(text);
  return text;
}

// Lines split on '\n' only (UCI IMDb has U+0085 inside lines), a trailing '\r' dropped.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

std::vector<std::string_view> Columns(std::string_view line) {
  std::vector<std::string_view> cols;
  size_t pos = 0;
  while (true) {
    size_t tab = line.find('\t', pos);
    cols.push_back(line.substr(pos, tab == std::string_view::npos ? tab : tab - pos));
    if (tab == std::string_view::npos) break;
    pos = tab + 1;
  }
  return cols;
}

std::unexpected<Error> BadLine(const std::string& path, size_t number, std::string_view what) {
  return Fail(ErrorCode::kInvalidArgument,
              path + ": line " + std::to_string(number) + ": " + std::string(what));
}

// GoEmotions: text, label ids ("1" or "1,3"), comment id. Mixed rows are dropped.
Status ReadGoEmotions(const std::string& path, Fnv& hash, std::vector<Example>& out) {
  ORCHARD_TRY(std::string text, ReadFile(path, hash));
  size_t number = 0;
  for (std::string_view line : SplitLines(text)) {
    ++number;
    auto cols = Columns(line);
    if (cols.size() < 2) return BadLine(path, number, "expected text<TAB>labels<TAB>id");
    bool negative = false, positive = false;
    for (char c : cols[1]) {
      negative = negative || c == '1';
      positive = positive || c == '3';
    }
    if (negative && positive) continue;
    out.push_back({std::string(cols[0]),
                   negative   ? Label::kNegative
                   : positive ? Label::kPositive
                              : Label::kNeutral,
                   false});
  }
  return Ok();
}

struct Buckets {
  std::vector<Example>* train;
  std::vector<Example>* dev;
  std::vector<Example>* held_out;  // may be null: held out, and not reported
};

void Place(const Buckets& to, Split split, Example example) {
  if (split == Split::kTrain) to.train->push_back(std::move(example));
  if (split == Split::kDev) to.dev->push_back(std::move(example));
  if (split == Split::kHeldOut && to.held_out) to.held_out->push_back(std::move(example));
}

// UCI: a header line, then sentence<TAB>0|1.
Status ReadUci(const std::string& dir, const std::string& file, bool customer_service, Fnv& hash,
               const Buckets& to) {
  std::string path = dir + "/uci-labelled/" + file;
  ORCHARD_TRY(std::string text, ReadFile(path, hash));
  auto lines = SplitLines(text);
  for (size_t i = 1; i < lines.size(); ++i) {
    auto cols = Columns(lines[i]);
    std::string_view gold = cols.size() >= 2 ? cols.back() : "";
    if (gold != "0" && gold != "1") return BadLine(path, i + 1, "expected sentence<TAB>0|1");
    std::string sentence(cols[0]);
    while (!sentence.empty() && sentence.back() == ' ') sentence.pop_back();
    Label label = gold == "1" ? Label::kPositive : Label::kNegative;
    Place(to, SplitOf(file, sentence), {sentence, label, customer_service});
  }
  return Ok();
}

// VADER: id<TAB>mean rating<TAB>text, CRLF; the review id is the part of id before '_'.
Status ReadVader(const std::string& dir, const std::string& file, bool customer_service, Fnv& hash,
                 const Buckets& to) {
  std::string path = dir + "/vader-eval/" + file;
  ORCHARD_TRY(std::string text, ReadFile(path, hash));
  size_t number = 0;
  for (std::string_view line : SplitLines(text)) {
    ++number;
    auto cols = Columns(line);
    double rating = 0;
    if (cols.size() < 3 ||
        std::from_chars(cols[1].data(), cols[1].data() + cols[1].size(), rating).ec != std::errc())
      return BadLine(path, number, "expected id<TAB>rating<TAB>text");
    Label label = rating > 0.05    ? Label::kPositive
                  : rating < -0.05 ? Label::kNegative
                                   : Label::kNeutral;
    std::string_view review = cols[0].substr(0, cols[0].find('_'));
    Place(to, SplitOf(file, review), {std::string(cols[2]), label, customer_service});
  }
  return Ok();
}

}  // namespace

Result<Corpus> LoadCorpus(const std::string& dir) {
  Corpus corpus;
  Fnv hash;
  for (const char* file : {"AFINN-emoticon-8.txt", "AFINN-en-165.txt", "vader_lexicon.txt"})
    ORCHARD_CHECK(ReadFile(dir + "/lexicons/" + file, hash));
  HeldOutSet go{"goemotions-test", "GoEmotions test.tsv (Reddit comments, 3 classes)", false, {}};
  HeldOutSet uci{"uci-amazon-yelp",
                 "UCI Amazon + Yelp sentences, held-out 3 in 10 (negative / positive)",
                 true,
                 {}};
  HeldOutSet vader{"vader-amazon",
                   "VADER Amazon review sentences, held-out 3 in 10 reviews (3 classes)",
                   false,
                   {}};
  std::string ge = dir + "/goemotions-sentiment/";
  ORCHARD_CHECK(ReadGoEmotions(ge + "train.tsv", hash, corpus.train));
  ORCHARD_CHECK(ReadGoEmotions(ge + "dev.tsv", hash, corpus.dev));
  ORCHARD_CHECK(ReadGoEmotions(ge + "test.tsv", hash, go.rows));
  Buckets to_uci{&corpus.train, &corpus.dev, &uci.rows};
  Buckets to_vader{&corpus.train, &corpus.dev, &vader.rows};
  Buckets unreported{&corpus.train, &corpus.dev, nullptr};
  ORCHARD_CHECK(ReadUci(dir, "amazon_cells_labelled.txt", true, hash, to_uci));
  ORCHARD_CHECK(ReadUci(dir, "yelp_labelled.txt", true, hash, to_uci));
  ORCHARD_CHECK(ReadUci(dir, "imdb_labelled.txt", false, hash, unreported));
  ORCHARD_CHECK(ReadVader(dir, "amazonReviewSnippets_GroundTruth.txt", true, hash, to_vader));
  ORCHARD_CHECK(ReadVader(dir, "movieReviewSnippets_GroundTruth.txt", false, hash, unreported));
  ORCHARD_CHECK(ReadVader(dir, "nytEditorialSnippets_GroundTruth.txt", false, hash, unreported));
  ORCHARD_CHECK(ReadVader(dir, "tweets_GroundTruth.txt", false, hash, unreported));
  HeldOutSet service{"customer-service", "the two above together: the set the targets are set on",
                     false, uci.rows};
  service.rows.insert(service.rows.end(), vader.rows.begin(), vader.rows.end());
  corpus.held_out = {std::move(go), std::move(uci), std::move(vader), std::move(service)};
  corpus.data_hash = "fnv1a64:" + hash.Hex();
  return corpus;
}

}  // namespace orchard::sentiment
