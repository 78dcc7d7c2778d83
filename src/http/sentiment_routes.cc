#include "http/sentiment_routes.h"

#include <boost/json.hpp>

#include "domain/limits.h"
#include "http/handler_kit.h"
#include "http/params.h"
#include "service/entity_service.h"
#include "service/sentiment_on_write.h"

namespace orchard::http {

namespace {

using A = const service::Actor&;

constexpr int kExcerptChars = 240;

// GET /api/v1/accounts/{id}/sentiments?limit=
Result<Reply> ListSentiments(const ApiDeps& d, const HttpRequest& req, A actor) {
  ORCHARD_TRY(const int64_t id, ParseId(req));
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("an account's sentiments", {"limit"}));
  ORCHARD_TRY(auto limit, params.Int("limit", 1, 500));
  // Whoever may read the account may read what its texts say.
  ORCHARD_CHECK(
      service::EntityService<Account>(d.pool, d.clock, d.model).Get(actor, AccountId(id)));
  ORCHARD_TRY(auto db, d.pool.Acquire());
  std::vector<store::SqlValue> p;
  p.emplace_back(id);
  p.emplace_back(limit.value_or(50));
  boost::json::array items;
  ORCHARD_CHECK(
      db->Query("SELECT s.source, s.source_id, s.occurred_on, s.label, s.score_milli, s.phrases, "
                "s.scored_at, COALESCE(a.subject, t.subject, ''), "
                "COALESCE(a.body, t.body, n.comment, tr.text, '') FROM text_sentiments s "
                "LEFT JOIN activities a ON s.source = 'activity' AND a.id = s.source_id "
                "LEFT JOIN tickets t ON s.source = 'ticket' AND t.id = s.source_id "
                "LEFT JOIN nps_responses n ON s.source = 'nps_response' AND n.id = s.source_id "
                "LEFT JOIN transcripts tr ON s.source = 'transcript' AND tr.id = s.source_id "
                "WHERE s.account_id = ? ORDER BY s.occurred_on DESC, s.id DESC LIMIT ?",
                p, [&](const store::Row& row) -> Status {
                  ORCHARD_TRY(int64_t source_id, row.GetInt(1));
                  ORCHARD_TRY(int64_t milli, row.GetInt(4));
                  boost::system::error_code ec;
                  boost::json::value phrases = boost::json::parse(row.GetText(5), ec);
                  if (ec || !phrases.is_array()) phrases = boost::json::array();
                  ORCHARD_TRY(Timestamp scored, Timestamp::Parse(row.GetText(6)));
                  const std::string text = service::ScoredText(row.GetText(7), row.GetText(8));
                  items.push_back({{"source", row.GetText(0)},
                                   {"source_id", source_id},
                                   {"day", row.GetText(2).substr(0, 10)},
                                   {"label", row.GetText(3)},
                                   {"score", static_cast<double>(milli) / 1000.0},
                                   {"phrases", std::move(phrases)},
                                   {"excerpt", TruncateText(text, kExcerptChars)},
                                   {"scored_at", scored.ToIso8601()}});
                  return Ok();
                }));
  return JsonResponse(boost::json::object{{"account_id", id}, {"items", std::move(items)}});
}

}  // namespace

void AddSentimentRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  r.AddSchema("Sentiments", R"({"type":"object","required":["account_id","items"],
    "properties":{"account_id":{"type":"integer"},
      "items":{"type":"array","items":{"type":"object",
        "required":["source","source_id","day","label","score","phrases","excerpt","scored_at"],
        "properties":{
          "source":{"type":"string","enum":["activity","ticket","nps_response","transcript"]},
          "source_id":{"type":"integer"},
          "day":{"type":"string","format":"date"},
          "label":{"type":"string","enum":["negative","neutral","positive"]},
          "score":{"type":"number","minimum":-1,"maximum":1},
          "phrases":{"type":"array","items":{"type":"object",
            "required":["text","begin","end","weight"],
            "properties":{"text":{"type":"string"},"begin":{"type":"integer"},
              "end":{"type":"integer"},"weight":{"type":"number"}}}},
          "excerpt":{"type":"string"},
          "scored_at":{"type":"string","format":"date-time"}}}}}})");
  r.Add(
      "GET", "/api/v1/accounts/{id}/sentiments",
      [d](const HttpRequest& q, A who) { return ListSentiments(d, q, who); },
      RouteDoc("The account's scored texts, newest first: e-mails and notes (an activity's "
               "subject, a newline and its body), tickets (the same), NPS comments and call "
               "transcripts, each with its label, score in [-1, 1], the phrases that drove it "
               "(begin and end: UTF-8 byte offsets into that text) and an excerpt",
               K::kOther)
          .Query({"limit"})
          .QueryDocs({{"limit", "At most this many texts (1-500, default 50)"}})
          .Response("Sentiments"));
}

}  // namespace orchard::http
