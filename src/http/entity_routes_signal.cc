#include "http/crud.h"
#include "http/entity_routes.h"

namespace orchard::http {

void AddSignalAndWorkRoutes(Router& r, const ApiDeps& d) {
  RegisterUnderAccount<NpsResponse>(r, d, "nps-responses");
  RegisterUnderAccount<UsageMetric>(r, d, "usage");
  RegisterUnderAccount<EngagementSignal>(r, d, "engagement-signals");
  RegisterUnderAccount<Transcript>(r, d, "transcripts");
  RegisterUnderAccount<AccountPlan>(r, d, "plans");
  RegisterUnderAccount<Review>(r, d, "reviews");
  RegisterUnderAccount<Task>(r, d, "tasks");
  RegisterUnderAccount<Handoff>(r, d, "handoffs");
  RegisterUnderAccount<HealthOverride>(r, d, "health-overrides");
}

void AddAuditRoutes(Router& r, const ApiDeps& d) {
  RegisterAlone<AuditEntry>(r, d, "/api/v1/audit", CrudRoutes<AuditEntry>::Verbs::kReadOnly);
}

}  // namespace orchard::http
