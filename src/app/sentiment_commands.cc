// `orchard model train|eval|show sentiment` and `orchard sentiment` (issue 20, item 1): the
// composition root's side of src/sentiment/ — where the data and the model file are found, and
// how figures and scores are printed.
#include <fmt/core.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/book.h"
#include "app/model_commands.h"
#include "sentiment/data.h"
#include "sentiment/embedded.h"
#include "sentiment/model.h"
#include "sentiment/train.h"
#include "service/sentiment_backfill.h"
#include "store/pool.h"

namespace orchard {
namespace {

using sentiment::Label;

// The targets of issue 20 on the customer-service-like held-out set.
constexpr double kTargetNegativeF1 = 0.75;
constexpr double kTargetMacroF1 = 0.60;
constexpr std::string_view kTargetSet = "customer-service";

// --data, else $ORCHARD_SENTIMENT_DATA, else ../shared/data/sentiment (from the checkout).
std::string DataDir(const cli::ModelArgs& args) {
  if (args.data) return *args.data;
  if (const char* env = std::getenv("ORCHARD_SENTIMENT_DATA"); env && *env) return env;
  return "../shared/data/sentiment";
}

Result<std::string> ReadModelFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read the model file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// The model of --model, else the one built into the binary.
Result<sentiment::Model> LoadModel(const std::optional<std::string>& path) {
  std::string text;
  if (path) {
    ORCHARD_TRY(text, ReadModelFile(*path));
  } else {
    text = std::string(sentiment::EmbeddedModelText());
    if (text.empty())
      return Fail(ErrorCode::kNotFound,
                  "this orchard was built without a sentiment model (models/sentiment.model was "
                  "empty): run `orchard model train sentiment` and build again");
  }
  auto model = sentiment::Model::Parse(text);
  if (!model && path) model.error().message = *path + ": " + model.error().message;
  return model;
}

struct SetFigures {
  const sentiment::HeldOutSet* set = nullptr;
  sentiment::Metrics plain;
  sentiment::Metrics model;
};

std::vector<SetFigures> Evaluate(const sentiment::Corpus& corpus, const sentiment::Model& model) {
  std::vector<SetFigures> out;
  sentiment::Scorer scorer(model);
  for (const auto& set : corpus.held_out) {
    SetFigures f;
    f.set = &set;
    f.plain = sentiment::Measure(set.rows, [&](std::string_view text) {
      return sentiment::ScorePlain(model.lexicon(), text).label;
    });
    f.model = sentiment::Measure(set.rows,
                                 [&](std::string_view text) { return scorer.Score(text).label; });
    out.push_back(f);
  }
  return out;
}

bool TargetsMet(const sentiment::Metrics& m) {
  return m.negative_f1 >= kTargetNegativeF1 && m.macro_f1 >= kTargetMacroF1;
}

void PrintTable(const std::vector<SetFigures>& figures) {
  auto row = [](const char* name, double plain, double model, const char* format) {
    fmt::print("  {:<22}{:>12}{:>12}\n", name, fmt::format(fmt::runtime(format), plain),
               fmt::format(fmt::runtime(format), model));
  };
  for (const SetFigures& f : figures) {
    fmt::print("{} — {}: {} rows\n", f.set->name, f.set->description, f.model.rows);
    fmt::print("  {:<22}{:>12}{:>12}\n", "", "lexicon", "model");
    row("accuracy", f.plain.accuracy, f.model.accuracy, "{:.3f}");
    row(f.set->binary ? "macro-F1 (neg, pos)" : "macro-F1 (3 classes)", f.plain.macro_f1,
        f.model.macro_f1, "{:.3f}");
    row("negative precision", f.plain.negative_precision, f.model.negative_precision, "{:.3f}");
    row("negative recall", f.plain.negative_recall, f.model.negative_recall, "{:.3f}");
    row("negative F1", f.plain.negative_f1, f.model.negative_f1, "{:.3f}");
    row("texts/s (1 core)", f.plain.texts_per_second, f.model.texts_per_second, "{:.0f}");
    if (f.set->binary)
      fmt::print(
          "  (a neutral prediction counts as a miss: the gold is only negative or positive)\n");
    if (f.set->name == kTargetSet) {
      fmt::print("  targets: negative F1 >= {:.2f} and macro-F1 >= {:.2f}: {}\n", kTargetNegativeF1,
                 kTargetMacroF1, TargetsMet(f.model) ? "met" : "NOT met");
    }
    fmt::print("\n");
  }
}

std::string MetricsJson(const sentiment::Metrics& m) {
  return fmt::format(
      "{{\"accuracy\":{:.4f},\"macro_f1\":{:.4f},\"negative_precision\":{:.4f},"
      "\"negative_recall\":{:.4f},\"negative_f1\":{:.4f},\"texts_per_second\":{:.0f}}}",
      m.accuracy, m.macro_f1, m.negative_precision, m.negative_recall, m.negative_f1,
      m.texts_per_second);
}

void PrintJson(const std::vector<SetFigures>& figures) {
  std::string out = "{\"sets\":[";
  bool met = false;
  for (size_t i = 0; i < figures.size(); ++i) {
    const SetFigures& f = figures[i];
    out += fmt::format(
        "{}{{\"name\":\"{}\",\"rows\":{},\"binary\":{},\"lexicon\":{},\"model\":{}}}", i ? "," : "",
        f.set->name, f.model.rows, f.set->binary, MetricsJson(f.plain), MetricsJson(f.model));
    if (f.set->name == kTargetSet) met = TargetsMet(f.model);
  }
  out += fmt::format(
      "],\"targets\":{{\"set\":\"{}\",\"negative_f1\":{:.2f},\"macro_f1\":{:.2f},\"met\":{}}}}}",
      kTargetSet, kTargetNegativeF1, kTargetMacroF1, met);
  fmt::print("{}\n", out);
}

Status Train(const cli::ModelArgs& args) {
  std::string dir = DataDir(args);
  ORCHARD_TRY(auto corpus, sentiment::LoadCorpus(dir));
  ORCHARD_TRY(auto lexicon, sentiment::Lexicon::FromFiles(dir + "/lexicons"));
  fmt::print(stderr, "Training on {} rows from {} (data {}, seed {}); {} development rows.\n",
             corpus.train.size(), dir, corpus.data_hash, args.seed, corpus.dev.size());
  sentiment::TrainOptions options;
  options.seed = args.seed;
  sentiment::Model trained =
      sentiment::Train(lexicon, corpus.train, corpus.data_hash, options,
                       [](std::string_view line) { fmt::print(stderr, "  {}\n", line); });
  std::string text = trained.Serialize();
  std::string out = args.out.value_or("models/sentiment.model");
  {
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file.flush()) return Fail(ErrorCode::kUnavailable, "cannot write the model file " + out);
  }
  fmt::print(stderr, "Wrote {} ({} bytes, {} weights, {} lexicon entries).\n\n", out, text.size(),
             trained.sparse_size(), trained.lexicon().size());
  // Evaluate what was written, read back: exactly what `--model` and the binary will score with.
  ORCHARD_TRY(auto model, sentiment::Model::Parse(text));
  auto figures = Evaluate(corpus, model);
  if (args.format == "json") {
    PrintJson(figures);
  } else {
    PrintTable(figures);
  }
  return Ok();
}

Status Eval(const cli::ModelArgs& args) {
  ORCHARD_TRY(auto model, LoadModel(std::nullopt));
  ORCHARD_TRY(auto corpus, sentiment::LoadCorpus(DataDir(args)));
  if (corpus.data_hash != model.provenance().data_hash)
    fmt::print(stderr, "note: the data ({}) is not the data the model was trained on ({})\n",
               corpus.data_hash, model.provenance().data_hash);
  auto figures = Evaluate(corpus, model);
  if (args.format == "json") {
    PrintJson(figures);
  } else {
    PrintTable(figures);
  }
  return Ok();
}

Status Show(const cli::ModelArgs& args) {
  ORCHARD_TRY(auto model, LoadModel(std::nullopt));
  const auto& p = model.provenance();
  size_t bytes = sentiment::EmbeddedModelText().size();
  if (args.format == "json") {
    fmt::print(
        "{{\"version\":{},\"seed\":{},\"data\":\"{}\",\"recipe\":\"{}\",\"hash_bits\":{},"
        "\"weights\":{},\"lexicon_entries\":{},\"file_bytes\":{}}}\n",
        sentiment::Model::kVersion, p.seed, p.data_hash, p.recipe, model.hash_bits(),
        model.sparse_size(), model.lexicon().size(), bytes);
    return Ok();
  }
  fmt::print("sentiment model (built into this orchard, from models/sentiment.model)\n");
  fmt::print("  file format version  {}\n", sentiment::Model::kVersion);
  fmt::print("  trained on data      {}\n", p.data_hash);
  fmt::print("  seed                 {}\n", p.seed);
  fmt::print("  recipe               {}\n", p.recipe);
  fmt::print("  features             2^{} hash buckets, {} weights kept, {} dense\n",
             model.hash_bits(), model.sparse_size(), sentiment::kDense);
  fmt::print("  lexicon entries      {}\n", model.lexicon().size());
  fmt::print("  file size            {} bytes\n", bytes);
  fmt::print("  quality              `orchard model eval sentiment` (held-out figures)\n");
  return Ok();
}

// JSON string body: quotes, backslashes and control characters escaped (text is valid UTF-8).
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  out += '"';
}

void AppendScore(std::string& out, std::string_view text, const sentiment::Sentiment& s) {
  out += fmt::format("{{\"label\":\"{}\",\"score\":{:.3f},\"phrases\":[",
                     sentiment::LabelName(s.label), s.score == 0 ? 0.0 : s.score);
  for (size_t i = 0; i < s.phrases.size(); ++i) {
    const sentiment::Phrase& p = s.phrases[i];
    out += i ? ",{\"text\":" : "{\"text\":";
    AppendJsonString(out, sentiment::SanitizeUtf8(text.substr(p.begin, p.end - p.begin)));
    out += fmt::format(",\"begin\":{},\"end\":{},\"weight\":{:.3f}}}", p.begin, p.end, p.weight);
  }
  out += "]}\n";
}

}  // namespace

Status RunSentimentModel(const cli::ModelArgs& args, const Clock&) {
  if (args.action == "train") return Train(args);
  if (args.action == "eval") return Eval(args);
  return Show(args);
}

Status RunSentiment(const cli::SentimentArgs& args) {
  ORCHARD_TRY(auto model, LoadModel(args.model));
  sentiment::Scorer scorer(model);
  std::ios::sync_with_stdio(false);
  std::string line, out;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    AppendScore(out, line, scorer.Score(line));
    // Flush when the next read would wait: prompt answers at a terminal, big writes in a pipe.
    if (out.size() > (1 << 16) || std::cin.rdbuf()->in_avail() <= 0) {
      std::cout << out << std::flush;
      out.clear();
    }
  }
  std::cout << out << std::flush;
  return Ok();
}

Status ScoreBookSentiment(const std::string& url, const Clock& clock) {
  ORCHARD_CHECK(OpenMigrated(url, true));
  ORCHARD_TRY(auto pool, store::ConnectionPool::Open(url, 1));
  auto started = std::chrono::steady_clock::now();
  // A line per source, and one every 10,000 texts within a big one.
  std::string_view shown;
  int64_t shown_at = 0;
  ORCHARD_TRY(auto counts,
              service::ScoreBookTexts(
                  *pool, clock, nullptr, [&](std::string_view source, const auto& so_far) {
                    if (source != shown || so_far.scored - shown_at >= 10'000) {
                      fmt::print("  sentiment: {} ({} texts scored)\n", source, so_far.scored);
                      shown = source;
                      shown_at = so_far.scored;
                    }
                  }));
  fmt::print("Scored the sentiment of {} texts ({} empty) in {:.1f} ms.\n", counts.scored,
             counts.empty,
             std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                 .count());
  return Ok();
}

}  // namespace orchard
