// The book's SQL, in one place: the read model loaded at start (ReadModel::Load), the rows the
// change log names re-read for the follower (Follow, FollowRange), an account's ownership
// history, and the accounts read in a column's order. Every step per entity is derived from the
// one list of what the book holds (BookEntities, engine/read_model.h).
#include <algorithm>
#include <functional>

#include "engine/read_model.h"
#include "store/store.h"

namespace orchard::engine {

namespace {

// An account_owners row's since (NULL: from the start) and owner_id (NULL: none) at `at`, at + 1.
Result<ReadModel::OwnerSince> OwnerSinceOf(const store::Row& row, int at) {
  ReadModel::OwnerSince o;
  if (!row.IsNull(at)) {
    ORCHARD_TRY(Date since, Date::Parse(row.GetText(at)));
    o.since = since.days();
  }
  if (!row.IsNull(at + 1)) {
    ORCHARD_TRY(o.owner_id, row.GetInt(at + 1));
  }
  return o;
}

template <class T>
Status ScanAll(store::Database& db, const std::function<void(T&&)>& take) {
  const std::string sql = "SELECT " + store::SelectList<T>() + " FROM " +
                          std::string(EntitySchema<T>::kTable) + std::string(kBookRead<T>.where) +
                          " ORDER BY id";
  return db.Query(sql, {}, [&](const store::Row& row) -> Status {
    ORCHARD_TRY(T item, store::FromRow<T>(row));
    take(std::move(item));
    return Ok();
  });
}

// Whether the database orders text byte by byte, as ColumnOrder does: SQLite always (BINARY);
// PostgreSQL by the database's collation, which is byte order only under C (or POSIX, or
// C.UTF-8 with libc).
Result<bool> TextInByteOrder(store::Database& db) {
  if (db.dialect() == store::Dialect::kSqlite) return true;
  bool bytes = false;
  ORCHARD_CHECK(db.Query(
      // datlocprovider arrived in PostgreSQL 15 (ICU as a database default); before, only libc.
      "SELECT datcollate, to_jsonb(d) ->> 'datlocprovider' FROM pg_database d "
      "WHERE datname = current_database()",
      {}, [&](const store::Row& row) -> Status {
        std::string collate(row.GetText(0));
        bool libc = row.IsNull(1) || row.GetText(1) == "c";
        bytes = libc && (collate == "C" || collate == "POSIX" || collate.starts_with("C."));
        return Ok();
      }));
  return bytes;
}

// Who took part in each meaningful activity, in account order, one activity's together.
Status LoadParticipants(store::Database& db, ReadModel& model) {
  int64_t activity = 0, account = 0;
  std::vector<int64_t> people;
  auto flush = [&] {
    if (activity != 0) model.SetParticipants(activity, account, people);
    people.clear();
  };
  ORCHARD_CHECK(
      db.Query("SELECT ac.activity_id, a.account_id, ac.contact_id FROM activity_contacts ac "
               "JOIN activities a ON a.id = ac.activity_id ORDER BY ac.activity_id, ac.contact_id",
               {}, [&](const store::Row& row) -> Status {
                 ORCHARD_TRY(int64_t id, row.GetInt(0));
                 if (id != activity) {
                   flush();
                   activity = id;
                 }
                 ORCHARD_TRY(account, row.GetInt(1));
                 ORCHARD_TRY(int64_t contact, row.GetInt(2));
                 people.push_back(contact);
                 return Ok();
               }));
  flush();
  return Ok();
}

// Ownership histories, one account's together.
Status LoadOwnerHistories(store::Database& db, ReadModel& model) {
  int64_t account = 0;
  std::vector<ReadModel::OwnerSince> spans;
  auto flush = [&] {
    if (account != 0) model.SetOwnerHistory(account, spans);
    spans.clear();
  };
  ORCHARD_CHECK(
      db.Query("SELECT account_id, since, owner_id FROM account_owners ORDER BY account_id", {},
               [&](const store::Row& row) -> Status {
                 ORCHARD_TRY(int64_t id, row.GetInt(0));
                 if (id != account) {
                   flush();
                   account = id;
                 }
                 ORCHARD_TRY(ReadModel::OwnerSince o, OwnerSinceOf(row, 1));
                 spans.push_back(o);
                 return Ok();
               }));
  flush();
  return Ok();
}

// The row as the database holds it now: upserted into the model, or erased if it is gone. Rows
// whose moves the model does not track are first erased from the account logged with the change,
// which is where they were if they moved.
template <class T>
Status Reread(store::Database& db, ReadModel& model, int64_t id, int64_t account) {
  store::Store store(db);
  auto row = store.Get<T>(decltype(T::id)(id));
  if (!row && row.error().code != ErrorCode::kNotFound) return std::unexpected(row.error());
  // A row still there is erased from the logged account only when it has left it: an erase is a
  // delete's, and takes what hangs from the row too. Erasing a contact on every followed edit
  // dropped the meaningful activities it took part in, and multithreading depth fell with each
  // stance or influence change (issue "The daily work", item 13; tests/integration/depth_test).
  auto moved = [&](const T& now) {
    if constexpr (requires { now.account_id.value; }) return now.account_id.value != account;
    return true;  // a plan's part: the row does not say its account; erase and put it again
  };
  if (!row || (!kBookRead<T>.tracks_moves && account != 0 && moved(*row))) {
    model.EraseRow<T>(id, account);
  }
  if (row) model.Upsert(*row);
  return Ok();
}

// New rows first..last, read with one query and put into the model (a bulk import's batch).
template <class T>
Status ReadRange(store::Database& db, ReadModel& model, int64_t first, int64_t last) {
  static const std::string sql = "SELECT " + store::SelectList<T>() + " FROM " +
                                 std::string(EntitySchema<T>::kTable) +
                                 " WHERE id BETWEEN ? AND ? ORDER BY id";
  store::SqlValue params[] = {first, last};
  std::vector<T> rows;
  ORCHARD_CHECK(db.Query(sql, params, [&](const store::Row& row) -> Status {
    ORCHARD_TRY(T item, store::FromRow<T>(row));
    rows.push_back(std::move(item));
    return Ok();
  }));
  for (const T& row : rows) model.Upsert(row);
  return Ok();
}

}  // namespace

Result<std::unique_ptr<ReadModel>> ReadModel::Load(store::Database& db) {
  auto model = std::make_unique<ReadModel>();
  // One read transaction, so every table is read at the same moment.
  ORCHARD_CHECK(db.ExecScript(db.dialect() == store::Dialect::kSqlite ? "BEGIN DEFERRED"
                                                                      : "BEGIN READ ONLY"));
  Status scanned = [&]() -> Status {
    ORCHARD_TRY(auto seq, db.QueryInt("SELECT MAX(seq) FROM change_log"));
    model->loaded_seq_ = seq.value_or(0);
    // The web UI's A–Z and Z–A: the order by name is built from the accounts' scan, so that the
    // first sorted page after a start does not read every name again.
    std::vector<std::pair<uint32_t, store::SqlValue>> names;
    Status each = Ok();
    ForEachIn(BookEntities{}, [&]<class T>(std::type_identity<T>) {
      if (!each) return;
      each = ScanAll<T>(db, [&](T&& row) {
        model->Upsert(row);
        if constexpr (std::is_same_v<T, Account>) {
          names.emplace_back(static_cast<uint32_t>(*model->SlotOf(row.id.value)),
                             std::move(row.name));
        }
      });
      if constexpr (std::is_same_v<T, Account>) {
        if (!each) return;
        auto bytes = TextInByteOrder(db);
        if (!bytes) {
          each = std::unexpected(bytes.error());
          return;
        }
        model->text_in_byte_order_ = *bytes;
        if (*bytes) {
          auto order = std::make_unique<ColumnOrder>(model->account_id_);
          order->Build(std::move(names));
          model->orders_.emplace("name", std::move(order));
        }
        names = {};
      }
    });
    ORCHARD_CHECK(each);
    ORCHARD_CHECK(LoadParticipants(db, *model));
    return LoadOwnerHistories(db, *model);
  }();
  Status ended = db.Rollback();
  ORCHARD_CHECK(scanned);
  ORCHARD_CHECK(ended);
  return model;
}

Status ReadModel::Follow(store::Database& db, std::string_view entity, int64_t id,
                         int64_t account) {
  Status done = Ok();
  bool known = false;
  ForEachIn(BookEntities{}, [&]<class T>(std::type_identity<T>) {
    if (known || entity != EntitySchema<T>::kTable) return;
    known = true;
    done = Reread<T>(db, *this, id, account);
  });
  if (!known && entity == "activity_contacts") {
    // `id` is the activity: its participants as they are now.
    std::vector<int64_t> people;
    std::vector<store::SqlValue> params;
    params.emplace_back(id);
    ORCHARD_CHECK(db.Query(
        "SELECT contact_id FROM activity_contacts WHERE activity_id = ? ORDER BY contact_id",
        params, [&](const store::Row& row) -> Status {
          ORCHARD_TRY(int64_t c, row.GetInt(0));
          people.push_back(c);
          return Ok();
        }));
    SetParticipants(id, account, people);
  }
  if (!known && entity == "account_owners") {
    // `id` is the account: its ownership history as it is now.
    ORCHARD_TRY(auto spans, ReadOwnerHistory(db, id));
    SetOwnerHistory(id, spans);
  }
  return done;  // an entity the model does not hold (logged by a newer server) is skipped
}

Status ReadModel::FollowRange(store::Database& db, std::string_view entity, int64_t first,
                              int64_t last) {
  bool known = false;
  Status done = Ok();
  ForEachIn(BookEntities{}, [&]<class T>(std::type_identity<T>) {
    if constexpr (kBookRead<T>.read_in_ranges) {
      if (known || entity != EntitySchema<T>::kTable) return;
      known = true;
      done = ReadRange<T>(db, *this, first, last);
    }
  });
  // Anything else is read row by row, as a single entry would be.
  for (int64_t id = first; !known && done && id <= last; ++id) done = Follow(db, entity, id, 0);
  return done;
}

Result<std::vector<ReadModel::OwnerSince>> ReadModel::ReadOwnerHistory(store::Database& db,
                                                                       int64_t account_id) {
  std::vector<OwnerSince> out;
  store::SqlValue params[] = {account_id};
  ORCHARD_CHECK(db.Query("SELECT since, owner_id FROM account_owners WHERE account_id = ?", params,
                         [&](const store::Row& row) -> Status {
                           ORCHARD_TRY(OwnerSince o, OwnerSinceOf(row, 0));
                           out.push_back(o);
                           return Ok();
                         }));
  return out;
}

Result<const ColumnOrder*> ReadModel::AccountOrder(const std::string& column,
                                                   store::Database& db) const {
  std::lock_guard hold(order_mu_);
  if (auto it = orders_.find(column); it != orders_.end()) return it->second.get();
  if (store::ColumnIsCollatedText<Account>(column)) {
    if (!text_in_byte_order_) {
      ORCHARD_TRY(text_in_byte_order_, TextInByteOrder(db));
    }
    if (!*text_in_byte_order_) return nullptr;
  }
  std::vector<std::pair<uint32_t, store::SqlValue>> rows;
  rows.reserve(slots());
  // The database has every write this model has applied (each is applied after its commit);
  // writes it has that the model has not are applied after this read lock is let go, and set
  // the same values again.
  ORCHARD_CHECK(
      db.Query("SELECT id, " + column + " FROM accounts", {}, [&](const store::Row& row) -> Status {
        ORCHARD_TRY(int64_t id, row.GetInt(0));
        auto slot = SlotOf(id);
        if (!slot || !live(*slot)) return Ok();  // not yet in the book
        ORCHARD_TRY(auto value, store::ColumnFromRow<Account>(row, 1, column));
        rows.emplace_back(static_cast<uint32_t>(*slot), std::move(value));
        return Ok();
      }));
  auto order = std::make_unique<ColumnOrder>(account_id_);
  order->Build(std::move(rows));
  return orders_.emplace(column, std::move(order)).first->second.get();
}

}  // namespace orchard::engine
