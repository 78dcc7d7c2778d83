// Inside the Importer (internal to ingest/): a first load. An import into an empty table writes
// every batch of that file in one transaction with the table's secondary indexes (and, on
// PostgreSQL, its foreign keys) set aside, and builds them once before the commit: a sort, where
// each row would otherwise have been a random insert into every index. The statements that put
// them back are read from the database's own catalogue, so they are exactly what the migrations
// made; being in the same transaction, a crash or a stop rolls the set-aside back with the rows.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace orchard::ingest::detail {

// Whether `table` (a domain/schema.h name) holds no row.
Result<bool> TableIsEmpty(store::Database& db, std::string_view table);

// What a first load set aside, to make again before it commits.
struct SetAside {
  struct ForeignKey {
    std::string add;     // ALTER TABLE … ADD CONSTRAINT …
    std::string column;  // its one column, when a partial index left in place holds exactly the
                         // rows that fill it; else empty
  };
  std::vector<std::string> indexes;  // CREATE INDEX …, in the order to run them
  std::vector<ForeignKey> keys;      // PostgreSQL's foreign keys
  // PostgreSQL, a large load: ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY, and the foreign keys
  // of other tables that name the table (they need its key to be put back).
  std::string primary_key;
  std::vector<std::string> naming_keys;
  bool empty() const {
    return indexes.empty() && keys.empty() && primary_key.empty() && naming_keys.empty();
  }
  void clear() {
    indexes.clear();
    keys.clear();
    primary_key.clear();
    naming_keys.clear();
  }
};

// Drops the table's indexes other than its primary key (and, on PostgreSQL, its foreign keys);
// returns what makes them again. Inside a transaction.
// A partial index none of whose columns is in `filled` (the columns the first batch gives a
// value) stays: it holds no row of such a batch, so keeping it costs nothing, where building it
// again would read the whole table. A later row that fills it is indexed as any insert is. An
// index whose every column is in `ascending` (the first batch's values ascend: a file in key
// order, as exports by Id are) stays too on SQLite: its inserts are appends, cheaper than a sort
// at the end. (Not on PostgreSQL, whose B-tree inserts cost more than its build at the end.)
// With `primary_key`, on PostgreSQL, the primary key goes too, with the other tables' foreign
// keys that name it — when every such table can be locked at once (NOWAIT): a first load never
// waits longer for them, nor deadlocks with a reader; otherwise the key stays. Without it, no
// statement finds a row by id quickly: the importer puts it back first (PutBackPrimaryKey).
Result<SetAside> SetAsideIndexes(store::Database& db, std::string_view table,
                                 const std::set<std::string>& filled,
                                 const std::set<std::string>& ascending, bool primary_key = false);

// Builds the primary key if it was set aside (and forgets it): before a query by id.
Status PutBackPrimaryKey(store::Database& db, SetAside& set_aside);

// Makes again what SetAsideIndexes set aside: every index is built (and every foreign key
// checked) once. A foreign key whose column no loaded row fills is checked through the partial
// index on that column (SetAside::ForeignKey::column), without reading the table.
Status PutBack(store::Database& db, std::string_view table, SetAside set_aside);

}  // namespace orchard::ingest::detail
