#include "http/crud.h"
#include "http/entity_routes.h"

namespace orchard::http {

void AddPlanPartRoutes(Router& r, const ApiDeps& d) {
  RegisterUnderPlan<PlanPriority>(r, d, "priorities");
  RegisterUnderPlan<PlanRisk>(r, d, "risks");
  RegisterUnderPlan<WhitespaceCell>(r, d, "whitespace-cells");
  RegisterUnderPlan<PlanAction>(r, d, "actions");
  RegisterAlone<Product>(r, d, "/api/v1/products");
}

void AddPlanVersionRoutes(Router& r, const ApiDeps& d) {
  RegisterAlone<PlanVersion>(r, d, "/api/v1/plan-versions",
                             CrudRoutes<PlanVersion>::Verbs::kReadOnly);
}

}  // namespace orchard::http
