#include "engine/relationships.h"

#include <algorithm>

#include "domain/enums.h"

namespace orchard::engine {

namespace {

enum class Kind { kChampionLost, kMissingEconomicBuyer, kDetractorDark };

bool IsChampion(const ContactRec& c) {
  return c.role == static_cast<int>(BuyingRole::kChampion) ||
         c.stance == static_cast<int>(Stance::kChampion);
}
bool IsEconomicBuyer(const ContactRec& c) {
  return c.role == static_cast<int>(BuyingRole::kEconomicBuyer);
}

}  // namespace

int32_t LastMet(const ReadModel& model, size_t slot, int64_t contact, int32_t day) {
  int32_t last = kNoDay;
  auto activities = model.activities(slot);
  for (const ParticipantRec& p : model.participants(slot)) {
    if (p.contact_id != contact) continue;
    auto a = std::lower_bound(activities.begin(), activities.end(), p.id,
                              [](const ActivityRec& r, int64_t id) { return r.id < id; });
    if (a != activities.end() && a->id == p.id && a->day <= day) last = std::max(last, a->day);
  }
  return last;
}

namespace {

// Calls alert(kind, contact or nullptr, last engaged day) for each alert on `day`.
template <class F>
void EachAlert(const ReadModel& model, size_t slot, int32_t day, F alert) {
  auto contacts = model.contacts(slot);
  bool active_champion = false, active_buyer = false;
  for (const ContactRec& c : contacts) {
    if (!c.ActiveOn(day)) continue;
    active_champion |= IsChampion(c);
    active_buyer |= IsEconomicBuyer(c);
  }
  for (const ContactRec& c : contacts) {
    if (c.ActiveOn(day)) continue;
    if ((IsChampion(c) && !active_champion) || (IsEconomicBuyer(c) && !active_buyer)) {
      alert(Kind::kChampionLost, &c, kNoDay);
    }
  }
  if (!active_buyer) alert(Kind::kMissingEconomicBuyer, nullptr, kNoDay);
  for (const ContactRec& c : contacts) {
    bool against = c.stance == static_cast<int>(Stance::kDetractor) ||
                   c.stance == static_cast<int>(Stance::kBlocker);
    if (!c.ActiveOn(day) || !against || c.influence < kDetractorInfluence) continue;
    int32_t last = c.last_engaged <= day ? c.last_engaged : kNoDay;
    last = std::max(last, LastMet(model, slot, c.id, day));
    if (last == kNoDay || day - last >= kDetractorDarkDays) {
      alert(Kind::kDetractorDark, &c, last);
    }
  }
}

}  // namespace

uint16_t RelationshipFlags(const ReadModel& model, size_t slot, int32_t day) {
  uint16_t flags = 0;
  EachAlert(model, slot, day, [&](Kind kind, const ContactRec*, int32_t) {
    switch (kind) {
      case Kind::kChampionLost:
        flags |= Summary::kChampionLost;
        break;
      case Kind::kMissingEconomicBuyer:
        flags |= Summary::kMissingEconomicBuyer;
        break;
      case Kind::kDetractorDark:
        flags |= Summary::kDetractorDark;
        break;
    }
  });
  return flags;
}

std::vector<RelationshipAlert> RelationshipAlerts(const ReadModel& model, size_t slot,
                                                  int32_t day) {
  std::vector<RelationshipAlert> out;
  EachAlert(model, slot, day, [&](Kind kind, const ContactRec* c, int32_t last) {
    const std::string who = c ? "contact " + std::to_string(c->id) : "";
    switch (kind) {
      case Kind::kChampionLost: {
        std::string part = IsEconomicBuyer(*c) ? "the economic buyer" : "a champion";
        out.push_back({"champion_lost", c->id,
                       who + ", " + part + ", has departed and no active contact has taken " +
                           "that part: re-thread the account"});
        break;
      }
      case Kind::kMissingEconomicBuyer:
        out.push_back({"no_economic_buyer", 0, "no active contact is the economic buyer"});
        break;
      case Kind::kDetractorDark:
        out.push_back(
            {"detractor_dark", c->id,
             who + ", a " +
                 std::string(c->stance == static_cast<int>(Stance::kBlocker) ? "blocker"
                                                                             : "detractor") +
                 " with influence " + std::to_string(c->influence) + ", " +
                 (last == kNoDay
                      ? "has never been engaged"
                      : "was last engaged " + std::to_string(day - last) + " days ago")});
        break;
    }
  });
  return out;
}

}  // namespace orchard::engine
