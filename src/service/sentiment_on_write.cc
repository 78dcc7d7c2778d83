#include "service/sentiment_on_write.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <boost/json.hpp>

#include "domain/schema.h"
#include "engine/read_model.h"
#include "sentiment/embedded.h"
#include "sentiment/model.h"
#include "service/entity_hooks.h"

namespace orchard::service {
namespace {

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string PhrasesJson(std::string_view text, const sentiment::Sentiment& s) {
  boost::json::array out;
  for (const auto& p : s.phrases) {
    boost::json::object o;
    o["text"] = text.substr(p.begin, p.end - p.begin);
    o["begin"] = p.begin;
    o["end"] = p.end;
    o["weight"] = std::round(p.weight * 1000) / 1000;
    out.push_back(std::move(o));
  }
  return boost::json::serialize(out);
}

// The row's id and account, if the text has one.
Result<std::optional<std::pair<int64_t, int64_t>>> FindRow(store::Database& db,
                                                           std::string_view source,
                                                           int64_t source_id) {
  std::optional<std::pair<int64_t, int64_t>> found;
  std::vector<store::SqlValue> params;
  params.emplace_back(std::string(source));
  params.emplace_back(source_id);
  ORCHARD_CHECK(
      db.Query("SELECT id, account_id FROM text_sentiments WHERE source = ? AND source_id = ?",
               params, [&](const store::Row& row) -> Status {
                 ORCHARD_TRY(int64_t id, row.GetInt(0));
                 ORCHARD_TRY(int64_t account, row.GetInt(1));
                 found.emplace(id, account);
                 return Ok();
               }));
  return found;
}

}  // namespace

Result<const sentiment::Model*> SharedSentimentModel() {
  static const Result<sentiment::Model> kModel =
      sentiment::Model::Parse(sentiment::EmbeddedModelText());
  if (!kModel) {
    return Fail(ErrorCode::kInternal,
                "the embedded sentiment model does not read: " + kModel.error().message);
  }
  return &*kModel;
}

std::string SentimentModelId() {
  auto model = SharedSentimentModel();
  return model ? (*model)->provenance().data_hash : std::string();
}

std::string ScoredText(std::string_view subject, std::string_view body) {
  if (Blank(body)) return std::string(subject);
  if (Blank(subject)) return std::string(body);
  std::string out;
  out.reserve(subject.size() + 1 + body.size());
  out.append(subject).append("\n").append(body);
  return out;
}

TextOf TextToScore(const Activity& row) {
  return {"activity", row.id.value, row.account_id, row.occurred_at.date(),
          ScoredText(row.subject, row.body)};
}
TextOf TextToScore(const Ticket& row) {
  return {"ticket", row.id.value, row.account_id, row.opened_at.date(),
          ScoredText(row.subject, row.body)};
}
TextOf TextToScore(const NpsResponse& row) {
  return {"nps_response", row.id.value, row.account_id, row.responded_on, row.comment};
}
TextOf TextToScore(const Transcript& row) {
  return {"transcript", row.id.value, row.account_id, row.created_at.date(), row.text};
}

Result<std::optional<TextSentiment>> ScoreText(const TextOf& text, Timestamp at) {
  if (Blank(text.text)) return std::optional<TextSentiment>();
  ORCHARD_TRY(const sentiment::Model* model, SharedSentimentModel());
  thread_local sentiment::Scorer scorer(*model);
  const sentiment::Sentiment s = scorer.Score(text.text);
  TextSentiment row;
  row.source = std::string(text.source);
  row.source_id = text.source_id;
  row.account_id = text.account_id;
  row.label = std::string(sentiment::LabelName(s.label));
  row.score_milli = std::lround(std::clamp(s.score, -1.0, 1.0) * 1000);
  row.phrases = PhrasesJson(text.text, s);
  row.occurred_on = text.day;
  row.scored_at = at;
  row.model = model->provenance().data_hash;
  return std::optional<TextSentiment>(std::move(row));
}

Status WriteSentiment(UnitOfWork& work, const TextOf& text, Timestamp at) {
  ORCHARD_TRY(auto scored, ScoreText(text, at));
  return PutSentiment(work, text.source, text.source_id, std::move(scored), at);
}

Status PutSentiment(UnitOfWork& work, std::string_view source, int64_t source_id,
                    std::optional<TextSentiment> scored, Timestamp at) {
  store::Database& db = work.db();
  ORCHARD_TRY(auto existing, FindRow(db, source, source_id));
  engine::ReadModel* model = work.model();
  constexpr std::string_view kTable = EntitySchema<TextSentiment>::kTable;
  if (existing && (!scored || scored->account_id.value != existing->second)) {
    // Gone (or moved to another account): out of the old account's records.
    const auto [id, account] = *existing;
    ORCHARD_CHECK(work.store().Delete<TextSentiment>(TextSentimentId(id)));
    ORCHARD_CHECK(RecordChange(db, kTable, id, at, account));
    work.ThenApply([model, id, account] { model->EraseRow<TextSentiment>(id, account); });
    existing.reset();
  }
  if (!scored) return Ok();
  TextSentiment saved;
  if (existing) {
    scored->id = TextSentimentId(existing->first);
    ORCHARD_TRY(saved, work.store().Update(std::move(*scored)));
  } else {
    ORCHARD_TRY(saved, work.store().Insert(std::move(*scored)));
  }
  ORCHARD_CHECK(RecordChange(db, kTable, saved.id.value, at, saved.account_id.value));
  work.ThenApply([model, saved = std::move(saved)] { model->Upsert(saved); });
  return Ok();
}

}  // namespace orchard::service
