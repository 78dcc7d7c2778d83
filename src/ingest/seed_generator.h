// The synthetic book's generator (internal to ingest/; seed.h is the way in). Two passes over the
// account indexes: the first draws only each account's ARR and tier (MakeProfile), to size the
// sales team by the coverage ratios; the second generates each account's whole subtree
// (BookGenerator::MakeAccount) into the Writer. Every draw comes from a stream keyed by (seed,
// part, account index), so an account's rows do not depend on the batch size, on other accounts,
// or on draws added to another part later. The parts are seed_generator.cc (the catalogue, the
// team and an account's customer history) and seed_plans.cc (its plan and workflow).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "domain/entities.h"
#include "domain/settings.h"
#include "ingest/seed.h"
#include "ingest/seed_writer.h"

namespace orchard::ingest::seed {

// splitmix64: tiny, fast, and fully specified, so the book is identical on every platform and
// standard library (std::uniform_*_distribution is implementation-defined).
class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream, uint64_t index)
      : state_(Mix(Mix(seed ^ 0x9e3779b97f4a7c15ULL) ^ Mix(stream + 0x632be59bd9b4e019ULL) ^
                   Mix(index * 0xbf58476d1ce4e5b9ULL + 1))) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix(state_);
  }
  // [0, 1) from the top 53 bits: exact in IEEE doubles everywhere.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int64_t Range(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  int32_t Days(int64_t lo, int64_t hi) { return static_cast<int32_t>(Range(lo, hi)); }
  bool Chance(double p) { return Unit() < p; }
  template <class T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Next() % N];
  }
  template <class T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Next() % items.size())];
  }

 private:
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

// One stream per part of the book, so tuning one part never reshuffles another.
enum Stream : uint64_t {
  kProfile = 1,
  kAccount = 2,
  kCatalogue = 3,
  kTeam = 4,
  kDivisions = 5,
  kContracts = 6,
  kContacts = 7,
  kOpportunities = 8,
  kActivities = 9,
  kSupport = 10,
  kUsage = 11,
  kEngagement = 12,
  kPlan = 13,
  kWorkflow = 14,
  kResponse = 15,     // keyed by the ticket: its channel and first response
  kStory = 16,        // the months before each past renewal (seed_story.cc)
  kPlanHistory = 17,  // the days of a plan's versions (seed_plans.cc)
};

// ---------------------------------------------------------------------------------------------
// The generator.

// What pass 1 decides per account (cheap, no I/O): enough to size the team before any row is
// written, and the anchor from which the detailed history is laid out.
struct Profile {
  Money arr;   // ARR today (0 for a churned account)
  Money size;  // ARR at its peak (for churned accounts, the ARR they left with)
  bool strategic = false;
  bool churned = false;
  Tier tier = Tier::kVolume;
};

Profile MakeProfile(uint64_t seed, int64_t index, const Settings& settings);

struct Team {
  std::array<std::vector<UserId>, 3> tier_ams;  // AMs per tier pool (tier 3: tech touch)
  std::vector<UserId> csms;
  std::vector<UserId> sponsors;
  std::vector<UserId> sellers;  // new-business account executives
  std::array<int64_t, 3> next_owner{0, 0, 0};
};

// One account's subtree while it is generated: what later parts point at. The vectors are reused
// from account to account, so generating allocates little once warm.
struct Draft {
  Account account;
  Date since;              // first day as a customer
  Date renewal;            // last day of the current (or, when churned, the final) term
  int32_t quiet_days = 0;  // a churned account's signals stop this many days before today
  std::vector<Division> divisions;
  std::vector<Money> term_arr;
  std::vector<ProductId> owned_products;  // on the current term
  std::vector<ContactId> contacts;
  std::vector<ContactId> reachable;  // active contacts (or the first, if all have left)
  std::vector<ContactId> engaged;    // who takes part in meaningful conversations
  std::vector<std::pair<ContactId, Date>> departed;  // with the day they were last engaged
  bool champion_departed = false;
  UserId seller;
  OpportunityId won;
  std::optional<OpportunityId> open_expansion;
};

class BookGenerator {
 public:
  BookGenerator(const SeedOptions& options, Writer& writer)
      : opt_(options), w_(writer), today_(options.today) {}

  void MakeCatalogue();
  void MakeTeam(const std::array<int64_t, 3>& tier_counts);
  void MakeAccount(int64_t index, const Profile& p);

  const Settings& settings() const { return settings_; }

 private:
  Date Day(int32_t offset) const { return today_.AddDays(offset); }
  Rng StreamFor(Stream part, int64_t index) const {
    return Rng(opt_.seed, part, static_cast<uint64_t>(index));
  }
  template <class IdT>
  static IdT Next(int64_t& seq) {
    return IdT(++seq);
  }

  void MakeAccountRow(int64_t index, const Profile& p);
  void MakeDivisions(int64_t index, const Profile& p);
  void MakeContracts(int64_t index, const Profile& p);
  void MakeContacts(int64_t index, const Profile& p);
  void MakeOpportunities(int64_t index, const Profile& p);
  void MakeActivities(int64_t index, const Profile& p);
  void MakeSupport(int64_t index, const Profile& p);
  void Respond(Ticket& t, Tier tier, int32_t ago) const;
  void MakeUsage(int64_t index, const Profile& p);
  void MakeEngagement(int64_t index, const Profile& p);
  void MakePlan(int64_t index, const Profile& p);
  std::vector<WhitespaceCellId> MakeWhitespace(Rng& rng, PlanId plan_id);  // parts of MakePlan
  void MakeReviews(Rng& rng, const TierCoverage& cov);
  void MakeWorkflow(int64_t index, const Profile& p);
  // The demo book's story (seed_story.cc): the signals of the months before each renewal of the
  // last kStoryDays, drawn given its outcome. `path`: thriving 0, steady 1, troubled 2.
  void MakeStory(int64_t index, const Profile& p);
  void StoryBefore(Rng& rng, Date renewal, Money arr, int path, const Profile& p);
  static constexpr int32_t kStoryDays = 730;

  const SeedOptions& opt_;
  Writer& w_;
  Date today_;
  Settings settings_;
  Team team_;
  std::vector<Product> products_;
  Draft d_;
  int64_t user_seq_ = 0, account_seq_ = 0, division_seq_ = 0, line_seq_ = 0, contact_seq_ = 0,
          opp_seq_ = 0, activity_seq_ = 0, ticket_seq_ = 0, nps_seq_ = 0, usage_seq_ = 0,
          signal_seq_ = 0, plan_seq_ = 0, priority_seq_ = 0, risk_seq_ = 0, cell_seq_ = 0,
          action_seq_ = 0, version_seq_ = 0, review_seq_ = 0, task_seq_ = 0, handoff_seq_ = 0,
          override_seq_ = 0;
};

}  // namespace orchard::ingest::seed
