// Importer: upserts rows from any source (Salesforce, HubSpot, a mapped CSV) into the book.
//
// A source reads its files, turns each record into an ImportRow — Orchard's field names with
// values already in canonical text (ISO dates, cents, enum names) — and hands it to Add(). The
// importer matches the row to a stored one by its external key (a Salesforce or HubSpot id, or
// the row's natural key when the source has none: an account's name, a contact's e-mail, an
// opportunity's name within its account), resolves links the same way, and inserts, updates or
// leaves the row alone; importing the same file twice changes nothing.
//
// Rows commit in batches, each one transaction with its change-log entries, so a crash or Ctrl-C
// loses at most the batch in flight and never half a row; a re-run upserts what is there and
// completes the rest. A dry run does all of it in one transaction and rolls it back.
//
// Links inside one object (an account's parent, a contact's manager) may point forward: they are
// set once the object's files are read. Links across objects need the target imported first;
// the sources order their files so (accounts, contacts, opportunities, contracts).
#pragma once

#include <array>
#include <atomic>
#include <bitset>
#include <cstdint>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/result.h"
#include "domain/entities.h"
#include "ingest/import_first_load.h"
#include "ingest/key_index.h"
#include "store/database.h"

namespace orchard::ingest {

enum class ImportObject { kAccounts, kContacts, kOpportunities, kContractLines };
inline constexpr std::array<ImportObject, 4> kImportObjects = {
    ImportObject::kAccounts, ImportObject::kContacts, ImportObject::kOpportunities,
    ImportObject::kContractLines};

std::string_view ObjectName(ImportObject object);  // "accounts", …: the table
// "accounts", "contacts", "opportunities", "contract_lines"; else an error listing them.
Result<ImportObject> ParseObject(std::string_view name);

// The fields an import can set, across objects. Canonical values: text as is, integers in
// decimal, money in cents, dates YYYY-MM-DD, enums by their Orchard names, booleans true/false.
enum class Field : uint8_t {
  kName,         // accounts, opportunities
  kIndustry,     // accounts
  kRegion,       // accounts
  kEmployees,    // accounts
  kOwner,        // accounts, opportunities (the AM / the seller), contacts (relationship owner):
                 // a user's e-mail
  kLifecycle,    // accounts: lifecycle_stage
  kStrategic,    // accounts
  kFirstName,    // contacts
  kLastName,     // contacts
  kEmail,        // contacts
  kTitle,        // contacts
  kBuyingRole,   // contacts
  kStance,       // contacts
  kInfluence,    // contacts
  kStatus,       // contacts
  kType,         // opportunities
  kStage,        // opportunities
  kAmount,       // opportunities (cents)
  kCloseDate,    // opportunities
  kCreatedOn,    // opportunities
  kLostReason,   // opportunities
  kProduct,      // contract lines (created if unknown), opportunities: the product's code or name
  kProductName,  // contract lines: the new product's name
  kArr,          // contract lines (cents)
  kStartDate,    // contract lines
  kEndDate,      // contract lines
  kTier,         // accounts: tier_override, 1–3 (empty clears it)
  kTierReason,   // accounts: tier_override_reason
  kPotential,    // accounts: growth_potential set by hand (empty clears it)
  // Not values: where the key and the links came from, for a rejected row's column.
  kKey,
  kAccount,
  kParent,
  kReportsTo,
  kOpportunity,
  kCount
};
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);
std::string_view FieldName(Field field);  // "name", "employees", …
// The fields `object` takes, by name (a mapping file names them so).
std::optional<Field> FieldOf(ImportObject object, std::string_view name);
// Their names, for errors and help: "name, industry, region, …".
std::string FieldNames(ImportObject object);

// How a key or a link names a row.
enum class KeySystem {
  kSalesforce,  // salesforce_id; "orchard-N" (what the Salesforce export writes for a row that
                // has none) names Orchard row N
  kHubspot,     // hubspot_id
  kName,        // the natural key: an account's name (for links; rows without a key use theirs)
  kOrchardId,   // Orchard's own id (links a source has already resolved)
  kAlias,       // a name the source gave a row of this import (ImportRow::alias), such as a
                // Salesforce data-tree's referenceId
  kExternal,    // external_id: any system's id, with the import's source name
                // (ImportOptions::external_source); rows match on (source, id)
};

struct Ref {
  KeySystem system = KeySystem::kSalesforce;
  std::string key;
};

struct ImportRow {
  std::optional<Ref> key;  // none: match on the natural key
  // The fields set, in the order they were: a row carries a few, and moves as three pointers.
  std::vector<std::pair<Field, std::string>> values;
  std::bitset<kFieldCount> present;
  std::optional<Ref> account;      // contacts, opportunities, contract lines
  std::optional<Ref> parent;       // accounts
  std::optional<Ref> reports_to;   // contacts
  std::optional<Ref> opportunity;  // contract lines from opportunity line items: the account
                                   // and start come from it, and only closed-won ones count
  int64_t line = 0;                // where the record starts in its file
  std::string alias;               // links of later rows may name this row so (KeySystem::kAlias)

  void Set(Field f, std::string value) {
    if (Has(f)) {
      for (auto& [field, v] : values) {
        if (field == f) v = std::move(value);
      }
      return;
    }
    if (values.empty()) values.reserve(8);
    values.emplace_back(f, std::move(value));
    present.set(static_cast<size_t>(f));
  }
  bool Has(Field f) const { return present.test(static_cast<size_t>(f)); }
  // The field's value, moved out (it reads empty afterwards): for the row's last reader.
  std::string Take(Field f) {
    for (auto& [field, v] : values) {
      if (field == f) return std::move(v);
    }
    return {};
  }
  // The field's value; empty when it is not set.
  const std::string& Get(Field f) const {
    static const std::string kNone;
    if (!Has(f)) return kNone;
    for (const auto& [field, v] : values) {
      if (field == f) return v;
    }
    return kNone;
  }
};

// Where a field comes from in the file being read: its column (counting from 1) and name.
struct SourceColumn {
  int64_t number = 0;
  std::string name;
};
using SourceColumns = std::array<SourceColumn, kFieldCount>;

struct Rejection {
  std::string file;
  int64_t line = 0;
  int64_t column = 0;  // counting from 1; 0 when it is the row as a whole
  std::string column_name;
  std::string reason;
};

struct FileSummary {
  std::string file;
  std::string object;
  int64_t rows = 0, inserted = 0, updated = 0, unchanged = 0, rejected = 0, skipped = 0;
};

struct ImportSummary {
  std::string source;
  bool dry_run = false;
  std::vector<FileSummary> files;
  int64_t rows = 0, inserted = 0, updated = 0, unchanged = 0, rejected = 0, skipped = 0;
  std::map<std::string, int64_t> warnings;  // message → rows it concerns
  std::vector<Rejection> rejections;        // the first kKeptRejections
  std::vector<std::string> created_users;   // owners added as inactive users (--create-users)
  std::string unassigned_account;  // the holding account rows without one went under, if any
  int64_t unassigned = 0;          // how many
  std::string report_path;         // every rejection, as CSV (empty: none written)
  double seconds = 0;

  static constexpr size_t kKeptRejections = 1000;
  std::string ToJson() const;
};

struct ImportProgress {
  int64_t rows = 0;
  int64_t bytes = 0, total_bytes = 0;  // of the files, for an ETA (0: unknown)
  double seconds = 0;
};

struct ImportOptions {
  std::string source = "csv";  // salesforce, hubspot, csv: for the summary and the audit entry
  bool dry_run = false;
  int batch_rows = 20000;
  std::string report_path;  // where rejected rows go as CSV; empty: nowhere
  std::string hide_dir;     // files under it are named without it (an upload's own folder)
  std::optional<UserId> actor;
  // The name of the system external_id keys come from (a mapping's "source", --source-name).
  std::string external_source;
  // An owner who is not an Orchard user is added, inactive and unable to sign in (else the
  // owner is left as it was, with a warning).
  bool create_users = false;
  // Contacts and opportunities without an account go under a holding account of this name
  // (created if missing); none: they are rejected, saying so.
  std::optional<std::string> unassigned_account;
  std::function<void(const ImportProgress&)> on_progress;  // after each batch
  // Set to stop at the next batch: what was committed stays, the batch in flight rolls back,
  // and Add() fails naming how far the import got (a re-run completes it).
  const std::atomic<bool>* stop = nullptr;
  // The day a deal without a create date was created on, when its close date is later or
  // missing; none: each file's modification date.
  std::optional<Date> as_of;
  // A file whose table is empty when it begins is one transaction, its table's indexes built
  // once at the end (import_first_load.h); false: every batch commits, whatever the table holds.
  bool first_load = true;
  // A first load expected to bring at least this many rows (the file's size over its first
  // batch's bytes a row) builds its primary key at the end too, on PostgreSQL; below it, the
  // statements that set the key aside and put it back cost more than they save.
  int64_t primary_key_aside_rows = 100000;
};

class ProductCatalogue;  // products_import.h

class Importer {
 public:
  static Result<std::unique_ptr<Importer>> Start(store::Database& db, const Clock& clock,
                                                 ImportOptions options);
  ~Importer();  // an unfinished import rolls back its batch in flight

  // The rows that follow come from `file` and are `object`s; `columns` names where each field
  // is read from, for the rejected rows' report.
  Status BeginFile(std::string file, ImportObject object, SourceColumns columns = {});
  // Queues a row; a full batch is written. Fails only when the database does.
  Status Add(ImportRow row);
  // A row the source could not read (an unreadable record, a value in a wrong format).
  void Reject(int64_t line, int64_t column, std::string column_name, std::string reason);
  // Kept, with something worth saying (an unknown picklist value, an unknown owner): counted
  // by message.
  void Warn(const std::string& message) { ++summary_.warnings[message]; }
  void Skip() { ++current().skipped; }
  void SetBytes(int64_t bytes, int64_t total) {
    progress_.bytes = bytes;
    progress_.total_bytes = total;
  }
  // Writes what is queued and sets the links that pointed forward.
  Status EndFile();
  // Commits (a dry run rolls back) and says what happened.
  Result<ImportSummary> Finish();

  // What is wrong with one row (it is rejected); an Error stops the import.
  struct RowIssue {
    Field field;
    std::string reason;
  };
  using Outcome = Result<std::optional<RowIssue>>;

 private:
  struct Batch;
  // An entry of the change log: running servers read the rows it names again.
  struct Change {
    std::string_view table;
    int64_t id = 0, account = 0;
    int64_t last = 0;  // > 0: the new rows id … last (one entry for a batch's inserts)
  };
  Importer(store::Database& db, const Clock& clock, ImportOptions options);
  FileSummary& current() { return summary_.files.back(); }
  Status Flush();
  Status Handoff();        // hands the batch to the writer (after the one before is written)
  Status WaitForWriter();  // the batch in flight written (or its error); call before using db_
  Status WaitForBatch();   // the batch in flight written; a first load's COPY left open
  // WaitForWriter, before a query that finds a row of `table` by id: a first load's primary
  // key set aside is built first.
  Status ReadyToRead(std::string_view table);
  // A first load's primary key of `table` built, if it was set aside (on whichever thread holds
  // the connection).
  Status KeyBeforeById(std::string_view table);
  // Ends the COPY a PostgreSQL first load keeps open from batch to batch (open_copy_): before
  // any other statement on the connection.
  Status EndOpenCopy();
  Status LogChanges(const std::vector<Change>& changes);  // into change_log, and NOTIFY
  Status WriteRows(std::string_view table, std::span<const std::string_view> columns,
                   std::span<const store::SqlValue> values);
  Status Write(Batch& batch);  // on the writer: one transaction (a dry run's stays open)
  Status WriteInTransaction(Batch& batch);
  Outcome Process(ImportRow& row);
  template <class T>
  Outcome Upsert(ImportRow& row, std::optional<int64_t> found);
  template <class T>
  Outcome Apply(T& entity, ImportRow& row, bool is_new);  // moves text out of row
  // The id of the row `ref` names. kHold: the row's own key, which a new row adds once made
  // (Remember): not found, it is held in its index for that (KeyIndex::find_or_hold).
  enum class Lookup { kFind, kHold };
  Result<std::optional<int64_t>> Find(ImportObject object, const Ref& ref,
                                      Lookup lookup = Lookup::kFind);
  // Reads the stored rows the queued rows' keys match, for Upsert (Part::matched).
  Status ReadMatched();
  // A contract-lines file: reads the opportunities its queued line items name, together
  // (line_opportunities_). Each line had read its own, and on PostgreSQL ended a first load's
  // COPY for it: 20,000 line items took 3.5 s.
  Status ReadOpportunities();
  // The stored rows with these ids into `into`, together (Store::GetMany), once the writer is
  // done with the batch before.
  template <class T>
  Status ReadByIds(std::vector<int64_t> ids, std::unordered_map<int64_t, T>& into);
  // Starts loading the index slot of the row's own key (KeyIndex::prefetch), a few rows ahead.
  void PrefetchKey(const ImportRow& row);
  // A user named by e-mail, else by external id, else by name (case-insensitively; a name two
  // users share is a warning naming both, and matches none). import_owners.cc.
  Result<std::optional<UserId>> FindUser(const std::string& who);
  Status LoadUsers();
  // The row's owner (a user's e-mail, external id or name) into `owner`; an unknown one is
  // added as an inactive user with create_users, else reported and left alone.
  Status ApplyOwner(const ImportRow& row, std::optional<UserId>& owner);
  Result<UserId> CreateUser(const std::string& who);
  // The holding account for rows without one (options_.unassigned_account), created if missing.
  Result<int64_t> UnassignedAccount();
  // By code, else name (products_import.cc); an unknown one is added when `add` (contract lines).
  Result<std::optional<ProductId>> FindProduct(const ImportRow& row, bool add = true);
  Result<std::optional<int64_t>> ResolveAccount(const ImportRow& row);
  Status ResolvePendingLinks();
  Status EndFirstLoad();  // builds what a first load set aside, and commits
  // The columns the batch's new rows give a value; into `ascending`, those of them whose values
  // never fall from one new row to the next (NULLs only first), whose indexes take the rows as
  // appends.
  std::set<std::string> FilledColumns(Batch& batch, std::set<std::string>& ascending) const;
  // Where a row stands now: a contact's account, an account's parent (in the batch being made,
  // else as stored), for the links that may not cross accounts or close a cycle.
  Result<std::optional<int64_t>> AccountOfContact(int64_t contact);
  Result<std::optional<int64_t>> ParentOf(int64_t account);
  // Whether `parent` (or an account above it) is `account`.
  Result<bool> ClosesCycle(int64_t account, int64_t parent);
  template <class T>
  void Remember(ImportObject object, const ImportRow& row, const T& fresh);
  Result<int64_t> NextId(ImportObject object);

  // Looked up by string_view, so a key need not be copied to be found.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  using Index = std::unordered_map<std::string, int64_t, KeyHash, std::equal_to<>>;
  // The keys of (object, system), loaded from the database on first use (Find).
  KeyIndex& IndexOf(ImportObject object, KeySystem system) {
    return indexes_[static_cast<size_t>(object)][static_cast<size_t>(system)];
  }
  bool& LoadedOf(ImportObject object, KeySystem system) {
    return loaded_[static_cast<size_t>(object)][static_cast<size_t>(system)];
  }
  Status Load(ImportObject object, KeySystem system, KeyIndex& index);

  store::Database& db_;
  const Clock& clock_;
  ImportOptions options_;
  ImportSummary summary_;
  ImportProgress progress_;
  ImportObject object_ = ImportObject::kAccounts;
  SourceColumns columns_;
  std::vector<ImportRow> queued_;
  std::unique_ptr<Batch> batch_;
  std::unique_ptr<Batch> spare_;  // the batch written last, emptied (Handoff)
  std::future<Status> writing_;   // the batch being written, if any
  // PostgreSQL, a first load: its new rows go through one COPY that stays open from batch to
  // batch. Ending a COPY and beginning the next, with the change log and NOTIFY between them,
  // left the server waiting 4 ms a batch (0.23 s of a 1M-row load). The change log of such a
  // load is written once, at its end (its rows are seen at the commit anyway).
  std::unique_ptr<store::BulkWriter> open_copy_;
  std::string open_copy_table_;
  std::vector<Change> first_load_changes_;
  int64_t held_reservation_ = 0;  // the ids a first load took last (ReserveAhead)
  bool in_transaction_ = false;   // touched by the writer only while a batch is in flight
  // This file is a first load (its table was empty): its batches share one transaction, and
  // put_back_ holds what makes the indexes set aside by its first batch again.
  bool first_load_ = false;
  detail::SetAside put_back_;
  // The rows the file looks to hold, from its first batch (ExpectRows): set by the reader before
  // that batch goes to the writer, read by the writer with it (a first load's primary key,
  // ImportOptions::primary_key_aside_rows; its ids).
  int64_t expected_rows_ = 0;
  void ExpectRows();
  void RoomForKeys();  // the file's key indexes sized by expected_rows_
  static constexpr int kFirstBatchRows = 2000;
  int batch_limit_ = 1;  // the rows of the batch being read (Add)
  // SQLite: this first load writes around the write-ahead log (Database::WriteAroundTheLog);
  // BackToTheLog puts it back when the file is done, or the import ends.
  bool around_log_ = false;
  void BackToTheLog();
  static constexpr int kLogPages = 16384;  // the log's copier runs each 64 MB (Start)
  // [object][system]: key → id; loaded from the database on first use.
  static constexpr size_t kKeySystems = static_cast<size_t>(KeySystem::kExternal) + 1;
  std::array<std::array<KeyIndex, kKeySystems>, kImportObjects.size()> indexes_;
  std::array<std::array<bool, kKeySystems>, kImportObjects.size()> loaded_{};
  Index users_, aliases_;
  Index users_by_key_, users_by_name_;  // external id; lower-case name (-1: shared by several)
  std::map<std::string, std::string> shared_names_;  // lower-case name → "a@x, b@y"
  std::optional<int64_t> unassigned_id_;
  bool users_loaded_ = false;
  // Ids for new rows, reserved ahead in the database (Database::ReserveIds) so that live writes
  // beside the import never take them. Per object (by enum value): the range being handed out,
  // used by the reading thread alone, and the ranges reserved after it, which the writer tops up
  // after each batch (in the batch's transaction) so that the reader seldom waits to reserve.
  struct IdStock {
    store::IdRange current;
    std::vector<store::IdRange> ahead;
    int64_t reserved_ahead = 0;  // ids in `ahead`
    bool used = false;           // the import inserts this object: the writer keeps it stocked
  };
  std::mutex ids_mu_;  // guards each IdStock's ahead, reserved_ahead and used
  std::array<IdStock, kImportObjects.size()> ids_;
  Status ReserveAhead(ImportObject object);  // on whichever thread holds db_
  // Forward links inside an object: (row id, target ref), set at the end of its file.
  std::vector<std::pair<int64_t, Ref>> pending_parents_, pending_managers_;
  // Set while a row is processed: its account (resolved by Process) and a link Apply could not
  // resolve yet (set when its file ends).
  int64_t row_account_ = 0;
  std::optional<Ref> deferred_link_;
  std::unique_ptr<ProductCatalogue> catalogue_;
  std::unordered_map<int64_t, Opportunity> line_opportunities_;  // the batch's (ReadOpportunities)
  Date file_date_;  // the create date of a deal that has none (see ImportOptions::as_of)
  std::ofstream report_;
  Timestamp started_;
  double started_seconds_ = 0;
};

}  // namespace orchard::ingest
