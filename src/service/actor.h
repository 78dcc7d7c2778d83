// Actor: who is asking — a signed-in user or an API token's user — and the rules of what they
// may do (PRODUCT.md, Reliability and security): everyone reads; admins, leaders and managers
// edit (managers: the books of their team); an AM or CSM edits only the accounts they own or
// cover and everything under them; viewers only read; only admins change users and settings.
#pragma once

#include <optional>
#include <vector>

#include "core/ids.h"
#include "domain/entities.h"

namespace orchard::service {

struct Actor {
  UserId user;
  Role role = Role::kViewer;
  std::vector<UserId> team;  // for managers: the users who report to them

  bool Is(Role r) const { return role == r; }
};

// What the policy needs to know about the account an entity hangs from.
struct AccountAccess {
  AccountId id;
  std::optional<UserId> owner_id;
  std::optional<UserId> csm_id;
  std::optional<UserId> sponsor_id;
  bool covers_a_division = false;  // the actor covers one of its buying centres
};

class Policy {
 public:
  // Edit anything under this account (the account itself, contacts, plans, …).
  static bool CanEditAccount(const Actor& actor, const AccountAccess& account);
  // Catalogue-wide data (products): admins, leaders, managers.
  static bool CanEditCatalogue(const Actor& actor);
  // Users, API tokens of others, settings: admins only.
  static bool CanAdminister(const Actor& actor);
  // The audit log: admins and leaders.
  static bool CanReadAudit(const Actor& actor);
};

}  // namespace orchard::service
