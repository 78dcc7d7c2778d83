// The time rules of bench/rules written in SQL, for PostgreSQL and SQLite to answer side by side
// with automation::RuleEngine::EvaluateTimeRules: which accounts each rule would act on today,
// and on what anchor. Each query computes exactly what the engine defines —
//   next renewal   engine::ReadModel::RenewalOn: the earliest end of the contract lines active
//                  on the day (start ≤ day ≤ end); lines without an end never renew
//   ARR            the sum of those lines' arr_cents
//   tier           domain/tiers: the override, else strategic or ARR ≥ tier 1's floor → 1, ARR ≥
//                  tier 2's floor → 2, else 3
//   last contact   engine/health.cc LastMeaningful: the latest meaningful activity on or before
//                  the day
//   stale plan     engine/health.cc (Summary::kStalePlan): the tier has a plan refresh cadence
//                  and the account has no plan, or its plan was last reviewed or changed longer
//                  ago than that cadence
// and the trigger windows of automation/rule_engine.cc (TimeState). Each query returns
// (account id, anchor day number or NULL), ordered by account id; the bench writes the anchor
// text ("renewal:2027-02-23") from the day as the engine does.
//
// Day bounds are constants the bench computes and writes into the SQL (no outside input reaches
// these strings), as in dashboards_sql.h.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/date.h"
#include "domain/settings.h"
#include "store/database.h"

namespace orchard::bench {

class RulesSql {
 public:
  RulesSql(store::Dialect dialect, Date today, const Settings& settings)
      : pg_(dialect == store::Dialect::kPostgres), d_(today.days()), s_(settings) {}

  // renewal_in: the next renewal is between mark − catch_up and mark days away (mark by tier,
  // tier 1 first), and `condition` (SQL over arr, region, tier; empty: always) holds.
  std::string RenewalIn(const std::array<int, 3>& mark_by_tier, int catch_up,
                        const std::string& condition) const {
    const std::string mark = "CASE tier WHEN 1 THEN " + std::to_string(mark_by_tier[0]) +
                             " WHEN 2 THEN " + std::to_string(mark_by_tier[1]) + " ELSE " +
                             std::to_string(mark_by_tier[2]) + " END";
    const std::string days = "(renewal - " + std::to_string(d_) + ")";
    return Accounts() + "SELECT id, renewal FROM facts WHERE renewal IS NOT NULL AND " + days +
           " <= " + mark + " AND " + days + " >= " + mark + " - " + std::to_string(catch_up) +
           " AND " + days + " >= 0" + (condition.empty() ? "" : " AND (" + condition + ")") +
           " ORDER BY id";
  }

  // no_contact: the last meaningful contact was between days and days + catch_up days ago.
  // (No condition: the accounts table is not needed, every activity's account exists.)
  std::string NoContact(int days, int catch_up) const {
    return "SELECT account_id, " + DayOf("MAX(occurred_at)") +
           " FROM activities WHERE meaningful AND occurred_at < " + TsLit(d_ + 1) +
           " GROUP BY account_id HAVING MAX(occurred_at) >= " + TsLit(d_ - days - catch_up) +
           " AND MAX(occurred_at) < " + TsLit(d_ - days + 1) + " ORDER BY account_id";
  }

  // plan_stale: the plan is older than its tier's refresh cadence (or missing where the tier
  // has one), and `condition` holds. The anchor: the day it was last reviewed or changed (NULL:
  // never).
  std::string PlanStale(const std::string& condition) const {
    const std::string changed = "CASE WHEN p.last_reviewed_at IS NOT NULL AND " +
                                DayOf("p.last_reviewed_at") + " > " + DayOf("p.updated_at") +
                                " THEN " + DayOf("p.last_reviewed_at") + " ELSE " +
                                DayOf("p.updated_at") + " END";
    const std::string refresh = "CASE f.tier WHEN 1 THEN " + Refresh(0) + " WHEN 2 THEN " +
                                Refresh(1) + " ELSE " + Refresh(2) + " END";
    return Accounts() + ", staleness AS (SELECT f.*, p.account_id AS has_plan, " + changed +
           " AS changed, " + refresh +
           " AS refresh FROM facts f LEFT JOIN account_plans p ON p.account_id = f.id) "
           "SELECT id, changed FROM staleness WHERE refresh > 0 AND (has_plan IS NULL OR " +
           std::to_string(d_) + " - changed > refresh)" +
           (condition.empty() ? "" : " AND (" + condition + ")") + " ORDER BY id";
  }

  // Indexes a good DBA would add for these questions, beyond dashboards_sql.h's: the last
  // meaningful contact per account, read from the index alone.
  std::string Indexes() const {
    return "CREATE INDEX IF NOT EXISTS bench_rules_contact ON activities "
           "(account_id, occurred_at) WHERE meaningful;"
           "ANALYZE;";
  }

 private:
  std::string DateLit(int32_t day) const {
    std::string text = Date::FromDays(day).ToString();
    return pg_ ? "DATE '" + text + "'" : "'" + text + "'";
  }
  std::string TsLit(int32_t day) const {
    std::string text = Date::FromDays(day).ToString() + " 00:00:00";
    return pg_ ? "TIMESTAMP '" + text + "'" : "'" + text + "'";
  }
  // The day number of a DATE or TIMESTAMP expression.
  std::string DayOf(const std::string& column) const {
    return pg_ ? "(CAST(" + column + " AS DATE) - DATE '1970-01-01')"
               : "CAST(julianday(substr(" + column + ", 1, 10)) - 2440587.5 AS INTEGER)";
  }
  std::string Refresh(size_t tier) const {
    return std::to_string(s_.coverage[tier].plan_refresh_days);
  }

  // `facts`: every account with its ARR, next renewal (day number) and tier today, and the
  // region a condition reads.
  std::string Accounts() const {
    const std::string day = DateLit(d_);
    const std::string t1 = std::to_string(s_.tiers.tier1_min_arr.cents());
    const std::string t2 = std::to_string(s_.tiers.tier2_min_arr.cents());
    return "WITH lines AS MATERIALIZED (SELECT account_id, SUM(arr_cents) AS arr, MIN(end_date) "
           "AS renewal_date FROM contract_lines WHERE start_date <= " +
           day + " AND (end_date IS NULL OR end_date >= " + day +
           ") GROUP BY account_id), "
           "facts AS (SELECT a.id, a.region, COALESCE(l.arr, 0) AS arr, CASE WHEN l.renewal_date "
           "IS NULL THEN NULL ELSE " +
           DayOf("l.renewal_date") +
           " END AS renewal, CASE WHEN a.tier_override IS NOT NULL THEN CAST(a.tier_override AS "
           "INTEGER) WHEN a.strategic OR COALESCE(l.arr, 0) >= " +
           t1 + " THEN 1 WHEN COALESCE(l.arr, 0) >= " + t2 +
           " THEN 2 ELSE 3 END AS tier FROM accounts a LEFT JOIN lines l ON l.account_id = a.id) ";
  }

  bool pg_;
  int32_t d_;
  Settings s_;
};

}  // namespace orchard::bench
