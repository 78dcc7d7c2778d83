// The CSM's scoreboard (engine/csm_kpis.h): reads the rows of the accounts a CSM covers
// (csm_id = them) — usage metrics, tickets, handoffs and their onboarding milestones — and
// computes the figures for a day. Everyone signed in reads it (PRODUCT.md: everyone reads).
#pragma once

#include "core/result.h"
#include "engine/csm_kpis.h"
#include "store/database.h"

namespace orchard::service {

Result<engine::CsmBook> LoadCsmBook(store::Database& db, UserId csm);
Result<engine::CsmScoreboard> CsmScoreboardOf(store::Database& db, UserId csm, Date today);

}  // namespace orchard::service
