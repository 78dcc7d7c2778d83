// The synthetic book's plans and workflow for one account (see seed_generator.h).
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

namespace {

// The first of the account's terms whose ARR ranks it tier 1 or 2 (terms.size(): none), and the
// tier of its latest such term, which sets the plan's refresh interval.
std::pair<size_t, Tier> FirstPlannedTerm(const std::vector<Money>& terms, bool strategic,
                                         const TierRules& rules) {
  size_t first = terms.size();
  Tier tier = Tier::kVolume;
  for (size_t k = 0; k < terms.size(); ++k) {
    const Tier then = RuleTier(terms[k], strategic, rules);
    if (then == Tier::kVolume) continue;
    first = std::min(first, k);
    tier = then;
  }
  return {first, tier};
}

// The days of a plan's versions: created 7–45 days after `from`, then revisited every half to
// whole refresh interval up to the last review, which is the last version. A stale plan's history
// stops at that review, so on any past day the days since its last change are what the team's
// cadence left (predict/features.h reads them).
std::vector<Date> PlanVersionDays(Rng& history, Date from, Date reviewed, int refresh) {
  const Date created = std::min(reviewed, from.AddDays(history.Days(7, 45)));
  std::vector<Date> days = {created};
  const int every = std::max(refresh, 14);  // a tier without a refresh interval: every 1–2 weeks
  for (Date at = created.AddDays(history.Days(every / 2, every)); at < reviewed;
       at = at.AddDays(history.Days(every / 2, every))) {
    days.push_back(at);
  }
  if (reviewed > created) days.push_back(reviewed);
  return days;
}

}  // namespace

// Whitespace: a few division × product cells, each pair at most once. Products on the current
// contract are owned; the rest are open, in pipeline, with a competitor, or no fit. Draws from
// the plan's stream where MakePlan was, so the book is the same as when it was inline.
std::vector<WhitespaceCellId> BookGenerator::MakeWhitespace(Rng& rng, PlanId plan_id) {
  std::vector<WhitespaceCellId> cells;
  std::vector<std::pair<size_t, size_t>> used;
  int n_cells = static_cast<int>(rng.Range(0, 6));
  for (int i = 0; i < n_cells; ++i) {
    size_t di = static_cast<size_t>(rng.Next() % d_.divisions.size());
    size_t pi = static_cast<size_t>(rng.Next() % products_.size());
    if (std::find(used.begin(), used.end(), std::make_pair(di, pi)) != used.end()) continue;
    used.emplace_back(di, pi);
    const Division& unit = d_.divisions[di];
    const Product& product = products_[pi];
    WhitespaceCell cell;
    cell.id = Next<WhitespaceCellId>(cell_seq_);
    cell.plan_id = plan_id;
    cell.division_id = unit.id;
    cell.product_id = product.id;
    bool owned = std::find(d_.owned_products.begin(), d_.owned_products.end(), product.id) !=
                 d_.owned_products.end();
    double s = rng.Unit();
    cell.status = owned      ? WhitespaceStatus::kOwned
                  : s < 0.55 ? WhitespaceStatus::kOpen
                  : s < 0.72 ? WhitespaceStatus::kCompetitor
                  : s < 0.88 ? WhitespaceStatus::kInPipeline
                             : WhitespaceStatus::kNotAFit;
    if (cell.status == WhitespaceStatus::kCompetitor) {
      cell.competitor = std::string(rng.Pick(kCompetitors));
    }
    if (cell.status == WhitespaceStatus::kInPipeline) cell.opportunity_id = d_.open_expansion;
    if (cell.status != WhitespaceStatus::kNotAFit && cell.status != WhitespaceStatus::kOwned) {
      if (rng.Chance(0.5)) {
        // Sized: a quarter of the division's headcount at the product's list price.
        cell.potential_source = PotentialSource::kSized;
        cell.adoption_bp = 2500;
        cell.potential = product.list_price.MulDiv(unit.headcount * cell.adoption_bp, 10000);
      } else {
        cell.potential_source = PotentialSource::kEntered;
        cell.potential = Money::FromDollars(rng.Range(5, 150) * 1000);
      }
    }
    w_.Add(cell);
    cells.push_back(cell.id);
  }
  return cells;
}

// Reviews at the tier's cadence: the last one held, and the next one due (some overdue).
void BookGenerator::MakeReviews(Rng& rng, const TierCoverage& cov) {
  const Account& a = d_.account;
  for (ReviewKind kind : {ReviewKind::kInternal, ReviewKind::kCustomer}) {
    int every = kind == ReviewKind::kInternal ? cov.internal_review_days : cov.customer_review_days;
    Date held = std::max(Day(-rng.Days(5, every + 30)), std::min(d_.since.AddDays(14), Day(-1)));
    Review past;
    past.id = Next<ReviewId>(review_seq_);
    past.account_id = a.id;
    past.kind = kind;
    past.status = ReviewStatus::kHeld;
    past.due_on = held;
    past.held_on = held;
    past.attendees = "Account team; customer sponsor";
    past.notes = "Reviewed health, priorities and renewal plan.";
    past.outcomes = "Actions agreed";
    w_.Add(past);
    Review next;
    next.id = Next<ReviewId>(review_seq_);
    next.account_id = a.id;
    next.kind = kind;
    next.status = ReviewStatus::kScheduled;
    next.due_on = held.AddDays(every);
    w_.Add(next);
  }
}

void BookGenerator::MakePlan(int64_t index, const Profile& p) {
  // An account gets its plan when its ARR first ranks it tier 1 or 2 (a term's ARR, by the tier
  // rules), and keeps it: tier 3 has none, and a lost customer keeps the plan it had, written up
  // to the end of its final term (`until`), with its actions cancelled when it left. (Tied to the
  // tier of today instead, a plan on a past day would tell which accounts would grow into tier 2
  // or shrink out of it — the outcome the models are asked for.)
  const auto [first, tier] = FirstPlannedTerm(d_.term_arr, p.strategic, settings_.tiers);
  if (first == d_.term_arr.size()) return;
  Rng rng = StreamFor(kPlan, index);
  const Account& a = d_.account;
  const TierCoverage& cov = settings_.For(tier);
  const Date started = d_.since.AddYears(static_cast<int>(first));
  const Date until = today_.AddDays(-d_.quiet_days);
  int32_t customer_days = until - started;
  // About a quarter of plans are stale: last reviewed before the tier's refresh interval (only
  // possible for customers older than that). The story of a loss (docs/MODELS.md): a lost
  // customer's plan went stale before it left three times in five.
  int refresh = cov.plan_refresh_days;
  bool stale = customer_days > refresh + 30 && rng.Chance(p.churned ? 0.6 : 0.25);
  Date reviewed =
      stale ? until.AddDays(-refresh - rng.Days(1, std::min(200, customer_days - refresh - 1)))
            : until.AddDays(-rng.Days(0, std::min(refresh - 1, customer_days)));
  Rng history = StreamFor(kPlanHistory, index);
  const std::vector<Date> days =
      PlanVersionDays(history, std::max(started, Day(-720)), reviewed, refresh);
  const auto versions = static_cast<int64_t>(days.size());
  AccountPlan plan;
  plan.id = Next<PlanId>(plan_seq_);
  plan.account_id = a.id;
  plan.summary = "Protect the core renewal and expand into new divisions.";
  plan.last_reviewed_at = Timestamp::At(reviewed, 11);
  plan.updated_at = *plan.last_reviewed_at;
  plan.updated_by = a.owner_id;
  plan.version = versions;
  w_.Add(plan);

  std::vector<PriorityId> priorities;
  int n_pri = static_cast<int>(rng.Range(0, 3));
  for (int i = 0; i < n_pri; ++i) {
    PlanPriority pr;
    pr.id = Next<PriorityId>(priority_seq_);
    pr.plan_id = plan.id;
    pr.text = std::string(
        kPriorities[static_cast<size_t>((index + i) % static_cast<int64_t>(kPriorities.size()))]);
    pr.source_contact_id = d_.contacts.front();
    pr.said_on = reviewed.AddDays(-rng.Days(0, 60));
    pr.position = i;
    w_.Add(pr);
    priorities.push_back(pr.id);
  }
  std::vector<RiskId> risks;
  int n_risks = static_cast<int>(rng.Range(0, 2)) + (d_.champion_departed ? 1 : 0);
  for (int i = 0; i < n_risks; ++i) {
    PlanRisk r;
    r.id = Next<RiskId>(risk_seq_);
    r.plan_id = plan.id;
    r.description = std::string(
        kRisks[static_cast<size_t>(i == 0 && d_.champion_departed ? 0 : rng.Range(1, 5))]);
    r.severity = static_cast<Level>(rng.Range(0, 2));
    r.likelihood = static_cast<Level>(rng.Range(0, 2));
    if (rng.Chance(0.7)) {  // the rest lack a mitigation owner: completeness has gaps to show
      r.mitigation = "Agreed mitigation with the customer team";
      r.mitigation_owner_id = a.owner_id;
    }
    r.status = rng.Chance(0.8) ? RiskStatus::kOpen : RiskStatus::kMitigating;
    w_.Add(r);
    risks.push_back(r.id);
  }
  std::vector<WhitespaceCellId> cells = MakeWhitespace(rng, plan.id);
  int n_actions = static_cast<int>(rng.Range(0, 3));
  int open_actions = 0;
  for (int i = 0; i < n_actions; ++i) {
    PlanAction act;
    act.id = Next<ActionId>(action_seq_);
    act.plan_id = plan.id;
    act.description = std::string(rng.Pick(kActions));
    act.owner_id = a.owner_id;
    act.due_on = until.AddDays(rng.Days(-45, 60));  // some overdue
    act.status = rng.Chance(0.75) ? ActionStatus::kOpen : ActionStatus::kDone;
    if (act.status == ActionStatus::kOpen) ++open_actions;  // as the plan's versions saw it
    if (p.churned && act.status == ActionStatus::kOpen) act.status = ActionStatus::kCancelled;
    if (!priorities.empty() && rng.Chance(0.5)) {
      act.priority_id = rng.Pick(priorities);
    } else if (!risks.empty() && rng.Chance(0.5)) {
      act.risk_id = rng.Pick(risks);
    } else if (!cells.empty()) {
      act.whitespace_cell_id = rng.Pick(cells);
    }
    w_.Add(act);
  }
  // Each version's snapshot records how much of the plan existed then: the team fills it in over
  // its first three versions (not toward its last, which would tell how near the history's end a
  // past day is — for a lost customer, its loss).
  const int64_t filled_by = std::min<int64_t>(versions, 3);
  for (int64_t v = 1; v <= versions; ++v) {
    PlanVersion pv;
    pv.id = Next<PlanVersionId>(version_seq_);
    pv.plan_id = plan.id;
    pv.version = v;
    pv.changed_by = v > 1 && a.csm_id && history.Chance(0.3) ? a.csm_id : a.owner_id;
    pv.changed_at = Timestamp::At(days[static_cast<size_t>(v - 1)], 11);
    pv.change_summary = v == 1          ? "Plan created"
                        : v == versions ? "Reviewed with the account team"
                                        : std::string(history.Pick(kPlanChanges));
    auto part = [&](int64_t count) {
      return std::to_string(count * std::min(v, filled_by) / filled_by);
    };
    pv.snapshot_json = R"({"priorities":)" + part(n_pri) + R"(,"risks":)" + part(n_risks) +
                       R"(,"whitespace_cells":)" + part(static_cast<int64_t>(cells.size())) +
                       R"(,"open_actions":)" + part(open_actions) + "}";
    w_.Add(pv);
  }
  // Reviews for the accounts tier 1 and 2 cover now: a lost customer has none ahead, and tier 3
  // is covered by automation.
  if (!p.churned && p.tier != Tier::kVolume) MakeReviews(rng, cov);
}

void BookGenerator::MakeWorkflow(int64_t index, const Profile& p) {
  Rng rng = StreamFor(kWorkflow, index);
  const Account& a = d_.account;
  if (d_.champion_departed || rng.Chance(0.08)) {
    Task t;
    t.id = Next<TaskId>(task_seq_);
    t.account_id = a.id;
    t.title = d_.champion_departed ? "Re-thread: champion departed" : "Follow up on open questions";
    t.description = d_.champion_departed
                        ? "Find and engage a new champion before the renewal."
                        : "Answer the customer's open questions from the last call.";
    t.owner_id = a.owner_id;
    t.due_on = Day(rng.Days(-10, 21));
    t.status = TaskStatus::kOpen;
    t.source_key = "seed:" + std::to_string(t.id.value);
    t.created_at = Timestamp::At(Day(-rng.Days(1, 30)), 9);
    w_.Add(t);
  }
  // Handoffs for new business won in the last 90 days: accepted after a month, else still open.
  int32_t since_days = today_ - d_.since;
  if (since_days < 90 && !p.churned) {
    Handoff h;
    h.id = Next<HandoffId>(handoff_seq_);
    h.account_id = a.id;
    h.opportunity_id = d_.won;
    h.seller_id = d_.seller;
    h.am_id = a.owner_id;
    bool accepted = since_days > 30;
    h.status = accepted ? HandoffStatus::kAccepted : HandoffStatus::kOpen;
    // An open one waits for the internal handoff meeting.
    h.checklist_json = HandoffChecklistJson(true, accepted ? "" : "handoff_meeting");
    h.created_at = Timestamp::At(d_.since.AddDays(-1), 16);
    if (accepted) h.accepted_at = Timestamp::At(d_.since.AddDays(7), 10);
    w_.Add(h);
    // Its onboarding milestones: most of those due by now are done, some run late.
    for (const OnboardingStep& step : kOnboardingSteps) {
      if (!accepted) break;
      Task t;
      t.id = Next<TaskId>(task_seq_);
      t.account_id = a.id;
      t.title = std::string(step.title);
      t.description = "Onboarding day " + std::to_string(step.day) + " (handoff " +
                      std::to_string(h.id.value) + ")";
      t.owner_id = a.owner_id;
      t.due_on = d_.since.AddDays(7 + step.day);
      t.status = *t.due_on < Day(-3) && rng.Chance(0.8) ? TaskStatus::kDone : TaskStatus::kOpen;
      t.source_key = MilestoneKey(h.id.value, step.day);
      t.created_at = *h.accepted_at;
      // Done a few days either side of its due day (from the id: the other draws stay as they
      // were), never before the acceptance.
      if (t.status == TaskStatus::kDone) {
        const Date on = std::max(h.accepted_at->date(),
                                 t.due_on->AddDays(static_cast<int32_t>(t.id.value % 9) - 5));
        t.completed_at = Timestamp::At(std::min(on, Day(0)), 15);
      }
      w_.Add(t);
    }
  }
  if (!p.churned && rng.Chance(0.01)) {
    HealthOverride o;
    o.id = Next<HealthOverrideId>(override_seq_);
    o.account_id = a.id;
    o.score = static_cast<int>(rng.Range(20, 90));
    o.reason = "CSM judgement after the executive call";
    o.expires_on = Day(rng.Days(-20, 60));  // some already expired
    o.set_by = a.csm_id ? a.csm_id : a.owner_id;
    o.created_at = Timestamp::At(Day(-rng.Days(1, 40)), 14);
    w_.Add(o);
  }
}

}  // namespace orchard::ingest::seed
