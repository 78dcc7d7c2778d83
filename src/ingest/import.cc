#include "ingest/import.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <chrono>

#include "core/text.h"
#include "domain/limits.h"
#include "domain/schema.h"
#include "ingest/text.h"
#include "service/entity_service.h"
#include "store/store.h"

namespace orchard::ingest {

namespace {

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "name",       "industry",   "region",      "employees", "owner",        "lifecycle_stage",
    "strategic",  "first_name", "last_name",   "email",     "title",        "buying_role",
    "stance",     "influence",  "status",      "type",      "stage",        "amount",
    "close_date", "created_on", "lost_reason", "product",   "product_name", "arr",
    "start_date", "end_date",   "key",         "account",   "parent",       "reports_to",
    "opportunity"};

// The value fields each object takes.
std::vector<Field> FieldsOf(ImportObject object) {
  using F = Field;
  switch (object) {
    case ImportObject::kAccounts:
      return {F::kName,  F::kIndustry,  F::kRegion,   F::kEmployees,
              F::kOwner, F::kLifecycle, F::kStrategic};
    case ImportObject::kContacts:
      return {F::kFirstName,  F::kLastName, F::kEmail,     F::kTitle, F::kOwner,
              F::kBuyingRole, F::kStance,   F::kInfluence, F::kStatus};
    case ImportObject::kOpportunities:
      return {F::kName,      F::kType,      F::kStage, F::kAmount,
              F::kCloseDate, F::kCreatedOn, F::kOwner, F::kLostReason};
    case ImportObject::kContractLines:
      return {F::kProduct, F::kProductName, F::kArr, F::kStartDate, F::kEndDate};
  }
  return {};
}

std::optional<int64_t> ToInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// A contact's natural key within its account: the e-mail, else the name.
std::string NaturalContactKey(const std::string& account, std::string_view email,
                              std::string_view first, std::string_view last) {
  if (!email.empty()) return account + ":e:" + Lower(email);
  return account + ":n:" + Lower(first) + " " + Lower(last);
}

template <class T>
constexpr ImportObject ObjectOf() {
  if constexpr (std::is_same_v<T, Account>) return ImportObject::kAccounts;
  if constexpr (std::is_same_v<T, Contact>) return ImportObject::kContacts;
  if constexpr (std::is_same_v<T, Opportunity>) return ImportObject::kOpportunities;
  return ImportObject::kContractLines;
}

}  // namespace

std::string_view ObjectName(ImportObject object) {
  switch (object) {
    case ImportObject::kAccounts:
      return "accounts";
    case ImportObject::kContacts:
      return "contacts";
    case ImportObject::kOpportunities:
      return "opportunities";
    case ImportObject::kContractLines:
      return "contract_lines";
  }
  return "";
}

Result<ImportObject> ParseObject(std::string_view name) {
  for (ImportObject o : kImportObjects) {
    if (ObjectName(o) == name) return o;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "unknown object \"" + std::string(name) +
                  "\": the objects are accounts, contacts, opportunities, contract_lines");
}

std::string_view FieldName(Field field) { return kFieldNames[static_cast<size_t>(field)]; }

std::optional<Field> FieldOf(ImportObject object, std::string_view name) {
  for (Field f : FieldsOf(object)) {
    if (FieldName(f) == name) return f;
  }
  return std::nullopt;
}

std::string FieldNames(ImportObject object) {
  std::string out;
  for (Field f : FieldsOf(object)) {
    if (!out.empty()) out += ", ";
    out += FieldName(f);
  }
  return out;
}

// ---- summary ----------------------------------------------------------------------------------

std::string ImportSummary::ToJson() const {
  namespace json = boost::json;
  json::object o;
  o["source"] = source;
  o["dry_run"] = dry_run;
  o["rows"] = rows;
  o["inserted"] = inserted;
  o["updated"] = updated;
  o["unchanged"] = unchanged;
  o["rejected"] = rejected;
  o["skipped"] = skipped;
  o["seconds"] = seconds;
  o["rows_per_s"] = seconds > 0 ? static_cast<double>(rows) / seconds : 0.0;
  json::array fs;
  for (const auto& f : files) {
    fs.push_back(json::object{{"file", f.file},
                              {"object", f.object},
                              {"rows", f.rows},
                              {"inserted", f.inserted},
                              {"updated", f.updated},
                              {"unchanged", f.unchanged},
                              {"rejected", f.rejected},
                              {"skipped", f.skipped}});
  }
  o["files"] = std::move(fs);
  json::array ws;
  for (const auto& [message, count] : warnings) {
    ws.push_back(json::object{{"message", message}, {"rows", count}});
  }
  o["warnings"] = std::move(ws);
  json::array rs;
  for (const auto& r : rejections) {
    rs.push_back(json::object{{"file", r.file},
                              {"line", r.line},
                              {"column", r.column},
                              {"column_name", r.column_name},
                              {"reason", r.reason}});
  }
  o["rejected_rows"] = std::move(rs);
  if (!report_path.empty()) o["report"] = report_path;
  return json::serialize(o);
}

// ---- the importer -----------------------------------------------------------------------------

// What one batch writes: new rows (with ids assigned here, written in one bulk write per table),
// changed rows (with the version they were read at), and the change-log entry of each.
template <class T>
struct Part {
  std::vector<T> inserts;
  // Ids of new rows are handed out in ascending order (from ascending reservations, which may
  // have gaps between them), so a new row is found by binary search.
  std::optional<size_t> InsertedAt(int64_t id) const {
    auto it = std::lower_bound(inserts.begin(), inserts.end(), id,
                               [](const T& row, int64_t want) { return row.id.value < want; });
    if (it == inserts.end() || it->id.value != id) return std::nullopt;
    return static_cast<size_t>(it - inserts.begin());
  }
  std::vector<std::pair<T, int64_t>> updates;   // the row as it will be, the version read
  std::unordered_map<int64_t, size_t> updated;  // id → place in updates
  std::vector<store::SqlValue> values;  // the inserts as SQL values, row after row (Handoff)
  bool empty() const { return inserts.empty() && updates.empty(); }
};

struct Importer::Batch {
  Part<Account> accounts;
  Part<Contact> contacts;
  Part<Opportunity> opportunities;
  Part<ContractLine> lines;
  struct Change {
    std::string_view table;
    int64_t id = 0, account = 0;
    int64_t last = 0;  // > 0: the new rows id … last (one entry for a batch's inserts)
  };
  std::vector<Change> changes;
  // An updated account's owner as it was stored: a change of owner writes its history.
  std::unordered_map<int64_t, std::optional<UserId>> owners_before;

  template <class T>
  Part<T>& part() {
    if constexpr (std::is_same_v<T, Account>) return accounts;
    if constexpr (std::is_same_v<T, Contact>) return contacts;
    if constexpr (std::is_same_v<T, Opportunity>) return opportunities;
    if constexpr (std::is_same_v<T, ContractLine>) return lines;
  }
  bool empty() const {
    return accounts.empty() && contacts.empty() && opportunities.empty() && lines.empty() &&
           changes.empty();
  }
};

Importer::Importer(store::Database& db, const Clock& clock, ImportOptions options)
    : db_(db), clock_(clock), options_(std::move(options)), batch_(std::make_unique<Batch>()) {}

Importer::~Importer() {
  (void)WaitForWriter();
  if (in_transaction_) (void)db_.Rollback();
  (void)db_.CheckpointInBackground(false, 0);
}

Result<std::unique_ptr<Importer>> Importer::Start(store::Database& db, const Clock& clock,
                                                  ImportOptions options) {
  std::unique_ptr<Importer> im(new Importer(db, clock, std::move(options)));
  im->summary_.source = im->options_.source;
  im->summary_.dry_run = im->options_.dry_run;
  im->started_ = clock.Now();
  im->started_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  // A dry run is one transaction, rolled back at the end: every check the database makes is
  // made, and nothing stays.
  // A large import touches index pages all over the tables (external ids are not in order):
  // SQLite's default 2 MB page cache would read and write the same pages again and again.
  if (db.dialect() == store::Dialect::kSqlite) {
    ORCHARD_CHECK(db.ExecScript("PRAGMA cache_size = -131072"));  // 128 MB, for this connection
    // SQLite copies the write-ahead log into the database after any commit that leaves it over
    // 1000 pages, on the committing thread: after every batch, on the writer, which then waited
    // for the copy and its fsyncs. An import has it copied on a thread of its own instead, once
    // the log holds 64 MB (fewer copies of the indexes' pages, which many batches touch).
    if (!im->options_.dry_run) ORCHARD_CHECK(db.CheckpointInBackground(true, 16384));
  }
  if (im->options_.dry_run) {
    ORCHARD_CHECK(db.Begin());
    im->in_transaction_ = true;
  }
  return im;
}

Status Importer::BeginFile(std::string file, ImportObject object, SourceColumns columns) {
  if (!queued_.empty() || !batch_->empty()) ORCHARD_CHECK(EndFile());
  object_ = object;
  columns_ = std::move(columns);
  FileSummary f;
  if (!options_.hide_dir.empty() && file.starts_with(options_.hide_dir + "/")) {
    file.erase(0, options_.hide_dir.size() + 1);
  }
  f.file = std::move(file);
  f.object = std::string(ObjectName(object));
  summary_.files.push_back(std::move(f));
  return Ok();
}

void Importer::Reject(int64_t line, int64_t column, std::string column_name, std::string reason) {
  ++current().rows;
  ++current().rejected;
  ++progress_.rows;
  Rejection r{current().file, line, column, std::move(column_name), std::move(reason)};
  // The report is written from the first rejected row on: a clean import leaves no file.
  if (!options_.report_path.empty() && summary_.report_path.empty()) {
    report_.open(options_.report_path, std::ios::out | std::ios::trunc);
    if (report_) report_ << "file,line,column,column_name,reason\n";
    summary_.report_path = report_ ? options_.report_path : "";
  }
  if (report_) {
    report_ << CsvField(r.file) << ',' << r.line << ',' << r.column << ','
            << CsvField(r.column_name) << ',' << CsvField(r.reason) << '\n';
  }
  if (summary_.rejections.size() < ImportSummary::kKeptRejections) {
    summary_.rejections.push_back(std::move(r));
  }
}

Status Importer::Add(ImportRow row) {
  if (queued_.empty()) queued_.reserve(static_cast<size_t>(options_.batch_rows));
  queued_.push_back(std::move(row));
  if (static_cast<int>(queued_.size()) >= options_.batch_rows) ORCHARD_CHECK(Flush());
  return Ok();
}

Status Importer::WaitForWriter() {
  if (!writing_.valid()) return Ok();
  return writing_.get();
}

Status Importer::Handoff() {
  if (batch_->empty()) return Ok();
  // The batch is written on a thread of its own while the next one is read and matched: the
  // two halves of an import (parsing, and the database's work) overlap. Everything else that
  // needs the connection waits for the writer first (WaitForWriter), so it is never shared.
  // The new rows become SQL values here, on the reading side, while the batch before is still
  // being written: the writer only binds them. Text moves into the values: after this, a new
  // row is only read for its id.
  auto prepare = [](auto& part) {
    using T = typename std::remove_cvref_t<decltype(part.inserts)>::value_type;
    part.values.reserve(part.inserts.size() * ColumnCount<T>());
    for (auto& r : part.inserts) {
      ForEachColumn<T>([&](const auto& col) {
        using M = std::remove_cvref_t<decltype(r.*(col.member))>;
        if constexpr (std::is_same_v<M, std::string>) {
          part.values.emplace_back(std::move(r.*(col.member)));
        } else if constexpr (std::is_same_v<M, std::optional<std::string>>) {
          auto& v = r.*(col.member);
          part.values.push_back(v ? store::SqlValue(std::move(*v)) : store::SqlValue());
        } else {
          part.values.push_back(store::Codec<M>::ToSql(r.*(col.member)));
        }
      });
    }
  };
  prepare(batch_->accounts);
  prepare(batch_->contacts);
  prepare(batch_->opportunities);
  prepare(batch_->lines);
  ORCHARD_CHECK(WaitForWriter());
  writing_ = std::async(std::launch::async,
                        [this, batch = std::move(batch_)]() mutable { return Write(*batch); });
  batch_ = std::make_unique<Batch>();
  return Ok();
}

Status Importer::Write(Batch& batch) {
  Status done = WriteInTransaction(batch);
  if (!done && in_transaction_) {
    (void)db_.Rollback();
    in_transaction_ = false;
  }
  return done;
}

Status Importer::WriteInTransaction(Batch& batch) {
  if (!in_transaction_) {
    ORCHARD_CHECK(db_.Begin());
    in_transaction_ = true;
  }
  store::Store store(db_);
  // New rows in link order, then changed rows, then the change log, which tells running
  // servers to re-read them.
  auto write = [&]<class T>(Part<T>& part) -> Status {
    std::string table(EntitySchema<T>::kTable);
    if (!part.inserts.empty()) {
      // Their ids were reserved (NextId), so writes beside the import never hold them.
      auto names = store::ColumnNames<T>();
      ORCHARD_TRY(auto writer, db_.OpenBulkWriter(table, names));
      ORCHARD_CHECK(writer->AddRows(part.values));
      ORCHARD_CHECK(writer->Finish());
      // One change-log entry for them all: a following server reads them with one query.
      batch.changes.push_back({EntitySchema<T>::kTable, part.inserts.front().id.value, 0,
                               part.inserts.back().id.value});
    }
    for (auto& [after, version] : part.updates) {
      if constexpr (Versioned<T>) {
        ORCHARD_CHECK(store.Update(after, version));
      } else {
        ORCHARD_CHECK(store.Update(after));
      }
    }
    return Ok();
  };
  ORCHARD_CHECK(write(batch.accounts));
  ORCHARD_CHECK(write(batch.contacts));
  ORCHARD_CHECK(write(batch.opportunities));
  ORCHARD_CHECK(write(batch.lines));
  // Ids for the batches to come, reserved in this transaction while the reader fills the next.
  for (ImportObject object : kImportObjects) {
    bool used;
    {
      std::lock_guard lock(ids_mu_);
      used = ids_[static_cast<size_t>(object)].used;
    }
    if (used) ORCHARD_CHECK(ReserveAhead(object));
  }
  // The ownership history, as every other path that changes an owner writes it.
  for (const auto& [after, version] : batch.accounts.updates) {
    auto was = batch.owners_before.find(after.id.value);
    if (was == batch.owners_before.end() || was->second == after.owner_id) continue;
    Account before;
    before.id = after.id;
    before.owner_id = was->second;
    ORCHARD_CHECK(service::RecordOwnerChange(db_, before, after, started_));
  }
  if (!batch.changes.empty()) {
    std::string_view cols[] = {"entity", "entity_id", "at", "account_id", "last_id"};
    ORCHARD_TRY(auto writer, db_.OpenBulkWriter("change_log", cols));
    std::string at = started_.ToString();
    for (const auto& c : batch.changes) {
      store::SqlValue v[] = {std::string(c.table), c.id, at,
                             c.last ? store::SqlValue() : store::SqlValue(c.account),
                             c.last ? store::SqlValue(c.last) : store::SqlValue()};
      ORCHARD_CHECK(writer->Add(v));
    }
    ORCHARD_CHECK(writer->Finish());
    if (db_.dialect() == store::Dialect::kPostgres) {
      ORCHARD_CHECK(db_.ExecScript("NOTIFY orchard_changes"));
    }
  }
  if (options_.dry_run) return Ok();  // one transaction, rolled back by Finish
  in_transaction_ = false;
  return db_.Commit();
}

Status Importer::Flush() {
  if (queued_.empty()) return Ok();
  if (options_.stop && options_.stop->load()) {
    (void)WaitForWriter();
    return Fail(ErrorCode::kUnavailable,
                "the import was stopped after " + std::to_string(progress_.rows) +
                    " rows; whole batches before that are in, and running it again completes it");
  }
  for (ImportRow& row : queued_) {
    ++current().rows;
    ++progress_.rows;
    ORCHARD_TRY(auto issue, Process(row));
    if (issue) {
      --current().rows;  // Reject counts it
      --progress_.rows;
      const SourceColumn& col = columns_[static_cast<size_t>(issue->field)];
      std::string name = col.name.empty() ? std::string(FieldName(issue->field)) : col.name;
      Reject(row.line, col.number, std::move(name), std::move(issue->reason));
    }
  }
  queued_.clear();
  ORCHARD_CHECK(Handoff());
  if (options_.on_progress) {
    progress_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count() -
        started_seconds_;
    options_.on_progress(progress_);
  }
  return Ok();
}

namespace {

// A row's key in `system`, as the indexes hold it ("" when it has none there).
std::string NaturalKeyOf(const Account& a) { return Lower(a.name); }
std::string NaturalKeyOf(const Contact& c) {
  return NaturalContactKey(std::to_string(c.account_id.value), c.email, c.first_name, c.last_name);
}
std::string NaturalKeyOf(const Opportunity& o) {
  return std::to_string(o.account_id.value) + ":" + Lower(o.name);
}
std::string NaturalKeyOf(const ContractLine& l) {
  return std::to_string(l.account_id.value) + ":" + std::to_string(l.product_id.value) + ":" +
         l.start_date.ToString();
}

template <class T>
std::string KeyOf(const T& r, KeySystem system) {
  switch (system) {
    case KeySystem::kSalesforce:
      return r.salesforce_id.value_or("");
    case KeySystem::kHubspot:
      if constexpr (requires { r.hubspot_id; }) return r.hubspot_id.value_or("");
      return "";
    case KeySystem::kName:
      return NaturalKeyOf(r);
    default:
      return "";
  }
}

}  // namespace

Importer::Index& Importer::IndexOf(ImportObject object, KeySystem system) {
  return indexes_[{object, system}];
}

Status Importer::Load(ImportObject object, KeySystem system, Index& index) {
  ORCHARD_CHECK(WaitForWriter());
  // New rows of this batch are not in the table yet: the index takes them from the batch.
  auto pending = [&]<class T>(Part<T>& part) {
    for (const T& r : part.inserts) {
      std::string key = KeyOf(r, system);
      if (!key.empty()) index.emplace(std::move(key), r.id.value);
    }
  };
  switch (object) {
    case ImportObject::kAccounts:
      pending(batch_->accounts);
      break;
    case ImportObject::kContacts:
      pending(batch_->contacts);
      break;
    case ImportObject::kOpportunities:
      pending(batch_->opportunities);
      break;
    case ImportObject::kContractLines:
      pending(batch_->lines);
      break;
  }
  std::string table(ObjectName(object));
  std::string sql;
  if (system == KeySystem::kSalesforce || system == KeySystem::kHubspot) {
    const char* column = system == KeySystem::kSalesforce ? "salesforce_id" : "hubspot_id";
    if (object == ImportObject::kContractLines && system == KeySystem::kHubspot) return Ok();
    sql = "SELECT id, " + std::string(column) + " FROM " + table + " WHERE " + column +
          " IS NOT NULL";
    return db_.Query(sql, {}, [&](const store::Row& r) -> Status {
      ORCHARD_TRY(int64_t id, r.GetInt(0));
      index.emplace(std::string(r.GetText(1)), id);
      return Ok();
    });
  }
  switch (object) {
    case ImportObject::kAccounts:
      sql = "SELECT id, name FROM accounts ORDER BY id";
      break;
    case ImportObject::kContacts:
      sql = "SELECT id, account_id, email, first_name, last_name FROM contacts ORDER BY id";
      break;
    case ImportObject::kOpportunities:
      sql = "SELECT id, account_id, name FROM opportunities ORDER BY id";
      break;
    case ImportObject::kContractLines:
      sql = "SELECT id, account_id, product_id, start_date FROM contract_lines ORDER BY id";
      break;
  }
  return db_.Query(sql, {}, [&](const store::Row& r) -> Status {
    ORCHARD_TRY(int64_t id, r.GetInt(0));
    std::string key;
    switch (object) {
      case ImportObject::kAccounts:
        key = Lower(r.GetText(1));
        break;
      case ImportObject::kContacts:
        key =
            NaturalContactKey(std::string(r.GetText(1)), r.GetText(2), r.GetText(3), r.GetText(4));
        break;
      case ImportObject::kOpportunities:
        key = std::string(r.GetText(1)) + ":" + Lower(r.GetText(2));
        break;
      case ImportObject::kContractLines:
        key = std::string(r.GetText(1)) + ":" + std::string(r.GetText(2)) + ":" +
              std::string(r.GetText(3));
        break;
    }
    index.emplace(std::move(key), id);  // the oldest row wins a shared name
    return Ok();
  });
}

Result<std::optional<int64_t>> Importer::Find(ImportObject object, const Ref& ref) {
  if (ref.system == KeySystem::kOrchardId) {
    auto id = ToInt(ref.key);
    if (!id) return std::optional<int64_t>();
    return id;
  }
  if (ref.system == KeySystem::kAlias) {
    auto it = aliases_.find(std::string(ObjectName(object)) + ":" + ref.key);
    if (it == aliases_.end()) return std::optional<int64_t>();
    return std::optional<int64_t>(it->second);
  }
  auto slot = std::make_pair(object, ref.system);
  Index& index = indexes_[slot];
  if (!loaded_[slot]) {
    ORCHARD_CHECK(Load(object, ref.system, index));
    loaded_[slot] = true;
    // Room for a row per 40 bytes of the file still to read: no rehashing as it grows.
    if (progress_.total_bytes > progress_.bytes) {
      index.reserve(index.size() +
                    static_cast<size_t>((progress_.total_bytes - progress_.bytes) / 40));
    }
  }
  auto it = ref.system == KeySystem::kName ? index.find(Lower(ref.key)) : index.find(ref.key);
  if (it != index.end()) return std::optional<int64_t>(it->second);
  // What the Salesforce export writes for a row without a Salesforce id: Orchard's own.
  if (ref.system == KeySystem::kSalesforce && ref.key.starts_with("orchard-")) {
    auto id = ToInt(std::string_view(ref.key).substr(8));
    if (id) {
      ORCHARD_CHECK(WaitForWriter());
      std::string table(ObjectName(object));
      store::SqlValue p[] = {*id};
      ORCHARD_TRY(
          auto hit,
          db_.QueryInt("SELECT id FROM " + table + " WHERE id = ? AND salesforce_id IS NULL", p));
      if (hit) return std::optional<int64_t>(*hit);
    }
  }
  return std::optional<int64_t>();
}

Result<std::optional<UserId>> Importer::FindUser(const std::string& email) {
  if (!users_loaded_) {
    ORCHARD_CHECK(WaitForWriter());
    ORCHARD_CHECK(db_.Query("SELECT id, email FROM users", {}, [&](const store::Row& r) -> Status {
      ORCHARD_TRY(int64_t id, r.GetInt(0));
      users_.emplace(Lower(r.GetText(1)), id);
      return Ok();
    }));
    users_loaded_ = true;
  }
  if (auto it = users_.find(Lower(email)); it != users_.end()) {
    return std::optional<UserId>(UserId(it->second));
  }
  return std::optional<UserId>();
}

Status Importer::ApplyOwner(const ImportRow& row, std::optional<UserId>& owner) {
  if (!row.Has(Field::kOwner) || row.Get(Field::kOwner).empty()) return Ok();
  ORCHARD_TRY(auto user, FindUser(row.Get(Field::kOwner)));
  if (user) {
    owner = *user;
  } else {
    Warn("owner " + row.Get(Field::kOwner) + " is not an Orchard user: left as it was");
  }
  return Ok();
}

Result<std::optional<ProductId>> Importer::FindProduct(const ImportRow& row) {
  if (!products_loaded_) {
    ORCHARD_CHECK(WaitForWriter());
    ORCHARD_CHECK(db_.Query("SELECT id, sku FROM products", {}, [&](const store::Row& r) -> Status {
      ORCHARD_TRY(int64_t id, r.GetInt(0));
      products_.emplace(std::string(r.GetText(1)), id);
      return Ok();
    }));
    products_loaded_ = true;
  }
  std::string sku = row.Has(Field::kProduct) && !row.Get(Field::kProduct).empty()
                        ? row.Get(Field::kProduct)
                        : std::string("IMPORTED");
  if (auto it = products_.find(sku); it != products_.end()) {
    return std::optional<ProductId>(ProductId(it->second));
  }
  Product p;
  p.sku = sku;
  p.name = row.Has(Field::kProductName) && !row.Get(Field::kProductName).empty()
               ? row.Get(Field::kProductName)
               : (sku == "IMPORTED" ? std::string("Imported contract") : sku);
  p.family = "Imported";
  p.list_price = Money::FromCents(0);
  ORCHARD_CHECK(WaitForWriter());
  store::Store store(db_);
  ORCHARD_TRY(p, store.Insert(p));
  products_.emplace(sku, p.id.value);
  Warn("product " + sku + " was not in the catalogue: added, with no list price");
  return std::optional<ProductId>(p.id);
}

Result<std::optional<int64_t>> Importer::ResolveAccount(const ImportRow& row) {
  if (!row.account || row.account->key.empty()) return std::optional<int64_t>();
  return Find(ImportObject::kAccounts, *row.account);
}

}  // namespace orchard::ingest

namespace orchard::ingest {

namespace {

Importer::Outcome NoIssue() { return std::optional<Importer::RowIssue>(); }

}  // namespace

Result<int64_t> Importer::NextId(ImportObject object) {
  IdStock& stock = ids_[static_cast<size_t>(object)];
  if (stock.current.count == 0) {
    std::unique_lock lock(ids_mu_);
    stock.used = true;
    if (stock.ahead.empty()) {
      lock.unlock();
      // Nothing reserved yet (or the writer has not caught up): reserve here, once the
      // connection is free.
      ORCHARD_CHECK(WaitForWriter());
      ORCHARD_CHECK(ReserveAhead(object));
      lock.lock();
    }
    stock.current = stock.ahead.front();
    stock.ahead.erase(stock.ahead.begin());
    stock.reserved_ahead -= stock.current.count;
  }
  --stock.current.count;
  return stock.current.first++;
}

// Two batches' worth ahead: the reader fills the next batch while the writer writes one.
Status Importer::ReserveAhead(ImportObject object) {
  const int64_t block = std::max(options_.batch_rows, 1);
  {
    std::lock_guard lock(ids_mu_);
    if (ids_[static_cast<size_t>(object)].reserved_ahead >= block) return Ok();
  }
  ORCHARD_TRY(auto ranges, db_.ReserveIds(ObjectName(object), 2 * block));
  std::lock_guard lock(ids_mu_);
  IdStock& stock = ids_[static_cast<size_t>(object)];
  for (const store::IdRange& r : ranges) {
    stock.ahead.push_back(r);
    stock.reserved_ahead += r.count;
  }
  return Ok();
}

template <class T>
void Importer::Remember(ImportObject object, const ImportRow& row, const T& fresh) {
  int64_t id = fresh.id.value;
  if (!row.alias.empty()) aliases_[std::string(ObjectName(object)) + ":" + row.alias] = id;
  for (KeySystem system : {KeySystem::kSalesforce, KeySystem::kHubspot, KeySystem::kName}) {
    auto slot = std::make_pair(object, system);
    if (!loaded_[slot]) continue;  // loaded later, it takes the batch's rows then
    std::string key = KeyOf(fresh, system);
    if (!key.empty()) indexes_[slot].emplace(std::move(key), id);
  }
}

template <>
Importer::Outcome Importer::Apply(Account& a, ImportRow& row, bool is_new);
template <>
Importer::Outcome Importer::Apply(Contact& c, ImportRow& row, bool is_new);
template <>
Importer::Outcome Importer::Apply(Opportunity& o, ImportRow& row, bool is_new);
template <>
Importer::Outcome Importer::Apply(ContractLine& l, ImportRow& row, bool is_new);

Importer::Outcome Importer::Process(ImportRow& row) {
  auto issue = [](Field f, std::string reason) -> Outcome {
    return std::optional<RowIssue>(RowIssue{f, std::move(reason)});
  };
  deferred_link_.reset();
  row_account_ = 0;
  bool keyed = row.key && !row.key->key.empty();
  if (object_ == ImportObject::kAccounts) {
    std::optional<int64_t> found;
    if (keyed) {
      ORCHARD_TRY(found, Find(object_, *row.key));
    } else if (row.Has(Field::kName) && !row.Get(Field::kName).empty()) {
      ORCHARD_TRY(found, Find(object_, Ref{KeySystem::kName, row.Get(Field::kName)}));
    } else {
      return issue(Field::kKey, "the row has neither an id nor a name to match it by");
    }
    return Upsert<Account>(row, found);
  }
  if (object_ == ImportObject::kContractLines && row.opportunity) {
    // An opportunity's line item: booked ARR only when the opportunity was won.
    ORCHARD_TRY(auto opp_id, Find(ImportObject::kOpportunities, *row.opportunity));
    if (!opp_id) {
      return issue(Field::kOpportunity,
                   "opportunity " + row.opportunity->key + " is not in Orchard: import it first");
    }
    ORCHARD_CHECK(WaitForWriter());
    store::Store store(db_);
    ORCHARD_TRY(Opportunity opp, store.Get<Opportunity>(OpportunityId(*opp_id)));
    if (opp.stage != OpportunityStage::kClosedWon) {
      Skip();
      Warn("line items of opportunities not closed won are pipeline, not ARR: skipped");
      return NoIssue();
    }
    row_account_ = opp.account_id.value;
    // Booked from the close date for a year, unless the line says otherwise.
    if (!row.Has(Field::kStartDate)) row.Set(Field::kStartDate, opp.close_date.ToString());
    if (!row.Has(Field::kEndDate)) {
      if (auto start = Date::Parse(row.Get(Field::kStartDate))) {
        row.Set(Field::kEndDate, start->AddYears(1).AddDays(-1).ToString());
      }
    }
  } else {
    ORCHARD_TRY(auto account, ResolveAccount(row));
    if (!account) {
      if (!row.account || row.account->key.empty()) {
        return issue(Field::kAccount, std::string("no account: Orchard keeps ") +
                                          std::string(ObjectName(object_)) + " under accounts");
      }
      return issue(Field::kAccount, "account " + row.account->key +
                                        " is not in Orchard: import it first, or fix the link");
    }
    row_account_ = *account;
  }
  std::string acct = std::to_string(row_account_);
  std::string natural;
  switch (object_) {
    case ImportObject::kContacts:
      natural = NaturalContactKey(acct, row.Get(Field::kEmail), row.Get(Field::kFirstName),
                                  row.Get(Field::kLastName));
      break;
    case ImportObject::kOpportunities:
      natural = acct + ":" + Lower(row.Get(Field::kName));
      break;
    case ImportObject::kContractLines:
      natural.clear();  // by product and start, once the product is known (see Apply)
      break;
    case ImportObject::kAccounts:
      break;
  }
  std::optional<int64_t> found;
  if (keyed) {
    ORCHARD_TRY(found, Find(object_, *row.key));
  } else if (object_ == ImportObject::kContractLines) {
    ORCHARD_TRY(auto product, FindProduct(row));
    natural = acct + ":" + std::to_string(product->value) + ":" + row.Get(Field::kStartDate);
    ORCHARD_TRY(found, Find(object_, Ref{KeySystem::kName, natural}));
  } else {
    ORCHARD_TRY(found, Find(object_, Ref{KeySystem::kName, natural}));
  }
  switch (object_) {
    case ImportObject::kContacts:
      return Upsert<Contact>(row, found);
    case ImportObject::kOpportunities:
      return Upsert<Opportunity>(row, found);
    default:
      return Upsert<ContractLine>(row, found);
  }
}

namespace {

// The limits every write keeps (domain/limits.h: text, money, required dates), on a row as the
// file left it; a failure names the import field its column came from (the key's for the
// external ids).
template <class T>
Importer::Outcome CheckLimits(const T& entity) {
  auto checked = ValidateFields(entity);
  if (checked) return std::optional<Importer::RowIssue>();
  const Error& e = checked.error();
  std::string column = e.fields.empty() ? "" : e.fields.front().field;
  std::string_view name = column;
  if (name.ends_with("_cents")) name.remove_suffix(6);
  Field f = FieldOf(ObjectOf<T>(), name).value_or(Field::kKey);
  return std::optional<Importer::RowIssue>(Importer::RowIssue{f, e.message});
}

}  // namespace

template <class T>
Importer::Outcome Importer::Upsert(ImportRow& row, std::optional<int64_t> found) {
  constexpr ImportObject kObject = ObjectOf<T>();
  std::string_view table = EntitySchema<T>::kTable;
  auto account_of = [](const T& r) {
    if constexpr (std::is_same_v<T, Account>) {
      return r.id.value;
    } else {
      return r.account_id.value;
    }
  };
  Part<T>& part = batch_->part<T>();
  auto defer_link = [&](int64_t id) {
    if (deferred_link_) {
      (std::is_same_v<T, Account> ? pending_parents_ : pending_managers_)
          .emplace_back(id, *deferred_link_);
    }
  };
  if (found) {
    if (!row.alias.empty()) aliases_[std::string(table) + ":" + row.alias] = *found;
    // A row met before in this batch, not written yet: change it where it waits.
    T* waiting = nullptr;
    if (auto at = part.InsertedAt(*found)) {
      waiting = &part.inserts[*at];
    } else if (auto up = part.updated.find(*found); up != part.updated.end()) {
      waiting = &part.updates[up->second].first;
    }
    if (waiting) {
      T after = *waiting;
      ORCHARD_TRY(auto issue, Apply(after, row, false));
      if (issue) return issue;
      ORCHARD_TRY(issue, CheckLimits(after));
      if (issue) return issue;
      defer_link(*found);
      if (store::ToSqlValues(after) == store::ToSqlValues(*waiting)) {
        ++current().unchanged;
      } else {
        *waiting = std::move(after);
        ++current().updated;
      }
      return NoIssue();
    }
    ORCHARD_CHECK(WaitForWriter());
    store::Store store(db_);
    ORCHARD_TRY(T before, store.Get<T>(decltype(T::id)(*found)));
    T after = before;
    ORCHARD_TRY(auto issue, Apply(after, row, false));
    if (issue) return issue;
    ORCHARD_TRY(issue, CheckLimits(after));
    if (issue) return issue;
    defer_link(*found);
    if (store::ToSqlValues(after) == store::ToSqlValues(before)) {
      ++current().unchanged;
      return NoIssue();
    }
    if constexpr (std::is_same_v<T, Account>) {
      after.updated_at = started_;
      batch_->owners_before.emplace(*found, before.owner_id);
    }
    int64_t version = 0;
    if constexpr (Versioned<T>) version = before.version;
    ++current().updated;
    batch_->changes.push_back({table, *found, account_of(after)});
    // A row moved to another account: the old one forgets it too.
    if (account_of(after) != account_of(before)) {
      batch_->changes.push_back({table, *found, account_of(before)});
    }
    part.updated.emplace(*found, part.updates.size());
    part.updates.emplace_back(std::move(after), version);
    return NoIssue();
  }
  T fresh{};
  if constexpr (std::is_same_v<T, Account>) {
    fresh.created_at = started_;
    fresh.updated_at = started_;
  }
  if constexpr (std::is_same_v<T, Opportunity>) fresh.created_on = clock_.Today();
  ORCHARD_TRY(auto issue, Apply(fresh, row, true));
  if (issue) return issue;
  ORCHARD_TRY(issue, CheckLimits(fresh));
  if (issue) return issue;
  ORCHARD_TRY(int64_t id, NextId(kObject));
  fresh.id = decltype(T::id)(id);
  defer_link(id);
  Remember(kObject, row, fresh);
  if (part.inserts.empty()) part.inserts.reserve(static_cast<size_t>(options_.batch_rows));
  part.inserts.push_back(std::move(fresh));
  ++current().inserted;
  return NoIssue();
}

namespace {

using RowIssueOpt = std::optional<Importer::RowIssue>;

RowIssueOpt IssueOf(Field f, std::string reason) {
  return Importer::RowIssue{f, std::move(reason)};
}

// The canonical text of a field into its typed member: a wrong value is the row's issue.
RowIssueOpt SetInt(const ImportRow& row, Field f, int64_t lo, int64_t hi, int64_t& out) {
  if (!row.Has(f)) return std::nullopt;
  auto v = ToInt(row.Get(f));
  if (!v || *v < lo || *v > hi) {
    return IssueOf(f, std::string(FieldName(f)) + " must be a whole number from " +
                          std::to_string(lo) + " to " + std::to_string(hi) + "; got \"" +
                          row.Get(f) + "\"");
  }
  out = *v;
  return std::nullopt;
}

RowIssueOpt SetMoney(const ImportRow& row, Field f, Money& out) {
  int64_t cents = out.cents();
  // The bound every write keeps (core/money.h).
  if (auto issue = SetInt(row, f, -kMaxMoneyCents, kMaxMoneyCents, cents)) return issue;
  out = Money::FromCents(cents);
  return std::nullopt;
}

RowIssueOpt SetDate(const ImportRow& row, Field f, Date& out) {
  if (!row.Has(f)) return std::nullopt;
  auto d = Date::Parse(row.Get(f));
  if (!d) return IssueOf(f, std::string(FieldName(f)) + ": " + d.error().message);
  out = *d;
  return std::nullopt;
}

RowIssueOpt SetOptionalDate(const ImportRow& row, Field f, std::optional<Date>& out) {
  if (!row.Has(f)) return std::nullopt;
  if (row.Get(f).empty()) {
    out.reset();
    return std::nullopt;
  }
  Date d;
  if (auto issue = SetDate(row, f, d)) return issue;
  out = d;
  return std::nullopt;
}

template <class E>
RowIssueOpt SetEnum(const ImportRow& row, Field f, E& out) {
  if (!row.Has(f)) return std::nullopt;
  auto e = ParseEnum<E>(row.Get(f));
  if (!e) return IssueOf(f, e.error().message);
  out = *e;
  return std::nullopt;
}

template <class E>
RowIssueOpt SetOptionalEnum(const ImportRow& row, Field f, std::optional<E>& out) {
  if (!row.Has(f)) return std::nullopt;
  if (row.Get(f).empty()) {
    out.reset();
    return std::nullopt;
  }
  E e{};
  if (auto issue = SetEnum(row, f, e)) return issue;
  out = e;
  return std::nullopt;
}

void SetText(ImportRow& row, Field f, std::string& out) {
  if (row.Has(f)) out = row.Take(f);
}

// Moves the row's key into the entity (the row's last use of it).
void SetKey(ImportRow& row, bool is_new, std::optional<std::string>* salesforce,
            std::optional<std::string>* hubspot) {
  if (!row.key || row.key->key.empty()) return;
  if (row.key->system == KeySystem::kSalesforce && salesforce) {
    // A row the Salesforce export named by Orchard's id keeps having none.
    if (!is_new && row.key->key.starts_with("orchard-") && !*salesforce) return;
    *salesforce = std::move(row.key->key);
  } else if (row.key->system == KeySystem::kHubspot && hubspot) {
    *hubspot = std::move(row.key->key);
  }
}

}  // namespace

template <>
Importer::Outcome Importer::Apply(Account& a, ImportRow& row, bool is_new) {
  if (row.Has(Field::kName)) {
    if (row.Get(Field::kName).empty()) return IssueOf(Field::kName, "an account needs a name");
    a.name = row.Take(Field::kName);
  }
  if (is_new && a.name.empty()) return IssueOf(Field::kName, "an account needs a name");
  SetText(row, Field::kIndustry, a.industry);
  SetText(row, Field::kRegion, a.region);
  if (auto i = SetInt(row, Field::kEmployees, 0, int64_t{1} << 40, a.employees)) return i;
  if (auto i = SetEnum(row, Field::kLifecycle, a.lifecycle_stage)) return i;
  if (row.Has(Field::kStrategic)) {
    std::string v = Lower(row.Get(Field::kStrategic));
    if (v == "true" || v == "1" || v == "yes") {
      a.strategic = true;
    } else if (v == "false" || v == "0" || v == "no" || v.empty()) {
      a.strategic = false;
    } else {
      return IssueOf(Field::kStrategic,
                     "strategic must be true or false; got \"" + row.Get(Field::kStrategic) + "\"");
    }
  }
  ORCHARD_CHECK(ApplyOwner(row, a.owner_id));
  SetKey(row, is_new, &a.salesforce_id, &a.hubspot_id);
  if (row.parent && !row.parent->key.empty()) {
    ORCHARD_TRY(auto parent, Find(ImportObject::kAccounts, *row.parent));
    if (parent && *parent == a.id.value) {
      return IssueOf(Field::kParent, "an account cannot be its own parent");
    }
    if (parent && a.id.valid()) {
      ORCHARD_TRY(bool cycle, ClosesCycle(a.id.value, *parent));
      if (cycle) {
        return IssueOf(Field::kParent, "parent " + row.parent->key + " is below account " +
                                           std::to_string(a.id.value) +
                                           ": the link would close a cycle");
      }
    }
    if (parent) {
      a.parent_id = AccountId(*parent);
    } else {
      deferred_link_ = *row.parent;
    }
  }
  return NoIssue();
}

template <>
Importer::Outcome Importer::Apply(Contact& c, ImportRow& row, bool is_new) {
  c.account_id = AccountId(row_account_);
  SetText(row, Field::kFirstName, c.first_name);
  SetText(row, Field::kLastName, c.last_name);
  SetText(row, Field::kEmail, c.email);
  SetText(row, Field::kTitle, c.title);
  if (is_new && c.first_name.empty() && c.last_name.empty() && c.email.empty()) {
    return IssueOf(Field::kLastName, "a contact needs a name or an e-mail address");
  }
  if (auto i = SetOptionalEnum(row, Field::kBuyingRole, c.buying_role)) return i;
  if (auto i = SetEnum(row, Field::kStance, c.stance)) return i;
  if (auto i = SetEnum(row, Field::kStatus, c.status)) return i;
  int64_t influence = c.influence;
  if (auto i = SetInt(row, Field::kInfluence, 1, 5, influence)) return i;
  c.influence = static_cast<int>(influence);
  ORCHARD_CHECK(ApplyOwner(row, c.relationship_owner_id));
  SetKey(row, is_new, &c.salesforce_id, &c.hubspot_id);
  if (row.reports_to && !row.reports_to->key.empty()) {
    ORCHARD_TRY(auto manager, Find(ImportObject::kContacts, *row.reports_to));
    if (manager && *manager != c.id.value) {
      ORCHARD_TRY(auto theirs, AccountOfContact(*manager));
      if (theirs && *theirs != c.account_id.value) {
        return IssueOf(Field::kReportsTo, "contact " + row.reports_to->key + " is of account " +
                                              std::to_string(*theirs) + ", not of account " +
                                              std::to_string(c.account_id.value) +
                                              ": a reports-to line stays in its account");
      }
      c.reports_to_id = ContactId(*manager);
    } else if (!manager) {
      deferred_link_ = *row.reports_to;
    }
  }
  return NoIssue();
}

template <>
Importer::Outcome Importer::Apply(Opportunity& o, ImportRow& row, bool is_new) {
  o.account_id = AccountId(row_account_);
  if (row.Has(Field::kName)) {
    if (row.Get(Field::kName).empty()) {
      return IssueOf(Field::kName, "an opportunity needs a name");
    }
    o.name = row.Take(Field::kName);
  }
  if (is_new && o.name.empty()) return IssueOf(Field::kName, "an opportunity needs a name");
  if (is_new && (!row.Has(Field::kCloseDate) || row.Get(Field::kCloseDate).empty())) {
    return IssueOf(Field::kCloseDate, "an opportunity needs a close date");
  }
  if (auto i = SetEnum(row, Field::kType, o.type)) return i;
  if (auto i = SetEnum(row, Field::kStage, o.stage)) return i;
  if (auto i = SetMoney(row, Field::kAmount, o.amount)) return i;
  if (auto i = SetDate(row, Field::kCloseDate, o.close_date)) return i;
  if (auto i = SetDate(row, Field::kCreatedOn, o.created_on)) return i;
  if (row.Has(Field::kLostReason)) {
    if (row.Get(Field::kLostReason).empty()) {
      o.lost_reason.reset();
    } else {
      o.lost_reason = row.Get(Field::kLostReason);
    }
  }
  ORCHARD_CHECK(ApplyOwner(row, o.owner_id));
  SetKey(row, is_new, &o.salesforce_id, &o.hubspot_id);
  return NoIssue();
}

template <>
Importer::Outcome Importer::Apply(ContractLine& l, ImportRow& row, bool is_new) {
  l.account_id = AccountId(row_account_);
  if (is_new || row.Has(Field::kProduct)) {
    ORCHARD_TRY(auto product, FindProduct(row));
    l.product_id = *product;
  }
  if (is_new && !row.Has(Field::kArr)) return IssueOf(Field::kArr, "a contract needs its ARR");
  if (auto i = SetMoney(row, Field::kArr, l.arr)) return i;
  if (is_new && (!row.Has(Field::kStartDate) || row.Get(Field::kStartDate).empty())) {
    return IssueOf(Field::kStartDate, "a contract needs a start date");
  }
  if (auto i = SetDate(row, Field::kStartDate, l.start_date)) return i;
  if (auto i = SetOptionalDate(row, Field::kEndDate, l.end_date)) return i;
  if (l.end_date && *l.end_date < l.start_date) {
    return IssueOf(Field::kEndDate, "the end date " + l.end_date->ToString() +
                                        " is before the start date " + l.start_date.ToString());
  }
  SetKey(row, is_new, &l.salesforce_id, nullptr);
  return NoIssue();
}

Result<std::optional<int64_t>> Importer::AccountOfContact(int64_t contact) {
  auto& part = batch_->contacts;
  if (auto at = part.InsertedAt(contact)) return part.inserts[*at].account_id.value;
  if (auto up = part.updated.find(contact); up != part.updated.end()) {
    return part.updates[up->second].first.account_id.value;
  }
  ORCHARD_CHECK(WaitForWriter());
  store::SqlValue id[] = {contact};
  return db_.QueryInt("SELECT account_id FROM contacts WHERE id = ?", id);
}

Result<std::optional<int64_t>> Importer::ParentOf(int64_t account) {
  auto& part = batch_->accounts;
  auto of = [](const Account& a) -> std::optional<int64_t> {
    if (a.parent_id) return a.parent_id->value;
    return std::nullopt;
  };
  if (auto at = part.InsertedAt(account)) return of(part.inserts[*at]);
  if (auto up = part.updated.find(account); up != part.updated.end()) {
    return of(part.updates[up->second].first);
  }
  ORCHARD_CHECK(WaitForWriter());
  store::SqlValue id[] = {account};
  return db_.QueryInt("SELECT parent_id FROM accounts WHERE id = ?", id);
}

Result<bool> Importer::ClosesCycle(int64_t account, int64_t parent) {
  std::vector<int64_t> seen;
  for (std::optional<int64_t> at = parent; at;) {
    if (*at == account) return true;
    if (std::find(seen.begin(), seen.end(), *at) != seen.end()) return false;  // an older cycle
    seen.push_back(*at);
    ORCHARD_TRY(at, ParentOf(*at));
  }
  return false;
}

Status Importer::EndFile() {
  ORCHARD_CHECK(Flush());
  ORCHARD_CHECK(Handoff());
  ORCHARD_CHECK(WaitForWriter());
  if (pending_parents_.empty() && pending_managers_.empty()) return Ok();
  return ResolvePendingLinks();
}

Status Importer::ResolvePendingLinks() {
  ORCHARD_CHECK(WaitForWriter());
  if (!in_transaction_) {
    ORCHARD_CHECK(db_.Begin());
    in_transaction_ = true;
  }
  std::string at = started_.ToString();
  for (const auto& [id, ref] : pending_parents_) {
    ORCHARD_TRY(auto parent, Find(ImportObject::kAccounts, ref));
    if (!parent || *parent == id) {
      Warn("parent account " + ref.key + " is not in Orchard: the link was left empty");
      continue;
    }
    ORCHARD_TRY(bool cycle, ClosesCycle(id, *parent));
    if (cycle) {
      Warn("parent account " + ref.key +
           " is below the account: the link would close a cycle "
           "and was left empty");
      continue;
    }
    store::SqlValue p[] = {*parent, at, id, *parent};
    ORCHARD_TRY(int64_t changed,
                db_.Exec("UPDATE accounts SET parent_id = ?, updated_at = ?, version = version + 1 "
                         "WHERE id = ? AND (parent_id IS NULL OR parent_id <> ?)",
                         p));
    if (changed) batch_->changes.push_back({"accounts", id, id});
  }
  for (const auto& [id, ref] : pending_managers_) {
    ORCHARD_TRY(auto manager, Find(ImportObject::kContacts, ref));
    if (!manager || *manager == id) {
      Warn("reports-to contact " + ref.key + " is not in Orchard: the link was left empty");
      continue;
    }
    // A reports-to line stays inside one account.
    store::SqlValue p[] = {*manager, id, *manager, *manager};
    ORCHARD_TRY(int64_t changed,
                db_.Exec("UPDATE contacts SET reports_to_id = ?, version = version + 1 "
                         "WHERE id = ? AND (reports_to_id IS NULL OR reports_to_id <> ?) AND "
                         "account_id = (SELECT account_id FROM contacts WHERE id = ?)",
                         p));
    if (changed) {
      store::SqlValue q[] = {id};
      ORCHARD_TRY(auto account, db_.QueryInt("SELECT account_id FROM contacts WHERE id = ?", q));
      batch_->changes.push_back({"contacts", id, account.value_or(0)});
    }
  }
  pending_parents_.clear();
  pending_managers_.clear();
  Status done = Write(*batch_);  // the change-log entries, and the commit
  batch_ = std::make_unique<Batch>();
  return done;
}

Result<ImportSummary> Importer::Finish() {
  if (!summary_.files.empty()) ORCHARD_CHECK(EndFile());
  for (const auto& f : summary_.files) {
    summary_.rows += f.rows;
    summary_.inserted += f.inserted;
    summary_.updated += f.updated;
    summary_.unchanged += f.unchanged;
    summary_.rejected += f.rejected;
    summary_.skipped += f.skipped;
  }
  if (options_.dry_run) {
    in_transaction_ = false;
    ORCHARD_CHECK(db_.Rollback());
  } else if (summary_.inserted + summary_.updated > 0) {
    // One audit entry for the import: who, when, from where, and what it did.
    ORCHARD_CHECK(db_.Begin());
    in_transaction_ = true;
    AuditEntry e;
    if (options_.actor) e.actor_id = *options_.actor;
    e.at = started_;
    e.entity = "imports";
    e.action = AuditAction::kCreate;
    ImportSummary brief = summary_;
    brief.rejections.clear();
    e.after_json = brief.ToJson();
    store::Store store(db_);
    ORCHARD_CHECK(store.Insert(e));
    in_transaction_ = false;
    ORCHARD_CHECK(db_.Commit());
  }
  if (report_) report_.flush();
  summary_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count() -
      started_seconds_;
  return summary_;
}

}  // namespace orchard::ingest
