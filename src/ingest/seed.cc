// The synthetic book (see seed.h). Two passes over the account indexes: the first draws only each
// account's ARR and tier, to size the sales team by the coverage ratios; the second generates
// each account's whole subtree, buffers it, and writes a batch of accounts table by table.
// Every draw comes from a stream keyed by (seed, part, account index), so an account's rows do not
// depend on the batch size, on other accounts, or on draws added to another part later.
#include "ingest/seed.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "ingest/seed_generator.h"
#include "ingest/seed_writer.h"
#include "store/store.h"

namespace orchard::ingest {

namespace {

using seed::BookGenerator;
using seed::MakeProfile;
using seed::Writer;

SeedSummary Summarise(const Writer& w) {
  SeedSummary s;
  s.users = w.Written<User>();
  s.products = w.Written<Product>();
  s.accounts = w.Written<Account>();
  s.divisions = w.Written<Division>();
  s.contract_lines = w.Written<ContractLine>();
  s.contacts = w.Written<Contact>();
  s.opportunities = w.Written<Opportunity>();
  s.activities = w.Written<Activity>();
  s.activity_contacts = w.Written<ActivityContact>();
  s.tickets = w.Written<Ticket>();
  s.nps_responses = w.Written<NpsResponse>();
  s.usage_metrics = w.Written<UsageMetric>();
  s.engagement_signals = w.Written<EngagementSignal>();
  s.account_plans = w.Written<AccountPlan>();
  s.plan_priorities = w.Written<PlanPriority>();
  s.plan_risks = w.Written<PlanRisk>();
  s.whitespace_cells = w.Written<WhitespaceCell>();
  s.plan_actions = w.Written<PlanAction>();
  s.plan_versions = w.Written<PlanVersion>();
  s.reviews = w.Written<Review>();
  s.tasks = w.Written<Task>();
  s.handoffs = w.Written<Handoff>();
  s.health_overrides = w.Written<HealthOverride>();
  s.signals = s.activities + s.tickets + s.nps_responses + s.usage_metrics + s.engagement_signals;
  s.rows = w.total();
  return s;
}

}  // namespace

Result<SeedSummary> SeedBook(store::Database& db, const SeedOptions& options,
                             const std::function<void(const SeedProgress&)>& on_progress) {
  if (options.accounts < 1) return FailField("accounts", "must be at least 1");
  auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };

  // Count inside the transaction (SQLite takes the write lock at Begin), so two seeds started
  // at once cannot both find the database empty.
  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  ORCHARD_TRY(auto existing, db.QueryInt("SELECT COUNT(*) FROM accounts"));
  if (existing.value_or(0) > 0) {
    return Fail(ErrorCode::kAlreadyExists,
                db.description() + " already holds " + std::to_string(*existing) +
                    " accounts; seed writes a whole book and needs a database without accounts");
  }

  Writer w(db);
  BookGenerator gen(options, w);
  // Pass 1: tiers only, to size the team by the coverage ratios.
  std::array<int64_t, 3> tier_counts{0, 0, 0};
  for (int64_t i = 0; i < options.accounts; ++i) {
    ++tier_counts[static_cast<size_t>(MakeProfile(options.seed, i, gen.settings()).tier)];
  }
  gen.MakeCatalogue();
  gen.MakeTeam(tier_counts);
  ORCHARD_CHECK(w.Flush());

  // Pass 2: each account's whole subtree, written a batch at a time.
  double last_report = -1;
  int64_t batch = std::max<int64_t>(1, options.batch_accounts);
  for (int64_t i = 0; i < options.accounts; ++i) {
    gen.MakeAccount(i, MakeProfile(options.seed, i, gen.settings()));
    bool last = i + 1 == options.accounts;
    if ((i + 1) % batch != 0 && !last) continue;
    ORCHARD_CHECK(w.Flush());
    double now = elapsed();
    if (on_progress && (now - last_report >= 0.25 || last)) {
      last_report = now;
      on_progress(SeedProgress{i + 1, options.accounts, w.total(), now});
    }
  }
  ORCHARD_CHECK(w.ResetSequences());
  ORCHARD_CHECK(tx.Commit());

  SeedSummary s = Summarise(w);
  s.seconds = elapsed();
  return s;
}

}  // namespace orchard::ingest
