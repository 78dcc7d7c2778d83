// The generic entity routes (crud.h) of every table of domain/schema.h. Each CrudRoutes<T>
// instantiates the entity service of T, and one file with all 21 took two minutes to compile:
// they are split over three files so a build compiles them side by side. MakeRouter (api.cc)
// calls them in the order the OpenAPI document lists the routes.
#pragma once

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

// entity_routes_customer.cc
void AddDivisionContractContactRoutes(Router& r, const ApiDeps& d);  // under an account
void AddOpportunityActivityRoutes(Router& r, const ApiDeps& d);      // under an account
void AddTicketRoutes(Router& r, const ApiDeps& d);                   // under an account
// entity_routes_signal.cc
void AddSignalAndWorkRoutes(Router& r, const ApiDeps& d);  // NPS … health overrides, by account
void AddAuditRoutes(Router& r, const ApiDeps& d);          // the audit log, read-only
// entity_routes_plan.cc
void AddPlanPartRoutes(Router& r, const ApiDeps& d);     // priorities … actions, and products
void AddPlanVersionRoutes(Router& r, const ApiDeps& d);  // a plan's versions, read-only

}  // namespace orchard::http
