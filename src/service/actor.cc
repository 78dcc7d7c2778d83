#include "service/actor.h"

#include <algorithm>

namespace orchard::service {

bool Policy::CanEditAccount(const Actor& actor, const AccountAccess& account) {
  switch (actor.role) {
    case Role::kAdmin:
    case Role::kLeader:
      return true;
    case Role::kManager: {
      if (account.owner_id == actor.user) return true;
      return account.owner_id &&
             std::find(actor.team.begin(), actor.team.end(), *account.owner_id) != actor.team.end();
    }
    case Role::kAm:
    case Role::kCsm:
      return account.owner_id == actor.user || account.csm_id == actor.user ||
             account.sponsor_id == actor.user || account.covers_a_division;
    case Role::kViewer:
      return false;
  }
  return false;
}

bool Policy::CanEditCatalogue(const Actor& actor) {
  return actor.role == Role::kAdmin || actor.role == Role::kLeader || actor.role == Role::kManager;
}

bool Policy::CanAdminister(const Actor& actor) { return actor.role == Role::kAdmin; }

bool Policy::CanReadAudit(const Actor& actor) {
  return actor.role == Role::kAdmin || actor.role == Role::kLeader;
}

}  // namespace orchard::service
