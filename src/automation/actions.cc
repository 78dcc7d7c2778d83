#include "automation/actions.h"

#include "automation/state.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "domain/entities.h"
#include "service/entity_service.h"
#include "store/store.h"

namespace orchard::automation {
namespace json = boost::json;
namespace {

// Automation writes as the system: audited with no user, with the rights of the rule's author
// checked when the rule was saved (only admins and leaders save rules).
const service::Actor kSystem{UserId(), Role::kAdmin, {}};

struct People {
  std::optional<int64_t> am, csm, sponsor;
};

Result<People> PeopleOf(store::Database& db, int64_t account_id) {
  People p;
  bool found = false;
  store::SqlValue id[] = {account_id};
  auto on_row = [&](const store::Row& row) -> Status {
    found = true;
    std::optional<int64_t>* out[] = {&p.am, &p.csm, &p.sponsor};
    for (int c = 0; c < 3; ++c) {
      if (row.IsNull(c)) continue;
      ORCHARD_TRY(int64_t v, row.GetInt(c));
      *out[c] = v;
    }
    return Ok();
  };
  ORCHARD_CHECK(
      db.Query("SELECT owner_id, csm_id, sponsor_id FROM accounts WHERE id = ?", id, on_row));
  if (!found)
    return Fail(ErrorCode::kNotFound, "account " + std::to_string(account_id) + " is gone");
  return p;
}

Result<std::vector<int64_t>> Ids(store::Database& db, std::string_view sql,
                                 std::span<const store::SqlValue> params) {
  std::vector<int64_t> out;
  ORCHARD_CHECK(db.Query(sql, params, [&](const store::Row& row) -> Status {
    ORCHARD_TRY(int64_t v, row.GetInt(0));
    out.push_back(v);
    return Ok();
  }));
  return out;
}

Result<int64_t> UserByEmail(store::Database& db, const std::string& email) {
  store::SqlValue p[] = {email};
  ORCHARD_TRY(auto ids,
              Ids(db, "SELECT id FROM users WHERE LOWER(email) = LOWER(?) AND active", p));
  if (ids.empty()) return FailValue("owner", email + " is not an active user");
  return ids.front();
}

Result<std::vector<int64_t>> TeamOf(store::Database& db, const std::string& manager_email) {
  ORCHARD_TRY(int64_t manager, UserByEmail(db, manager_email));
  store::SqlValue p[] = {manager};
  ORCHARD_TRY(auto team, Ids(db,
                             "SELECT id FROM users WHERE manager_id = ? AND active AND role IN "
                             "('am', 'csm', 'manager') ORDER BY id",
                             p));
  if (team.empty()) return FailValue("owner", manager_email + " has nobody in their team");
  return team;
}

// The one user an action's task goes to.
Result<int64_t> OwnerFor(store::Database& db, const Assignee& who, int64_t account_id) {
  ORCHARD_TRY(People people, PeopleOf(db, account_id));
  auto or_am = [&](std::optional<int64_t> u, std::string_view part) -> Result<int64_t> {
    if (u) return *u;
    if (people.am) return *people.am;
    return FailValue("owner", "the account has no " + std::string(part) + " and no AM");
  };
  switch (who.kind) {
    case AssigneeKind::kAm:
      return or_am(people.am, "AM");
    case AssigneeKind::kCsm:
      return or_am(people.csm, "CSM");
    case AssigneeKind::kSponsor:
      return or_am(people.sponsor, "executive sponsor");
    case AssigneeKind::kUser:
      return UserByEmail(db, who.email);
    case AssigneeKind::kAdmins: {
      ORCHARD_TRY(auto admins,
                  Ids(db, "SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id", {}));
      if (admins.empty()) return FailValue("owner", "there is no active admin");
      return admins.front();
    }
    case AssigneeKind::kRoundRobin: {
      ORCHARD_TRY(auto team, TeamOf(db, who.email));
      const std::string key = "round_robin:" + who.email;
      ORCHARD_TRY(auto last, ReadState(db, key));
      // The next member after the last one given (by id), wrapping around.
      int64_t next = team.front();
      if (last && !last->empty()) {
        const int64_t prev = std::stoll(*last);
        auto it = std::upper_bound(team.begin(), team.end(), prev);
        next = it == team.end() ? team.front() : *it;
      }
      ORCHARD_CHECK(WriteState(db, key, std::to_string(next)));
      return next;
    }
    case AssigneeKind::kFewestAccounts: {
      ORCHARD_TRY(auto team, TeamOf(db, who.email));
      int64_t best = team.front();
      int64_t fewest = INT64_MAX;
      for (int64_t member : team) {
        store::SqlValue p[] = {member};
        ORCHARD_TRY(auto n, db.QueryInt("SELECT COUNT(*) FROM accounts WHERE owner_id = ?", p));
        if (n.value_or(0) < fewest) {
          fewest = n.value_or(0);
          best = member;
        }
      }
      return best;
    }
  }
  return FailValue("owner", "nobody to give it to");
}

}  // namespace

Result<std::vector<int64_t>> RecipientsOf(store::Database& db, const std::vector<Assignee>& to,
                                          int64_t account_id) {
  ORCHARD_TRY(People people, PeopleOf(db, account_id));
  std::set<int64_t> out;
  for (const Assignee& who : to) {
    switch (who.kind) {
      case AssigneeKind::kAm:
        if (people.am) out.insert(*people.am);
        break;
      case AssigneeKind::kCsm:
        if (people.csm) out.insert(*people.csm);
        break;
      case AssigneeKind::kSponsor:
        if (people.sponsor) out.insert(*people.sponsor);
        break;
      case AssigneeKind::kAdmins: {
        ORCHARD_TRY(auto admins,
                    Ids(db, "SELECT id FROM users WHERE role = 'admin' AND active", {}));
        out.insert(admins.begin(), admins.end());
        break;
      }
      default: {
        ORCHARD_TRY(int64_t u, OwnerFor(db, who, account_id));
        out.insert(u);
      }
    }
  }
  if (out.empty()) {
    std::string names;
    for (const auto& who : to) names += (names.empty() ? "" : ", ") + who.Text();
    return FailValue("to", "nobody to tell: the account has none of " + names);
  }
  return std::vector<int64_t>(out.begin(), out.end());
}

namespace {

std::string ChecklistJson(const std::vector<std::string>& items,
                          const std::map<std::string, std::string>& merge) {
  if (items.empty()) return "";
  json::array out;
  for (const auto& text : items) {
    json::object item;
    item["text"] = Render(text, merge);
    item["done"] = false;
    out.push_back(std::move(item));
  }
  return json::serialize(out);
}

Result<std::string> OpenTask(service::UnitOfWork& work, store::ConnectionPool& pool,
                             const Clock& clock, engine::ReadModel* model, const FiringContext& f,
                             const std::string& key, const std::string& title,
                             const std::string& body, const std::vector<std::string>& checklist,
                             const Assignee& owner, int due_in_days) {
  ORCHARD_TRY(int64_t owner_id, OwnerFor(work.db(), owner, f.account_id));
  Task task;
  task.account_id = AccountId(f.account_id);
  task.title = FitText(Render(title, f.merge), 200);
  task.description = FitText(Render(body, f.merge), 4000);
  task.owner_id = UserId(owner_id);
  task.due_on = clock.Today().AddDays(due_in_days);
  task.status = TaskStatus::kOpen;
  task.source_key = key;
  task.checklist = ChecklistJson(checklist, f.merge);
  ORCHARD_TRY(Task saved,
              service::EntityService<Task>(pool, clock, model).CreateIn(work, kSystem, task));
  return "task " + std::to_string(saved.id.value) + " for user " + std::to_string(owner_id);
}

}  // namespace

std::string Render(std::string_view text, const std::map<std::string, std::string>& merge) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find("{{", at);
    if (open == std::string_view::npos) break;
    const size_t close = text.find("}}", open);
    if (close == std::string_view::npos) break;
    std::string_view name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    out.append(text.substr(at, open - at));
    auto it = merge.find(std::string(name));
    if (it != merge.end()) {
      out += it->second;
    } else {
      out.append(text.substr(open, close + 2 - open));
    }
    at = close + 2;
  }
  out.append(text.substr(std::min(at, text.size())));
  return out;
}

std::string FitText(std::string text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

Result<std::string> RunAction(service::UnitOfWork& work, store::ConnectionPool& pool,
                              const Clock& clock, engine::ReadModel* model, const Action& a,
                              int idx, const FiringContext& f) {
  store::Database& db = work.db();
  const std::string key = "rule:" + std::to_string(f.firing_id) + ":" + std::to_string(idx);
  switch (a.kind) {
    case ActionKind::kTask:
      return OpenTask(work, pool, clock, model, f, key, a.title, a.body, a.checklist, a.owner,
                      a.due_in_days);
    case ActionKind::kPlaybook: {
      std::string made;
      for (size_t s = 0; s < a.steps.size(); ++s) {
        const PlaybookStep& step = a.steps[s];
        const std::string body = "Step " + std::to_string(s + 1) + " of " +
                                 std::to_string(a.steps.size()) + " of the playbook \"" +
                                 Render(a.title, f.merge) + "\".";
        ORCHARD_TRY(std::string one,
                    OpenTask(work, pool, clock, model, f, key + ":" + std::to_string(s), step.title,
                             body, step.checklist, step.owner, step.due_in_days));
        made += (made.empty() ? "" : "; ") + one;
      }
      return made;
    }
    case ActionKind::kNotify: {
      ORCHARD_TRY(auto users, RecipientsOf(db, a.to, f.account_id));
      const std::string now = clock.Now().ToString();
      for (int64_t user : users) {
        std::vector<store::SqlValue> p;
        p.emplace_back(user);
        p.emplace_back(f.account_id);
        p.emplace_back(f.firing_id);
        p.emplace_back(key);
        p.emplace_back(FitText(Render(a.title, f.merge), 200));
        p.emplace_back(FitText(Render(a.body, f.merge), 4000));
        p.emplace_back("/accounts/" + std::to_string(f.account_id));
        p.emplace_back(now);
        ORCHARD_CHECK(db.Exec(
            "INSERT INTO notifications (user_id, account_id, firing_id, dedupe_key, title, body, "
            "link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, dedupe_key) "
            "DO NOTHING",
            p));
      }
      return "notified " + std::to_string(users.size()) + (users.size() == 1 ? " user" : " users");
    }
    case ActionKind::kSetField: {
      ORCHARD_TRY(Account current, work.store().Get<Account>(AccountId(f.account_id)));
      auto change = [&](Account& acc) -> Status {
        if (a.field == "strategic") {
          acc.strategic = a.value == "true";
        } else if (a.field == "lifecycle_stage") {
          ORCHARD_TRY(acc.lifecycle_stage, ParseEnum<LifecycleStage>(a.value));
        } else if (a.field == "growth_potential") {
          ORCHARD_TRY(Potential p, ParseEnum<Potential>(a.value));
          acc.growth_potential = p;
        }
        return Ok();
      };
      ORCHARD_CHECK(service::EntityService<Account>(pool, clock, model)
                        .UpdateIn(work, kSystem, current.id, current.version, change));
      return "set " + a.field + " to " + a.value;
    }
    case ActionKind::kWebhook:
    case ActionKind::kEmail:
    case ActionKind::kTechTouch:
      return RunOutbound(work, pool, clock, model, a, idx, f);
  }
  return Fail(ErrorCode::kInternal, "an action of no known kind");
}

}  // namespace orchard::automation
