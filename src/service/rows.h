// RowsOf<T>: every row of T that passes the filters (RowsWhere: one column equals a value), read a
// page at a time (the lists behind a plan's parts, an account's divisions, a review's actions).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace orchard::service {

template <class T>
Result<std::vector<T>> RowsOf(store::Store& store, std::vector<store::Filter> filters) {
  std::vector<T> rows;
  store::ListQuery query;
  query.filters = std::move(filters);
  query.limit = 1000;
  for (;;) {
    ORCHARD_TRY(auto page, store.List<T>(query));
    for (T& row : page.items) rows.push_back(std::move(row));
    if (!page.next_cursor) break;
    query.after_id = *page.next_cursor;
  }
  return rows;
}

template <class T>
Result<std::vector<T>> RowsWhere(store::Store& store, std::string column, store::SqlValue value) {
  return RowsOf<T>(store, {store::Filter{std::move(column), std::move(value)}});
}

}  // namespace orchard::service
