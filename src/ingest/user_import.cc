// A sales-teams file into users, managers and offices (user_import.h).
#include "ingest/user_import.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <variant>
#include <vector>

#include "domain/limits.h"
#include "ingest/csv.h"
#include "ingest/text.h"
#include "store/store.h"

namespace orchard::ingest {

namespace {

namespace json = boost::json;

constexpr std::string_view kUserFields[] = {"name", "email", "external_id", "manager", "office"};

std::string AuditJson(const User& u) {
  json::object o{{"email", u.email},   {"name", u.name},     {"role", ToString(u.role)},
                 {"active", u.active}, {"office", u.office}, {"created_by", "import"}};
  if (u.manager_id) o["manager_id"] = u.manager_id->value;
  if (u.external_id) o["external_id"] = *u.external_id;
  return json::serialize(o);
}

// The users as the import sees them: by e-mail, external id and name, with changes kept until
// they are written.
class People {
 public:
  People(store::Database& db, const ImportOptions& options, std::string source, Timestamp at)
      : db_(db), options_(options), source_(std::move(source)), at_(at) {}

  Status Load() {
    return db_.Query("SELECT " + store::SelectList<User>() + " FROM users ORDER BY id", {},
                     [&](const store::Row& r) -> Status {
                       ORCHARD_TRY(User u, store::FromRow<User>(r));
                       Index(u, users_.size());
                       users_.push_back({u, u, false});
                       return Ok();
                     });
  }

  // The user a row or a manager column names; empty: nobody; an error text: ambiguous.
  std::variant<std::monostate, size_t, std::string> Find(const std::string& email,
                                                         const std::string& key,
                                                         const std::string& name) const {
    if (!email.empty()) {
      if (auto it = by_email_.find(Lower(email)); it != by_email_.end()) return it->second;
    }
    if (!key.empty()) {
      if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
    }
    if (!name.empty() && email.empty()) {
      auto [from, to] = by_name_.equal_range(Lower(Trim(name)));
      if (from != to && std::next(from) != to) {
        return "\"" + name + "\" names more than one user (" + users_[from->second].now.email +
               ", " + users_[std::next(from)->second].now.email + ")";
      }
      if (from != to) return from->second;
    }
    return std::monostate();
  }

  size_t Add(const std::string& name, const std::string& email, Role role) {
    User u;
    u.name = name;
    u.role = role;
    u.active = false;  // no password either: they cannot sign in until an admin sets them up
    u.created_at = at_;
    u.email = Lower(email);
    if (email.empty()) {
      u.email = InvalidAddressFor(name, source_,
                                  [&](const std::string& a) { return by_email_.contains(a); });
    }
    Index(u, users_.size());
    users_.push_back({User{}, u, true});
    return users_.size() - 1;
  }

  User& at(size_t i) { return users_[i].now; }
  void Rekey(size_t i) { Index(users_[i].now, i); }

  // Every new or changed user written and audited; counts into summary.
  Status Write(ImportSummary& summary, FileSummary& file) {
    store::Store store(db_);
    // New users first (without managers: a manager may be new too), then every link.
    for (auto& p : users_) {
      if (!p.is_new) continue;
      User bare = p.now;
      bare.manager_id.reset();
      ORCHARD_TRY(User saved, store.Insert(bare));
      p.now.id = saved.id;
      summary.created_users.push_back(p.now.name + " <" + p.now.email + ">");
    }
    for (auto& p : users_) {
      if (!p.is_new && store::ToSqlValues(p.now) == store::ToSqlValues(p.before)) continue;
      // A manager added in this file was linked by their place (Ref): now by their id.
      if (p.now.manager_id && p.now.manager_id->value < 0) {
        p.now.manager_id = users_[static_cast<size_t>(-p.now.manager_id->value - 1)].now.id;
      }
      ORCHARD_CHECK(store.Update(p.now));
      AuditEntry e;
      if (options_.actor) e.actor_id = *options_.actor;
      e.at = at_;
      e.entity = "users";
      e.entity_id = p.now.id.value;
      e.action = p.is_new ? AuditAction::kCreate : AuditAction::kUpdate;
      if (!p.is_new) e.before_json = AuditJson(p.before);
      e.after_json = AuditJson(p.now);
      ORCHARD_CHECK(store.Insert(e));
      ++(p.is_new ? file.inserted : file.updated);
    }
    return Ok();
  }

  // A link to user i, whose id a new user gets only when written: -(i + 1) until then.
  UserId Ref(size_t i) const {
    return users_[i].is_new ? UserId(-static_cast<int64_t>(i) - 1) : users_[i].now.id;
  }

 private:
  struct Person {
    User before, now;
    bool is_new = false;
  };
  void Index(const User& u, size_t i) {
    by_email_[Lower(u.email)] = i;
    if (u.external_id) by_key_[*u.external_id] = i;
    std::string name = Lower(Trim(u.name));
    if (name.empty()) return;
    auto [from, to] = by_name_.equal_range(name);
    for (auto it = from; it != to; ++it) {
      if (it->second == i) return;
    }
    by_name_.emplace(name, i);
  }

  store::Database& db_;
  const ImportOptions& options_;
  std::string source_;
  Timestamp at_;
  std::vector<Person> users_;
  std::map<std::string, size_t> by_email_, by_key_;
  std::multimap<std::string, size_t> by_name_;
};

}  // namespace

Result<UserMap> ParseUserMap(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "the mapping is not a JSON object");
  }
  UserMap map;
  for (const auto& kv : doc.as_object()) {
    std::string_view k = kv.key();
    if (k == "object" || k == "columns") continue;
    const json::string* v = kv.value().if_string();
    if (k == "delimiter" && v && v->size() == 1) {
      map.delimiter = (*v)[0];
    } else if (k == "source" && v && !v->empty()) {
      map.source = std::string(*v);
    } else {
      return Fail(ErrorCode::kInvalidArgument,
                  "the mapping has an unknown or mistyped key \"" + std::string(k) +
                      "\"; a users mapping takes columns, delimiter, object and source");
    }
  }
  const json::value* columns = doc.as_object().if_contains("columns");
  if (!columns || !columns->is_object() || columns->as_object().empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the mapping needs \"columns\": {\"the file's column\": \"a user field\"}");
  }
  for (const auto& kv : columns->as_object()) {
    std::string target;
    if (kv.value().is_string()) target = std::string(kv.value().get_string());
    if (const auto* o = kv.value().if_object(); o && o->contains("field")) {
      if (const auto* f = o->at("field").if_string()) target = std::string(*f);
    }
    if (target == "team") target = "office";
    if (std::find(std::begin(kUserFields), std::end(kUserFields), target) ==
        std::end(kUserFields)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "column \"" + std::string(kv.key()) + "\": \"" + target +
                      "\" is not a field of users; they are name, email, external_id, manager "
                      "and office (or team)");
    }
    map.columns[std::string(kv.key())] = target;
  }
  bool named = false;
  for (const auto& [column, field] : map.columns) {
    named = named || field == "name" || field == "email" || field == "external_id";
  }
  if (!named) {
    return Fail(ErrorCode::kInvalidArgument,
                "a users mapping needs a column for name, email or external_id");
  }
  return map;
}

Result<ImportSummary> ImportUsers(store::Database& db, const Clock& clock, const std::string& path,
                                  const UserMap& map, const ImportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  ImportSummary summary;
  summary.source = options.source;
  summary.dry_run = options.dry_run;
  FileSummary file;
  file.file = path;
  if (!options.hide_dir.empty() && path.starts_with(options.hide_dir + "/")) {
    file.file = path.substr(options.hide_dir.size() + 1);
  }
  file.object = "users";
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read " + path);
  CsvReader reader(in, CsvOptions{map.delimiter});
  CsvRecord rec;
  CsvProblem problem;
  ORCHARD_TRY(auto first, reader.Next(&rec, &problem));
  if (first != CsvReader::Status::kRecord) {
    return Fail(ErrorCode::kInvalidArgument, path + ": the file has no header");
  }
  std::map<std::string, int> where;  // field → column
  for (size_t i = 0; i < rec.fields.size(); ++i) {
    auto it = map.columns.find(std::string(Trim(rec.fields[i])));
    if (it != map.columns.end()) where[it->second] = static_cast<int>(i);
  }
  for (const auto& [column, field] : map.columns) {
    if (!where.contains(field)) {
      return Fail(ErrorCode::kInvalidArgument,
                  path + ": the mapping names \"" + column + "\", which the file does not have");
    }
  }
  std::string source = map.source.value_or(options.external_source);
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  People people(db, options, source.empty() ? "import" : source, clock.Now());
  ORCHARD_CHECK(people.Load());
  auto reject = [&](int64_t line, std::string reason) {
    ++file.rejected;
    if (summary.rejections.size() < ImportSummary::kKeptRejections) {
      summary.rejections.push_back({file.file, line, 0, "", std::move(reason)});
    }
  };
  std::vector<std::pair<size_t, std::string>> managers;  // user, the manager column's text
  while (true) {
    ORCHARD_TRY(auto status, reader.Next(&rec, &problem));
    if (status == CsvReader::Status::kEnd) break;
    ++file.rows;
    if (status == CsvReader::Status::kProblem) {
      reject(problem.line, problem.reason);
      continue;
    }
    auto get = [&](const char* field) -> std::string {
      auto it = where.find(field);
      if (it == where.end() || it->second >= static_cast<int>(rec.fields.size())) return "";
      return std::string(Trim(rec.fields[static_cast<size_t>(it->second)]));
    };
    std::string name = get("name"), email = get("email"), key = get("external_id");
    if (name.empty() && email.empty() && key.empty()) {
      reject(rec.line, "the row names nobody: it has no name, email or external_id");
      continue;
    }
    if (!email.empty() && email.find('@') == std::string::npos) {
      reject(rec.line, "email \"" + email + "\" is not an e-mail address");
      continue;
    }
    auto found = people.Find(email, key, name);
    if (auto* why = std::get_if<std::string>(&found)) {
      reject(rec.line, *why + ": give an email column to tell them apart");
      continue;
    }
    size_t i = std::holds_alternative<size_t>(found)
                   ? std::get<size_t>(found)
                   : people.Add(name.empty() ? email : name, email, Role::kAm);
    User& u = people.at(i);
    if (u.name.empty() && !name.empty()) u.name = name;
    if (!key.empty() && !u.external_id) {
      u.external_id = key;
      u.external_source = source.empty() ? std::optional<std::string>() : source;
    }
    if (where.contains("office")) u.office = get("office");
    for (const char* f : {"name", "office"}) {
      auto limit = TextLimitOf("users", f);
      if (auto bad = CheckText(f == std::string_view("name") ? u.name : u.office, *limit)) {
        return FailValue(f, "line " + std::to_string(rec.line) + ": " + *bad);
      }
    }
    people.Rekey(i);
    if (where.contains("manager")) managers.emplace_back(i, get("manager"));
  }
  // Managers last: one may be named before their own row, or only as someone's manager (a
  // sales-teams file lists agents; their managers are people too, added with role manager).
  for (const auto& [i, who] : managers) {
    if (who.empty()) continue;
    bool is_email = who.find('@') != std::string::npos;
    auto found = people.Find(is_email ? who : "", "", is_email ? "" : who);
    if (auto* why = std::get_if<std::string>(&found)) {
      summary.warnings["manager " + *why + ": left as it was"]++;
      continue;
    }
    size_t m = std::holds_alternative<size_t>(found)
                   ? std::get<size_t>(found)
                   : people.Add(is_email ? who.substr(0, who.find('@')) : who, is_email ? who : "",
                                Role::kManager);
    if (m == i) continue;
    if (!std::holds_alternative<size_t>(found)) people.at(m).office = people.at(i).office;
    people.at(i).manager_id = people.Ref(m);
  }
  ORCHARD_CHECK(people.Write(summary, file));
  file.unchanged = file.rows - file.rejected - file.inserted - file.updated;
  if (file.unchanged < 0) file.unchanged = 0;        // managers added beside the rows
  if (!options.dry_run) ORCHARD_CHECK(tx.Commit());  // a dry run's rolls back here
  summary.files.push_back(file);
  summary.rows = file.rows;
  summary.inserted = file.inserted;
  summary.updated = file.updated;
  summary.unchanged = file.unchanged;
  summary.rejected = file.rejected;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace orchard::ingest
