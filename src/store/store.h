// Store: typed reads and writes of every entity over any Database, written once in the shared
// dialect. Tables and columns come from domain/schema.h, so adding a field touches the entity,
// the schema line and a migration — never a per-backend query.
#pragma once

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/schema.h"
#include "store/codec.h"
#include "store/database.h"

namespace orchard::store {

// "accounts.id, accounts.name, …" — the select list of T in schema order.
template <class T>
std::string SelectList() {
  std::string out;
  ForEachColumn<T>([&](const auto& col) {
    if (!out.empty()) out += ", ";
    out += col.name;
  });
  return out;
}

template <class T>
std::vector<std::string_view> ColumnNames() {
  std::vector<std::string_view> names;
  ForEachColumn<T>([&](const auto& col) { names.push_back(col.name); });
  return names;
}

// Every field of row as SQL values, in schema order.
template <class T>
std::vector<SqlValue> ToSqlValues(const T& row) {
  std::vector<SqlValue> values;
  values.reserve(ColumnCount<T>());
  ForEachColumn<T>([&](const auto& col) {
    using M = std::remove_cvref_t<decltype(row.*(col.member))>;
    values.push_back(Codec<M>::ToSql(row.*(col.member)));
  });
  return values;
}

// The same, appended to `out` (many rows in one vector, for bulk writes).
template <class T>
void AppendSqlValues(const T& row, std::vector<SqlValue>& out) {
  ForEachColumn<T>([&](const auto& col) {
    using M = std::remove_cvref_t<decltype(row.*(col.member))>;
    out.push_back(Codec<M>::ToSql(row.*(col.member)));
  });
}

// Reads a row selected with SelectList<T>() (columns from `first` on).
template <class T>
Result<T> FromRow(const Row& row, int first = 0) {
  T out{};
  int i = first;
  Status status = Ok();
  ForEachColumn<T>([&](const auto& col) {
    if (!status) return;
    using M = std::remove_cvref_t<decltype(out.*(col.member))>;
    auto v = Codec<M>::FromSql(row, i);
    if (!v) {
      status = Fail(ErrorCode::kInternal, std::string(EntitySchema<T>::kTable) + "." +
                                              std::string(col.name) + ": " + v.error().message);
    } else {
      out.*(col.member) = std::move(*v);
    }
    ++i;
  });
  if (!status) return std::unexpected(status.error());
  return out;
}

// One filter on a column of T (the caller has checked the column name): equality, or an
// inclusive bound. A monostate value with kEqual means IS NULL.
struct Filter {
  enum class Op { kEqual, kAtLeast, kAtMost };
  std::string column;
  SqlValue value;
  Op op = Op::kEqual;
};

// Order of a list: by one column (the caller has checked its name), then by id. NULLs come last
// in either direction, on both backends.
struct SortKey {
  std::string column;
  bool descending = false;
};

struct ListQuery {
  std::vector<Filter> filters;
  std::optional<std::string> name_contains;  // case-insensitive match on `name` (if T has one)
  std::optional<SortKey> sort;               // none: id order
  // Cursor: the rows after (after_value, after_id) in the list's order. Without a sort only
  // after_id counts (rows with id > after_id); with one, after_value is the sort column's value
  // of the last row seen (monostate for NULL), and is only read when after_id > 0.
  int64_t after_id = 0;
  SqlValue after_value;
  int limit = 50;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<int64_t> next_cursor;  // pass as after_id for the next page; none at the end
  SqlValue next_sort_value;            // with a sort: pass as after_value alongside next_cursor
};

// The SQL value of column `name` of row (monostate if T has no such column).
template <class T>
SqlValue ColumnValue(const T& row, std::string_view name) {
  SqlValue out;
  ForEachColumn<T>([&](const auto& col) {
    if (col.name != name) return;
    using M = std::remove_cvref_t<decltype(row.*(col.member))>;
    out = Codec<M>::ToSql(row.*(col.member));
  });
  return out;
}

// Column `name` of T read from column `i` of a row, as ColumnValue gives it for the decoded row
// (so a value read and a value written compare alike).
template <class T>
Result<SqlValue> ColumnFromRow(const Row& row, int i, std::string_view name) {
  std::optional<Result<SqlValue>> out;
  ForEachColumn<T>([&](const auto& col) {
    if (col.name != name) return;
    using M = std::remove_cvref_t<decltype(std::declval<T>().*(col.member))>;
    auto v = Codec<M>::FromSql(row, i);
    if (!v) {
      out.emplace(std::unexpected(v.error()));
    } else {
      out.emplace(Codec<M>::ToSql(*v));
    }
  });
  if (!out) return Fail(ErrorCode::kInternal, "no column " + std::string(name));
  return std::move(*out);
}

// Whether column `name` of T is text that the database orders by its collation (not a day or an
// instant, whose text is in time order and which PostgreSQL stores as such).
template <class M>
inline constexpr bool kIsCollatedText = std::is_same_v<M, std::string> || std::is_enum_v<M>;
template <class M>
inline constexpr bool kIsCollatedText<std::optional<M>> = kIsCollatedText<M>;

template <class T>
bool ColumnIsCollatedText(std::string_view name) {
  bool text = false;
  ForEachColumn<T>([&](const auto& col) {
    if (col.name != name) return;
    using M = std::remove_cvref_t<decltype(std::declval<T>().*(col.member))>;
    text = kIsCollatedText<M>;
  });
  return text;
}

// Whether column `name` of T can hold NULL (its member is a std::optional).
template <class M>
inline constexpr bool kIsOptional = false;
template <class M>
inline constexpr bool kIsOptional<std::optional<M>> = true;

template <class T>
bool ColumnNullable(std::string_view name) {
  bool nullable = true;  // unknown: the general form
  ForEachColumn<T>([&](const auto& col) {
    if (col.name != name) return;
    using M = std::remove_cvref_t<decltype(std::declval<T>().*(col.member))>;
    nullable = kIsOptional<M>;
  });
  return nullable;
}

class Store {
 public:
  explicit Store(Database& db) : db_(db) {}
  Database& db() { return db_; }

  template <class T>
  requires HasId<T> Result<T> Get(decltype(T::id) id) {
    // Built once per entity type: this is on the path of every GET.
    static const std::string sql = "SELECT " + SelectList<T>() + " FROM " +
                                   std::string(EntitySchema<T>::kTable) + " WHERE id = ?";
    SqlValue params[] = {id.value};
    std::optional<T> found;
    ORCHARD_CHECK(db_.Query(sql, params, [&](const Row& row) -> Status {
      ORCHARD_TRY(found, FromRow<T>(row));
      return Ok();
    }));
    if (!found) {
      return Fail(ErrorCode::kNotFound, std::string(EntitySchema<T>::kTable) + " " +
                                            std::to_string(id.value) + " does not exist");
    }
    return *found;
  }

  // The stored rows of `ids` (those that exist, in no particular order), read 500 at a time: one
  // statement where Get would take one per row.
  template <class T>
  requires HasId<T> Result<std::vector<T>> GetMany(std::span<const int64_t> ids) {
    constexpr size_t kChunk = 500;
    static const std::string select = "SELECT " + SelectList<T>() + " FROM " +
                                      std::string(EntitySchema<T>::kTable) + " WHERE id IN (";
    std::vector<T> out;
    out.reserve(ids.size());
    std::vector<SqlValue> params;
    for (size_t at = 0; at < ids.size(); at += kChunk) {
      const size_t n = std::min(kChunk, ids.size() - at);
      std::string sql = select;
      params.clear();
      for (size_t i = 0; i < n; ++i) {
        sql += i == 0 ? "?" : ", ?";
        params.emplace_back(ids[at + i]);
      }
      sql += ")";
      ORCHARD_CHECK(db_.Query(sql, params, [&](const Row& row) -> Status {
        ORCHARD_TRY(T item, FromRow<T>(row));
        out.push_back(std::move(item));
        return Ok();
      }));
    }
    return out;
  }

  // Inserts row; an id of 0 is assigned by the database. Returns the row as stored.
  template <class T>
  requires HasId<T> Result<T> Insert(T row) {
    auto values = ToSqlValues(row);
    auto names = ColumnNames<T>();
    size_t first = row.id.valid() ? 0 : 1;  // column 0 is id
    std::string cols, marks;
    for (size_t i = first; i < names.size(); ++i) {
      if (i > first) {
        cols += ", ";
        marks += ", ";
      }
      cols += names[i];
      marks += "?";
    }
    const std::string table(EntitySchema<T>::kTable);
    if (first == 1 && db_.dialect() == Dialect::kSqlite) {
      // SQLite would take the largest id + 1, which an import running beside this write may
      // have handed out already: start past its reservation (Database::ReserveIds).
      cols = "id, " + cols;
      marks =
          "(SELECT MAX(COALESCE(MAX(id), 0), COALESCE((SELECT upto FROM id_reservations "
          "WHERE table_name = '" +
          table + "'), 0)) + 1 FROM " + table + "), " + marks;
    }
    std::string sql =
        "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ") RETURNING id";
    std::span<const SqlValue> params(values.data() + first, values.size() - first);
    ORCHARD_TRY(auto id, db_.QueryInt(sql, params));
    if (!id) return Fail(ErrorCode::kInternal, "insert returned no id");
    row.id = decltype(row.id)(*id);
    return row;
  }

  // Writes every field of row. For versioned entities, only if the stored version is
  // expected_version (else kConflict naming the current version, and nothing changes);
  // the stored version becomes expected_version + 1.
  template <class T>
  requires HasId<T> Result<T> Update(T row, int64_t expected_version = 0) {
    std::vector<SqlValue> params;
    AppendUpdateParams(row, expected_version, params);
    std::string table(EntitySchema<T>::kTable);
    ORCHARD_TRY(int64_t changed, db_.Exec(UpdateSql<T>(), params));
    if (changed == 0) {
      SqlValue id_param[] = {row.id.value};
      if constexpr (Versioned<T>) {
        ORCHARD_TRY(auto current,
                    db_.QueryInt("SELECT version FROM " + table + " WHERE id = ?", id_param));
        if (current) {
          return Fail(ErrorCode::kConflict,
                      table + " " + std::to_string(row.id.value) +
                          " was changed by someone else: you edited version " +
                          std::to_string(expected_version) + ", it is now at version " +
                          std::to_string(*current) + "; reload and apply your change again",
                      {FieldError{"version", std::to_string(*current)}});
        }
      }
      return Fail(ErrorCode::kNotFound,
                  table + " " + std::to_string(row.id.value) + " does not exist");
    }
    if constexpr (Versioned<T>) row.version = expected_version + 1;
    return row;
  }

  // Update for many rows (each with the version it was read at), sent together
  // (Database::ExecEach: on PostgreSQL, one round trip per 500). A row changed by someone else
  // or gone fails as Update fails for it; the others may be written by then, so call it inside
  // a transaction, which the failure rolls back.
  template <class T>
  requires HasId<T> Status UpdateMany(std::span<const std::pair<T, int64_t>> rows) {
    if (rows.empty()) return Ok();
    std::vector<SqlValue> params;
    for (const auto& [row, version] : rows) AppendUpdateParams(row, version, params);
    ORCHARD_TRY(auto changed, db_.ExecEach(UpdateSql<T>(), params, params.size() / rows.size()));
    for (size_t i = 0; i < rows.size(); ++i) {
      // Not written (or not run after a failure): Update says why, as for a single row.
      if (i >= changed.size() || changed[i] == 0) {
        ORCHARD_CHECK(Update(rows[i].first, rows[i].second));
      }
    }
    return Ok();
  }

  template <class T>
  requires HasId<T> Status Delete(decltype(T::id) id) {
    std::string table(EntitySchema<T>::kTable);
    SqlValue params[] = {id.value};
    ORCHARD_TRY(int64_t changed, db_.Exec("DELETE FROM " + table + " WHERE id = ?", params));
    if (changed == 0) {
      return Fail(ErrorCode::kNotFound, table + " " + std::to_string(id.value) + " does not exist");
    }
    return Ok();
  }

  template <class T>
  requires HasId<T> Result<Page<T>> List(const ListQuery& q) {
    static const std::string select = "SELECT " + SelectList<T>() + " FROM " +
                                      std::string(EntitySchema<T>::kTable) + " WHERE 1 = 1";
    std::string sql = select;
    std::vector<SqlValue> params;  // not an initializer list: g++ 12 warns falsely on those
    if (!q.sort) {
      sql += " AND id > ?";
      params.emplace_back(q.after_id);
    } else if (q.after_id > 0 && !ColumnNullable<T>(q.sort->column)) {
      // A column that is never NULL: plain keyset paging over (column, id), which an index on
      // (column, id) answers in order.
      const std::string& c = q.sort->column;
      const char* beyond = q.sort->descending ? " < ?" : " > ?";
      sql += " AND (" + c + beyond + " OR (" + c + " = ? AND id" + beyond + "))";
      params.push_back(q.after_value);
      params.push_back(q.after_value);
      params.emplace_back(q.after_id);
    } else if (q.after_id > 0) {
      // Keyset paging over (column, id) with NULLs last: after a non-NULL value come the larger
      // (or smaller) values, then the NULLs; after a NULL only NULLs with a later id.
      const std::string& c = q.sort->column;
      const char* beyond = q.sort->descending ? " < ?" : " > ?";
      if (std::holds_alternative<std::monostate>(q.after_value)) {
        sql += " AND " + c + " IS NULL AND id" + beyond;
        params.emplace_back(q.after_id);
      } else {
        sql += " AND ((" + c + " IS NOT NULL AND (" + c + beyond + " OR (" + c + " = ? AND id" +
               beyond + "))) OR " + c + " IS NULL)";
        params.push_back(q.after_value);
        params.push_back(q.after_value);
        params.emplace_back(q.after_id);
      }
    }
    for (const auto& f : q.filters) {
      if (std::holds_alternative<std::monostate>(f.value)) {
        sql += " AND " + f.column + " IS NULL";
      } else {
        sql += " AND " + f.column +
               (f.op == Filter::Op::kEqual     ? " = ?"
                : f.op == Filter::Op::kAtLeast ? " >= ?"
                                               : " <= ?");
        params.push_back(f.value);
      }
    }
    if (q.name_contains) {
      // What the user typed is literal: escape LIKE's wildcards. LOWER folds every letter on
      // both backends (the SQLite adapter replaces its ASCII-only built-in).
      sql += " AND LOWER(name) LIKE LOWER(?) ESCAPE '!'";
      std::string pattern = "%";
      for (char c : *q.name_contains) {
        if (c == '%' || c == '_' || c == '!') pattern.push_back('!');
        pattern.push_back(c);
      }
      pattern += "%";
      params.push_back(std::move(pattern));
    }
    int limit = q.limit < 1 ? 1 : q.limit;
    if (!q.sort) {
      sql += " ORDER BY id";
    } else {
      const std::string& c = q.sort->column;
      const char* dir = q.sort->descending ? " DESC" : "";
      if (ColumnNullable<T>(c)) {
        // (c IS NULL) is false (0) before true (1) on both backends: NULLs last.
        sql += " ORDER BY (" + c + " IS NULL), " + c + dir + ", id" + dir;
      } else {
        sql += " ORDER BY " + c + dir + ", id" + dir;
      }
    }
    sql += " LIMIT ?";
    params.push_back(static_cast<int64_t>(limit) + 1);  // one extra tells whether more follow
    Page<T> page;
    ORCHARD_CHECK(db_.Query(sql, params, [&](const Row& row) -> Status {
      ORCHARD_TRY(T item, FromRow<T>(row));
      page.items.push_back(std::move(item));
      return Ok();
    }));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      page.next_cursor = page.items.back().id.value;
      if (q.sort) page.next_sort_value = ColumnValue(page.items.back(), q.sort->column);
    }
    return page;
  }

  // Settings rows (key/value) and their upsert.
  Result<std::vector<Setting>> LoadSettings();
  Status SaveSetting(const Setting& setting);

 private:
  // UPDATE of every column but id (and version, which goes up by one), by id (and, for a
  // versioned entity, the version the row was read at).
  template <class T>
  static const std::string& UpdateSql() {
    static const std::string sql = [] {
      auto names = ColumnNames<T>();
      std::string sets;
      for (size_t i = 1; i < names.size(); ++i) {
        if (names[i] == "version") continue;
        if (!sets.empty()) sets += ", ";
        sets += std::string(names[i]) + " = ?";
      }
      std::string text = "UPDATE " + std::string(EntitySchema<T>::kTable) + " SET " + sets;
      if constexpr (Versioned<T>) text += ", version = version + 1";
      text += " WHERE id = ?";
      if constexpr (Versioned<T>) text += " AND version = ?";
      return text;
    }();
    return sql;
  }
  template <class T>
  static void AppendUpdateParams(const T& row, int64_t expected_version,
                                 std::vector<SqlValue>& params) {
    auto values = ToSqlValues(row);
    auto names = ColumnNames<T>();
    for (size_t i = 1; i < names.size(); ++i) {
      if (names[i] != "version") params.push_back(std::move(values[i]));
    }
    params.push_back(row.id.value);
    if constexpr (Versioned<T>) params.push_back(expected_version);
  }

  Database& db_;
};

}  // namespace orchard::store
