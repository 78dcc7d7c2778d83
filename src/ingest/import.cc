// The Importer's writing half: starting an import, files and rejected rows, batches handed to
// the writer thread and written in one transaction each, and the indexes of stored keys that
// rows are matched against. The reading half (matching, applying, links) is import_rows.cc.
#include "ingest/import.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>

#include "core/text.h"
#include "domain/limits.h"
#include "domain/schema.h"
#include "ingest/import_batch.h"
#include "ingest/import_first_load.h"
#include "ingest/products_import.h"
#include "ingest/text.h"
#include "service/entity_service.h"
#include "store/store.h"

namespace orchard::ingest {

using namespace detail;  // the batch and the keys (import_batch.h)

Importer::Importer(store::Database& db, const Clock& clock, ImportOptions options)
    : db_(db), clock_(clock), options_(std::move(options)), batch_(std::make_unique<Batch>()) {}

Importer::~Importer() {
  (void)WaitForBatch();
  open_copy_.reset();  // abandoned: the server discards its rows
  if (in_transaction_) (void)db_.Rollback();
  BackToTheLog();
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
    if (!im->options_.dry_run) ORCHARD_CHECK(db.CheckpointInBackground(true, kLogPages));
    // Its batches' commits are not synced one by one (a tenth of a 1M-row import's time): an
    // import is acknowledged by its summary, after Finish's last commit, which syncs the log with
    // every batch in it. A crash of the process loses no batch either way; a
    // power loss mid-run may lose the last batches of an import that never said it was done,
    // and running it again upserts them.
    if (!im->options_.dry_run) ORCHARD_CHECK(db.ExecScript("PRAGMA synchronous = NORMAL"));
  }
  if (im->options_.dry_run) {
    ORCHARD_CHECK(db.Begin());
    im->in_transaction_ = true;
  }
  return im;
}

namespace {

// The day a file was last written (its modification time, UTC), else `fallback`: the create date
// of deals without one (their close date when earlier).
Date FileDate(const std::string& file, Date fallback) {
  std::error_code ec;
  auto written = std::filesystem::last_write_time(file, ec);
  if (ec) return fallback;
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::file_clock::to_sys(written).time_since_epoch());
  return Timestamp::FromUnixSeconds(seconds.count()).date();
}

}  // namespace

Status Importer::BeginFile(std::string file, ImportObject object, SourceColumns columns) {
  if (!queued_.empty() || !batch_->empty()) ORCHARD_CHECK(EndFile());
  object_ = object;
  columns_ = std::move(columns);
  file_date_ = options_.as_of ? *options_.as_of : FileDate(file, clock_.Today());
  expected_rows_ = 0;
  batch_limit_ = std::min(options_.batch_rows, kFirstBatchRows);
  FileSummary f;
  if (!options_.hide_dir.empty() && file.starts_with(options_.hide_dir + "/")) {
    file.erase(0, options_.hide_dir.size() + 1);
  }
  f.file = std::move(file);
  f.object = std::string(ObjectName(object));
  summary_.files.push_back(std::move(f));
  if (options_.first_load && !options_.dry_run) {
    ORCHARD_CHECK(WaitForWriter());
    ORCHARD_TRY(bool empty, TableIsEmpty(db_, ObjectName(object)));
    first_load_ = empty;
    if (first_load_ && db_.dialect() == store::Dialect::kSqlite && !in_transaction_) {
      // A first load into a book nothing else has open writes its pages once, into the file,
      // rather than into the write-ahead log and then again into the file: 1M accounts 2.75 s
      // -> 2.3 s, a fifth of it the log's copy after the last row. The log's copier (a
      // connection of its own) stops first, and starts again when the file is done.
      ORCHARD_CHECK(db_.CheckpointInBackground(false, 0));
      ORCHARD_TRY(bool alone, db_.WriteAroundTheLog(true));
      around_log_ = alone;
      if (!alone) ORCHARD_CHECK(db_.CheckpointInBackground(true, kLogPages));
    }
  }
  return Ok();
}

void Importer::BackToTheLog() {
  if (!around_log_) return;
  around_log_ = false;
  // Any orchard that opens the book puts the log back too (store::OpenDatabase): if another
  // connection opened it meanwhile, that one does.
  if (!db_.WriteAroundTheLog(false)) {
    Warn("the book stays without its write-ahead log until a server opens it");
  }
  (void)db_.CheckpointInBackground(true, kLogPages);
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
  // A file's first batches are small and grow by half each time up to batch_rows: the writer
  // (and the database) waits for the first, where each later one is read while the one before
  // is written.
  if (static_cast<int>(queued_.size()) >= batch_limit_) {
    batch_limit_ = std::min(options_.batch_rows, batch_limit_ + batch_limit_ / 2);
    ORCHARD_CHECK(Flush());
  }
  return Ok();
}

Status Importer::WaitForBatch() {
  if (!writing_.valid()) return Ok();
  return writing_.get();
}

Status Importer::WaitForWriter() {
  ORCHARD_CHECK(WaitForBatch());
  return EndOpenCopy();
}

Status Importer::ReadyToRead(std::string_view table) {
  ORCHARD_CHECK(WaitForWriter());
  return KeyBeforeById(table);
}

Status Importer::KeyBeforeById(std::string_view table) {
  if (!first_load_ || table != ObjectName(object_)) return Ok();
  return detail::PutBackPrimaryKey(db_, put_back_);
}

Status Importer::EndOpenCopy() {
  if (!open_copy_) return Ok();
  std::unique_ptr<store::BulkWriter> copy = std::move(open_copy_);
  return copy->Finish();
}

Status Importer::WriteRows(std::string_view table, std::span<const std::string_view> columns,
                           std::span<const store::SqlValue> values) {
  if (open_copy_ && open_copy_table_ != table) ORCHARD_CHECK(EndOpenCopy());
  if (!open_copy_) {
    ORCHARD_TRY(auto copy, db_.OpenBulkWriter(table, columns));
    open_copy_ = std::move(copy);
    open_copy_table_ = std::string(table);
  }
  ORCHARD_CHECK(open_copy_->AddRows(values));
  const bool stays_open = first_load_ && db_.dialect() == store::Dialect::kPostgres;
  return stays_open ? Ok() : EndOpenCopy();
}

Status Importer::Handoff() {
  if (batch_->empty()) return Ok();
  // The batch is written on a thread of its own while the next one is read and matched: the
  // two halves of an import (parsing, and the database's work) overlap. Everything else that
  // needs the connection waits for the writer first (WaitForWriter), so it is never shared.
  // The new rows become SQL values here, on the reading side, while the batch before is still
  // being written: the writer only binds them. Text moves into the values: after this, a new
  // row is only read for its id.
  // New rows share their timestamps (the import's start): each is printed once.
  std::optional<std::pair<Timestamp, store::SqlValue>> stamp;
  auto prepare = [&stamp](auto& part) {
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
        } else if constexpr (std::is_same_v<M, Timestamp>) {
          const Timestamp& t = r.*(col.member);
          if (!stamp || stamp->first != t) stamp.emplace(t, store::Codec<M>::ToSql(t));
          part.values.push_back(stamp->second);
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
  ORCHARD_CHECK(WaitForBatch());
  const bool first = expected_rows_ == 0;
  if (first) ExpectRows();
  // Two batches take turns: the one the writer wrote last is the next one filled. Emptying it
  // (freeing its rows and their text) falls to the thread with time to spare: on SQLite the
  // writer is the database, the import's busiest thread, and the reader empties the batch while
  // the writer writes the next (a 1M-row load 2.8-3.0 s -> 2.3-2.9 s); on PostgreSQL the writer
  // only encodes and sends, and empties it itself.
  const bool writer_empties = db_.dialect() == store::Dialect::kPostgres;
  std::unique_ptr<Batch> next = spare_ ? std::move(spare_) : std::make_unique<Batch>();
  writing_ =
      std::async(std::launch::async, [this, writer_empties, batch = std::move(batch_)]() mutable {
        Status done = Write(*batch);
        if (writer_empties) batch->clear();
        spare_ = std::move(batch);  // read by the reader only after WaitForWriter
        return done;
      });
  next->clear();  // nothing left to free if the writer emptied it
  batch_ = std::move(next);
  if (first) RoomForKeys();
  return Ok();
}

void Importer::ExpectRows() {
  // The file's first batch: its rows over the bytes read so far (in 64 KB reads), times the
  // file's size.
  const int64_t rows = current().rows;
  expected_rows_ = std::max<int64_t>(rows, 1);
  if (progress_.bytes <= 0 || progress_.total_bytes <= progress_.bytes) return;
  expected_rows_ =
      static_cast<int64_t>(static_cast<double>(rows) * static_cast<double>(progress_.total_bytes) /
                           static_cast<double>(progress_.bytes));
}

void Importer::RoomForKeys() {
  // The file's own keys get room for the rest of it, with an eighth to spare (Find gave them
  // room for a few batches): at 1M rows a table half the size of one sized from the file's bytes
  // alone. The system zeroes each page of it as it is first written: 20-50 ms on a 2-core VM,
  // done on a thread of its own (KeyIndex::reserve_ahead) while this one reads on; here, it
  // had starved the writer at the start of the load.
  const auto left = static_cast<size_t>(std::max<int64_t>(expected_rows_ - current().rows, 0));
  for (size_t system = 0; system < kKeySystems; ++system) {
    if (!LoadedOf(object_, static_cast<KeySystem>(system))) continue;
    KeyIndex& index = IndexOf(object_, static_cast<KeySystem>(system));
    index.reserve_ahead(index.size() + left + left / 8);
  }
}

Status Importer::Write(Batch& batch) {
  Status done = WriteInTransaction(batch);
  if (!done && in_transaction_) {
    open_copy_.reset();
    (void)db_.Rollback();
    in_transaction_ = false;
  }
  return done;
}

// The columns the batch's new rows of the file's object give a value, and those of them whose
// values ascend (SqlValue's order: NULL before any value, values of one type by their own).
std::set<std::string> Importer::FilledColumns(Batch& batch,
                                              std::set<std::string>& ascending) const {
  std::set<std::string> filled;
  auto scan = [&]<class T>(const Part<T>& part) {
    auto names = store::ColumnNames<T>();
    const size_t width = names.size();
    std::vector<bool> falls(width, false);
    for (size_t i = 0; i < part.values.size(); ++i) {
      if (!std::holds_alternative<std::monostate>(part.values[i])) {
        filled.emplace(names[i % width]);
      }
      if (i >= width && part.values[i] < part.values[i - width]) falls[i % width] = true;
    }
    for (size_t c = 0; c < width; ++c) {
      if (!falls[c] && filled.contains(std::string(names[c]))) ascending.emplace(names[c]);
    }
  };
  switch (object_) {
    case ImportObject::kAccounts:
      scan(batch.accounts);
      break;
    case ImportObject::kContacts:
      scan(batch.contacts);
      break;
    case ImportObject::kOpportunities:
      scan(batch.opportunities);
      break;
    case ImportObject::kContractLines:
      scan(batch.lines);
      break;
  }
  return filled;
}

Status Importer::WriteInTransaction(Batch& batch) {
  if (!in_transaction_) {
    ORCHARD_CHECK(db_.Begin());
    in_transaction_ = true;
    if (first_load_) {
      std::set<std::string> ascending;
      std::set<std::string> filled = FilledColumns(batch, ascending);
      const bool primary_key = expected_rows_ >= options_.primary_key_aside_rows;
      ORCHARD_TRY(auto put_back,
                  SetAsideIndexes(db_, ObjectName(object_), filled, ascending, primary_key));
      put_back_ = std::move(put_back);
    }
  }
  store::Store store(db_);
  // New rows in link order, then changed rows, then the change log, which tells running
  // servers to re-read them.
  auto write = [&]<class T>(Part<T>& part) -> Status {
    std::string table(EntitySchema<T>::kTable);
    if (!part.inserts.empty()) {
      // Their ids were reserved (NextId), so writes beside the import never hold them.
      auto names = store::ColumnNames<T>();
      ORCHARD_CHECK(WriteRows(table, names, part.values));
      // One change-log entry for them all: a following server reads them with one query.
      batch.changes.push_back({EntitySchema<T>::kTable, part.inserts.front().id.value, 0,
                               part.inserts.back().id.value});
    }
    if (!part.updates.empty()) {
      ORCHARD_CHECK(EndOpenCopy());
      // Found by id (the reader's ReadyToRead put a first load's key back for them already).
      ORCHARD_CHECK(KeyBeforeById(table));
      ORCHARD_CHECK(store.UpdateMany<T>(part.updates));
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
  // The ownership history, as every other path that changes an owner writes it (after the
  // COPY another table's new rows may have left open).
  if (!batch.accounts.updates.empty()) ORCHARD_CHECK(EndOpenCopy());
  for (const auto& [after, version] : batch.accounts.updates) {
    auto was = batch.owners_before.find(after.id.value);
    if (was == batch.owners_before.end() || was->second == after.owner_id) continue;
    Account before;
    before.id = after.id;
    before.owner_id = was->second;
    ORCHARD_CHECK(service::RecordOwnerChange(db_, before, after, started_));
  }
  if (open_copy_) {  // a first load's: its change log waits for its end
    first_load_changes_.insert(first_load_changes_.end(), batch.changes.begin(),
                               batch.changes.end());
    return Ok();
  }
  ORCHARD_CHECK(LogChanges(batch.changes));
  // A dry run is one transaction, rolled back by Finish; a first load commits at its file's end.
  if (options_.dry_run || first_load_) return Ok();
  in_transaction_ = false;
  return db_.Commit();
}

Status Importer::LogChanges(const std::vector<Change>& changes) {
  if (!changes.empty()) {
    std::string_view cols[] = {"entity", "entity_id", "at", "account_id", "last_id"};
    ORCHARD_TRY(auto writer, db_.OpenBulkWriter("change_log", cols));
    std::string at = started_.ToString();
    for (const auto& c : changes) {
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
  return Ok();
}

Status Importer::Flush() {
  if (queued_.empty()) return Ok();
  if (options_.stop && options_.stop->load()) {
    (void)WaitForWriter();
    return Fail(ErrorCode::kUnavailable,
                "the import was stopped after " + std::to_string(progress_.rows) +
                    " rows; whole batches before that are in, and running it again completes it");
  }
  ORCHARD_CHECK(ReadMatched());
  ORCHARD_CHECK(ReadOpportunities());
  // A row's key is looked up in a table of megabytes: its slot is loaded a few rows ahead.
  constexpr size_t kAhead = 4;
  for (size_t i = 0; i < queued_.size(); ++i) {
    if (i + kAhead < queued_.size()) PrefetchKey(queued_[i + kAhead]);
    ImportRow& row = queued_[i];
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

Status Importer::EndFirstLoad() {
  if (!first_load_) return Ok();
  ORCHARD_CHECK(WaitForWriter());
  first_load_ = false;
  if (!in_transaction_) {  // nothing was written
    BackToTheLog();
    return Ok();
  }
  ORCHARD_CHECK(LogChanges(first_load_changes_));
  first_load_changes_.clear();
  held_reservation_ = 0;
  ORCHARD_CHECK(PutBack(db_, ObjectName(object_), std::move(put_back_)));
  put_back_.clear();
  in_transaction_ = false;
  ORCHARD_CHECK(db_.Commit());
  BackToTheLog();
  return Ok();
}

Status Importer::Load(ImportObject object, KeySystem system, KeyIndex& index) {
  ORCHARD_CHECK(WaitForWriter());
  // New rows of this batch are not in the table yet: the index takes them from the batch.
  auto pending = [&]<class T>(Part<T>& part) {
    for (const T& r : part.inserts) {
      std::string key = KeyOf(r, system);
      if (!key.empty()) index.emplace(key, r.id.value);
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
  if (system == KeySystem::kExternal) {
    sql =
        "SELECT id, external_source, external_id FROM " + table + " WHERE external_id IS NOT NULL";
    return db_.Query(sql, {}, [&](const store::Row& r) -> Status {
      ORCHARD_TRY(int64_t id, r.GetInt(0));
      index.emplace(ExternalKey(r.GetText(1), r.GetText(2)), id);
      return Ok();
    });
  }
  if (system == KeySystem::kSalesforce || system == KeySystem::kHubspot) {
    const char* column = system == KeySystem::kSalesforce ? "salesforce_id" : "hubspot_id";
    if (object == ImportObject::kContractLines && system == KeySystem::kHubspot) return Ok();
    sql = "SELECT id, " + std::string(column) + " FROM " + table + " WHERE " + column +
          " IS NOT NULL";
    return db_.Query(sql, {}, [&](const store::Row& r) -> Status {
      ORCHARD_TRY(int64_t id, r.GetInt(0));
      index.emplace(r.GetText(1), id);
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
    index.emplace(key, id);  // the oldest row wins a shared name
    return Ok();
  });
}

Result<std::optional<int64_t>> Importer::Find(ImportObject object, const Ref& ref, Lookup lookup) {
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
  KeyIndex& index = IndexOf(object, ref.system);
  if (bool& loaded = LoadedOf(object, ref.system); !loaded) {
    ORCHARD_CHECK(Load(object, ref.system, index));
    loaded = true;
    // Room for a few batches, or a row per 40 bytes of a smaller file; the file's first batch
    // tells how many rows the rest holds (ExpectRows).
    if (progress_.total_bytes > progress_.bytes) {
      index.reserve(index.size() +
                    std::min(static_cast<size_t>((progress_.total_bytes - progress_.bytes) / 40),
                             static_cast<size_t>(4 * std::max(options_.batch_rows, 1))));
    }
  }
  auto look = [&](std::string_view key) {
    return lookup == Lookup::kHold ? index.find_or_hold(key) : index.find(key);
  };
  auto known = ref.system == KeySystem::kName ? look(Lower(ref.key))
               : ref.system == KeySystem::kExternal
                   ? look(ExternalKey(options_.external_source, ref.key))
                   : look(ref.key);
  if (known) return known;
  // What the Salesforce export writes for a row without a Salesforce id: Orchard's own.
  if (ref.system == KeySystem::kSalesforce && ref.key.starts_with("orchard-")) {
    auto id = ToInt(std::string_view(ref.key).substr(8));
    if (id) {
      std::string table(ObjectName(object));
      ORCHARD_CHECK(ReadyToRead(table));
      store::SqlValue p[] = {*id};
      ORCHARD_TRY(
          auto hit,
          db_.QueryInt("SELECT id FROM " + table + " WHERE id = ? AND salesforce_id IS NULL", p));
      if (hit) return std::optional<int64_t>(*hit);
    }
  }
  return std::optional<int64_t>();
}

template <class T>
Status Importer::ReadByIds(std::vector<int64_t> ids, std::unordered_map<int64_t, T>& into) {
  if (ids.empty()) return Ok();
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  ORCHARD_CHECK(WaitForWriter());  // the batch before is in the table, as read here
  store::Store store(db_);
  ORCHARD_TRY(auto rows, store.GetMany<T>(ids));
  for (T& r : rows) {
    const int64_t id = r.id.value;
    into.emplace(id, std::move(r));
  }
  return Ok();
}

Status Importer::ReadOpportunities() {
  line_opportunities_.clear();
  if (object_ != ImportObject::kContractLines) return Ok();
  std::vector<int64_t> ids;
  for (const ImportRow& row : queued_) {
    if (!row.opportunity || row.opportunity->key.empty()) continue;
    ORCHARD_TRY(auto id, Find(ImportObject::kOpportunities, *row.opportunity));
    if (id) ids.push_back(*id);
  }
  return ReadByIds(std::move(ids), line_opportunities_);
}

Status Importer::ReadMatched() {
  // A first load's table held nothing before it: its keys match only its own new rows.
  if (first_load_) return Ok();
  std::vector<int64_t> ids;
  for (const ImportRow& row : queued_) {
    std::optional<int64_t> found;
    if (row.key && !row.key->key.empty()) {
      ORCHARD_TRY(found, Find(object_, *row.key));
    } else if (object_ == ImportObject::kAccounts && row.Has(Field::kName) &&
               !row.Get(Field::kName).empty()) {
      ORCHARD_TRY(found, Find(object_, Ref{KeySystem::kName, row.Get(Field::kName)}));
    }
    if (found) ids.push_back(*found);
  }
  switch (object_) {
    case ImportObject::kAccounts:
      return ReadByIds(std::move(ids), batch_->accounts.matched);
    case ImportObject::kContacts:
      return ReadByIds(std::move(ids), batch_->contacts.matched);
    case ImportObject::kOpportunities:
      return ReadByIds(std::move(ids), batch_->opportunities.matched);
    case ImportObject::kContractLines:
      return ReadByIds(std::move(ids), batch_->lines.matched);
  }
  return Ok();
}

void Importer::PrefetchKey(const ImportRow& row) {
  if (!row.key || row.key->key.empty()) return;
  const KeySystem system = row.key->system;
  // The systems whose keys are looked up as they are (a name is folded, a source's id prefixed).
  if (system != KeySystem::kSalesforce && system != KeySystem::kHubspot) return;
  if (!LoadedOf(object_, system)) return;
  IndexOf(object_, system).prefetch(row.key->key);
}

Result<std::optional<int64_t>> Importer::ResolveAccount(const ImportRow& row) {
  if (!row.account || row.account->key.empty()) return std::optional<int64_t>();
  return Find(ImportObject::kAccounts, *row.account);
}

}  // namespace orchard::ingest
