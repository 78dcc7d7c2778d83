// The synthetic book's catalogue, team and each account's customer history (see seed_generator.h).
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/arr.h"
#include "domain/handoff.h"
#include "domain/tiers.h"
#include "ingest/seed_generator.h"
#include "ingest/seed_words.h"

namespace orchard::ingest::seed {

Profile MakeProfile(uint64_t seed, int64_t index, const Settings& settings) {
  Rng rng(seed, kProfile, static_cast<uint64_t>(index));
  // Pareto(alpha 1.2, xmin $14k) capped at $2M: P(ARR >= $100k) = (14/100)^1.2, about 9.5%,
  // so with the strategic flag ~10% of accounts are tier 1, ~43% tier 2 and ~47% tier 3.
  // (A lower xmin such as $5k would put only ~3% in tier 1.)
  double u = 1.0 - rng.Unit();
  double dollars = std::min(14'000.0 / std::pow(u, 1.0 / 1.2), 2'000'000.0);
  Profile p;
  p.size = Money::FromDollars(static_cast<int64_t>(dollars / 100.0) * 100);
  p.strategic = p.size >= Money::FromDollars(60'000) && rng.Chance(0.05);
  // Small customers churn more often than large ones, as in most B2B books.
  double churn = p.size < Money::FromDollars(25'000)    ? 0.07
                 : p.size < Money::FromDollars(100'000) ? 0.035
                                                        : 0.01;
  p.churned = rng.Chance(churn);
  p.arr = p.churned ? Money() : p.size;
  p.tier = RuleTier(p.arr, p.strategic, settings.tiers);
  return p;
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\'') continue;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

void BookGenerator::MakeCatalogue() {
  Rng rng(opt_.seed, kCatalogue, 0);
  int count = static_cast<int>(rng.Range(8, 12));
  for (int i = 0; i < count; ++i) {
    Product p;
    p.id = ProductId(i + 1);
    p.name = std::string(kProductNames[static_cast<size_t>(i)]);
    p.sku = "ORC-" + std::to_string(100 + i);
    p.family = i < 4 ? "Platform" : (i < 8 ? "Add-ons" : "Services");
    p.list_price = Money::FromDollars(rng.Range(4, 60) * 25);  // $100–$1,500 per seat per year
    p.active = true;
    products_.push_back(p);
    w_.Add(p);
  }
}

void BookGenerator::MakeTeam(const std::array<int64_t, 3>& tier_counts) {
  Rng rng(opt_.seed, kTeam, 0);
  // first.last@orchard.example; a namesake gets first.last2@, first.last3@, … (only the team is
  // held here: tens of thousands of users at most, even for a million accounts).
  std::unordered_map<std::string, int> namesakes;
  auto add_user = [&](Role role, std::optional<UserId> manager) {
    User u;
    u.id = Next<UserId>(user_seq_);
    std::string first(rng.Pick(kFirstNames)), last(rng.Pick(kLastNames));
    u.name = first + " " + last;
    std::string local = Lower(first) + "." + Lower(last);
    int n = ++namesakes[local];
    u.email = local + (n > 1 ? std::to_string(n) : "") + "@orchard.example";
    u.role = role;
    u.manager_id = manager;
    u.active = true;  // no password yet: they sign in once an admin sets one
    u.created_at = Timestamp::At(Day(-1200 + rng.Days(0, 300)), 9);
    w_.Add(u);
    return u.id;
  };
  const Settings& s = settings_;
  UserId leader = add_user(Role::kLeader, std::nullopt);
  // AMs per tier from the coverage ratios: tier 1 ÷ 10, tier 2 ÷ 40; tier 3 has no ratio (a
  // pooled tech-touch team), staffed at about 400 accounts per person.
  auto per = [](int64_t accounts, int64_t ratio) {
    return std::max<int64_t>(1, (accounts + ratio - 1) / ratio);
  };
  std::array<int64_t, 3> ams = {per(tier_counts[0], s.For(Tier::kStrategic).accounts_per_am_target),
                                per(tier_counts[1], s.For(Tier::kCore).accounts_per_am_target),
                                per(tier_counts[2], 400)};
  int64_t managers = per(ams[0] + ams[1] + ams[2], 8);
  std::vector<UserId> manager_ids;
  for (int64_t i = 0; i < managers; ++i) manager_ids.push_back(add_user(Role::kManager, leader));
  int64_t k = 0;
  for (size_t t = 0; t < 3; ++t) {
    for (int64_t i = 0; i < ams[t]; ++i) {
      team_.tier_ams[t].push_back(
          add_user(Role::kAm, manager_ids[static_cast<size_t>(k++ % managers)]));
    }
  }
  int64_t csms = per(tier_counts[0] + tier_counts[1], 30);
  for (int64_t i = 0; i < csms; ++i) {
    team_.csms.push_back(add_user(Role::kCsm, manager_ids[static_cast<size_t>(i % managers)]));
  }
  // Executive sponsors: senior leaders, each named on about ten tier-1 accounts.
  int64_t sponsors = per(tier_counts[0], 10);
  for (int64_t i = 0; i < sponsors; ++i) team_.sponsors.push_back(add_user(Role::kLeader, leader));
  int64_t sellers = std::max<int64_t>(1, opt_.accounts / 200);
  for (int64_t i = 0; i < sellers; ++i) team_.sellers.push_back(add_user(Role::kAm, leader));
}

void BookGenerator::MakeAccount(int64_t index, const Profile& p) {
  MakeAccountRow(index, p);
  MakeDivisions(index, p);
  MakeContracts(index, p);
  MakeContacts(index, p);
  MakeOpportunities(index, p);
  MakeActivities(index, p);
  MakeSupport(index, p);
  MakeUsage(index, p);
  MakeEngagement(index, p);
  MakeStory(index, p);
  MakePlan(index, p);
  MakeWorkflow(index, p);
}

void BookGenerator::MakeAccountRow(int64_t index, const Profile& p) {
  Rng rng = StreamFor(kAccount, index);
  size_t tier_index = static_cast<size_t>(p.tier);
  Account& a = d_.account;
  a = Account{};
  a.id = Next<AccountId>(account_seq_);
  // 40 × 20 distinct names, then numbered: "Northwind Analytics 2".
  a.name = std::string(kCompanyFirst[static_cast<size_t>(index) % kCompanyFirst.size()]) + " " +
           std::string(kCompanySecond[static_cast<size_t>(index / 40) % kCompanySecond.size()]);
  if (index >= 800) a.name += " " + std::to_string(index / 800 + 1);
  a.industry = std::string(rng.Pick(kIndustries));
  a.region = std::string(rng.Pick(kRegions));
  double size_k = static_cast<double>(p.size.cents()) / 100'000.0;  // thousands of dollars
  a.employees = static_cast<int64_t>(50 + size_k * static_cast<double>(rng.Range(8, 30)));
  // Owners round-robin within the tier's pool, so books follow the coverage ratios.
  auto& pool = team_.tier_ams[tier_index];
  a.owner_id =
      pool[static_cast<size_t>(team_.next_owner[tier_index]++ % static_cast<int64_t>(pool.size()))];
  if (p.tier != Tier::kVolume) a.csm_id = rng.Pick(team_.csms);
  if (p.tier == Tier::kStrategic) a.sponsor_id = rng.Pick(team_.sponsors);
  a.salesforce_id = "001SEED" + std::to_string(1'000'000'000 + a.id.value);
  if (rng.Chance(0.3)) a.hubspot_id = std::to_string(90'000'000 + a.id.value);
  a.strategic = p.strategic;
  if (rng.Chance(0.15)) a.growth_potential = static_cast<Potential>(rng.Range(0, 2));
  if (rng.Chance(0.01)) {
    a.tier_override = p.tier == Tier::kVolume ? Tier::kCore : Tier::kVolume;
    a.tier_override_reason = p.tier == Tier::kVolume ? "Group-wide agreement under negotiation"
                                                     : "Managed by the partner channel";
  }
  // Subsidiaries: now and then a small account belongs to an earlier, larger one.
  if (index > 50 && p.tier == Tier::kVolume && rng.Chance(0.03)) {
    a.parent_id = AccountId(rng.Range(1, a.id.value - 1));
  }
  // Customer since: up to four years back; about one in eight became a customer this year (the
  // new logos outside the NRR cohort). A churned account was in last year's cohort.
  int32_t since_offset = rng.Chance(0.12) ? -rng.Days(5, 360) : -rng.Days(370, 1460);
  if (p.churned) since_offset = std::min<int32_t>(since_offset, -400);
  d_.since = Day(since_offset);
  a.created_at = Timestamp::At(d_.since.AddDays(-30), 10);
  a.updated_at = Timestamp::At(Day(-rng.Days(0, 60)), 15);
  a.lifecycle_stage = p.churned             ? LifecycleStage::kChurned
                      : since_offset > -120 ? LifecycleStage::kOnboarding
                      : since_offset > -365 ? LifecycleStage::kAdopting
                                            : LifecycleStage::kExpanding;
  a.version = 1;
  w_.Add(a);
}

void BookGenerator::MakeDivisions(int64_t index, const Profile& p) {
  Rng rng = StreamFor(kDivisions, index);
  const Account& a = d_.account;
  // 1–15 buying centres, growing with the account.
  double size_k = static_cast<double>(p.size.cents()) / 100'000.0;
  int n = static_cast<int>(std::clamp<int64_t>(
      1 + static_cast<int64_t>(std::sqrt(size_k) / 1.5) + rng.Range(0, 2), 1, 15));
  d_.divisions.clear();
  for (int i = 0; i < n; ++i) {
    Division unit;
    unit.id = Next<DivisionId>(division_seq_);
    unit.account_id = a.id;
    unit.name = std::string(kDivisionNames[static_cast<size_t>(i) % kDivisionNames.size()]);
    if (i >= static_cast<int>(kDivisionNames.size())) {
      unit.name += " " + std::string(rng.Pick(kRegions));
    }
    unit.kind = i == 0 ? DivisionKind::kBusinessUnit : static_cast<DivisionKind>(rng.Range(0, 3));
    unit.headcount = std::max<int64_t>(10, a.employees / n + rng.Range(-5, 50));
    // The CSM covers some named buying centres beside the owner (PRODUCT.md, coverage).
    if (i > 0 && a.csm_id && rng.Chance(0.25)) unit.covered_by_id = a.csm_id;
    w_.Add(unit);
    d_.divisions.push_back(unit);
  }
}

void BookGenerator::MakeContracts(int64_t index, const Profile& p) {
  Rng rng = StreamFor(kContracts, index);
  // Annual terms from `since`, laid out backwards from today's ARR so that the book's
  // trailing-12-month NRR lands between 100% and 115%: each renewal is flat (with a price
  // uplift), an expansion or a contraction; churned accounts stop renewing; accounts that
  // started less than a year ago are new logos.
  Date since = d_.since;
  int terms = 1;
  while (since.AddYears(terms) <= today_) ++terms;  // terms started so far
  if (p.churned) {
    // The last term ended within the past year and was not renewed.
    Date end = Day(-rng.Days(1, 330));
    terms = std::max(1, (end - since) / 365);
    since = end.AddDays(1).AddYears(-terms);
    d_.since = since;
    d_.quiet_days = today_ - end;
  } else {
    d_.quiet_days = 0;
  }
  auto& term_arr = d_.term_arr;
  term_arr.assign(static_cast<size_t>(terms), Money());
  term_arr.back() = p.size;
  bool large = p.size >= Money::FromDollars(100'000);
  for (int k = terms - 1; k > 0; --k) {
    // The renewal from term k-1 to k: growth factor g; previous = current ÷ g. Large accounts
    // move in smaller steps, so one renewal never swings the whole book.
    double r = rng.Unit();
    double g = large ? (r < 0.45   ? 1.0 + rng.Unit() * 0.05    // flat, with a price uplift
                        : r < 0.86 ? 1.1 + rng.Unit() * 0.35    // expansion
                                   : 0.85 + rng.Unit() * 0.12)  // contraction
                     : (r < 0.5    ? 1.0 + rng.Unit() * 0.06
                        : r < 0.86 ? 1.15 + rng.Unit() * 0.6
                                   : 0.72 + rng.Unit() * 0.23);
    auto prev =
        static_cast<int64_t>(static_cast<double>(term_arr[static_cast<size_t>(k)].cents()) / g);
    term_arr[static_cast<size_t>(k - 1)] =
        Money::FromCents(std::max<int64_t>(prev / 100 * 100, 100'000));
  }
  // Products were added as the account grew: one line in the first term, up to three later.
  double size_k = static_cast<double>(p.size.cents()) / 100'000.0;
  int n_products =
      static_cast<int>(std::clamp<int64_t>(1 + static_cast<int64_t>(size_k / 60), 1, 3));
  size_t first_product = static_cast<size_t>(rng.Next() % products_.size());
  d_.owned_products.clear();
  for (int k = 0; k < terms; ++k) {
    Date start = since.AddYears(k);
    Date end = since.AddYears(k + 1).AddDays(-1);  // the last day of service
    Money remaining = term_arr[static_cast<size_t>(k)];
    int lines = std::min(n_products, k + 1);
    for (int j = 0; j < lines; ++j) {
      ContractLine line;
      line.id = Next<ContractLineId>(line_seq_);
      line.account_id = d_.account.id;
      line.product_id = products_[(first_product + static_cast<size_t>(j)) % products_.size()].id;
      if (d_.divisions.size() > 1 && j > 0) {
        line.division_id = d_.divisions[static_cast<size_t>(j) % d_.divisions.size()].id;
      }
      line.arr = j + 1 == lines ? remaining : remaining.MulDiv(6, 10);
      remaining -= line.arr;
      line.start_date = start;
      line.end_date = end;
      line.salesforce_id = "800SEED" + std::to_string(1'000'000'000 + line.id.value);
      w_.Add(line);
      if (k + 1 == terms) d_.owned_products.push_back(line.product_id);
    }
  }
  d_.renewal = since.AddYears(terms).AddDays(-1);
}

void BookGenerator::MakeContacts(int64_t index, const Profile& p) {
  Rng rng = StreamFor(kContacts, index);
  const Account& a = d_.account;
  // 3–40 contacts by size, in a reporting tree under the most senior one: 3–5 at the $14k
  // floor, ~7 at $100k, ~17 at $500k, 40 at the $2M cap; about 5 on average.
  double size_k = static_cast<double>(p.size.cents()) / 100'000.0;
  int n = static_cast<int>(std::clamp<int64_t>(
      2 + static_cast<int64_t>(std::pow(size_k / 14.0, 0.75)) + rng.Range(0, 2), 3, 40));
  bool single_threaded = rng.Chance(0.15);
  bool has_economic_buyer = rng.Chance(0.88);
  int champion_at = rng.Chance(0.8) ? static_cast<int>(rng.Range(1, n - 1)) : -1;
  d_.champion_departed = champion_at >= 0 && rng.Chance(0.08);
  d_.contacts.clear();
  d_.reachable.clear();
  d_.departed.clear();
  for (int i = 0; i < n; ++i) {
    Contact c;
    c.id = Next<ContactId>(contact_seq_);
    c.account_id = a.id;
    c.division_id = d_.divisions[static_cast<size_t>(i) % d_.divisions.size()].id;
    c.first_name = std::string(rng.Pick(kFirstNames));
    c.last_name = std::string(rng.Pick(kLastNames));
    c.email = Lower(c.first_name) + "." + Lower(c.last_name) + "." + std::to_string(c.id.value) +
              "@customer.example";
    c.title = i == 0 ? std::string(kTitles[static_cast<size_t>(rng.Range(0, 1))])
                     : std::string(kTitles[static_cast<size_t>(rng.Range(2, 11))]);
    if (i == 0 && has_economic_buyer) {
      c.buying_role = BuyingRole::kEconomicBuyer;
      c.stance = rng.Chance(0.7) ? Stance::kSupporter : Stance::kNeutral;
      c.influence = 5;
    } else if (i == champion_at) {
      c.buying_role = BuyingRole::kChampion;
      c.stance = Stance::kChampion;
      c.influence = static_cast<int>(rng.Range(3, 5));
    } else {
      if (rng.Chance(0.75)) c.buying_role = static_cast<BuyingRole>(rng.Range(2, 7));
      double s = rng.Unit();
      c.stance = s < 0.3    ? Stance::kSupporter
                 : s < 0.8  ? Stance::kNeutral
                 : s < 0.95 ? Stance::kDetractor
                            : Stance::kBlocker;
      if (c.buying_role == BuyingRole::kBlocker) c.stance = Stance::kBlocker;
      c.influence = static_cast<int>(rng.Range(1, i < 3 ? 5 : 3));
    }
    if (i > 0) c.reports_to_id = d_.contacts[static_cast<size_t>(rng.Range(0, i - 1))];
    c.relationship_owner_id = i == 0 && a.sponsor_id ? a.sponsor_id : a.owner_id;
    bool departed =
        (i == champion_at && d_.champion_departed) || (i != champion_at && rng.Chance(0.06));
    c.status = departed ? ContactStatus::kDeparted : ContactStatus::kActive;
    c.last_engaged_on = Day(-(departed ? rng.Days(90, 400) : rng.Days(0, 120)) - d_.quiet_days);
    // Those who left did a month after we last spoke with them.
    if (departed) c.departed_on = std::min(c.last_engaged_on->AddDays(30), today_);
    c.salesforce_id = "003SEED" + std::to_string(1'000'000'000 + c.id.value);
    c.version = 1;
    w_.Add(c);
    d_.contacts.push_back(c.id);
    if (departed) {
      d_.departed.emplace_back(c.id, *c.last_engaged_on);
    } else {
      d_.reachable.push_back(c.id);
    }
  }
  if (d_.reachable.empty()) d_.reachable.push_back(d_.contacts.front());
  d_.engaged = d_.reachable;
  if (single_threaded) d_.engaged.resize(1);  // one relationship carries the account
}

void BookGenerator::MakeOpportunities(int64_t index, const Profile& p) {
  Rng rng = StreamFor(kOpportunities, index);
  const Account& a = d_.account;
  auto add = [&](OpportunityType type, OpportunityStage stage, Money amount, Date created,
                 Date close, std::optional<UserId> owner) {
    Opportunity o;
    o.id = Next<OpportunityId>(opp_seq_);
    o.account_id = a.id;
    o.type = type;
    o.stage = stage;
    o.amount = amount;
    o.created_on = created;
    o.close_date = close;
    o.product_id = rng.Pick(products_).id;
    o.division_id = rng.Pick(d_.divisions).id;
    o.owner_id = owner;
    o.name = a.name + " — " + std::string(kOpportunityTypeNames[static_cast<size_t>(type)]) + " " +
             std::to_string(close.year());
    if (stage == OpportunityStage::kClosedLost) {
      o.lost_reason = std::string(rng.Pick(kLostReasons));
    }
    o.salesforce_id = "006SEED" + std::to_string(1'000'000'000 + o.id.value);
    o.version = 1;
    w_.Add(o);
    return o.id;
  };
  // The won new business that made it a customer (the handoff points at it).
  d_.seller = rng.Pick(team_.sellers);
  d_.won = add(OpportunityType::kNewBusiness, OpportunityStage::kClosedWon, d_.term_arr.front(),
               d_.since.AddDays(-rng.Days(45, 120)), d_.since.AddDays(-1), d_.seller);
  if (p.churned) {
    // The renewal it lost.
    add(OpportunityType::kRenewal, OpportunityStage::kClosedLost, p.size, d_.renewal.AddDays(-150),
        d_.renewal, a.owner_id);
  } else if (d_.renewal - today_ <= 180) {
    // The coming renewal, further along the closer it is.
    int32_t days_left = d_.renewal - today_;
    auto stage = days_left < 45   ? OpportunityStage::kNegotiation
                 : days_left < 90 ? OpportunityStage::kProposal
                                  : OpportunityStage::kQualification;
    add(OpportunityType::kRenewal, stage, p.arr, d_.renewal.AddDays(-150), d_.renewal, a.owner_id);
  }
  d_.open_expansion.reset();
  if (!p.churned && rng.Chance(0.55)) {
    auto type = rng.Chance(0.5) ? OpportunityType::kUpsell : OpportunityType::kCrossSell;
    auto stage = static_cast<OpportunityStage>(rng.Range(0, 4));  // every open stage
    Money amount =
        Money::FromDollars(std::max<int64_t>(2'000, p.arr.cents() / 100 / 4 / 100 * 100));
    d_.open_expansion =
        add(type, stage, amount, Day(-rng.Days(5, 200)), Day(rng.Days(10, 200)), a.owner_id);
  }
  // A closed upsell or cross-sell from the last two years, while it was a customer.
  int32_t span = std::min(700, today_ - d_.since - d_.quiet_days - 30);
  if (span > 10 && rng.Chance(0.35)) {
    auto type = rng.Chance(0.5) ? OpportunityType::kUpsell : OpportunityType::kCrossSell;
    auto stage = rng.Chance(0.6) ? OpportunityStage::kClosedWon : OpportunityStage::kClosedLost;
    Date close = Day(-rng.Days(10, span) - d_.quiet_days);
    add(type, stage, Money::FromDollars(rng.Range(20, 400) * 100), close.AddDays(-90), close,
        a.owner_id);
  }
}

void BookGenerator::MakeActivities(int64_t index, const Profile& p) {
  Rng rng = StreamFor(kActivities, index);
  const Account& a = d_.account;
  // The last 180 days (before the churn, for a lost customer): about 24 per account, more for
  // bigger ones; only calls, meetings and QBRs count as meaningful (about 28%).
  double size_k = static_cast<double>(p.size.cents()) / 100'000.0;
  int n = static_cast<int>(rng.Range(15, 30) +
                           std::min<int64_t>(20, static_cast<int64_t>(size_k / 25)));
  if (p.churned) n /= 3;
  bool quiet = rng.Chance(0.1);  // nobody has really talked to this customer for months
  for (int i = 0; i < n; ++i) {
    Activity act;
    act.id = Next<ActivityId>(activity_seq_);
    act.account_id = a.id;
    double k = rng.Unit();
    act.kind = k < 0.55   ? ActivityKind::kEmail
               : k < 0.7  ? ActivityKind::kCall
               : k < 0.8  ? ActivityKind::kMeeting
               : k < 0.83 ? ActivityKind::kQbr
                          : ActivityKind::kNote;
    act.meaningful = act.kind == ActivityKind::kCall || act.kind == ActivityKind::kMeeting ||
                     act.kind == ActivityKind::kQbr;
    int32_t ago = rng.Days(0, 180);
    if (quiet && act.meaningful) ago = std::max<int32_t>(ago, 100);
    act.occurred_at = Timestamp::At(Day(-ago - d_.quiet_days), static_cast<int>(rng.Range(8, 17)),
                                    static_cast<int>(rng.Range(0, 59)));
    act.user_id = a.csm_id && rng.Chance(0.3) ? a.csm_id : a.owner_id;
    act.subject = std::string(rng.Pick(kSubjects));
    act.body =
        act.meaningful ? "Discussed priorities, adoption and next steps." : "Shared materials.";
    w_.Add(act);
    // Meaningful conversations involve 1–3 of the engaged contacts; other touches reach one.
    int involved = act.meaningful ? static_cast<int>(rng.Range(1, 3)) : 1;
    std::array<ContactId, 3> taken{};
    for (int j = 0; j < involved; ++j) {
      ContactId who = act.meaningful ? rng.Pick(d_.engaged) : rng.Pick(d_.reachable);
      if (std::find(taken.begin(), taken.begin() + j, who) != taken.begin() + j) continue;
      taken[static_cast<size_t>(j)] = who;
      w_.Add(ActivityContact{act.id, who});
    }
  }
}

// A ticket's channel and first response, from a stream of its own (the book's other draws stay
// as they were): most answered within the tier's response SLA (4 h tier 1, 24 h tier 2; the
// help desk's 8 h for tier 3), one in six late; a few closed with no response recorded; of the
// open ones, those opened today and most of yesterday's still unanswered, so the demo has
// tickets at risk of and past their SLA.
void BookGenerator::Respond(Ticket& t, Tier tier, int32_t ago) const {
  Rng rng(opt_.seed, kResponse, static_cast<uint64_t>(t.id.value));
  if (rng.Chance(0.2)) t.channel = TicketChannel::kRequest;
  const int64_t sla = tier == Tier::kStrategic ? 4 * 3600
                      : tier == Tier::kCore    ? 24 * 3600
                                               : 8 * 3600;
  const bool open = t.status != TicketStatus::kClosed;
  if (!open && rng.Chance(0.03)) return;  // closed with no response recorded
  if (open && t.status == TicketStatus::kOpen && (ago == 0 || (ago == 1 && rng.Chance(0.7)))) {
    return;  // still waiting
  }
  const bool late = rng.Chance(1.0 / 6);
  const double share = late ? 1.1 + 2.0 * rng.Unit() : 0.05 + 0.9 * rng.Unit();
  Timestamp at = t.opened_at.AddSeconds(static_cast<int64_t>(share * static_cast<double>(sla)));
  if (t.closed_at && *t.closed_at < at) at = *t.closed_at;
  if (at > Timestamp::At(today_, 23, 59, 59)) return;  // not answered yet: no response ahead
  t.first_response_at = at;
}

void BookGenerator::MakeSupport(int64_t index, const Profile& p) {
  Rng rng = StreamFor(kSupport, index);
  const Account& a = d_.account;
  double size_k = static_cast<double>(p.size.cents()) / 100'000.0;
  int32_t customer_days = today_ - d_.since - d_.quiet_days;  // up to the churn, if any
  // Tickets over the last six months: mostly low and medium, a few urgent; recent ones still open.
  int n_tickets =
      static_cast<int>(rng.Range(0, 4) + std::min<int64_t>(6, static_cast<int64_t>(size_k / 50)));
  for (int i = 0; i < n_tickets; ++i) {
    Ticket t;
    t.id = Next<TicketId>(ticket_seq_);
    t.account_id = a.id;
    t.contact_id = rng.Pick(d_.reachable);
    double s = rng.Unit();
    t.severity = s < 0.45   ? TicketSeverity::kLow
                 : s < 0.8  ? TicketSeverity::kMedium
                 : s < 0.95 ? TicketSeverity::kHigh
                            : TicketSeverity::kUrgent;
    int32_t ago = rng.Days(0, std::min(180, customer_days));
    t.opened_at = Timestamp::At(Day(-ago - d_.quiet_days), static_cast<int>(rng.Range(0, 23)));
    bool open = !p.churned && (ago < 30 ? rng.Chance(0.5) : rng.Chance(0.05));
    t.status = open ? (rng.Chance(0.7) ? TicketStatus::kOpen : TicketStatus::kPending)
                    : TicketStatus::kClosed;
    if (!open) t.closed_at = t.opened_at.AddSeconds(3600 * rng.Range(1, 240));
    t.escalated = t.severity >= TicketSeverity::kHigh && rng.Chance(0.3);
    t.subject = std::string(rng.Pick(kTicketSubjects));
    t.body = "Reported by the customer; see thread.";
    // Two closed tickets in three rated (CSAT, 1–5, mostly satisfied), drawn from the id so the
    // book's other draws stay as they were.
    if (!open && t.id.value % 3 != 0) {
      static constexpr int64_t kScores[] = {5, 4, 5, 3, 4, 5, 2, 4, 5, 1};  // 7 of 10 satisfied
      t.satisfaction = kScores[(t.id.value / 3) % 10];
    }
    Respond(t, p.tier, ago);
    w_.Add(t);
  }
  // NPS: a response or two a year from about half the accounts; mostly promoters.
  int n_nps = static_cast<int>(rng.Range(0, 2));
  for (int i = 0; i < n_nps; ++i) {
    NpsResponse r;
    r.id = Next<NpsResponseId>(nps_seq_);
    r.account_id = a.id;
    r.contact_id = rng.Pick(d_.reachable);
    double s = rng.Unit();
    r.score = s < 0.5   ? static_cast<int>(rng.Range(9, 10))
              : s < 0.8 ? static_cast<int>(rng.Range(7, 8))
                        : static_cast<int>(rng.Range(0, 6));
    r.comment = std::string(kNpsComments[static_cast<size_t>(r.score >= 9   ? rng.Range(0, 2)
                                                             : r.score >= 7 ? rng.Range(1, 5)
                                                                            : rng.Range(3, 4))]);
    r.responded_on = Day(-rng.Days(0, std::min(365, customer_days)) - d_.quiet_days);
    w_.Add(r);
  }
}

void BookGenerator::MakeUsage(int64_t index, const Profile& p) {
  if (p.churned) return;  // the product is switched off
  Rng rng = StreamFor(kUsage, index);
  // Weekly snapshots over the last 13 weeks: seats from ARR, utilisation drifting (most flat,
  // some falling, some rising) with noise, so usage trends have something to find.
  int64_t seats = std::max<int64_t>(5, p.arr.cents() / 100 / 400);
  double utilisation = 0.35 + rng.Unit() * 0.6;
  double drift = (rng.Unit() - 0.55) * 0.04;
  for (int wk = 12; wk >= 0; --wk) {
    if (Day(-7 * wk) < d_.since) continue;  // not a customer yet
    UsageMetric u;
    u.id = Next<UsageMetricId>(usage_seq_);
    u.account_id = d_.account.id;
    u.day = Day(-7 * wk);
    u.licensed_seats = seats;
    double level =
        std::clamp(utilisation + drift * (12 - wk) + (rng.Unit() - 0.5) * 0.05, 0.02, 1.0);
    u.active_users = static_cast<int64_t>(static_cast<double>(seats) * level);
    w_.Add(u);
  }
}

void BookGenerator::MakeEngagement(int64_t index, const Profile&) {
  Rng rng = StreamFor(kEngagement, index);
  const Account& a = d_.account;
  // About four web and event signals a quarter, which with the story's signals (seed_story.cc)
  // brings a book to about 50 signal events per account, the shape bench/dashboards is asked to
  // measure. Ten are drawn, as before the story, and one in three written, so the stream's other
  // draws (the job changes below) keep their values.
  int n = static_cast<int>(rng.Range(4, 17));
  for (int i = 0; i < n; ++i) {
    EngagementSignal sig;
    sig.account_id = a.id;
    sig.contact_id = rng.Pick(d_.reachable);
    sig.kind = static_cast<EngagementKind>(rng.Range(0, 3));  // web and event signals
    sig.occurred_at =
        Timestamp::At(Day(-rng.Days(0, 90) - d_.quiet_days), static_cast<int>(rng.Range(0, 23)));
    sig.detail = sig.kind == EngagementKind::kPricingPageVisit    ? "/pricing"
                 : sig.kind == EngagementKind::kCaseStudyDownload ? "/customers"
                 : sig.kind == EngagementKind::kWebinarAttended   ? "Quarterly product webinar"
                                                                  : "/product";
    if (i % 3 != 0) continue;
    sig.id = Next<EngagementSignalId>(signal_seq_);
    w_.Add(sig);
  }
  // Most people who left were seen changing jobs, a few weeks after our last contact.
  for (const auto& [contact, last_seen] : d_.departed) {
    if (!rng.Chance(0.7)) continue;
    EngagementSignal sig;
    sig.id = Next<EngagementSignalId>(signal_seq_);
    sig.account_id = a.id;
    sig.contact_id = contact;
    sig.kind = EngagementKind::kJobChange;
    sig.occurred_at = Timestamp::At(std::min(last_seen.AddDays(rng.Days(14, 75)), today_), 12);
    sig.detail = "Now at " + std::string(rng.Pick(kCompanyFirst)) + " " +
                 std::string(rng.Pick(kCompanySecond));
    w_.Add(sig);
  }
}

}  // namespace orchard::ingest::seed
