#include "http/csm_routes.h"

#include <boost/json.hpp>

#include "http/handler_kit.h"
#include "http/params.h"
#include "service/csm_scoreboard.h"

namespace orchard::http {

namespace {

using A = const service::Actor&;

template <class T>
boost::json::value OrNull(const std::optional<T>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::object ScoreboardJson(UserId csm, const engine::CsmScoreboard& s) {
  boost::json::array rows;
  for (const auto& r : s.rows) {
    rows.push_back({{"account_id", r.id.value},
                    {"account_name", r.name},
                    {"adoption", OrNull(r.adoption)},
                    {"adoption_30d_ago", OrNull(r.adoption_before)},
                    {"ttfv_days", OrNull(r.ttfv_days)},
                    {"csat", OrNull(r.csat)},
                    {"csat_ratings", r.csat_ratings},
                    {"onboarding", OrNull(r.onboarding)}});
  }
  return {{"csm_id", csm.value},
          {"as_of", s.as_of.ToString()},
          {"accounts", s.accounts},
          {"accounts_with_usage", s.accounts_with_usage},
          {"adoption_rate", OrNull(s.adoption_rate)},
          {"adoption_rate_30d_ago", OrNull(s.adoption_rate_before)},
          {"adoption_trend", OrNull(s.adoption_trend)},
          {"ttfv_median_days", OrNull(s.ttfv_median_days)},
          {"ttfv_mean_days", OrNull(s.ttfv_mean_days)},
          {"ttfv_delivered", s.ttfv_delivered},
          {"ttfv_waiting", s.ttfv_waiting},
          {"csat", OrNull(s.csat)},
          {"csat_mean", OrNull(s.csat_mean)},
          {"csat_ratings", s.csat_ratings},
          {"onboarding",
           {{"on_track", s.onboarding.on_track},
            {"behind", s.onboarding.behind},
            {"stuck", s.onboarding.stuck},
            {"done", s.onboarding.done}}},
          {"rows", std::move(rows)}};
}

// GET /api/v1/csm/scoreboard?csm=&as_of=
Result<Reply> GetScoreboard(const ApiDeps& d, const HttpRequest& req, A actor) {
  const QueryParams params(req);
  ORCHARD_CHECK(params.Only("the CSM scoreboard", {"csm", "as_of"}));
  ORCHARD_TRY(auto csm, params.Int("csm", 1, INT64_MAX));
  ORCHARD_TRY(Date as_of, params.Day("as_of", d.clock.Today()));
  const UserId who = csm ? UserId(*csm) : actor.user;
  ORCHARD_TRY(auto db, d.pool.Acquire());
  ORCHARD_TRY(auto board, service::CsmScoreboardOf(*db, who, as_of));
  return JsonResponse(ScoreboardJson(who, board));
}

}  // namespace

void AddCsmRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  r.AddSchema("CsmScoreboard", R"({"type":"object",
    "required":["csm_id","as_of","accounts","accounts_with_usage","adoption_rate",
      "adoption_rate_30d_ago","adoption_trend","ttfv_median_days","ttfv_mean_days",
      "ttfv_delivered","ttfv_waiting","csat","csat_mean","csat_ratings","onboarding","rows"],
    "properties":{"csm_id":{"type":"integer"},"as_of":{"type":"string","format":"date"},
      "accounts":{"type":"integer"},"accounts_with_usage":{"type":"integer"},
      "adoption_rate":{"type":["number","null"],"description":"active users over licensed seats, summed over the accounts' latest usage"},
      "adoption_rate_30d_ago":{"type":["number","null"]},
      "adoption_trend":{"type":["number","null"],"description":"the rate minus the rate 30 days earlier"},
      "ttfv_median_days":{"type":["number","null"],"description":"days from a handoff accepted to its first-value milestone done"},
      "ttfv_mean_days":{"type":["number","null"]},"ttfv_delivered":{"type":"integer"},
      "ttfv_waiting":{"type":"integer"},
      "csat":{"type":["number","null"],"description":"ratings of 4 or 5 over all ratings of tickets closed in the last 90 days"},
      "csat_mean":{"type":["number","null"]},"csat_ratings":{"type":"integer"},
      "onboarding":{"type":"object","required":["on_track","behind","stuck","done"],
        "properties":{"on_track":{"type":"integer"},"behind":{"type":"integer"},
          "stuck":{"type":"integer"},"done":{"type":"integer"}}},
      "rows":{"type":"array","items":{"type":"object",
        "required":["account_id","account_name","adoption","adoption_30d_ago","ttfv_days","csat",
          "csat_ratings","onboarding"],
        "properties":{"account_id":{"type":"integer"},"account_name":{"type":"string"},
          "adoption":{"type":["number","null"]},"adoption_30d_ago":{"type":["number","null"]},
          "ttfv_days":{"type":["integer","null"]},"csat":{"type":["number","null"]},
          "csat_ratings":{"type":"integer"},
          "onboarding":{"enum":["on_track","behind","stuck","done",null]}}}}}})");
  r.Add(
      "GET", "/api/v1/csm/scoreboard",
      [d](const HttpRequest& q, A who) { return GetScoreboard(d, q, who); },
      RouteDoc("The CSM's scoreboard over the accounts a CSM covers (`csm`, default the caller): "
               "adoption rate and its 30-day trend, time to first value, CSAT and onboarding "
               "status, in total and per account, on `as_of` (default today); definitions in "
               "docs/CSM_KPIS.md",
               K::kOther)
          .Query({"csm", "as_of"})
          .Response("CsmScoreboard"));
}

}  // namespace orchard::http
