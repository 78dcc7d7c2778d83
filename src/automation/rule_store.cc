#include "automation/rule_store.h"

#include <algorithm>
#include <boost/json.hpp>

#include "automation/defaults.h"
#include "service/entity_hooks.h"
#include "service/unit_of_work.h"
#include "store/store.h"

namespace orchard::automation {
namespace json = boost::json;
namespace {

constexpr std::string_view kColumns =
    "id, name, description, status, enabled, version, definition, paused_reason, paused_on, "
    "builtin_key, created_at, updated_at";

Result<StoredRule> RuleFromRow(const store::Row& row) {
  StoredRule r;
  ORCHARD_TRY(r.id, row.GetInt(0));
  r.name = std::string(row.GetText(1));
  r.description = std::string(row.GetText(2));
  ORCHARD_TRY(r.status, ParseEnum<RuleStatus>(row.GetText(3)));
  ORCHARD_TRY(r.enabled, row.GetBool(4));
  ORCHARD_TRY(r.version, row.GetInt(5));
  auto definition = ParseDefinition(row.GetText(6));
  if (!definition) {
    return Fail(ErrorCode::kInternal,
                "rule " + std::to_string(r.id) +
                    " holds a definition Orchard cannot read: " + definition.error().message);
  }
  r.definition = std::move(*definition);
  if (!row.IsNull(7)) r.paused_reason = std::string(row.GetText(7));
  if (!row.IsNull(8)) {
    ORCHARD_TRY(Date d, Date::Parse(row.GetText(8)));
    r.paused_on = d;
  }
  if (!row.IsNull(9)) r.builtin_key = std::string(row.GetText(9));
  ORCHARD_TRY(r.created_at, Timestamp::Parse(row.GetText(10)));
  ORCHARD_TRY(r.updated_at, Timestamp::Parse(row.GetText(11)));
  return r;
}

std::string RuleJson(const StoredRule& r) {
  json::object o;
  o["name"] = r.name;
  o["description"] = r.description;
  o["status"] = ToString(r.status);
  o["enabled"] = r.enabled;
  o["version"] = r.version;
  o["definition"] = json::parse(DefinitionJson(r.definition));
  return json::serialize(o);
}

std::optional<int64_t> UserOf(const service::Actor& actor) {
  if (!actor.user.valid()) return std::nullopt;
  return actor.user.value;
}

Status CheckText(std::string_view field, std::string_view text, size_t max, bool required) {
  if (required && text.empty()) return FailValue(std::string(field), "must not be empty");
  if (text.size() > max) {
    return FailValue(std::string(field), "is longer than " + std::to_string(max) + " bytes");
  }
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7F) {
      return FailValue(std::string(field), "holds a control character");
    }
  }
  return Ok();
}

Status InsertVersion(store::Database& db, const StoredRule& r, Timestamp at,
                     std::optional<int64_t> by) {
  std::vector<store::SqlValue> p;
  p.emplace_back(r.id);
  p.emplace_back(r.version);
  p.emplace_back(r.name);
  p.emplace_back(std::string(ToString(r.status)));
  p.emplace_back(DefinitionJson(r.definition));
  p.emplace_back(at.ToString());
  if (by) {
    p.emplace_back(*by);
  } else {
    p.emplace_back(std::monostate());
  }
  ORCHARD_CHECK(
      db.Exec("INSERT INTO rule_versions (rule_id, version, name, status, definition, created_at, "
              "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
              p));
  return Ok();
}

Status Audit(store::Database& db, const service::Actor& actor, Timestamp at, int64_t id,
             AuditAction action, std::optional<std::string> before, std::string after) {
  store::Store store(db);
  return service::WriteAudit(store, actor, at, "rules", id, action, std::move(before),
                             std::move(after));
}

}  // namespace

bool MayChangeRules(const service::Actor& actor) {
  return actor.role == Role::kAdmin || actor.role == Role::kLeader;
}

Result<std::vector<StoredRule>> RuleService::ReadAll(store::Database& db) {
  std::vector<StoredRule> out;
  ORCHARD_CHECK(db.Query("SELECT " + std::string(kColumns) + " FROM rules ORDER BY id", {},
                         [&](const store::Row& row) -> Status {
                           ORCHARD_TRY(StoredRule r, RuleFromRow(row));
                           out.push_back(std::move(r));
                           return Ok();
                         }));
  return out;
}

Result<StoredRule> RuleService::ReadOne(store::Database& db, int64_t id) {
  std::optional<StoredRule> out;
  store::SqlValue p[] = {id};
  ORCHARD_CHECK(db.Query("SELECT " + std::string(kColumns) + " FROM rules WHERE id = ?", p,
                         [&](const store::Row& row) -> Status {
                           ORCHARD_TRY(out, RuleFromRow(row));
                           return Ok();
                         }));
  if (!out) return Fail(ErrorCode::kNotFound, "there is no rule " + std::to_string(id));
  return std::move(*out);
}

Result<std::vector<StoredRule>> RuleService::List(const service::Actor&) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  return ReadAll(*db);
}

Result<StoredRule> RuleService::Get(const service::Actor&, int64_t id) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  return ReadOne(*db, id);
}

Status RuleService::CheckInput(store::Database& db, const RuleInput& input, int64_t id) {
  ORCHARD_CHECK(CheckText("name", input.name, 200, true));
  ORCHARD_CHECK(CheckText("description", input.description, 2000, false));
  if (input.status != RuleStatus::kActive || !input.enabled) return Ok();
  // An active rule joins the others: refused if together they would loop.
  ORCHARD_TRY(auto all, ReadAll(db));
  std::vector<NamedRule> live;
  for (auto& r : all) {
    if (r.id != id && r.Live()) live.push_back({r.id, r.name, r.definition});
  }
  return CheckNoCycle(live, {id, input.name, input.definition});
}

Result<StoredRule> RuleService::Create(const service::Actor& actor, const RuleInput& input) {
  if (!MayChangeRules(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins and leaders change rules");
  }
  ORCHARD_TRY(auto work, service::UnitOfWork::Begin(pool_, nullptr));
  store::Database& db = work.db();
  ORCHARD_CHECK(CheckInput(db, input, 0));
  const Timestamp now = clock_.Now();
  std::vector<store::SqlValue> p;
  p.emplace_back(input.name);
  p.emplace_back(input.description);
  p.emplace_back(std::string(ToString(input.status)));
  p.emplace_back(int64_t{input.enabled ? 1 : 0});
  p.emplace_back(DefinitionJson(input.definition));
  p.emplace_back(now.ToString());
  p.emplace_back(now.ToString());
  if (auto user = UserOf(actor)) {
    p.emplace_back(*user);
  } else {
    p.emplace_back(std::monostate());
  }
  ORCHARD_TRY(
      auto id,
      db.QueryInt("INSERT INTO rules (name, description, status, enabled, version, "
                  "definition, created_at, updated_at, updated_by) VALUES (?, ?, ?, (? = 1), "
                  "1, ?, ?, ?, ?) RETURNING id",
                  p));
  ORCHARD_TRY(StoredRule saved, ReadOne(db, id.value_or(0)));
  ORCHARD_CHECK(InsertVersion(db, saved, now, UserOf(actor)));
  ORCHARD_CHECK(
      Audit(db, actor, now, saved.id, AuditAction::kCreate, std::nullopt, RuleJson(saved)));
  ORCHARD_CHECK(work.Commit());
  return saved;
}

Result<StoredRule> RuleService::Update(const service::Actor& actor, int64_t id,
                                       int64_t expected_version, const RuleInput& input) {
  if (!MayChangeRules(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins and leaders change rules");
  }
  ORCHARD_TRY(auto work, service::UnitOfWork::Begin(pool_, nullptr));
  store::Database& db = work.db();
  ORCHARD_TRY(StoredRule before, ReadOne(db, id));
  if (before.version != expected_version) {
    return Fail(ErrorCode::kConflict,
                "rule " + std::to_string(id) + " was changed by someone else: it is at version " +
                    std::to_string(before.version) + ", not " + std::to_string(expected_version));
  }
  ORCHARD_CHECK(CheckInput(db, input, id));
  const Timestamp now = clock_.Now();
  std::vector<store::SqlValue> p;
  p.emplace_back(input.name);
  p.emplace_back(input.description);
  p.emplace_back(std::string(ToString(input.status)));
  p.emplace_back(int64_t{input.enabled ? 1 : 0});
  p.emplace_back(DefinitionJson(input.definition));
  p.emplace_back(now.ToString());
  if (auto user = UserOf(actor)) {
    p.emplace_back(*user);
  } else {
    p.emplace_back(std::monostate());
  }
  p.emplace_back(id);
  p.emplace_back(expected_version);
  ORCHARD_TRY(int64_t changed,
              db.Exec("UPDATE rules SET name = ?, description = ?, status = ?, enabled = (? = 1), "
                      "definition = ?, updated_at = ?, updated_by = ?, version = version + 1 "
                      "WHERE id = ? AND version = ?",
                      p));
  if (changed != 1) {
    return Fail(ErrorCode::kConflict, "rule " + std::to_string(id) + " was changed meanwhile");
  }
  ORCHARD_TRY(StoredRule saved, ReadOne(db, id));
  ORCHARD_CHECK(InsertVersion(db, saved, now, UserOf(actor)));
  ORCHARD_CHECK(Audit(db, actor, now, id, AuditAction::kUpdate, RuleJson(before), RuleJson(saved)));
  ORCHARD_CHECK(work.Commit());
  return saved;
}

Result<StoredRule> RuleService::Resume(const service::Actor& actor, int64_t id) {
  if (!MayChangeRules(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins and leaders change rules");
  }
  ORCHARD_TRY(auto work, service::UnitOfWork::Begin(pool_, nullptr));
  store::Database& db = work.db();
  ORCHARD_TRY(StoredRule before, ReadOne(db, id));
  store::SqlValue p[] = {id};
  ORCHARD_CHECK(db.Exec("UPDATE rules SET paused_reason = NULL, paused_on = NULL WHERE id = ?", p));
  ORCHARD_TRY(StoredRule saved, ReadOne(db, id));
  ORCHARD_CHECK(
      Audit(db, actor, clock_.Now(), id, AuditAction::kUpdate,
            before.paused_reason
                ? "{\"paused_reason\":" + json::serialize(json::string(*before.paused_reason)) + "}"
                : "{}",
            "{\"paused_reason\":null}"));
  ORCHARD_CHECK(work.Commit());
  return saved;
}

Result<std::vector<RuleVersion>> RuleService::Versions(const service::Actor&, int64_t id) {
  ORCHARD_TRY(auto db, pool_.Acquire());
  ORCHARD_CHECK(ReadOne(*db, id));
  std::vector<RuleVersion> out;
  store::SqlValue p[] = {id};
  ORCHARD_CHECK(db->Query(
      "SELECT version, name, status, definition, created_at, created_by FROM rule_versions "
      "WHERE rule_id = ? ORDER BY version DESC",
      p, [&](const store::Row& row) -> Status {
        RuleVersion v;
        ORCHARD_TRY(v.version, row.GetInt(0));
        v.name = std::string(row.GetText(1));
        ORCHARD_TRY(v.status, ParseEnum<RuleStatus>(row.GetText(2)));
        ORCHARD_TRY(v.definition, ParseDefinition(row.GetText(3)));
        ORCHARD_TRY(v.created_at, Timestamp::Parse(row.GetText(4)));
        if (!row.IsNull(5)) {
          ORCHARD_TRY(int64_t by, row.GetInt(5));
          v.created_by = by;
        }
        out.push_back(std::move(v));
        return Ok();
      }));
  return out;
}

Result<std::vector<std::string>> RuleService::Diff(const service::Actor& actor, int64_t id,
                                                   int64_t from, int64_t to) {
  ORCHARD_TRY(auto versions, Versions(actor, id));
  auto find = [&](int64_t v) -> const RuleVersion* {
    for (const auto& x : versions) {
      if (x.version == v) return &x;
    }
    return nullptr;
  };
  const RuleVersion* a = find(from);
  const RuleVersion* b = find(to);
  if (a == nullptr)
    return FailValue("from",
                     "rule " + std::to_string(id) + " has no version " + std::to_string(from));
  if (b == nullptr)
    return FailValue("to", "rule " + std::to_string(id) + " has no version " + std::to_string(to));
  std::vector<std::string> out;
  if (a->name != b->name) out.push_back("name: \"" + a->name + "\" → \"" + b->name + "\"");
  if (a->status != b->status) {
    out.push_back("status: " + std::string(ToString(a->status)) + " → " +
                  std::string(ToString(b->status)));
  }
  for (auto& line : DiffDefinitions(a->definition, b->definition)) out.push_back(std::move(line));
  return out;
}

Status RuleService::InstallDefaults(bool active) {
  ORCHARD_TRY(auto work, service::UnitOfWork::Begin(pool_, nullptr));
  store::Database& db = work.db();
  const Timestamp now = clock_.Now();
  for (const DefaultRule& d : DefaultRules()) {
    store::SqlValue key[] = {std::string(d.key)};
    ORCHARD_TRY(auto there, db.QueryInt("SELECT COUNT(*) FROM rules WHERE builtin_key = ?", key));
    if (there.value_or(0) > 0) continue;
    ORCHARD_TRY(RuleDefinition def, ParseDefinition(d.definition));
    std::vector<store::SqlValue> p;
    p.emplace_back(std::string(d.name));
    p.emplace_back(std::string(d.description));
    p.emplace_back(std::string(ToString(active ? RuleStatus::kActive : RuleStatus::kDraft)));
    p.emplace_back(DefinitionJson(def));
    p.emplace_back(std::string(d.key));
    p.emplace_back(now.ToString());
    p.emplace_back(now.ToString());
    ORCHARD_TRY(auto id,
                db.QueryInt("INSERT INTO rules (name, description, status, enabled, version, "
                            "definition, builtin_key, created_at, updated_at) VALUES (?, ?, ?, "
                            "TRUE, 1, ?, ?, ?, ?) RETURNING id",
                            p));
    ORCHARD_TRY(StoredRule saved, ReadOne(db, id.value_or(0)));
    ORCHARD_CHECK(InsertVersion(db, saved, now, std::nullopt));
    ORCHARD_CHECK(Audit(db, service::Actor{}, now, saved.id, AuditAction::kCreate, std::nullopt,
                        RuleJson(saved)));
  }
  return work.Commit();
}

Result<Inbox> RuleService::InboxOf(const service::Actor& actor, bool unread_only, int limit,
                                   std::optional<int64_t> before) {
  if (!actor.user.valid()) return Fail(ErrorCode::kPermissionDenied, "an inbox is a user's");
  limit = std::clamp(limit, 1, 200);
  ORCHARD_TRY(auto db, pool_.Acquire());
  Inbox inbox;
  std::vector<store::SqlValue> p;
  p.emplace_back(actor.user.value);
  std::string sql =
      "SELECT id, account_id, firing_id, title, body, link, created_at, read_at FROM "
      "notifications WHERE user_id = ?";
  if (unread_only) sql += " AND read_at IS NULL";
  if (before) {
    sql += " AND id < ?";
    p.emplace_back(*before);
  }
  sql += " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
  ORCHARD_CHECK(db->Query(sql, p, [&](const store::Row& row) -> Status {
    Notification n;
    ORCHARD_TRY(n.id, row.GetInt(0));
    if (!row.IsNull(1)) {
      ORCHARD_TRY(int64_t a, row.GetInt(1));
      n.account_id = a;
    }
    if (!row.IsNull(2)) {
      ORCHARD_TRY(int64_t f, row.GetInt(2));
      n.firing_id = f;
    }
    n.title = std::string(row.GetText(3));
    n.body = std::string(row.GetText(4));
    n.link = std::string(row.GetText(5));
    ORCHARD_TRY(n.created_at, Timestamp::Parse(row.GetText(6)));
    if (!row.IsNull(7)) {
      ORCHARD_TRY(Timestamp t, Timestamp::Parse(row.GetText(7)));
      n.read_at = t;
    }
    inbox.items.push_back(std::move(n));
    return Ok();
  }));
  if (static_cast<int>(inbox.items.size()) > limit) {
    inbox.items.pop_back();
    inbox.next_before = inbox.items.back().id;
  }
  store::SqlValue u[] = {actor.user.value};
  ORCHARD_TRY(auto unread,
              db->QueryInt("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at "
                           "IS NULL",
                           u));
  inbox.unread = unread.value_or(0);
  return inbox;
}

Result<int64_t> RuleService::MarkRead(const service::Actor& actor,
                                      const std::vector<int64_t>& ids) {
  if (!actor.user.valid()) return Fail(ErrorCode::kPermissionDenied, "an inbox is a user's");
  ORCHARD_TRY(auto db, pool_.Acquire());
  const std::string now = clock_.Now().ToString();
  if (ids.empty()) {
    std::vector<store::SqlValue> p;
    p.emplace_back(now);
    p.emplace_back(actor.user.value);
    return db->Exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                    p);
  }
  int64_t changed = 0;
  for (int64_t id : ids) {
    std::vector<store::SqlValue> p;
    p.emplace_back(now);
    p.emplace_back(actor.user.value);
    p.emplace_back(id);
    ORCHARD_TRY(int64_t n, db->Exec("UPDATE notifications SET read_at = ? WHERE user_id = ? AND "
                                    "id = ? AND read_at IS NULL",
                                    p));
    changed += n;
  }
  return changed;
}

}  // namespace orchard::automation
