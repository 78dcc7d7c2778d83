// Who took part in an activity (the activity_contacts rows): what multithreading depth counts.
// Replacing the list is one audited transaction, logged for the other servers and applied to the
// read model like any other write.
#pragma once

#include <vector>

#include "core/clock.h"
#include "engine/read_model.h"
#include "service/actor.h"
#include "store/pool.h"

namespace orchard::service {

class ParticipantService {
 public:
  ParticipantService(store::ConnectionPool& pool, const Clock& clock,
                     engine::ReadModel* model = nullptr)
      : pool_(pool), clock_(clock), model_(model) {}

  // The contacts of activity `activity`, in id order; not found if there is no such activity.
  Result<std::vector<ContactId>> Get(const Actor& actor, ActivityId activity);

  // Makes `contacts` the people who took part. Each must be a contact of the activity's account
  // (an invalid value naming contact_ids otherwise); duplicates count once. The actor must be
  // able to edit the account.
  Result<std::vector<ContactId>> Set(const Actor& actor, ActivityId activity,
                                     std::vector<ContactId> contacts);

 private:
  store::ConnectionPool& pool_;
  const Clock& clock_;
  engine::ReadModel* model_;
};

}  // namespace orchard::service
