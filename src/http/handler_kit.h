// The helpers every route file shares: JSON replies, the body as JSON, a path's id, list
// cursors and the sort parameter. (Query parameters: params.h; one entity's routes: crud.h.)
#pragma once

#include <boost/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "http/errors.h"
#include "http/params.h"
#include "http/router.h"
#include "service/entity_service.h"

namespace orchard::http {

inline constexpr size_t kMaxJsonDepth = 32;

// A JSON reply; 200 unless `status` says otherwise (201 for a creation, 202 accepted).
Reply JsonResponse(const boost::json::value& v, int status = 200);
// 204, no body.
Reply NoContent();

// The body as a JSON object: kUnsupportedMediaType (415) for another content type,
// kInvalidArgument (400) for malformed or too-deep JSON.
Result<boost::json::object> ParseBody(const HttpRequest& request);
// What a POST to a row's action (/…/{id}/accept, /…/{id}/held) starts with: the id and the body,
// whose every field is optional (an empty body is an empty object).
struct ActionRequest {
  int64_t id = 0;
  boost::json::object body;
};
Result<ActionRequest> ReadAction(const HttpRequest& request);
// The string fields `names` of a body, all required, nothing else accepted.
Result<std::vector<std::string>> StringFields(const boost::json::object& body,
                                              std::initializer_list<const char*> names);

Result<int64_t> ParseId(const HttpRequest& request, const std::string& name = "id");

// Where a page starts: after the row with after_id (and, in a sorted list, after_value).
struct ListCursor {
  int64_t after_id = 0;
  store::SqlValue after_value;
};
// `sort` is the list's sort parameter as given ("" for id order); a cursor from a list in
// another order is refused.
Result<ListCursor> ParseCursorParam(const HttpRequest& request, const std::string& sort = "");
// The next_cursor member of a page: null at the end.
boost::json::value CursorJson(const std::optional<int64_t>& next_id, const std::string& sort,
                              const store::SqlValue& value);

// ?sort=column or ?sort=-column (descending) on any readable column of T.
template <class T>
Result<std::optional<store::SortKey>> ParseSortParam(const HttpRequest& request) {
  auto text = QueryParams(request).Get("sort");
  if (!text) return std::nullopt;
  store::SortKey key;
  std::string name = *text;
  if (!name.empty() && name.front() == '-') {
    key.descending = true;
    name.erase(0, 1);
  }
  bool found = false;
  ForEachColumn<T>([&](const auto& col) {
    if (col.name == name && !service::IsSecretColumn(col.name)) found = true;
  });
  if (!found) {
    return FailField("sort", "\"" + *text + "\" is not a column of " +
                                 std::string(EntitySchema<T>::kTable) +
                                 "; give a column name, with - in front for descending order");
  }
  key.column = std::move(name);
  return key;
}
// A stale version's refusal (409, from the table), with the current version at the top of the
// body for clients.
Reply ConflictResponse(const Error& error);

// Text made safe inside HTML (the pages the server renders itself: a plan, an unsubscribe).
std::string EscapeHtml(std::string_view text);

}  // namespace orchard::http
