// The relationship map's rules at write time (PRODUCT.md, the relationship map; issue 5): a
// contact's reports-to line stays inside its account and never closes a cycle, and the departure
// of a champion or the economic buyer opens a task to re-thread the account. The alerts the map
// raises as it stands are engine/relationships.h.
#pragma once

#include "core/date.h"
#include "core/result.h"
#include "domain/entities.h"
#include "service/actor.h"
#include "store/store.h"

namespace orchard::service {

// Refuses (naming reports_to_id) a line to a contact that does not exist, to one of another
// account, or one that closes a cycle ("12 → 15 → 14 → 12"); a line to the contact itself is
// refused by Validate.
Status CheckReportsTo(store::Database& db, const Contact& contact);

// After an update of a contact that made a champion (by buying role or stance) or the economic
// buyer departed: opens a task for the account's AM, due in 14 days, to re-thread the account —
// once (an open task for the same departure is not doubled). Audited like any write.
Status OpenRethreadTask(store::Store& store, const Actor& actor, const Contact& before,
                        const Contact& after, Timestamp at);

}  // namespace orchard::service
