// Relationship alerts on an account's map (PRODUCT.md, the relationship map; champion loss is
// among the strongest churn predictors):
//   champion_lost        a contact who was a champion (by buying role or stance) or the economic
//                        buyer has departed, and no active contact holds that part now: re-thread;
//   no_economic_buyer    no active contact is the economic buyer;
//   detractor_dark       an active detractor or blocker with influence ≥ 4 not engaged for 60
//                        days (the later of their last-engaged date and the last meaningful
//                        activity they took part in, on or before the day).
// The same rules give the Summary flags every dashboard filters on and the sentences the
// relationship map shows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/read_model.h"

namespace orchard::engine {

inline constexpr int32_t kDetractorDarkDays = 60;
inline constexpr int kDetractorInfluence = 4;

struct RelationshipAlert {
  std::string_view code;   // champion_lost, no_economic_buyer, detractor_dark
  int64_t contact_id = 0;  // the contact it is about; 0 for the account
  std::string why;         // one sentence
};

// The latest day on or before `day` of a meaningful activity `contact` took part in; kNoDay if
// none. "Engaged in 90 days" — what multithreading depth counts — is this, within 90 days, for an
// active contact; the relationship map shows it as the contact's last meaningful contact.
int32_t LastMet(const ReadModel& model, size_t slot, int64_t contact, int32_t day);
inline constexpr int kDepthWindowDays = 90;
inline constexpr std::string_view kEngagedRule =
    "Engaged: an active contact who took part in a meaningful activity (a call, meeting or QBR "
    "logged as meaningful) in the last 90 days. Multithreading depth counts them; last "
    "meaningful contact is the latest such activity.";

// Summary::kChampionLost | kMissingEconomicBuyer | kDetractorDark, as they stand on `day`.
uint16_t RelationshipFlags(const ReadModel& model, size_t slot, int32_t day);
std::vector<RelationshipAlert> RelationshipAlerts(const ReadModel& model, size_t slot, int32_t day);

}  // namespace orchard::engine
