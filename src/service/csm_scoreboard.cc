#include "service/csm_scoreboard.h"

#include "domain/handoff.h"
#include "service/rows.h"

namespace orchard::service {

Result<engine::CsmBook> LoadCsmBook(store::Database& db, UserId csm) {
  store::Store store(db);
  engine::CsmBook book;
  ORCHARD_TRY(book.accounts, RowsWhere<Account>(store, "csm_id", csm.value));
  auto append = [](auto& to, auto&& from) {
    for (auto& row : from) to.push_back(std::move(row));
  };
  for (const Account& a : book.accounts) {
    ORCHARD_TRY(auto usage, RowsWhere<UsageMetric>(store, "account_id", a.id.value));
    append(book.usage, std::move(usage));
    ORCHARD_TRY(auto tickets, RowsWhere<Ticket>(store, "account_id", a.id.value));
    append(book.tickets, std::move(tickets));
    ORCHARD_TRY(auto handoffs, RowsWhere<Handoff>(store, "account_id", a.id.value));
    for (const Handoff& h : handoffs) {
      if (h.status != HandoffStatus::kAccepted) continue;
      for (const OnboardingStep& step : kOnboardingSteps) {
        ORCHARD_TRY(auto tasks,
                    RowsWhere<Task>(store, "source_key", MilestoneKey(h.id.value, step.day)));
        append(book.milestones, std::move(tasks));
      }
    }
    append(book.handoffs, std::move(handoffs));
  }
  return book;
}

Result<engine::CsmScoreboard> CsmScoreboardOf(store::Database& db, UserId csm, Date today) {
  ORCHARD_TRY(auto book, LoadCsmBook(db, csm));
  return engine::ComputeCsmScoreboard(book, today);
}

}  // namespace orchard::service
