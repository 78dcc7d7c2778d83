// The Importer's people and holding places: an owner column matched to a user (by e-mail, else
// external id, else name), an unknown owner added as an inactive user when the import asks for
// it, and the holding account that rows without an account go under when the mapping says so.
#include <boost/json.hpp>

#include "ingest/import.h"
#include "ingest/import_batch.h"
#include "ingest/text.h"
#include "store/store.h"

namespace orchard::ingest {

using namespace detail;  // the batch and the keys (import_batch.h)

Status Importer::LoadUsers() {
  ORCHARD_CHECK(WaitForWriter());
  std::map<std::string, std::vector<std::string>> emails_by_name;
  ORCHARD_CHECK(db_.Query("SELECT id, email, name, external_id FROM users ORDER BY id", {},
                          [&](const store::Row& r) -> Status {
                            ORCHARD_TRY(int64_t id, r.GetInt(0));
                            users_.emplace(Lower(r.GetText(1)), id);
                            std::string name = Lower(Trim(r.GetText(2)));
                            if (!name.empty()) {
                              auto [it, fresh] = users_by_name_.emplace(name, id);
                              if (!fresh) it->second = -1;  // shared: matches none
                              emails_by_name[name].emplace_back(r.GetText(1));
                            }
                            if (!r.IsNull(3)) users_by_key_.emplace(std::string(r.GetText(3)), id);
                            return Ok();
                          }));
  for (auto& [name, emails] : emails_by_name) {
    if (emails.size() < 2) continue;
    std::string list;
    for (const auto& e : emails) list += (list.empty() ? "" : ", ") + e;
    shared_names_[name] = std::move(list);
  }
  users_loaded_ = true;
  return Ok();
}

Result<std::optional<UserId>> Importer::FindUser(const std::string& who) {
  if (!users_loaded_) ORCHARD_CHECK(LoadUsers());
  auto hit = [](int64_t id) { return std::optional<UserId>(UserId(id)); };
  if (auto it = users_.find(Lower(who)); it != users_.end()) return hit(it->second);
  if (auto it = users_by_key_.find(who); it != users_by_key_.end()) return hit(it->second);
  std::string name = Lower(Trim(who));
  if (auto it = users_by_name_.find(name); it != users_by_name_.end()) {
    if (it->second >= 0) return hit(it->second);
    Warn("owner \"" + who + "\" names more than one user (" + shared_names_[name] +
         "): left as it was");
  }
  return std::optional<UserId>();
}

Status Importer::ApplyOwner(const ImportRow& row, std::optional<UserId>& owner) {
  if (!row.Has(Field::kOwner) || row.Get(Field::kOwner).empty()) return Ok();
  const std::string& who = row.Get(Field::kOwner);
  if (!users_loaded_) ORCHARD_CHECK(LoadUsers());
  if (shared_names_.contains(Lower(Trim(who)))) {
    ORCHARD_CHECK(FindUser(who));  // the warning naming both
    return Ok();
  }
  ORCHARD_TRY(auto user, FindUser(who));
  if (user) {
    owner = *user;
  } else if (options_.create_users) {
    ORCHARD_TRY(owner, CreateUser(who));
  } else {
    Warn("owner " + who +
         " is not an Orchard user: left as it was (--create-users adds such owners)");
  }
  return Ok();
}

// An owner Orchard does not know, as a user who cannot sign in: inactive, no password, role am
// (the role of whoever owns accounts and deals, should an admin activate them later). An owner
// written like an e-mail address is one; any other is a name, given an address under .invalid.
Result<UserId> Importer::CreateUser(const std::string& who) {
  std::string text(Trim(who));
  User u;
  u.role = Role::kAm;
  u.active = false;
  u.created_at = started_;
  if (text.find('@') != std::string::npos) {
    u.email = Lower(text);
    u.name = text.substr(0, text.find('@'));
  } else {
    u.name = text;
    std::string domain =
        options_.external_source.empty() ? options_.source : options_.external_source;
    u.email =
        InvalidAddressFor(text, domain, [&](const std::string& a) { return users_.contains(a); });
  }
  ORCHARD_CHECK(WaitForWriter());
  store::Store store(db_);
  ORCHARD_TRY(u, store.Insert(u));
  namespace json = boost::json;
  AuditEntry e;
  if (options_.actor) e.actor_id = *options_.actor;
  e.at = started_;
  e.entity = "users";
  e.entity_id = u.id.value;
  e.action = AuditAction::kCreate;
  e.after_json = json::serialize(json::object{{"email", u.email},
                                              {"name", u.name},
                                              {"role", std::string(ToString(u.role))},
                                              {"active", false},
                                              {"created_by", "import"}});
  ORCHARD_CHECK(store.Insert(e));
  users_.emplace(Lower(u.email), u.id.value);
  users_by_name_.emplace(Lower(u.name), u.id.value);
  summary_.created_users.push_back(u.name + " <" + u.email + ">");
  return u.id;
}

Result<int64_t> Importer::UnassignedAccount() {
  if (unassigned_id_) return *unassigned_id_;
  const std::string& name = *options_.unassigned_account;
  ORCHARD_TRY(auto found, Find(ImportObject::kAccounts, Ref{KeySystem::kName, name}));
  if (!found) {
    ORCHARD_CHECK(WaitForWriter());
    Account a;
    a.name = name;
    a.created_at = started_;
    a.updated_at = started_;
    store::Store store(db_);
    ORCHARD_TRY(a, store.Insert(a));
    found = a.id.value;
    IndexOf(ImportObject::kAccounts, KeySystem::kName).emplace(Lower(name), a.id.value);
    batch_->changes.push_back({"accounts", a.id.value, a.id.value});
    Warn("account \"" + name + "\" was not in Orchard: added, to hold rows without an account");
  }
  unassigned_id_ = *found;
  summary_.unassigned_account = name;
  return *found;
}

}  // namespace orchard::ingest
