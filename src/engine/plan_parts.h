// Which parts a plan had, read from a plan version's snapshot (plan_versions.snapshot_json), so
// the book knows a plan as it stood on a past day (PlanVersionRec, predict/features.h).
#pragma once

#include <cstdint>
#include <string_view>

namespace orchard::engine {

// PlanVersionRec's part bits from a snapshot in either of the two forms a book holds:
// service/plan_history.h's whole plan ({"priorities":[rows],"risks":[…],"whitespace_cells":[…],
// "actions":[rows with "status"]}) or the seed's counts ({"priorities":2,"risks":1,
// "whitespace_cells":4,"open_actions":1}). An open action is one IsOpen (domain/enums.h). A
// snapshot that is not a JSON object (an old import) has no parts.
uint8_t PlanPartsOf(std::string_view snapshot_json);

}  // namespace orchard::engine
