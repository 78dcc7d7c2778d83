// The closed-won handoff (PRODUCT.md): when a new-business opportunity is Closed Won, a handoff
// opens with its checklist (pain points and goals, success metrics, stakeholder map, contract
// details, why us, the handoff meeting). The AM accepts it once the checklist is done, which moves
// the account from the seller to the AM, and the first 90 days of onboarding milestones appear as
// tasks, each on track, behind or stuck.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/entities.h"
#include "engine/read_model.h"
#include "service/actor.h"
#include "service/book_scope.h"
#include "store/pool.h"
#include "store/store.h"

namespace orchard::service {

class UnitOfWork;

struct ChecklistItem {
  std::string key;    // pain_points_and_goals, success_metrics, stakeholder_map, …
  std::string label;  // what the seller hands over
  bool done = false;
  std::string notes;
};
// The checklist a new handoff starts with, as stored in Handoff::checklist_json.
std::string NewChecklistJson();
// Reads a checklist; refuses (naming checklist_json) one that is not the six items, each once.
Result<std::vector<ChecklistItem>> ParseChecklist(std::string_view json);

// Called by every opportunity write (EntityService): a new-business opportunity that becomes
// Closed Won — created so, or moved there — opens one handoff for it, in the same unit.
Status OpenHandoffIfWon(UnitOfWork& work, store::ConnectionPool& pool, const Clock& clock,
                        engine::ReadModel* model, const Actor& actor,
                        const std::optional<Opportunity>& before, const Opportunity& after);

struct Milestone {
  Task task;
  int day = 0;         // day of onboarding it is due on
  std::string status;  // done, on_track, behind (overdue up to 14 days), stuck (more)
};
struct Onboarding {
  Handoff handoff;
  std::vector<Milestone> milestones;
  std::string status;  // the worst of the milestones; done when all are; none before acceptance
};

// Who may accept handoff `h` for user `to`: an AM or CSM for themselves, when the account is in
// their book or the handoff names them; a manager for the accounts of their team's book (or
// their own), to themselves or an AM of their team; leaders and admins for anyone.
Status AuthorizeAcceptance(store::Database& db, const Actor& actor, const Handoff& h, UserId to);

// The AM accepts: only an open handoff whose checklist is done, by the AM themselves or by an
// admin, leader or manager for an AM (`am`; without it, the AM the handoff names, if any),
// within the rights of AuthorizeAcceptance. One
// transaction: the handoff is accepted, the account's owner becomes the AM (recorded in its
// ownership history), and the 90-day onboarding milestones are created as the AM's tasks.
Result<Onboarding> AcceptHandoff(store::ConnectionPool& pool, const Clock& clock,
                                 engine::ReadModel* model, const Actor& actor, HandoffId id,
                                 std::optional<UserId> am);

// The handoff with its milestones and their status today.
Result<Onboarding> ReadOnboarding(store::Database& db, HandoffId id, Date today);

// The handoffs of a book, open first (newest first), then the rest (newest first). "Mine" also
// holds the handoffs that name the actor as their AM or seller, whoever owns the account now.
struct HandoffQuery {
  Book book = Book::kAll;
  Actor actor;
  std::optional<HandoffStatus> status;
  size_t offset = 0, limit = 50;
};
struct HandoffPage {
  std::vector<Handoff> items;
  int64_t total = 0;  // in the book (and status), before paging
  int64_t open = 0;   // of those, still open
};
Result<HandoffPage> ListHandoffs(store::Database& db, const HandoffQuery& query);

}  // namespace orchard::service
