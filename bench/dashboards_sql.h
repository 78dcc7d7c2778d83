// The dashboard questions of PRODUCT.md written in SQL, for bench/dashboards to ask PostgreSQL and
// SQLite side by side with the engine. Each query computes exactly what engine/health.h and
// engine/dashboards.h define — the same windows, the same rounding (half up, in double
// precision, in the same order) — so that the three answers can be checked for agreement.
//
// Day bounds are constants the bench computes and writes into the SQL (no outside input reaches
// these strings); the product itself only ever binds parameters.
#pragma once

#include <string>

#include "core/date.h"
#include "domain/settings.h"
#include "store/database.h"

namespace orchard::bench {

class DashboardSql {
 public:
  DashboardSql(store::Dialect dialect, Date today, const Settings& settings)
      : pg_(dialect == store::Dialect::kPostgres), d_(today.days()), s_(settings) {}

  // Columns: id, arr, health — ordered as the dashboard — with the count and ARR of all rows.
  std::string AtRisk(int limit) const {
    return Facts(true) +
           "SELECT id, arr, health, COUNT(*) OVER (), SUM(arr) OVER () FROM facts "
           "WHERE colour >= 2 ORDER BY arr DESC, health ASC, id LIMIT " +
           std::to_string(limit);
  }
  // Columns: id, arr, renewal (day number), health, count, ARR of all.
  std::string Renewals(int window, int limit) const {
    return Facts(true) +
           "SELECT id, arr, renewal, health, COUNT(*) OVER (), SUM(arr) OVER () FROM facts "
           "WHERE renewal IS NOT NULL AND renewal <= " +
           std::to_string(d_ + window) + " ORDER BY arr DESC, renewal ASC, id LIMIT " +
           std::to_string(limit);
  }
  // Open expansion by stage: stage, count, amount.
  std::string PipelineOpen() const {
    return "SELECT stage, COUNT(*), SUM(amount_cents) FROM opportunities "
           "WHERE type IN ('upsell', 'cross_sell') AND stage NOT IN ('closed_won', 'closed_lost') "
           "GROUP BY stage ORDER BY stage";
  }
  // Expansion created in [from, to]: count, amount, won amount.
  std::string PipelineCreated(Date from, Date to) const {
    return "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0), COALESCE(SUM(CASE WHEN stage = "
           "'closed_won' THEN amount_cents ELSE 0 END), 0) FROM opportunities "
           "WHERE type IN ('upsell', 'cross_sell') AND created_on >= " +
           DateLit(from.days()) + " AND created_on <= " + DateLit(to.days());
  }
  // Per AM (owner now): owner, cohort accounts, start, end, expansion, contraction, churn,
  // retained.
  std::string Leaderboard(Date from, Date to) const {
    return "WITH s AS (" + ArrOn(from.days()) + "), e AS (" + ArrOn(to.days()) +
           "), cohort AS (SELECT a.owner_id, s.arr AS s, COALESCE(e.arr, 0) AS e FROM accounts a "
           "JOIN s ON s.account_id = a.id LEFT JOIN e ON e.account_id = a.id "
           "WHERE s.arr > 0 AND a.owner_id IS NOT NULL) "
           "SELECT owner_id, COUNT(*), SUM(s), SUM(e), "
           "SUM(CASE WHEN e > 0 AND e > s THEN e - s ELSE 0 END), "
           "SUM(CASE WHEN e > 0 AND s > e THEN s - e ELSE 0 END), "
           "SUM(CASE WHEN e = 0 THEN s ELSE 0 END), SUM(CASE WHEN e < s THEN e ELSE s END) "
           "FROM cohort GROUP BY owner_id ORDER BY owner_id";
  }
  // The grid: quadrant, accounts, ARR, whitespace.
  std::string PortfolioGrid() const {
    return Facts(false) +
           "SELECT quadrant, COUNT(*), SUM(arr), SUM(ws) FROM facts GROUP BY quadrant "
           "ORDER BY quadrant";
  }
  // The first page of accounts: id, quadrant.
  std::string PortfolioPage(int limit) const {
    return Facts(false) + "SELECT id, quadrant FROM facts ORDER BY arr DESC, id LIMIT " +
           std::to_string(limit);
  }
  // Per AM (0: none): owner, tier-1, tier-2, tier-3 accounts, ARR.
  std::string Coverage() const {
    return Facts(false) +
           "SELECT COALESCE(owner_id, 0) AS owner, SUM(CASE WHEN tier = 1 THEN 1 ELSE 0 END), "
           "SUM(CASE WHEN tier = 2 THEN 1 ELSE 0 END), SUM(CASE WHEN tier = 3 THEN 1 ELSE 0 END), "
           "SUM(arr) FROM facts GROUP BY COALESCE(owner_id, 0) ORDER BY owner";
  }
  // Every flagged tier-1 account: id, in queue order.
  std::string InspectionFlagged() const {
    return Facts(true) + "SELECT id FROM facts WHERE tier = 1 AND (depth <= 1 OR stale = 1 OR " +
           "(renewal IS NOT NULL AND renewal - " + std::to_string(d_) +
           " <= " + std::to_string(s_.inspection_renewal_days) +
           " AND colour <> 1) OR eb_engaged = 0 OR overdue = 1) ORDER BY arr DESC, id";
  }
  // The strip: accounts, ARR, Σ depth, planned accounts, Σ completeness, at risk, then the
  // trailing year's cohort: accounts, start, end, expansion, churn, retained.
  std::string Kpis() const {
    const int32_t t0 = Date::FromDays(d_).AddYears(-1).days();
    return Facts(true) + ", s AS (" + ArrOn(t0) +
           "), cohort AS (SELECT s.arr AS s, f.arr AS e FROM facts f JOIN s ON s.account_id = "
           "f.id WHERE s.arr > 0) "
           "SELECT (SELECT COUNT(*) FROM facts), (SELECT SUM(arr) FROM facts), "
           "(SELECT SUM(depth) FROM facts), (SELECT COUNT(*) FROM facts WHERE tier <> 3), "
           "(SELECT COALESCE(SUM(completeness), 0) FROM facts WHERE tier <> 3), "
           "(SELECT COUNT(*) FROM facts WHERE colour >= 2), "
           "(SELECT COUNT(*) FROM cohort), (SELECT SUM(s) FROM cohort), "
           "(SELECT SUM(e) FROM cohort), "
           "(SELECT SUM(CASE WHEN e > 0 AND e > s THEN e - s ELSE 0 END) FROM cohort), "
           "(SELECT SUM(CASE WHEN e = 0 THEN s ELSE 0 END) FROM cohort), "
           "(SELECT SUM(CASE WHEN e < s THEN e ELSE s END) FROM cohort), "
           "(SELECT COALESCE(SUM(amount_cents), 0) FROM opportunities WHERE type IN ('upsell', "
           "'cross_sell') AND created_on >= " +
           DateLit(t0) + " AND created_on <= " + DateLit(d_) + ")";
  }

  // Indexes a good DBA would add for these questions (beyond the product's own).
  std::string Indexes() const {
    return "CREATE INDEX IF NOT EXISTS bench_lines_active ON contract_lines "
           "(start_date, end_date, account_id, arr_cents);"
           "CREATE INDEX IF NOT EXISTS bench_activities_meaningful ON activities "
           "(occurred_at, account_id) WHERE meaningful;"
           "CREATE INDEX IF NOT EXISTS bench_usage_day ON usage_metrics "
           "(day, account_id, active_users, licensed_seats);"
           "CREATE INDEX IF NOT EXISTS bench_tickets_opened ON tickets (opened_at, account_id);"
           "CREATE INDEX IF NOT EXISTS bench_nps_day ON nps_responses (responded_on, account_id);"
           "CREATE INDEX IF NOT EXISTS bench_opportunities_type ON opportunities "
           "(type, stage, created_on, amount_cents);"
           "CREATE INDEX IF NOT EXISTS bench_overrides_expiry ON health_overrides (expires_on);"
           "ANALYZE;";
  }

 private:
  // A day number as a literal of the column's type; a timestamp at the start of that day.
  std::string DateLit(int32_t day) const {
    std::string text = Date::FromDays(day).ToString();
    return pg_ ? "DATE '" + text + "'" : "'" + text + "'";
  }
  std::string TsLit(int32_t day) const {
    std::string text = Date::FromDays(day).ToString() + " 00:00:00";
    return pg_ ? "TIMESTAMP '" + text + "'" : "'" + text + "'";
  }
  // The day number of a DATE or TIMESTAMP column.
  std::string DayOf(const std::string& column) const {
    return pg_ ? "(CAST(" + column + " AS DATE) - DATE '1970-01-01')"
               : "CAST(julianday(substr(" + column + ", 1, 10)) - 2440587.5 AS INTEGER)";
  }
  // A floating-point constant in double precision (PostgreSQL reads 20.0 as an exact numeric).
  std::string F(const std::string& x) const {
    return pg_ ? "CAST(" + x + " AS DOUBLE PRECISION)" : x;
  }
  std::string Real(const std::string& x) const {
    return pg_ ? "CAST(" + x + " AS DOUBLE PRECISION)" : "CAST(" + x + " AS REAL)";
  }
  // floor(x + 0.5) for the engine's RoundHalfUp: SQLite has no floor() in every build, and its
  // CAST truncates (the same for x + 0.5 ≥ 0; below, every use clamps to 0 anyway).
  std::string Round(const std::string& x) const {
    return pg_ ? "CAST(FLOOR(" + x + " + 0.5) AS BIGINT)" : "CAST(" + x + " + 0.5 AS INTEGER)";
  }
  std::string Least(const std::string& a, const std::string& b) const {
    return (pg_ ? "LEAST(" : "min(") + a + ", " + b + ")";
  }
  std::string Greatest(const std::string& a, const std::string& b) const {
    return (pg_ ? "GREATEST(" : "max(") + a + ", " + b + ")";
  }
  std::string Tier(int tier, int TierCoverage::*field) const {
    return std::to_string(s_.coverage[static_cast<size_t>(tier)].*field);
  }
  // A per-tier constant as a CASE over the `tier` column.
  std::string ByTier(int TierCoverage::*field) const {
    return "CASE tier WHEN 1 THEN " + Tier(0, field) + " WHEN 2 THEN " + Tier(1, field) + " ELSE " +
           Tier(2, field) + " END";
  }

  std::string ArrOn(int32_t day) const {
    return "SELECT account_id, SUM(arr_cents) AS arr, MIN(end_date) AS renewal_date FROM "
           "contract_lines WHERE start_date <= " +
           DateLit(day) + " AND (end_date IS NULL OR end_date >= " + DateLit(day) +
           ") GROUP BY account_id";
  }

  // `facts`: one row per account with what the dashboards read. With health: its score and
  // colour, depth, flags and plan completeness too.
  // Long: one SQL statement, its common table expressions in the order each builds on the last.
  std::string Facts(bool health) const {
    const std::string d = std::to_string(d_);
    const std::string t1 = std::to_string(s_.tiers.tier1_min_arr.cents());
    const std::string t2 = std::to_string(s_.tiers.tier2_min_arr.cents());
    std::string sql = "WITH lines AS MATERIALIZED (" + ArrOn(d_) + "), ";
    sql +=
        "plans AS MATERIALIZED (SELECT p.account_id, p.last_reviewed_at, p.updated_at, "
        "(SELECT COUNT(*) FROM plan_priorities x WHERE x.plan_id = p.id) AS priorities, "
        "(SELECT MAX(CASE WHEN potential_cents > 0 THEN 1 ELSE 0 END) FROM whitespace_cells x "
        "WHERE x.plan_id = p.id) AS quantified, "
        "(SELECT SUM(CASE WHEN status IN ('open', 'in_pipeline', 'competitor') THEN "
        "potential_cents ELSE 0 END) FROM whitespace_cells x WHERE x.plan_id = p.id) AS ws, "
        "(SELECT COUNT(*) FROM plan_risks x WHERE x.plan_id = p.id) AS risks, "
        "(SELECT SUM(CASE WHEN mitigation_owner_id IS NOT NULL THEN 1 ELSE 0 END) FROM "
        "plan_risks x WHERE x.plan_id = p.id) AS owned, "
        "(SELECT MAX(CASE WHEN status IN ('open', 'in_progress') THEN CASE WHEN owner_id IS NOT "
        "NULL AND due_on IS NOT NULL THEN 20 ELSE 10 END ELSE 0 END) FROM plan_actions x WHERE "
        "x.plan_id = p.id) AS action_points, "
        "(SELECT MAX(CASE WHEN status IN ('open', 'in_progress') AND due_on < " +
        DateLit(d_) +
        " THEN 1 ELSE 0 END) FROM plan_actions x WHERE x.plan_id = p.id) AS overdue " +
        "FROM account_plans p), ";
    sql += "base AS (SELECT a.id, a.owner_id, a.growth_potential, COALESCE(l.arr, 0) AS arr, " +
           std::string("CASE WHEN l.renewal_date IS NULL THEN NULL ELSE ") +
           DayOf("l.renewal_date") +
           " END AS renewal, "
           "CASE WHEN a.tier_override IS NOT NULL THEN CAST(a.tier_override AS INTEGER) "
           "WHEN a.strategic OR COALESCE(l.arr, 0) >= " +
           t1 + " THEN 1 WHEN COALESCE(l.arr, 0) >= " + t2 +
           " THEN 2 ELSE 3 END AS tier, "
           "COALESCE(p.ws, 0) AS ws, p.account_id AS has_plan, p.last_reviewed_at, p.updated_at, "
           "p.priorities, p.quantified, p.risks, p.owned, p.action_points, p.overdue "
           "FROM accounts a LEFT JOIN lines l ON l.account_id = a.id "
           "LEFT JOIN plans p ON p.account_id = a.id), ";
    // Potential (set by hand, else whitespace ÷ ARR) and the quadrant.
    std::string potential =
        "CASE WHEN growth_potential IS NOT NULL THEN growth_potential WHEN arr <= 0 THEN CASE "
        "WHEN ws > 0 THEN 'high' ELSE 'low' END WHEN " +
        Real("ws") + " * 10000.0 / " + Real("arr") + " >= " + std::to_string(s_.potential_high_bp) +
        " THEN 'high' WHEN " + Real("ws") + " * 10000.0 / " + Real("arr") +
        " >= " + std::to_string(s_.potential_medium_bp) + " THEN 'medium' ELSE 'low' END";
    std::string quadrant = "CASE WHEN arr >= " + t1 + " THEN CASE WHEN (" + potential +
                           ") = 'high' THEN 0 ELSE 1 END ELSE CASE WHEN (" + potential +
                           ") = 'high' THEN 2 ELSE 3 END END";
    if (!health) {
      return sql + "facts AS (SELECT id, owner_id, arr, renewal, tier, ws, " + quadrant +
             " AS quadrant FROM base) ";
    }
    const std::string from90 = TsLit(d_ - 89), next = TsLit(d_ + 1);
    sql += "usage_recent AS MATERIALIZED (SELECT account_id, AVG(" + Real("active_users") +
           ") AS recent FROM usage_metrics WHERE day > " + DateLit(d_ - 30) +
           " AND day <= " + DateLit(d_) + " GROUP BY account_id), ";
    sql += "usage_prior AS MATERIALIZED (SELECT account_id, AVG(" + Real("active_users") +
           ") AS prior FROM usage_metrics WHERE day > " + DateLit(d_ - 90) +
           " AND day <= " + DateLit(d_ - 30) + " GROUP BY account_id), ";
    sql +=
        "usage_latest AS MATERIALIZED (SELECT account_id, active_users, licensed_seats FROM "
        "(SELECT "
        "account_id, active_users, licensed_seats, ROW_NUMBER() OVER (PARTITION BY account_id "
        "ORDER BY day DESC) AS n FROM usage_metrics WHERE day > " +
        DateLit(d_ - 30) + " AND day <= " + DateLit(d_) +
        " AND licensed_seats > 0) x WHERE n = 1), ";
    sql +=
        "seats AS MATERIALIZED (SELECT account_id, licensed_seats FROM (SELECT account_id, "
        "licensed_seats, "
        "ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY day DESC) AS n FROM usage_metrics "
        "WHERE day <= " +
        DateLit(d_) + ") x WHERE n = 1), ";
    sql += "tickets_agg AS MATERIALIZED (SELECT account_id, SUM(CASE WHEN opened_at >= " + from90 +
           " THEN CASE severity WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 4 ELSE 8 "
           "END ELSE 0 END) AS weighted, SUM(CASE WHEN escalated AND ((closed_at IS NOT NULL "
           "AND closed_at >= " +
           next +
           ") OR (closed_at IS NULL AND status <> 'closed')) THEN 1 ELSE 0 END) AS escalations "
           "FROM tickets WHERE opened_at < " +
           next + " GROUP BY account_id), ";
    sql +=
        "nps_agg AS MATERIALIZED (SELECT account_id, COUNT(*) AS n, SUM(CASE WHEN score >= 9 THEN "
        "1 ELSE 0 "
        "END) AS promoters, SUM(CASE WHEN score <= 6 THEN 1 ELSE 0 END) AS detractors FROM "
        "nps_responses WHERE responded_on > " +
        DateLit(d_ - 180) + " AND responded_on <= " + DateLit(d_) + " GROUP BY account_id), ";
    sql +=
        "last_meaningful AS MATERIALIZED (SELECT account_id, MAX(occurred_at) AS last_at FROM "
        "activities "
        "WHERE meaningful AND occurred_at < " +
        next + " GROUP BY account_id), ";
    std::string met =
        "FROM activities a JOIN activity_contacts ac ON ac.activity_id = a.id JOIN contacts c "
        "ON c.id = ac.contact_id AND c.account_id = a.account_id AND c.status = 'active' ";
    std::string recent =
        "WHERE a.meaningful AND a.occurred_at >= " + from90 + " AND a.occurred_at < " + next;
    sql += "depth AS MATERIALIZED (SELECT a.account_id, COUNT(DISTINCT ac.contact_id) AS depth " +
           met + recent + " GROUP BY a.account_id), ";
    sql += "eb_met AS MATERIALIZED (SELECT DISTINCT a.account_id " + met +
           "AND c.buying_role = 'economic_buyer' " + recent + "), ";
    sql +=
        "people AS MATERIALIZED (SELECT account_id, SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 "
        "END) AS "
        "active, MAX(CASE WHEN status = 'active' AND buying_role = 'economic_buyer' THEN 1 ELSE 0 "
        "END) AS eb, MAX(CASE WHEN status = 'active' AND (buying_role = 'champion' OR stance = "
        "'champion') THEN 1 ELSE 0 END) AS champion, MAX(CASE WHEN status = 'active' AND "
        "buying_role = 'economic_buyer' AND last_engaged_on > " +
        DateLit(d_ - 90) + " AND last_engaged_on <= " + DateLit(d_) +
        " THEN 1 ELSE 0 END) AS eb_dated FROM contacts GROUP BY account_id), ";
    sql +=
        "overrides AS MATERIALIZED (SELECT account_id, score FROM (SELECT account_id, score, "
        "ROW_NUMBER() "
        "OVER (PARTITION BY account_id ORDER BY " +
        DayOf("created_at") + " DESC, id DESC) AS n FROM health_overrides WHERE created_at < " +
        next + " AND expires_on >= " + DateLit(d_) + ") x WHERE n = 1), ";
    // The components, each NULL when missing.
    std::string level =
        "100.0 * " + Least("1.0", Real("ul.active_users") + " / " + Real("ul.licensed_seats"));
    std::string trend_score =
        Least("100.0", Greatest("0.0", "100.0 + 200.0 * (ur.recent / up.prior - 1.0)"));
    std::string per100 = "100.0 * COALESCE(t.weighted, 0) / " +
                         Real(Greatest("COALESCE(se.licensed_seats, 0)", "50"));
    std::string checkin = ByTier(&TierCoverage::checkin_days);
    std::string target = ByTier(&TierCoverage::multithreading_target);
    std::string days_since = d + " - " + DayOf("lm.last_at");
    sql += "comp AS (SELECT b.*, COALESCE(dp.depth, 0) AS depth, " + DayOf("lm.last_at") +
           " AS last_day, CASE WHEN ul.account_id IS NULL THEN NULL WHEN up.prior IS NULL OR "
           "up.prior = 0 THEN " +
           // Grouped as the engine groups them: (0.7 × 100) × x is not 0.7 × (100 × x) in the
           // last bit, and that bit moved 23 scores across a rounding boundary at 1M accounts.
           Round(level) + " ELSE " + Round("0.7 * (" + level + ") + 0.3 * " + trend_score) +
           " END AS u, CASE WHEN t.account_id IS NULL AND se.account_id IS NULL THEN NULL ELSE " +
           Greatest("0", Least("100", Round("100.0 - 2.0 * (" + per100 + ")" +
                                            " - 20.0 * COALESCE(t.escalations, 0)"))) +
           " END AS s, CASE WHEN n.account_id IS NULL THEN NULL ELSE " +
           Round("50.0 + 50.0 * " + Real("n.promoters - n.detractors") + " / " + Real("n.n")) +
           " END AS nps, CASE WHEN " + checkin +
           " <= 0 THEN NULL WHEN lm.last_at IS NULL THEN 0 WHEN " + days_since + " <= " + checkin +
           " THEN 100 ELSE " +
           Round(Greatest(F("0.0"), F("100.0") + " * (" + F("3.0") + " * " + checkin + " - (" +
                                        days_since + ")) / (" + F("2.0") + " * " + checkin + ")")) +
           " END AS e, CASE WHEN " + target + " <= 0 THEN NULL ELSE " +
           Round("100.0 * " + Least("1.0", Real("COALESCE(dp.depth, 0)") + " / " + target)) +
           " END AS r, o.score AS override_score, "
           "COALESCE(pe.active, 0) AS active, COALESCE(pe.eb, 0) AS eb, COALESCE(pe.champion, 0) "
           "AS champion, CASE WHEN pe.eb_dated = 1 OR em.account_id IS NOT NULL THEN 1 ELSE 0 END "
           "AS eb_engaged FROM base b "
           "LEFT JOIN usage_latest ul ON ul.account_id = b.id "
           "LEFT JOIN usage_recent ur ON ur.account_id = b.id "
           "LEFT JOIN usage_prior up ON up.account_id = b.id "
           "LEFT JOIN seats se ON se.account_id = b.id "
           "LEFT JOIN tickets_agg t ON t.account_id = b.id "
           "LEFT JOIN nps_agg n ON n.account_id = b.id "
           "LEFT JOIN last_meaningful lm ON lm.account_id = b.id "
           "LEFT JOIN depth dp ON dp.account_id = b.id "
           "LEFT JOIN eb_met em ON em.account_id = b.id "
           "LEFT JOIN people pe ON pe.account_id = b.id "
           "LEFT JOIN overrides o ON o.account_id = b.id), ";
    // The weighted mean of the components present, in the engine's order of summing.
    const HealthWeights& w = s_.health_weights;
    std::string present =
        "((CASE WHEN u IS NULL THEN 0 ELSE " + std::to_string(w.usage) +
        " END) + (CASE WHEN s IS NULL THEN 0 ELSE " + std::to_string(w.support) +
        " END) + (CASE WHEN nps IS NULL THEN 0 ELSE " + std::to_string(w.nps) +
        " END) + (CASE WHEN e IS NULL THEN 0 ELSE " + std::to_string(w.engagement) +
        " END) + (CASE WHEN r IS NULL THEN 0 ELSE " + std::to_string(w.relationships) + " END))";
    auto part = [&](const std::string& v, int weight) {
      return "COALESCE(" + v + " * (" + Real(std::to_string(weight)) + " / " + present + "), 0)";
    };
    std::string mean = part("u", w.usage) + " + " + part("s", w.support) + " + " +
                       part("nps", w.nps) + " + " + part("e", w.engagement) + " + " +
                       part("r", w.relationships);
    std::string computed = "CASE WHEN " + present + " = 0 THEN NULL ELSE " + Round(mean) + " END";
    std::string score = "CASE WHEN override_score IS NOT NULL THEN " +
                        Greatest("0", Least("100", "override_score")) + " ELSE " + computed +
                        " END";
    sql += "scored AS (SELECT comp.*, " + score + " AS health FROM comp), ";
    // In the engine's order: priorities, map, whitespace, risks, actions.
    std::string points = "(CASE WHEN COALESCE(priorities, 0) > 0 THEN " + F("20.0") + " ELSE " +
                         F("0.0") + " END) + " + F("20.0") + " / " + F("3") + " * (" +
                         Real(Least("active", "3")) + " / " + F("3.0") +
                         " + eb + champion) + (CASE WHEN quantified = 1 THEN 20 ELSE 0 "
                         "END) + (CASE WHEN COALESCE(risks, 0) > 0 THEN " +
                         F("20.0") + " * owned / " + Real("risks") + " ELSE " + F("0.0") +
                         " END) + COALESCE(action_points, 0)";
    std::string changed = "CASE WHEN last_reviewed_at IS NOT NULL AND " +
                          DayOf("last_reviewed_at") + " > " + DayOf("updated_at") + " THEN " +
                          DayOf("last_reviewed_at") + " ELSE " + DayOf("updated_at") + " END";
    std::string refresh = ByTier(&TierCoverage::plan_refresh_days);
    sql += "facts AS (SELECT id, owner_id, arr, renewal, tier, ws, " + quadrant +
           " AS quadrant, health, CASE WHEN health IS NULL THEN 0 WHEN health >= " +
           std::to_string(s_.health_green_min) +
           " THEN 1 WHEN health >= " + std::to_string(s_.health_yellow_min) +
           " THEN 2 ELSE 3 END AS colour, depth, " + Greatest("0", Least("100", Round(points))) +
           " AS completeness, COALESCE(overdue, 0) AS overdue, eb_engaged, CASE WHEN " + refresh +
           " > 0 AND (has_plan IS NULL OR " + d + " - (" + changed + ") > " + refresh +
           ") THEN 1 ELSE 0 END AS stale FROM scored) ";
    return sql;
  }

  bool pg_;
  int32_t d_;
  Settings s_;
};

}  // namespace orchard::bench
