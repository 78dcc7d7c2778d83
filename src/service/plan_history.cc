#include "service/plan_history.h"

#include <algorithm>
#include <map>
#include <vector>

#include "service/entity_service.h"
#include "service/rows.h"

namespace orchard::service {

namespace {

constexpr std::string_view kParts[] = {"priorities", "risks", "whitespace_cells", "actions"};

template <class T>
Result<boost::json::array> PartRows(store::Store& store, PlanId plan) {
  ORCHARD_TRY(std::vector<T> parts, RowsWhere<T>(store, "plan_id", plan.value));
  boost::json::array rows;
  for (const T& row : parts) rows.push_back(ToJson(row));
  return rows;
}

// The fields of two JSON objects that differ: {"field":{"from":…,"to":…}}.
boost::json::object FieldChanges(const boost::json::object& from, const boost::json::object& to) {
  boost::json::object out;
  for (const auto& [key, value] : to) {
    auto was = from.find(key);
    if (was == from.end() || was->value() != value) {
      out[key] = {{"from", was == from.end() ? boost::json::value(nullptr) : was->value()},
                  {"to", value}};
    }
  }
  for (const auto& [key, value] : from) {
    if (!to.contains(key)) out[key] = {{"from", value}, {"to", nullptr}};
  }
  return out;
}

std::map<int64_t, boost::json::object> ById(const boost::json::value* rows) {
  std::map<int64_t, boost::json::object> out;
  if (rows == nullptr || !rows->is_array()) return out;
  for (const auto& row : rows->as_array()) {
    if (row.is_object() && row.as_object().contains("id")) {
      out[row.at("id").to_number<int64_t>()] = row.as_object();
    }
  }
  return out;
}

}  // namespace

Result<boost::json::object> PlanSnapshot(store::Store& store, PlanId plan) {
  ORCHARD_TRY(AccountPlan p, store.Get<AccountPlan>(plan));
  boost::json::object out;
  out["plan"] = ToJson(p);
  ORCHARD_TRY(out["priorities"], PartRows<PlanPriority>(store, plan));
  ORCHARD_TRY(out["risks"], PartRows<PlanRisk>(store, plan));
  ORCHARD_TRY(out["whitespace_cells"], PartRows<WhitespaceCell>(store, plan));
  ORCHARD_TRY(out["actions"], PartRows<PlanAction>(store, plan));
  return out;
}

Result<PlanVersion> RecordPlanVersion(store::Store& store, const Actor& actor, PlanId plan,
                                      Timestamp at, const std::string& summary) {
  ORCHARD_TRY(auto snapshot, PlanSnapshot(store, plan));
  store::SqlValue id[] = {plan.value};
  ORCHARD_TRY(auto last,
              store.db().QueryInt("SELECT MAX(version) FROM plan_versions WHERE plan_id = ?", id));
  PlanVersion v;
  v.plan_id = plan;
  v.version = last.value_or(0) + 1;
  if (actor.user.valid()) v.changed_by = actor.user;
  v.changed_at = at;
  v.change_summary = summary;
  v.snapshot_json = boost::json::serialize(snapshot);
  return store.Insert(std::move(v));
}

Status LogPlanVersion(store::Database& db, const PlanVersion& version, int64_t account,
                      Timestamp at) {
  ORCHARD_CHECK(
      RecordChange(db, EntitySchema<AccountPlan>::kTable, version.plan_id.value, at, account));
  return RecordChange(db, EntitySchema<PlanVersion>::kTable, version.id.value, at, account);
}

Result<TouchedPlan> TouchPlan(store::Store& store, const Actor& actor, PlanId plan, Timestamp at,
                              const std::string& summary) {
  std::vector<store::SqlValue> params;
  params.push_back(at.ToString());
  if (actor.user.valid()) {
    params.push_back(actor.user.value);
  } else {
    params.push_back(std::monostate());
  }
  params.push_back(plan.value);
  ORCHARD_CHECK(store.db().Exec(
      "UPDATE account_plans SET updated_at = ?, updated_by = ? WHERE id = ?", params));
  TouchedPlan out;
  ORCHARD_TRY(out.version, RecordPlanVersion(store, actor, plan, at, summary));
  ORCHARD_TRY(out.plan, store.Get<AccountPlan>(plan));
  return out;
}

std::string DescribeChange(std::string_view what, int64_t id,
                           const std::optional<std::string>& before,
                           const std::optional<std::string>& after) {
  std::string subject = std::string(what) + " " + std::to_string(id);
  if (!before) return "added " + subject;
  if (!after) return "removed " + subject;
  boost::system::error_code ec_from, ec_to;
  auto from = boost::json::parse(*before, ec_from), to = boost::json::parse(*after, ec_to);
  if (!from.is_object() || !to.is_object()) return "changed " + subject;
  std::string fields;
  for (const auto& [key, value] : FieldChanges(from.as_object(), to.as_object())) {
    if (key == "updated_at" || key == "updated_by" || key == "version") continue;
    fields += (fields.empty() ? "" : ", ") + std::string(key);
  }
  return "changed " + subject + (fields.empty() ? "" : ": " + fields);
}

boost::json::object DiffSnapshots(const boost::json::object& from, const boost::json::object& to) {
  boost::json::object out;
  // Parts one side did not keep as rows (a version imported or seeded with counts only): named
  // in "incomplete", not reported as every row added or removed.
  boost::json::array incomplete;
  auto plan = [](const boost::json::object& s) -> const boost::json::object* {
    auto it = s.find("plan");
    return it != s.end() && it->value().is_object() ? &it->value().as_object() : nullptr;
  };
  if (plan(from) && plan(to)) {
    out["plan"] = FieldChanges(*plan(from), *plan(to));
  } else {
    out["plan"] = boost::json::object();
    incomplete.emplace_back("plan");
  }
  for (std::string_view part : kParts) {
    const boost::json::value *was_rows = from.if_contains(part), *now_rows = to.if_contains(part);
    boost::json::array added, removed, changed;
    if (was_rows && now_rows && was_rows->is_array() && now_rows->is_array()) {
      auto was = ById(was_rows), now = ById(now_rows);
      for (const auto& [id, row] : now) {
        auto old = was.find(id);
        if (old == was.end()) {
          added.push_back(row);
        } else if (auto fields = FieldChanges(old->second, row); !fields.empty()) {
          changed.push_back({{"id", id}, {"fields", std::move(fields)}});
        }
      }
      for (const auto& [id, row] : was) {
        if (!now.contains(id)) removed.push_back(row);
      }
    } else {
      incomplete.emplace_back(part);
    }
    out[part] = {{"added", std::move(added)},
                 {"removed", std::move(removed)},
                 {"changed", std::move(changed)}};
  }
  out["incomplete"] = std::move(incomplete);
  return out;
}

Result<PlanDiff> DiffPlan(store::ConnectionPool& pool, PlanId plan, std::optional<int64_t> from,
                          std::optional<int64_t> to) {
  ORCHARD_TRY(auto db, pool.Acquire());
  store::Store store(*db);
  ORCHARD_CHECK(store.Get<AccountPlan>(plan));  // not found names the plan
  store::SqlValue id[] = {plan.value};
  ORCHARD_TRY(auto latest,
              db->QueryInt("SELECT MAX(version) FROM plan_versions WHERE plan_id = ?", id));
  const int64_t last = latest.value_or(0);
  const std::string has =
      last == 0 ? "it has no versions yet" : "it has versions 1 to " + std::to_string(last);
  const int64_t upto = to.value_or(last);
  const int64_t since = from.value_or(std::max<int64_t>(1, upto - 1));
  if (upto < 1 || upto > last) {
    return FailValue("to", "plan " + std::to_string(plan.value) + " has no version " +
                               std::to_string(upto) + "; " + has);
  }
  if (since < 1 || since > last) {
    return FailValue("from", "plan " + std::to_string(plan.value) + " has no version " +
                                 std::to_string(since) + "; " + has);
  }
  if (since > upto) {
    return FailValue("from", "version " + std::to_string(since) + " comes after version " +
                                 std::to_string(upto));
  }
  PlanDiff out;
  store::ListQuery query;
  query.filters.push_back({"plan_id", plan.value});
  query.filters.push_back({"version", since, store::Filter::Op::kAtLeast});
  query.filters.push_back({"version", upto, store::Filter::Op::kAtMost});
  query.limit = 1000;
  for (;;) {
    ORCHARD_TRY(auto page, store.List<PlanVersion>(query));
    out.versions.insert(out.versions.end(), page.items.begin(), page.items.end());
    if (!page.next_cursor) break;
    query.after_id = *page.next_cursor;
  }
  std::sort(out.versions.begin(), out.versions.end(),
            [](const PlanVersion& a, const PlanVersion& b) { return a.version < b.version; });
  if (out.versions.empty()) return Fail(ErrorCode::kNotFound, "no versions to compare");
  auto snapshot = [](const PlanVersion& v) {
    boost::system::error_code ec;  // a snapshot that is not JSON (an old import): nothing
    auto parsed = boost::json::parse(v.snapshot_json, ec);
    return parsed.is_object() ? parsed.as_object() : boost::json::object();
  };
  out.changes = DiffSnapshots(snapshot(out.versions.front()), snapshot(out.versions.back()));
  return out;
}

}  // namespace orchard::service
