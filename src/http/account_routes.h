// The accounts' own routes: the list and one account (with ARR today, tier and health), an
// account's relationship map, and who took part in an activity. Their writes, and the entities
// under an account, are the generic ones (crud.h), registered by MakeRouter.
#pragma once

#include "http/api.h"

namespace orchard::http {

void AddAccountRoutes(Router& r, const ApiDeps& d);
void AddRelationshipMapRoute(Router& r, const ApiDeps& d);
void AddParticipantRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
