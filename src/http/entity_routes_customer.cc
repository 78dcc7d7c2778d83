#include "http/crud.h"
#include "http/entity_routes.h"

namespace orchard::http {

void AddDivisionContractContactRoutes(Router& r, const ApiDeps& d) {
  RegisterUnderAccount<Division>(r, d, "divisions");
  RegisterUnderAccount<ContractLine>(r, d, "contract-lines");
  RegisterUnderAccount<Contact>(r, d, "contacts");
}

void AddOpportunityActivityRoutes(Router& r, const ApiDeps& d) {
  RegisterUnderAccount<Opportunity>(r, d, "opportunities");
  RegisterUnderAccount<Activity>(r, d, "activities");
}

void AddTicketRoutes(Router& r, const ApiDeps& d) { RegisterUnderAccount<Ticket>(r, d, "tickets"); }

}  // namespace orchard::http
