#include "app/report_command.h"

#include <fmt/core.h>

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "app/book.h"
#include "app/scores.h"
#include "cli/progress.h"
#include "core/text.h"
#include "engine/dashboard_json.h"
#include "engine/dashboard_table.h"
#include "engine/retention.h"
#include "store/database.h"

namespace orchard {

namespace {

// A cell for people: money in dollars, ratios in percent, null as "—".
std::string HumanCell(const std::string& column, const boost::json::value& v) {
  if (v.is_null()) return "—";
  if (column.ends_with("_cents") && v.is_int64()) {
    return Money::FromCents(v.as_int64()).ToString();
  }
  if ((column == "nrr" || column == "grr") && v.is_double()) {
    return fmt::format("{:.1f}%", v.as_double() * 100);
  }
  if (column.ends_with("_probability") && v.is_number()) {  // the models' scores, as the UI shows
    return fmt::format("{:.0f}%", v.to_number<double>() * 100);
  }
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_double()) return fmt::format("{}", v.as_double());
  if (v.is_array()) {  // reasons, flags: one cell, separated
    std::string out;
    for (const auto& item : v.as_array()) {
      out += (out.empty() ? "" : "; ") +
             (item.is_string() ? std::string(item.as_string()) : boost::json::serialize(item));
    }
    return out.empty() ? "—" : out;
  }
  return boost::json::serialize(v);
}

std::string CsvCell(const boost::json::value& v) {
  std::string text = v.is_null()     ? ""
                     : v.is_string() ? std::string(v.as_string())
                     : v.is_double() ? fmt::format("{}", v.as_double())
                     : v.is_array()  ? (v.as_array().empty() ? "" : HumanCell("", v))
                                     : boost::json::serialize(v);
  return CsvField(text);
}

// The dashboard query `orchard report` was asked, typed as the API's: a parameter the dashboard
// does not take is refused, as the API refuses it. (The CLI checked each value in cli.cc, so the
// enum names it let through always parse.) A team is read from the book's database.
Result<engine::DashboardQuery> ReportQuery(const cli::ReportArgs& args) {
  if (const engine::DashboardEntry* entry = engine::FindDashboard(args.name)) {
    std::vector<std::string_view> given;
    for (auto [name, set] : {std::pair{"am", args.am.has_value()},
                             {"team", args.team.has_value()},
                             {"csm", args.csm.has_value()},
                             {"tier", args.tier.has_value()},
                             {"window", args.window.has_value()},
                             {"from", args.from.has_value()},
                             {"to", args.to.has_value()},
                             {"quadrant", args.quadrant.has_value()},
                             {"limit", args.limit.has_value()},
                             {"offset", args.offset.has_value()},
                             {"sort", args.sort.has_value()},
                             {"group_by", args.group_by.has_value()}}) {
      if (set) given.push_back(name);
    }
    ORCHARD_CHECK(engine::OnlyDashboardParams(*entry, std::move(given)));
  }
  engine::DashboardQuery query;
  query.filter.am = args.am;
  query.filter.csm = args.csm;
  if (args.tier) {
    ORCHARD_TRY(query.filter.tier, ParseEnum<Tier>(*args.tier));
  }
  if (args.window) query.window_days = static_cast<int>(*args.window);
  if (args.sort) {
    ORCHARD_TRY(query.sort, engine::ParseDashboardSort(*args.sort));
  }
  if (args.team) {  // the manager and their reports, as the API reads them
    ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
    std::vector<int64_t> team{*args.team};
    store::SqlValue params[] = {*args.team};
    ORCHARD_CHECK(db->Query("SELECT id FROM users WHERE manager_id = ?", params,
                            [&](const store::Row& row) -> Status {
                              ORCHARD_TRY(int64_t member, row.GetInt(0));
                              team.push_back(member);
                              return Ok();
                            }));
    std::sort(team.begin(), team.end());
    query.filter.team = std::move(team);
  }
  query.from = args.from;
  query.to = args.to;
  if (args.quadrant) {
    ORCHARD_TRY(query.quadrant, ParseEnum<Quadrant>(*args.quadrant));
  }
  if (args.group_by) {
    ORCHARD_TRY(query.group_by, engine::ParseRetentionGroup(*args.group_by));
  }
  if (args.limit) query.limit = static_cast<size_t>(*args.limit);
  if (args.offset) query.offset = static_cast<size_t>(*args.offset);
  return query;
}

// Rows grouped by AM, tier, industry…: the group's name first, for people — the AM's name
// (with the user id in `owner_id`), "(no owner)", "(no industry)", "(no region)" for the
// accounts of none.
Status NameGroups(store::Database& db, std::string_view group_by,
                  std::vector<boost::json::object>& rows) {
  std::map<int64_t, std::string> names;
  if (group_by == "am" || group_by == "am_at_start") {
    ORCHARD_CHECK(db.Query("SELECT id, name FROM users", {}, [&](const store::Row& row) -> Status {
      ORCHARD_TRY(int64_t id, row.GetInt(0));
      names[id] = std::string(row.GetText(1));
      return Ok();
    }));
  }
  const std::string none = group_by == "am" || group_by == "am_at_start"
                               ? "(no owner)"
                               : "(no " + std::string(group_by) + ")";
  for (auto& row : rows) {
    boost::json::object named;
    const boost::json::value& group = row.at("group");
    std::string name = group.is_null() ? none : std::string(group.as_string());
    if (!group.is_null() && row.contains("owner_id") && row.at("owner_id").is_int64()) {
      auto it = names.find(row.at("owner_id").as_int64());
      if (it != names.end()) name = it->second;
    }
    named[group_by == "am_at_start" ? "am" : group_by] = name;
    for (const auto& [k, v] : row) {
      if (k != "group") named[k] = v;
    }
    row = std::move(named);
  }
  return Ok();
}

}  // namespace

Status RunReport(const cli::ReportArgs& args, const Clock& clock) {
  ORCHARD_TRY(auto book, LoadBook(args.db));
  ORCHARD_TRY(engine::DashboardQuery query, ReportQuery(args));
  Date today = args.today.value_or(clock.Today());
  if (DashboardShowsScores(args.name)) {  // no server here: the stored models score the book
    ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
    ORCHARD_CHECK(ScoreForReport(*db, *book.model, book.settings, today, query));
  }
  ORCHARD_TRY(auto answer,
              engine::AnswerDashboard(args.name, *book.model, book.settings, today, query));
  // The API's JSON form, which the table and the CSV print the rows of.
  const boost::json::object body = engine::DashboardJson(*book.model, answer);
  if (args.format == "json") {
    fmt::print("{}\n", boost::json::serialize(body));
    return Ok();
  }
  std::vector<boost::json::object> rows;
  if (body.contains("items")) {
    for (const auto& item : body.at("items").as_array()) rows.push_back(item.as_object());
  } else if (body.contains("groups")) {  // the KPI strip by group: the groups, then the whole
    for (const auto& item : body.at("groups").as_array()) rows.push_back(item.as_object());
    boost::json::object whole{{"group", "(all)"}};
    if (rows.empty() || rows.front().contains("owner_id")) whole["owner_id"] = nullptr;
    for (const auto& [k, v] : body.at("kpis").as_object()) whole[k] = v;
    rows.push_back(std::move(whole));
  } else {
    rows.push_back(body.at("kpis").as_object());
  }
  if (body.contains("group_by")) {
    ORCHARD_TRY(auto db, OpenMigrated(args.db, true));
    ORCHARD_CHECK(NameGroups(*db, body.at("group_by").as_string(), rows));
  }
  std::vector<std::string> columns;
  if (!rows.empty()) {
    for (const auto& [k, v] : rows.front()) columns.emplace_back(k);
  }
  if (args.format == "csv") {
    std::string line;
    for (const auto& c : columns) line += (line.empty() ? "" : ",") + c;
    fmt::print("{}\n", line);
    for (const auto& row : rows) {
      line.clear();
      for (size_t i = 0; i < columns.size(); ++i) {
        line += (i ? "," : "") + CsvCell(row.at(columns[i]));
      }
      fmt::print("{}\n", line);
    }
    return Ok();
  }
  fmt::print("{} as of {}", args.name, today.ToString());
  if (body.contains("from")) {
    fmt::print(" (period {} to {})", body.at("from").as_string().c_str(),
               body.at("to").as_string().c_str());
  }
  fmt::print("\n");
  if (body.contains("grid")) {  // the portfolio's 2×2 before its accounts
    for (const auto& [quadrant, cell] : body.at("grid").as_object()) {
      const auto& c = cell.as_object();
      fmt::print("  {:<9} {:>8} accounts  ARR {:>16}  whitespace {:>16}\n", quadrant,
                 cli::Grouped(c.at("accounts").as_int64()),
                 Money::FromCents(c.at("arr_cents").as_int64()).ToString(),
                 Money::FromCents(c.at("whitespace_cents").as_int64()).ToString());
    }
  }
  // The models' scores: why a growth ranking or a churn column is empty (issue 20).
  if (body.contains("available") && !body.at("available").as_bool()) {
    fmt::print("No scores: {}\n", body.at("reason").as_string().c_str());
  }
  if (body.contains("churn_reason") && body.at("churn_reason").is_string()) {
    fmt::print("Churn probability: none shown: {}\n", body.at("churn_reason").as_string().c_str());
  }
  if (rows.empty()) {
    fmt::print("(nothing to show)\n");
    return Ok();
  }
  std::vector<std::string> headers;
  std::vector<size_t> widths;
  for (const auto& c : columns) {
    headers.push_back(c.ends_with("_cents") ? c.substr(0, c.size() - 6) : c);
    widths.push_back(headers.back().size());
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    auto& line = cells.emplace_back();
    for (size_t i = 0; i < columns.size(); ++i) {
      line.push_back(HumanCell(columns[i], row.at(columns[i])));
      widths[i] = std::max(widths[i], line.back().size());
    }
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    std::string out;
    for (size_t i = 0; i < line.size(); ++i) {
      out += (i ? "  " : "") + fmt::format("{:<{}}", line[i], widths[i]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    fmt::print("{}\n", out);
  };
  print_line(headers);
  for (const auto& line : cells) print_line(line);
  if (body.contains("total")) {
    int64_t total = body.at("total").as_int64();
    int64_t offset = body.at("offset").as_int64();
    if (static_cast<int64_t>(rows.size()) < total) {
      fmt::print("Rows {}–{} of {}; --limit and --offset show others.\n", offset + 1,
                 offset + static_cast<int64_t>(rows.size()), cli::Grouped(total));
    }
  }
  return Ok();
}

}  // namespace orchard
