// The import half of salesforce_signals.h: each file's rows written through the bulk writers a
// few thousand at a time, with ids reserved as the Importer reserves them, each logged to the
// change log under its account (so running servers see it), their texts scored, one audit entry
// for them all, in one transaction.
#include "ingest/salesforce_signals.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include "core/text.h"
#include "domain/enums.h"
#include "ingest/csv.h"
#include "ingest/text.h"
#include "service/sentiment_on_write.h"
#include "store/store.h"

namespace orchard::ingest {
namespace {

namespace fs = std::filesystem;

// The objects in the order they are read (none links to another of them), by file stem.
constexpr std::string_view kObjects[] = {"Task", "Case", "Orchard_NPS_Response__c",
                                         "Orchard_Usage__c", "Orchard_Health_Override__c"};
constexpr std::string_view kTables[] = {"activities", "tickets", "nps_responses", "usage_metrics",
                                        "health_overrides"};

std::optional<size_t> ObjectOfFile(const std::string& path) {
  std::string stem = Lower(fs::path(path).stem().string());
  for (size_t i = 0; i < std::size(kObjects); ++i) {
    std::string name = Lower(kObjects[i]);
    if (stem == name || stem.starts_with(name + "_") || stem.starts_with(name + "-")) return i;
  }
  return std::nullopt;
}

// Accounts, contacts (by the Id the export wrote: a Salesforce Id, or "orchard-N" for a row that
// has none) and users (by e-mail), as the book holds them after the core import.
struct Links {
  std::unordered_map<std::string, int64_t> accounts, contacts, users;

  static Result<std::unordered_map<std::string, int64_t>> Load(store::Database& db,
                                                               const std::string& table) {
    std::unordered_map<std::string, int64_t> ids;
    ORCHARD_CHECK(
        db.Query("SELECT id, salesforce_id FROM " + table, {}, [&](const store::Row& r) -> Status {
          ORCHARD_TRY(int64_t id, r.GetInt(0));
          // A row without one is what the export names "orchard-N".
          ids.emplace(r.IsNull(1) ? "orchard-" + std::to_string(id) : std::string(r.GetText(1)),
                      id);
          return Ok();
        }));
    return ids;
  }
};

// One file being read: its header by name, the current record, where errors point.
struct File {
  std::string name;
  std::unordered_map<std::string, size_t> columns;  // lower-cased name → position
  CsvRecord record;

  std::string_view Get(std::string_view column) const {
    auto it = columns.find(Lower(column));
    if (it == columns.end() || it->second >= record.fields.size()) return {};
    return Trim(record.fields[it->second]);
  }
  Error Bad(std::string_view column, const std::string& why) const {
    return Error{
        ErrorCode::kInvalidArgument,
        name + " line " + std::to_string(record.line) + ": " + std::string(column) + " " + why,
        {}};
  }
};

struct Pending;

struct Context {
  Context(store::Database& database, Timestamp at, std::string hidden, Pending* queued)
      : db(database), store(database), now(at), hide_dir(std::move(hidden)), pending(queued) {}

  store::Database& db;
  store::Store store;
  Timestamp now;
  Links links;
  // By table: the accounts that had rows of it before this import read its first file.
  std::map<std::string, std::set<int64_t>, std::less<>> had;
  const std::set<int64_t>* had_rows = nullptr;  // the current file's table's
  FileSummary* file = nullptr;
  std::string hide_dir;  // ImportOptions::hide_dir
  Pending* pending = nullptr;
};

Result<int64_t> Link(const File& f, const std::unordered_map<std::string, int64_t>& ids,
                     std::string_view column, std::string_view what) {
  std::string_view key = f.Get(column);
  if (key.empty())
    return std::unexpected(f.Bad(column, "is empty; it names the " + std::string(what)));
  auto it = ids.find(std::string(key));
  if (it == ids.end()) {
    return std::unexpected(f.Bad(column, "names " + std::string(what) + " " + std::string(key) +
                                             ", which the book does not hold (import its file "
                                             "first, in the same folder)"));
  }
  return it->second;
}

template <class Tag>
Result<std::optional<Id<Tag>>> OptionalLink(const File& f,
                                            const std::unordered_map<std::string, int64_t>& ids,
                                            std::string_view column, std::string_view what) {
  if (f.Get(column).empty()) return std::optional<Id<Tag>>();
  ORCHARD_TRY(int64_t id, Link(f, ids, column, what));
  return std::optional<Id<Tag>>(Id<Tag>(id));
}

std::optional<UserId> UserOf(const Context& c, std::string_view email) {
  auto it = c.links.users.find(Lower(email));
  return it == c.links.users.end() ? std::nullopt : std::optional<UserId>(UserId(it->second));
}

// 2026-11-30T08:00:00.000Z, 2026-11-30 08:00:00 or a bare date (midnight).
Result<Timestamp> DateTimeOf(const File& f, std::string_view column) {
  std::string text(f.Get(column));
  if (text.size() == 10) text += " 00:00:00";
  if (text.size() >= 19) {
    text = text.substr(0, 19);
    if (text[10] == 'T') text[10] = ' ';
  }
  auto t = Timestamp::Parse(text);
  if (!t)
    return std::unexpected(
        f.Bad(column, "is not a date-time: \"" + std::string(f.Get(column)) + "\""));
  return *t;
}

Result<std::optional<Timestamp>> OptionalDateTime(const File& f, std::string_view column) {
  if (f.Get(column).empty()) return std::optional<Timestamp>();
  ORCHARD_TRY(Timestamp t, DateTimeOf(f, column));
  return std::optional<Timestamp>(t);
}

Result<Date> DateOf(const File& f, std::string_view column) {
  auto d = Date::Parse(f.Get(column).substr(0, 10));
  if (!d)
    return std::unexpected(f.Bad(column, "is not a date: \"" + std::string(f.Get(column)) + "\""));
  return *d;
}

Result<int64_t> IntOf(const File& f, std::string_view column) {
  std::string_view text = f.Get(column);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return std::unexpected(
        f.Bad(column, "is not a whole number: \"" + std::string(f.Get(column)) + "\""));
  return n;
}

bool BoolOf(const File& f, std::string_view column) {
  std::string v = Lower(f.Get(column));
  return v == "true" || v == "1" || v == "yes";
}

template <class E>
Result<E> EnumOf(const File& f, std::string_view column, std::string_view fallback) {
  std::string text = Lower(f.Get(column));
  if (text.empty()) text = fallback;
  auto e = ParseEnum<E>(text);
  if (!e) return std::unexpected(f.Bad(column, e.error().message));
  return *e;
}

// Rows waiting to be written, a few thousand at a time: ids reserved for them, then the rows, who
// took part in each activity, their texts' sentiments and their change-log entries through the
// bulk writers (a statement per row took a minute for a 2,000-account book on PostgreSQL).
template <class T>
struct Queue {
  std::vector<T> rows;
  std::vector<std::vector<int64_t>> people;  // activities only: who took part, by row
};

struct Pending {
  Queue<Activity> activities;
  Queue<Ticket> tickets;
  Queue<NpsResponse> nps;
  Queue<UsageMetric> usage;
  Queue<HealthOverride> overrides;
  size_t rows = 0;
};

// A change-log entry (as import.cc writes them) onto `log`, five values a row.
void Log(std::vector<store::SqlValue>& log, std::string_view table, int64_t id, Timestamp at,
         int64_t account) {
  log.emplace_back(std::string(table));
  log.emplace_back(id);
  log.emplace_back(at.ToString());
  log.emplace_back(account);
  log.emplace_back();
}

// Ids reserved for `rows`, set on them, and the rows written; their change-log entries onto log.
template <class T>
Status WriteRows(store::Database& db, Timestamp at, std::vector<T>& rows,
                 std::vector<store::SqlValue>& log) {
  if (rows.empty()) return Ok();
  const std::string_view table = EntitySchema<T>::kTable;
  ORCHARD_TRY(auto ranges, db.ReserveIds(table, static_cast<int64_t>(rows.size())));
  size_t next = 0;
  for (const auto& range : ranges) {
    for (int64_t i = 0; i < range.count && next < rows.size(); ++i) {
      rows[next++].id = decltype(T::id)(range.first + i);
    }
  }
  if (next != rows.size()) return Fail(ErrorCode::kInternal, "fewer ids reserved than asked for");
  std::vector<store::SqlValue> values;
  for (const T& row : rows) {
    auto v = store::ToSqlValues(row);
    values.insert(values.end(), std::make_move_iterator(v.begin()),
                  std::make_move_iterator(v.end()));
    Log(log, table, row.id.value, at, row.account_id.value);
  }
  auto names = store::ColumnNames<T>();
  ORCHARD_TRY(auto writer, db.OpenBulkWriter(table, names));
  ORCHARD_CHECK(writer->AddRows(values));
  return writer->Finish();
}

// One queue's rows written, with who took part in each activity; their texts scored onto scored.
template <class T>
Status FlushQueue(Context& c, Queue<T>& q, std::vector<TextSentiment>& scored,
                  std::vector<store::SqlValue>& log) {
  ORCHARD_CHECK(WriteRows(c.db, c.now, q.rows, log));
  if constexpr (std::is_same_v<T, Activity>) {
    std::vector<store::SqlValue> pairs;
    for (size_t i = 0; i < q.rows.size(); ++i) {
      if (q.people[i].empty()) continue;
      for (int64_t contact : q.people[i]) {
        pairs.emplace_back(q.rows[i].id.value);
        pairs.emplace_back(contact);
      }
      Log(log, "activity_contacts", q.rows[i].id.value, c.now, q.rows[i].account_id.value);
    }
    std::string_view cols[] = {"activity_id", "contact_id"};
    ORCHARD_TRY(auto writer, c.db.OpenBulkWriter("activity_contacts", cols));
    ORCHARD_CHECK(writer->AddRows(pairs));
    ORCHARD_CHECK(writer->Finish());
  }
  if constexpr (service::HasScoredText<T>) {
    for (const T& row : q.rows) {
      ORCHARD_TRY(auto s, service::ScoreText(service::TextToScore(row), c.now));
      if (s) scored.push_back(std::move(*s));
    }
  }
  c.file->inserted += static_cast<int64_t>(q.rows.size());
  q.rows.clear();
  q.people.clear();
  return Ok();
}

// Everything queued written, then the texts' sentiments and every change-log entry.
Status Flush(Context& c) {
  Pending& p = *c.pending;
  std::vector<TextSentiment> scored;
  std::vector<store::SqlValue> log;
  ORCHARD_CHECK(FlushQueue(c, p.activities, scored, log));
  ORCHARD_CHECK(FlushQueue(c, p.tickets, scored, log));
  ORCHARD_CHECK(FlushQueue(c, p.nps, scored, log));
  ORCHARD_CHECK(FlushQueue(c, p.usage, scored, log));
  ORCHARD_CHECK(FlushQueue(c, p.overrides, scored, log));
  ORCHARD_CHECK(WriteRows(c.db, c.now, scored, log));
  p.rows = 0;
  if (log.empty()) return Ok();
  std::string_view cols[] = {"entity", "entity_id", "at", "account_id", "last_id"};
  ORCHARD_TRY(auto writer, c.db.OpenBulkWriter("change_log", cols));
  ORCHARD_CHECK(writer->AddRows(log));
  return writer->Finish();
}

template <class T>
Queue<T>& QueueOf(Pending& p) {
  if constexpr (std::is_same_v<T, Activity>) return p.activities;
  if constexpr (std::is_same_v<T, Ticket>) return p.tickets;
  if constexpr (std::is_same_v<T, NpsResponse>) return p.nps;
  if constexpr (std::is_same_v<T, UsageMetric>) return p.usage;
  if constexpr (std::is_same_v<T, HealthOverride>) return p.overrides;
}

// Queues the row (written, logged and its text scored at the next flush).
template <class T>
Status Write(Context& c, T row, std::vector<int64_t> people = {}) {
  constexpr size_t kBatch = 5000;
  Queue<T>& q = QueueOf<T>(*c.pending);
  q.rows.push_back(std::move(row));
  q.people.push_back(std::move(people));
  if (++c.pending->rows >= kBatch) return Flush(c);
  return Ok();
}

// Task → activities, with everyone named in Orchard_Participants__c (or the WhoId alone).
Status ReadTask(Context& c, const File& f, AccountId account) {
  Activity a;
  a.account_id = account;
  std::string_view subtype = f.Get("TaskSubtype");
  std::string_view fallback = Lower(subtype) == "email"  ? "email"
                              : Lower(subtype) == "call" ? "call"
                                                         : "note";
  ORCHARD_TRY(a.kind, EnumOf<ActivityKind>(f, "Orchard_Kind__c", fallback));
  a.meaningful = BoolOf(f, "Orchard_Meaningful__c");
  if (!f.Get("Orchard_Occurred_At__c").empty()) {
    ORCHARD_TRY(a.occurred_at, DateTimeOf(f, "Orchard_Occurred_At__c"));
  } else {
    ORCHARD_TRY(a.occurred_at, DateTimeOf(f, "ActivityDate"));
  }
  a.user_id = UserOf(c, f.Get("Owner.Email"));
  a.subject = std::string(f.Get("Subject"));
  a.body = std::string(f.Get("Description"));
  std::set<int64_t> people;
  std::string_view list = f.Get("Orchard_Participants__c");
  std::string_view column = "Orchard_Participants__c";
  if (list.empty()) {
    list = f.Get("WhoId");
    column = "WhoId";
  }
  for (size_t at = 0; at <= list.size();) {
    size_t cut = std::min(list.find(';', at), list.size());
    std::string key(Trim(list.substr(at, cut - at)));
    at = cut + 1;
    if (key.empty()) continue;
    auto it = c.links.contacts.find(key);
    if (it == c.links.contacts.end()) {
      return std::unexpected(
          f.Bad(column, "names Contact " + key + ", which the book does not hold"));
    }
    people.insert(it->second);
  }
  ORCHARD_CHECK(Write(c, std::move(a), std::vector<int64_t>(people.begin(), people.end())));
  return Ok();
}

// Case → tickets: Orchard's values where the file has them, else Salesforce's standard fields.
Status ReadCase(Context& c, const File& f, AccountId account) {
  Ticket t;
  t.account_id = account;
  ORCHARD_TRY(t.contact_id,
              OptionalLink<struct ContactTag>(f, c.links.contacts, "ContactId", "a Contact"));
  std::string priority = Lower(f.Get("Priority"));
  ORCHARD_TRY(t.severity, EnumOf<TicketSeverity>(f, "Orchard_Severity__c",
                                                 priority.empty() ? "medium" : priority));
  std::string status = Lower(f.Get("Status"));
  ORCHARD_TRY(t.status, EnumOf<TicketStatus>(f, "Orchard_Status__c",
                                             status == "closed" ? "closed"
                                             : status == "new"  ? "open"
                                                                : "pending"));
  t.escalated = BoolOf(f, "IsEscalated");
  ORCHARD_TRY(t.opened_at, DateTimeOf(f, "CreatedDate"));
  ORCHARD_TRY(t.closed_at, OptionalDateTime(f, "ClosedDate"));
  t.subject = std::string(f.Get("Subject"));
  t.body = std::string(f.Get("Description"));
  if (!f.Get("Orchard_Satisfaction__c").empty()) {
    ORCHARD_TRY(int64_t csat, IntOf(f, "Orchard_Satisfaction__c"));
    t.satisfaction = csat;
  }
  ORCHARD_TRY(t.first_response_at, OptionalDateTime(f, "Orchard_First_Response__c"));
  ORCHARD_TRY(t.channel,
              EnumOf<TicketChannel>(f, "Orchard_Channel__c",
                                    Lower(f.Get("Origin")) == "email" ? "request" : "ticket"));
  ORCHARD_CHECK(Write(c, std::move(t)));
  return Ok();
}

Status ReadNps(Context& c, const File& f, AccountId account) {
  NpsResponse n;
  n.account_id = account;
  ORCHARD_TRY(n.contact_id, OptionalLink<struct ContactTag>(f, c.links.contacts,
                                                            "Orchard_Contact__c", "a Contact"));
  ORCHARD_TRY(int64_t score, IntOf(f, "Orchard_Score__c"));
  if (score < 0 || score > 10) return std::unexpected(f.Bad("Orchard_Score__c", "must be 0 to 10"));
  n.score = static_cast<int>(score);
  n.comment = std::string(f.Get("Orchard_Comment__c"));
  ORCHARD_TRY(n.responded_on, DateOf(f, "Orchard_Responded_On__c"));
  ORCHARD_CHECK(Write(c, std::move(n)));
  return Ok();
}

Status ReadUsage(Context& c, const File& f, AccountId account) {
  UsageMetric u;
  u.account_id = account;
  ORCHARD_TRY(u.day, DateOf(f, "Orchard_Day__c"));
  ORCHARD_TRY(u.active_users, IntOf(f, "Orchard_Active_Users__c"));
  ORCHARD_TRY(u.licensed_seats, IntOf(f, "Orchard_Licensed_Seats__c"));
  ORCHARD_CHECK(Write(c, std::move(u)));
  return Ok();
}

Status ReadOverride(Context& c, const File& f, AccountId account) {
  HealthOverride h;
  h.account_id = account;
  ORCHARD_TRY(int64_t score, IntOf(f, "Orchard_Score__c"));
  if (score < 0 || score > 100)
    return std::unexpected(f.Bad("Orchard_Score__c", "must be 0 to 100"));
  h.score = static_cast<int>(score);
  h.reason = std::string(f.Get("Orchard_Reason__c"));
  ORCHARD_TRY(h.expires_on, DateOf(f, "Orchard_Expires_On__c"));
  h.set_by = UserOf(c, f.Get("Orchard_Set_By__c"));
  ORCHARD_TRY(h.created_at, DateTimeOf(f, "CreatedDate"));
  ORCHARD_CHECK(Write(c, std::move(h)));
  return Ok();
}

// Each object's reader, by kTables' order, and the column naming its row's Account.
struct Reader {
  std::string_view account_column;
  Status (*read)(Context&, const File&, AccountId);
};
constexpr Reader kReaders[] = {{"WhatId", ReadTask},
                               {"AccountId", ReadCase},
                               {"Orchard_Account__c", ReadNps},
                               {"Orchard_Account__c", ReadUsage},
                               {"Orchard_Account__c", ReadOverride}};

// One file: the accounts that already have rows of its table are noted first, then each row.
Status ReadFile(Context& c, const std::string& path, size_t object, ImportSummary& summary) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read " + path);
  const std::string table(kTables[object]);
  auto [had, first] = c.had.try_emplace(table);
  if (first) {  // a second file of the table (Task_2.csv) adds to the accounts of the first
    ORCHARD_CHECK(c.db.Query("SELECT DISTINCT account_id FROM " + table, {},
                             [&](const store::Row& r) -> Status {
                               ORCHARD_TRY(int64_t id, r.GetInt(0));
                               had->second.insert(id);
                               return Ok();
                             }));
  }
  c.had_rows = &had->second;
  summary.files.push_back({path, table});
  c.file = &summary.files.back();
  if (!c.hide_dir.empty() && path.starts_with(c.hide_dir + "/")) {
    c.file->file.erase(0, c.hide_dir.size() + 1);  // an upload's own folder
  }
  File f;
  f.name = c.file->file;
  CsvReader reader(in);
  CsvProblem problem;
  bool header = true;
  while (true) {
    ORCHARD_TRY(auto status, reader.Next(&f.record, &problem));
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kProblem) {
      return Fail(ErrorCode::kInvalidArgument,
                  f.name + " line " + std::to_string(problem.line) + ": " + problem.reason);
    }
    if (header) {
      for (size_t i = 0; i < f.record.fields.size(); ++i) {
        f.columns.emplace(Lower(Trim(f.record.fields[i])), i);
      }
      header = false;
      continue;
    }
    ++c.file->rows;
    const Reader& reader_of = kReaders[object];
    ORCHARD_TRY(int64_t account, Link(f, c.links.accounts, reader_of.account_column, "an Account"));
    if (c.had_rows->contains(account)) {  // that account's rows of the table are in already
      ++c.file->unchanged;
      continue;
    }
    ORCHARD_CHECK(reader_of.read(c, f, AccountId(account)));
  }
  ORCHARD_CHECK(Flush(c));
  summary.rows += c.file->rows;
  summary.inserted += c.file->inserted;
  summary.unchanged += c.file->unchanged;
  return Ok();
}

}  // namespace

bool IsSalesforceSignalsCsv(const std::string& path) {
  return Lower(fs::path(path).extension().string()) == ".csv" && ObjectOfFile(path).has_value();
}

Result<ImportSummary> ImportSalesforceSignals(store::Database& db, const Clock& clock,
                                              const std::string& path,
                                              const ImportOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  ImportSummary summary;
  summary.source = options.source;
  std::vector<std::pair<size_t, std::string>> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      std::string file = entry.path().string();
      if (IsSalesforceSignalsCsv(file)) files.emplace_back(*ObjectOfFile(file), file);
    }
  } else if (IsSalesforceSignalsCsv(path)) {
    files.emplace_back(*ObjectOfFile(path), path);
  }
  if (files.empty()) return summary;
  std::sort(files.begin(), files.end());
  summary.files.reserve(files.size());
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  Pending pending;
  Context c(db, clock.Now(), options.hide_dir, &pending);
  ORCHARD_TRY(c.links.accounts, Links::Load(db, "accounts"));
  ORCHARD_TRY(c.links.contacts, Links::Load(db, "contacts"));
  ORCHARD_CHECK(db.Query("SELECT id, email FROM users", {}, [&](const store::Row& r) -> Status {
    ORCHARD_TRY(int64_t id, r.GetInt(0));
    c.links.users.emplace(Lower(r.GetText(1)), id);
    return Ok();
  }));
  for (const auto& [object, file] : files) ORCHARD_CHECK(ReadFile(c, file, object, summary));
  if (summary.inserted > 0 && db.dialect() == store::Dialect::kPostgres) {
    ORCHARD_CHECK(db.ExecScript("NOTIFY orchard_changes"));  // running servers: read the log
  }
  if (summary.inserted > 0) {
    AuditEntry e;  // one for these files, as every import writes (import_rows.cc)
    e.actor_id = options.actor;
    e.at = c.now;
    e.entity = "imports";
    e.action = AuditAction::kCreate;
    e.after_json = summary.ToJson();
    ORCHARD_CHECK(c.store.Insert(e));
  }
  if (!options.dry_run) ORCHARD_CHECK(tx.Commit());  // a dry run's rolls back
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace orchard::ingest
