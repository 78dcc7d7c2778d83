#include "service/sentiment_backfill.h"

#include <string>
#include <vector>

#include "service/sentiment_on_write.h"
#include "service/unit_of_work.h"

namespace orchard::service {
namespace {

constexpr int64_t kBatch = 500;

// Where each source's text lives: its table, day column and text columns.
struct SourceTable {
  std::string_view source;
  std::string_view table;
  std::string_view day;      // a DATE or TIMESTAMP column: its first ten characters are the day
  std::string_view subject;  // an SQL expression
  std::string_view body;
};
constexpr SourceTable kTables[] = {
    {"activity", "activities", "occurred_at", "t.subject", "t.body"},
    {"ticket", "tickets", "opened_at", "t.subject", "t.body"},
    {"nps_response", "nps_responses", "responded_on", "''", "t.comment"},
    {"transcript", "transcripts", "created_at", "''", "t.text"},
};

// The next batch of one source's texts with no row or another model's, after id `after`.
Result<std::vector<TextOf>> ReadBatch(store::Database& db, const SourceTable& t, int64_t after,
                                      const std::string& model) {
  const std::string sql = "SELECT t.id, t.account_id, t." + std::string(t.day) + ", " +
                          std::string(t.subject) + ", " + std::string(t.body) + " FROM " +
                          std::string(t.table) +
                          " t LEFT JOIN text_sentiments s ON s.source = ? AND s.source_id = t.id"
                          " WHERE t.id > ? AND (s.id IS NULL OR s.model <> ?) ORDER BY t.id"
                          " LIMIT " +
                          std::to_string(kBatch);
  std::vector<store::SqlValue> params;
  params.emplace_back(std::string(t.source));
  params.emplace_back(after);
  params.emplace_back(model);
  std::vector<TextOf> out;
  ORCHARD_CHECK(db.Query(sql, params, [&](const store::Row& row) -> Status {
    TextOf text;
    text.source = t.source;
    ORCHARD_TRY(text.source_id, row.GetInt(0));
    ORCHARD_TRY(int64_t account, row.GetInt(1));
    text.account_id = AccountId(account);
    ORCHARD_TRY(text.day, Date::Parse(row.GetText(2).substr(0, 10)));
    text.text =
        ScoredText(row.IsNull(3) ? "" : row.GetText(3), row.IsNull(4) ? "" : row.GetText(4));
    out.push_back(std::move(text));
    return Ok();
  }));
  return out;
}

}  // namespace

Result<ScoreBookCounts> ScoreBookTexts(
    store::ConnectionPool& pool, const Clock& clock, engine::ReadModel* model,
    const std::function<void(std::string_view, const ScoreBookCounts&)>& progress) {
  ScoreBookCounts counts;
  const std::string model_id = SentimentModelId();
  for (const SourceTable& t : kTables) {
    int64_t after = 0;
    while (true) {
      std::vector<TextOf> batch;
      {
        ORCHARD_TRY(auto db, pool.Acquire());
        ORCHARD_TRY(batch, ReadBatch(*db, t, after, model_id));
      }
      if (batch.empty()) break;
      ORCHARD_TRY(auto work, UnitOfWork::Begin(pool, model));
      const Timestamp now = clock.Now();
      for (const TextOf& text : batch) {
        ORCHARD_TRY(auto scored, ScoreText(text, now));
        if (scored) {
          ++counts.scored;
        } else {
          ++counts.empty;
        }
        ORCHARD_CHECK(PutSentiment(work, text.source, text.source_id, std::move(scored), now));
      }
      ORCHARD_CHECK(work.Commit());
      after = batch.back().source_id;
      if (progress) progress(t.source, counts);
      if (static_cast<int64_t>(batch.size()) < kBatch) break;
    }
  }
  return counts;
}

}  // namespace orchard::service
