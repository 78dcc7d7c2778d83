// The synthetic book (see seed.h). Two passes over the account indexes: the first draws only each
// account's ARR and tier, to size the sales team by the coverage ratios; the second generates
// each account's whole subtree, buffers it, and writes a batch of accounts table by table.
// Every draw comes from a stream keyed by (seed, part, account index), so an account's rows do not
// depend on the batch size, on other accounts, or on draws added to another part later.
#include "ingest/seed.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "domain/arr.h"
#include "domain/handoff.h"
#include "domain/schema.h"
#include "domain/settings.h"
#include "domain/tiers.h"
#include "store/store.h"

namespace orchard::ingest {

namespace {

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
};

constexpr std::array<std::string_view, 40> kCompanyFirst = {
    "Northwind",   "Contoso",    "Fabrikam",  "Tailspin",  "Wingtip",       "Adventure",
    "Blue Yonder", "Coho",       "Alpine",    "Litware",   "Proseware",     "Lucerne",
    "Margie",      "Trey",       "Humongous", "Woodgrove", "Fourth Coffee", "Graphic",
    "Wide World",  "Southridge", "Datum",     "Relecloud", "Bellows",       "Cascade",
    "Summit",      "Granite",    "Harbor",    "Ironwood",  "Juniper",       "Keystone",
    "Lakeshore",   "Meridian",   "Nimbus",    "Orion",     "Pinnacle",      "Quarry",
    "Redwood",     "Sterling",   "Tidewater", "Vanguard"};
constexpr std::array<std::string_view, 20> kCompanySecond = {
    "Analytics",     "Logistics", "Health",   "Systems",  "Foods",     "Energy",  "Capital",
    "Motors",        "Pharma",    "Networks", "Retail",   "Insurance", "Labs",    "Media",
    "Manufacturing", "Partners",  "Telecom",  "Learning", "Aerospace", "Holdings"};
constexpr std::array<std::string_view, 12> kIndustries = {
    "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Logistics",
    "Energy",   "Telecommunications", "Education",  "Public Sector", "Media",  "Insurance"};
constexpr std::array<std::string_view, 4> kRegions = {"North America", "EMEA", "APAC", "LATAM"};
constexpr std::array<std::string_view, 32> kFirstNames = {
    "Ada",   "Ben",   "Chloe", "Dev",    "Elena",  "Femi",   "Grace", "Hiro",
    "Ines",  "Jonas", "Kara",  "Liam",   "Maya",   "Noah",   "Olga",  "Priya",
    "Quinn", "Rosa",  "Sam",   "Tariq",  "Uma",    "Victor", "Wen",   "Ximena",
    "Yusuf", "Zoe",   "Amir",  "Bianca", "Carlos", "Dana",   "Emil",  "Farah"};
constexpr std::array<std::string_view, 32> kLastNames = {
    "Okafor",  "Lindqvist", "Nakamura", "Garcia",    "Schmidt", "Patel",   "Moreau", "Kowalski",
    "Rossi",   "Haddad",    "Novak",    "Silva",     "Jensen",  "Murphy",  "Chen",   "Dubois",
    "Ivanova", "Kim",       "Larsen",   "Mendes",    "Nguyen",  "O'Brien", "Petrov", "Quispe",
    "Reyes",   "Sato",      "Tanaka",   "Underwood", "Varga",   "Walsh",   "Yilmaz", "Zimmermann"};
constexpr std::array<std::string_view, 12> kTitles = {
    "Chief Operating Officer", "VP Operations",       "Director of IT",     "Head of Procurement",
    "Finance Director",        "Engineering Manager", "Operations Manager", "Business Analyst",
    "Solutions Architect",     "Program Manager",     "Team Lead",          "Administrator"};
constexpr std::array<std::string_view, 10> kDivisionNames = {
    "Corporate",   "Operations",   "Finance",          "Sales",    "Marketing",
    "Engineering", "Supply Chain", "Customer Service", "Research", "Human Resources"};
constexpr std::array<std::string_view, 12> kProductNames = {
    "Orchard Core",    "Insights",         "Automation",      "Data Connectors",
    "Security Suite",  "Mobile Field",     "Forecasting",     "Collaboration",
    "Premium Support", "Compliance Vault", "Workflow Studio", "Partner Portal"};
constexpr std::array<std::string_view, 8> kPriorities = {
    "Cut onboarding time for new plants from 6 weeks to 2",
    "One view of every customer across regions by Q3",
    "Reduce operating cost per order by 10% this year",
    "Pass the SOC 2 audit without findings",
    "Launch self-service ordering for mid-market customers",
    "Consolidate three legacy tools into one platform",
    "Give field teams live data on mobile",
    "Grow recurring revenue from existing customers by 20%"};
constexpr std::array<std::string_view, 6> kRisks = {
    "Champion is interviewing elsewhere",
    "Budget freeze announced for next fiscal year",
    "Competitor pilot running in the finance division",
    "Usage flat since the last release",
    "Open escalation on data sync failures",
    "New CIO reviewing all vendor contracts"};
constexpr std::array<std::string_view, 6> kActions = {
    "Book an executive sponsor meeting with the CFO", "Run an adoption workshop for new users",
    "Send the ROI summary ahead of renewal",          "Map the new procurement stakeholders",
    "Agree a success plan for the expansion pilot",   "Close the open escalation with support"};
constexpr std::array<std::string_view, 4> kPlanChanges = {
    "Added priorities from the QBR", "Updated the relationship map",
    "Sized whitespace in two more divisions", "Recorded a new risk and its mitigation"};
constexpr std::array<std::string_view, 4> kCompetitors = {"Gainsight", "Totango", "ChurnZero",
                                                          "Salesforce"};
constexpr std::array<std::string_view, 5> kLostReasons = {
    "Chose a competitor on price", "No budget this year", "Project deprioritised",
    "Built it in-house", "Consolidated onto the parent company's tool"};
constexpr std::array<std::string_view, 8> kSubjects = {
    "Renewal planning", "Quarterly business review", "Roadmap preview",     "Support follow-up",
    "Pricing question", "Onboarding check-in",       "Executive alignment", "Usage review"};
constexpr std::array<std::string_view, 6> kTicketSubjects = {
    "Sync job failing nightly",   "SSO login loop",
    "Report export times out",    "Request: bulk user import",
    "Dashboard shows stale data", "API rate limit errors"};
constexpr std::array<std::string_view, 6> kNpsComments = {
    "Great support team, quick answers",   "Powerful but the UI takes time to learn",
    "Reporting is exactly what we needed", "Too many outages this quarter",
    "Pricing is hard to justify",          "Would recommend to peers"};

// ---------------------------------------------------------------------------------------------
// The tables, their counters and the rules every generated row must satisfy.

template <class... Ts>
struct TypeList {
  static constexpr size_t kSize = sizeof...(Ts);
};

// Every table the seed writes, in foreign-key order: a row points only at tables listed before
// its own, or at an earlier row of its own table. Flushes write the tables in this order.
using SeedTables = TypeList<User, Product, Account, Division, ContractLine, Contact, Opportunity,
                            Activity, ActivityContact, Ticket, NpsResponse, UsageMetric,
                            EngagementSignal, AccountPlan, PlanPriority, PlanRisk, WhitespaceCell,
                            PlanAction, PlanVersion, Review, Task, Handoff, HealthOverride>;
constexpr size_t kTableCount = SeedTables::kSize;

template <class T>
struct IdOf {
  using type = void;  // link tables have no id
};
template <HasId T>
struct IdOf<T> {
  using type = decltype(T::id);
};

template <class T, class... Ts>
constexpr size_t SlotOf(TypeList<Ts...>) {
  constexpr bool same[] = {std::is_same_v<T, Ts>...};
  for (size_t i = 0; i < sizeof...(Ts); ++i) {
    if (same[i]) return i;
  }
  return sizeof...(Ts);
}
template <class IdT, class... Ts>
constexpr size_t SlotOfId(TypeList<Ts...>) {
  constexpr bool same[] = {std::is_same_v<IdT, typename IdOf<Ts>::type>...};
  for (size_t i = 0; i < sizeof...(Ts); ++i) {
    if (same[i]) return i;
  }
  return sizeof...(Ts);
}
template <class T>
constexpr size_t kSlot = SlotOf<T>(SeedTables{});

// Rows generated so far per table. Ids are contiguous from 1 in generation order, so an id
// "exists earlier in the stream" exactly when it is at most the count.
class Refs {
 public:
  template <class Tag>
  bool Has(Id<Tag> id) const {
    constexpr size_t slot = SlotOfId<Id<Tag>>(SeedTables{});
    static_assert(slot < kTableCount, "a reference to a table the seed does not write");
    return id.value >= 1 && id.value <= count[slot];
  }
  template <class Tag>
  bool Has(const std::optional<Id<Tag>>& id) const {
    return !id || Has(*id);
  }

  std::array<int64_t, kTableCount> count{};
};

Status Rule(bool holds, const char* rule) {
  if (holds) return Ok();
  return Fail(ErrorCode::kInternal, rule);
}

// Domain rules (the same the API enforces) and reference order, checked on every row: a
// generator bug fails the seed, rolled back, instead of writing a book the product would reject.
Status CheckRow(const User& u, const Refs& r) {
  ORCHARD_CHECK(Rule(u.email.find('@') != std::string::npos, "email is not an e-mail address"));
  return Rule(r.Has(u.manager_id), "manager must be an earlier user");
}
Status CheckRow(const Product& p, const Refs&) {
  return Rule(p.list_price.cents() > 0 && !p.sku.empty(), "a product needs a SKU and a price");
}
Status CheckRow(const Account& a, const Refs& r) {
  ORCHARD_CHECK(ValidateTierOverride(a));
  ORCHARD_CHECK(Rule(!a.name.empty() && a.employees >= 0, "name and employees are required"));
  return Rule(r.Has(a.parent_id) && r.Has(a.owner_id) && r.Has(a.csm_id) && r.Has(a.sponsor_id),
              "parent, owner, CSM and sponsor must exist");
}
Status CheckRow(const Division& d, const Refs& r) {
  ORCHARD_CHECK(Rule(d.headcount >= 0, "headcount must not be negative"));
  return Rule(r.Has(d.account_id) && r.Has(d.covered_by_id), "account and cover must exist");
}
Status CheckRow(const ContractLine& l, const Refs& r) {
  ORCHARD_CHECK(ValidateContractLine(l));  // end ≥ start, ARR ≥ 0
  return Rule(r.Has(l.account_id) && r.Has(l.product_id) && r.Has(l.division_id),
              "account, product and division must exist");
}
Status CheckRow(const Contact& c, const Refs& r) {
  ORCHARD_CHECK(Rule(c.influence >= 1 && c.influence <= 5, "influence must be from 1 to 5"));
  // Reporting lines point at an earlier contact, so they can never form a cycle.
  ORCHARD_CHECK(Rule(r.Has(c.reports_to_id), "reports_to must be an earlier contact"));
  return Rule(r.Has(c.account_id) && r.Has(c.division_id) && r.Has(c.relationship_owner_id),
              "account, division and relationship owner must exist");
}
Status CheckRow(const Opportunity& o, const Refs& r) {
  ORCHARD_CHECK(Rule(o.amount.cents() >= 0 && !o.name.empty(), "amount ≥ 0 and a name"));
  ORCHARD_CHECK(Rule(o.created_on <= o.close_date, "created on or before the close date"));
  return Rule(
      r.Has(o.account_id) && r.Has(o.product_id) && r.Has(o.division_id) && r.Has(o.owner_id),
      "account, product, division and owner must exist");
}
Status CheckRow(const Activity& a, const Refs& r) {
  return Rule(r.Has(a.account_id) && r.Has(a.user_id), "account and user must exist");
}
Status CheckRow(const ActivityContact& ac, const Refs& r) {
  return Rule(r.Has(ac.activity_id) && r.Has(ac.contact_id), "activity and contact must exist");
}
Status CheckRow(const Ticket& t, const Refs& r) {
  ORCHARD_CHECK(Rule(!t.closed_at || *t.closed_at >= t.opened_at, "closed after it opened"));
  return Rule(r.Has(t.account_id) && r.Has(t.contact_id), "account and contact must exist");
}
Status CheckRow(const NpsResponse& n, const Refs& r) {
  ORCHARD_CHECK(Rule(n.score >= 0 && n.score <= 10, "score must be from 0 to 10"));
  return Rule(r.Has(n.account_id) && r.Has(n.contact_id), "account and contact must exist");
}
Status CheckRow(const UsageMetric& u, const Refs& r) {
  ORCHARD_CHECK(Rule(u.active_users >= 0 && u.active_users <= u.licensed_seats,
                     "0 ≤ active users ≤ licensed seats"));
  return Rule(r.Has(u.account_id), "account must exist");
}
Status CheckRow(const EngagementSignal& e, const Refs& r) {
  return Rule(r.Has(e.account_id) && r.Has(e.contact_id), "account and contact must exist");
}
Status CheckRow(const AccountPlan& p, const Refs& r) {
  return Rule(r.Has(p.account_id) && r.Has(p.updated_by), "account and editor must exist");
}
Status CheckRow(const PlanPriority& p, const Refs& r) {
  return Rule(r.Has(p.plan_id) && r.Has(p.source_contact_id), "plan and source must exist");
}
Status CheckRow(const PlanRisk& k, const Refs& r) {
  return Rule(r.Has(k.plan_id) && r.Has(k.mitigation_owner_id), "plan and owner must exist");
}
Status CheckRow(const WhitespaceCell& c, const Refs& r) {
  ORCHARD_CHECK(Rule(c.potential.cents() >= 0, "potential must not be negative"));
  ORCHARD_CHECK(Rule(c.adoption_bp >= 0 && c.adoption_bp <= 10000, "adoption is 0–100%"));
  return Rule(
      r.Has(c.plan_id) && r.Has(c.division_id) && r.Has(c.product_id) && r.Has(c.opportunity_id),
      "plan, division, product and opportunity must exist");
}
Status CheckRow(const PlanAction& a, const Refs& r) {
  return Rule(r.Has(a.plan_id) && r.Has(a.owner_id) && r.Has(a.priority_id) && r.Has(a.risk_id) &&
                  r.Has(a.whitespace_cell_id),
              "plan, owner and linked priority, risk or cell must exist");
}
Status CheckRow(const PlanVersion& v, const Refs& r) {
  ORCHARD_CHECK(Rule(v.version >= 1, "versions count from 1"));
  return Rule(r.Has(v.plan_id) && r.Has(v.changed_by), "plan and editor must exist");
}
Status CheckRow(const Review& v, const Refs& r) {
  ORCHARD_CHECK(Rule(v.status != ReviewStatus::kHeld || v.held_on.has_value(), "held on a day"));
  return Rule(r.Has(v.account_id), "account must exist");
}
Status CheckRow(const Task& t, const Refs& r) {
  return Rule(r.Has(t.account_id) && r.Has(t.owner_id), "account and owner must exist");
}
Status CheckRow(const Handoff& h, const Refs& r) {
  return Rule(
      r.Has(h.account_id) && r.Has(h.opportunity_id) && r.Has(h.seller_id) && r.Has(h.am_id),
      "account, opportunity, seller and AM must exist");
}
Status CheckRow(const HealthOverride& o, const Refs& r) {
  ORCHARD_CHECK(Rule(o.score >= 0 && o.score <= 100, "score must be from 0 to 100"));
  return Rule(r.Has(o.account_id) && r.Has(o.set_by), "account and author must exist");
}

// Buffers rows per table (flattened in schema order) and writes them through the bulk writers.
// Adding never fails on the spot: the first invalid row is remembered and Flush() reports it,
// which keeps the generator free of error plumbing (a broken row is a bug, not an input error).
class Writer {
 public:
  explicit Writer(store::Database& db) : db_(db) { Init(SeedTables{}); }

  template <class T>
  void Add(const T& row) {
    constexpr size_t slot = kSlot<T>;
    static_assert(slot < kTableCount, "add the table to SeedTables");
    Table& t = tables_[slot];
    if (!error_) {
      Status ok = Ok();
      if constexpr (HasId<T>) {
        if (row.id.value != refs_.count[slot] + 1) {
          ok = Fail(ErrorCode::kInternal, "ids must be contiguous in generation order");
        }
      }
      if (ok) ok = CheckRow(row, refs_);
      if (!ok) {
        std::string where = std::string(t.name);
        if constexpr (HasId<T>) where += " id " + std::to_string(row.id.value);
        error_ = Error{ErrorCode::kInternal,
                       "the seed generated an invalid row (" + where + "): " + ok.error().message,
                       {}};
      }
    }
    for (auto& v : store::ToSqlValues(row)) t.values.push_back(std::move(v));
    ++t.pending;
    ++refs_.count[slot];
  }

  // Writes every buffered table in foreign-key order (COPY allows one table at a time).
  Status Flush() {
    if (error_) return std::unexpected(*error_);
    for (auto& t : tables_) {
      if (t.pending == 0) continue;
      ORCHARD_TRY(auto writer, db_.OpenBulkWriter(t.name, t.columns));
      size_t width = t.columns.size();
      for (int64_t i = 0; i < t.pending; ++i) {
        ORCHARD_CHECK(writer->Add(std::span<const store::SqlValue>(
            t.values.data() + static_cast<size_t>(i) * width, width)));
      }
      ORCHARD_CHECK(writer->Finish());
      t.written += t.pending;
      total_ += t.pending;
      t.pending = 0;
      t.values.clear();  // keeps its capacity: the next batch reuses it
    }
    return Ok();
  }

  // Moves each id generator past the explicit ids (PostgreSQL identities; no-op on SQLite).
  Status ResetSequences() {
    for (auto& t : tables_) {
      if (t.has_id) ORCHARD_CHECK(db_.ResetIdSequence(t.name));
    }
    return Ok();
  }

  int64_t total() const { return total_; }
  template <class T>
  int64_t Written() const {
    return tables_[kSlot<T>].written;
  }

 private:
  struct Table {
    std::string_view name;
    std::vector<std::string_view> columns;
    bool has_id = false;
    std::vector<store::SqlValue> values;
    int64_t pending = 0;
    int64_t written = 0;
  };

  template <class... Ts>
  void Init(TypeList<Ts...>) {
    (tables_.push_back(
         Table{EntitySchema<Ts>::kTable, store::ColumnNames<Ts>(), HasId<Ts>, {}, 0, 0}),
     ...);
  }

  store::Database& db_;
  std::vector<Table> tables_;
  Refs refs_;
  std::optional<Error> error_;
  int64_t total_ = 0;
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
  void MakeUsage(int64_t index, const Profile& p);
  void MakeEngagement(int64_t index, const Profile& p);
  void MakePlan(int64_t index, const Profile& p);
  void MakeWorkflow(int64_t index, const Profile& p);

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
    o.name = a.name + " — " + std::string(ToString(type)) + " " + std::to_string(close.year());
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
  // About ten web and event signals a quarter, which brings a book to about 50 signal events per
  // account, the shape bench/dashboards is asked to measure.
  int n = static_cast<int>(rng.Range(4, 17));
  for (int i = 0; i < n; ++i) {
    EngagementSignal sig;
    sig.id = Next<EngagementSignalId>(signal_seq_);
    sig.account_id = a.id;
    sig.contact_id = rng.Pick(d_.reachable);
    sig.kind = static_cast<EngagementKind>(rng.Range(0, 3));  // web and event signals
    sig.occurred_at =
        Timestamp::At(Day(-rng.Days(0, 90) - d_.quiet_days), static_cast<int>(rng.Range(0, 23)));
    sig.detail = sig.kind == EngagementKind::kPricingPageVisit    ? "/pricing"
                 : sig.kind == EngagementKind::kCaseStudyDownload ? "/customers"
                 : sig.kind == EngagementKind::kWebinarAttended   ? "Quarterly product webinar"
                                                                  : "/product";
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

void BookGenerator::MakePlan(int64_t index, const Profile& p) {
  // Tier 1 and 2 keep a plan; tier 3 and lost customers do not.
  if (p.tier == Tier::kVolume || p.churned) return;
  Rng rng = StreamFor(kPlan, index);
  const Account& a = d_.account;
  const TierCoverage& cov = settings_.For(p.tier);
  int32_t customer_days = today_ - d_.since;
  // About a quarter of plans are stale: last reviewed before the tier's refresh interval (only
  // possible for customers older than that).
  int refresh = cov.plan_refresh_days;
  bool stale = customer_days > refresh + 30 && rng.Chance(0.25);
  Date reviewed = stale ? Day(-refresh - rng.Days(1, std::min(200, customer_days - refresh - 1)))
                        : Day(-rng.Days(0, std::min(refresh - 1, customer_days)));
  int versions = static_cast<int>(rng.Range(1, 4));
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
  // Whitespace: a few division × product cells, each pair at most once. Products on the
  // current contract are owned; the rest are open, in pipeline, with a competitor, or no fit.
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
    cell.plan_id = plan.id;
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
  int n_actions = static_cast<int>(rng.Range(0, 3));
  int open_actions = 0;
  for (int i = 0; i < n_actions; ++i) {
    PlanAction act;
    act.id = Next<ActionId>(action_seq_);
    act.plan_id = plan.id;
    act.description = std::string(rng.Pick(kActions));
    act.owner_id = a.owner_id;
    act.due_on = Day(rng.Days(-45, 60));  // some overdue
    act.status = rng.Chance(0.75) ? ActionStatus::kOpen : ActionStatus::kDone;
    if (act.status == ActionStatus::kOpen) ++open_actions;
    if (!priorities.empty() && rng.Chance(0.5)) {
      act.priority_id = rng.Pick(priorities);
    } else if (!risks.empty() && rng.Chance(0.5)) {
      act.risk_id = rng.Pick(risks);
    } else if (!cells.empty()) {
      act.whitespace_cell_id = rng.Pick(cells);
    }
    w_.Add(act);
  }
  // Version history: created some time after the account became a customer, the last version
  // at the last review; each snapshot records how much of the plan existed then.
  Date created = std::min(reviewed, std::max(d_.since, Day(-720)).AddDays(rng.Days(7, 45)));
  for (int v = 1; v <= versions; ++v) {
    PlanVersion pv;
    pv.id = Next<PlanVersionId>(version_seq_);
    pv.plan_id = plan.id;
    pv.version = v;
    pv.changed_by = v > 1 && a.csm_id && rng.Chance(0.3) ? a.csm_id : a.owner_id;
    Date at = versions == 1
                  ? reviewed
                  : created.AddDays(static_cast<int32_t>(static_cast<int64_t>(reviewed - created) *
                                                         (v - 1) / (versions - 1)));
    pv.changed_at = Timestamp::At(at, 11);
    pv.change_summary = v == 1          ? "Plan created"
                        : v == versions ? "Reviewed with the account team"
                                        : std::string(rng.Pick(kPlanChanges));
    auto part = [&](int64_t count) { return std::to_string(count * v / versions); };
    pv.snapshot_json = R"({"priorities":)" + part(n_pri) + R"(,"risks":)" + part(n_risks) +
                       R"(,"whitespace_cells":)" + part(static_cast<int64_t>(cells.size())) +
                       R"(,"open_actions":)" + part(open_actions) + "}";
    w_.Add(pv);
  }
  // Reviews at the tier's cadence: the last one held, and the next one due (some overdue).
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
