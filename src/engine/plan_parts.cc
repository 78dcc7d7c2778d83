#include "engine/plan_parts.h"

#include <boost/json.hpp>

#include "domain/enums.h"
#include "engine/records.h"

namespace orchard::engine {
namespace {

namespace json = boost::json;

// A part is there when its list has a row, or its count is above zero.
bool Has(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return false;
  if (v->is_array()) return !v->get_array().empty();
  if (v->is_int64()) return v->get_int64() > 0;
  if (v->is_uint64()) return v->get_uint64() > 0;
  return false;
}

bool HasOpenAction(const json::object& o) {
  if (Has(o, "open_actions")) return true;
  const json::value* v = o.if_contains("actions");
  if (v == nullptr || !v->is_array()) return false;
  for (const json::value& a : v->get_array()) {
    const json::value* status = a.is_object() ? a.get_object().if_contains("status") : nullptr;
    if (status == nullptr || !status->is_string()) continue;
    auto parsed = ParseEnum<ActionStatus>(status->get_string());
    if (parsed && IsOpen(*parsed)) return true;
  }
  return false;
}

}  // namespace

uint8_t PlanPartsOf(std::string_view snapshot_json) {
  // A seed's snapshot fits the buffer, so most reads allocate nothing (a book of 1M accounts
  // holds about 2.7M versions, each read at load); a whole plan spills over to the heap.
  unsigned char buffer[1024];
  json::monotonic_resource memory(buffer, sizeof buffer);
  boost::system::error_code ec;
  json::value parsed = json::parse(snapshot_json, ec, &memory);
  if (ec || !parsed.is_object()) return 0;
  const json::object& o = parsed.get_object();
  uint8_t parts = 0;
  if (Has(o, "priorities")) parts |= PlanVersionRec::kPriority;
  if (Has(o, "risks")) parts |= PlanVersionRec::kRisk;
  if (Has(o, "whitespace_cells")) parts |= PlanVersionRec::kWhitespace;
  if (HasOpenAction(o)) parts |= PlanVersionRec::kOpenAction;
  return parts;
}

}  // namespace orchard::engine
