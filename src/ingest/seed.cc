#include "ingest/seed.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

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
  explicit Rng(uint64_t seed) : state_(seed) {}
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
  bool Chance(double p) { return Unit() < p; }
  template <class T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Next() % N];
  }

 private:
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

// Streams of randomness, so adding draws to one part never shifts another.
enum Stream : uint64_t { kProfile = 1, kDetail = 2, kCatalogue = 3, kTeam = 4 };

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
constexpr std::array<std::string_view, 4> kCompetitors = {"Gainsight", "Totango", "ChurnZero",
                                                          "Salesforce"};
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

// Rows of one table for the current batch, flattened in schema order.
struct TableBuffer {
  std::string_view table;
  std::vector<std::string_view> columns;
  std::vector<store::SqlValue> values;
  int64_t rows = 0;
  int64_t written = 0;
};

class Writer {
 public:
  explicit Writer(store::Database& db) : db_(db) {}

  template <class T>
  void Add(const T& row) {
    TableBuffer& t = Buffer<T>();
    auto values = store::ToSqlValues(row);
    for (auto& v : values) t.values.push_back(std::move(v));
    ++t.rows;
  }

  // Writes every buffered table in foreign-key order (COPY allows one table at a time).
  Status Flush() {
    for (auto& t : tables_) {
      if (t.rows == 0) continue;
      ORCHARD_TRY(auto writer, db_.OpenBulkWriter(t.table, t.columns));
      size_t width = t.columns.size();
      for (int64_t r = 0; r < t.rows; ++r) {
        ORCHARD_CHECK(writer->Add(std::span<const store::SqlValue>(
            t.values.data() + static_cast<size_t>(r) * width, width)));
      }
      ORCHARD_CHECK(writer->Finish());
      t.written += t.rows;
      total_ += t.rows;
      t.rows = 0;
      t.values.clear();
    }
    return Ok();
  }

  Status ResetSequences() {
    for (auto& t : tables_) {
      if (t.table == "activity_contacts") continue;  // no id column
      ORCHARD_CHECK(db_.ResetIdSequence(t.table));
    }
    return Ok();
  }

  int64_t total() const { return total_; }
  template <class T>
  int64_t Written() {
    return Buffer<T>().written;
  }

  // Registers a table; call in foreign-key order before adding rows.
  template <class T>
  void Register() {
    TableBuffer t;
    t.table = EntitySchema<T>::kTable;
    t.columns = store::ColumnNames<T>();
    tables_.push_back(std::move(t));
  }

 private:
  template <class T>
  TableBuffer& Buffer() {
    for (auto& t : tables_) {
      if (t.table == EntitySchema<T>::kTable) return t;
    }
    std::abort();  // a table that was not registered: a bug in this file
  }

  store::Database& db_;
  std::vector<TableBuffer> tables_;
  int64_t total_ = 0;
};

struct Team {
  std::vector<UserId> tier_ams[3];  // AMs per tier pool (tier 3: the tech-touch team)
  std::vector<UserId> csms;
  std::vector<UserId> sponsors;
  std::vector<UserId> sellers;  // new-business account executives
  int64_t next_owner[3] = {0, 0, 0};
};

struct Catalogue {
  std::vector<Product> products;
};

class BookGenerator {
 public:
  BookGenerator(const SeedOptions& options, Writer& writer)
      : opt_(options), w_(writer), today_(options.today) {}

  void MakeCatalogue() {
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
      catalogue_.products.push_back(p);
      w_.Add(p);
    }
  }

  void MakeTeam(const std::array<int64_t, 3>& tier_counts) {
    Rng rng(opt_.seed, kTeam, 0);
    const Settings& s = settings_;
    auto add_user = [&](Role role, std::optional<UserId> manager, std::string_view team) {
      User u;
      u.id = UserId(++user_seq_);
      std::string first(rng.Pick(kFirstNames)), last(rng.Pick(kLastNames));
      u.name = first + " " + last;
      // Emails are unique by construction: the sequence number keeps namesakes apart.
      u.email =
          Lower(first) + "." + Lower(last) + "." + std::to_string(u.id.value) + "@orchard.example";
      u.role = role;
      u.manager_id = manager;
      u.active = true;
      u.created_at =
          Timestamp::At(today_.AddDays(-1200 + static_cast<int32_t>(rng.Range(0, 300))), 9);
      (void)team;
      w_.Add(u);
      return u.id;
    };
    UserId leader = add_user(Role::kLeader, std::nullopt, "leadership");
    // AMs per tier from the coverage ratios: tier 1 ÷ 10, tier 2 ÷ 40; tier 3 is a pooled
    // tech-touch team carrying about 400 accounts each.
    int64_t ams[3] = {
        std::max<int64_t>(1, (tier_counts[0] + s.For(Tier::kStrategic).accounts_per_am_target - 1) /
                                 s.For(Tier::kStrategic).accounts_per_am_target),
        std::max<int64_t>(1, (tier_counts[1] + s.For(Tier::kCore).accounts_per_am_target - 1) /
                                 s.For(Tier::kCore).accounts_per_am_target),
        std::max<int64_t>(1, (tier_counts[2] + 399) / 400)};
    int64_t total_ams = ams[0] + ams[1] + ams[2];
    int64_t managers = std::max<int64_t>(1, (total_ams + 7) / 8);
    std::vector<UserId> manager_ids;
    for (int64_t i = 0; i < managers; ++i) {
      manager_ids.push_back(add_user(Role::kManager, leader, "account management"));
    }
    int64_t k = 0;
    for (int t = 0; t < 3; ++t) {
      for (int64_t i = 0; i < ams[t]; ++i) {
        team_.tier_ams[t].push_back(
            add_user(Role::kAm, manager_ids[static_cast<size_t>(k++ % managers)], "am"));
      }
    }
    int64_t csms = std::max<int64_t>(1, (tier_counts[0] + tier_counts[1] + 29) / 30);
    for (int64_t i = 0; i < csms; ++i) {
      team_.csms.push_back(
          add_user(Role::kCsm, manager_ids[static_cast<size_t>(i % managers)], "cs"));
    }
    int64_t sponsors = std::max<int64_t>(1, (tier_counts[0] + 9) / 10);
    for (int64_t i = 0; i < sponsors; ++i) {
      team_.sponsors.push_back(add_user(Role::kLeader, std::nullopt, "executive"));
    }
    int64_t sellers = std::max<int64_t>(1, opt_.accounts / 200);
    for (int64_t i = 0; i < sellers; ++i) {
      team_.sellers.push_back(add_user(Role::kAm, leader, "new business"));
    }
  }

  void MakeAccount(int64_t index, const Profile& p);

  const Settings& settings() const { return settings_; }

 private:
  Date Day(int32_t offset) const { return today_.AddDays(offset); }

  template <class IdT>
  IdT NextId(int64_t& seq) {
    return IdT(++seq);
  }

  const SeedOptions& opt_;
  Writer& w_;
  Date today_;
  Settings settings_;
  Team team_;
  Catalogue catalogue_;
  int64_t user_seq_ = 0, account_seq_ = 0, division_seq_ = 0, line_seq_ = 0, contact_seq_ = 0,
          opp_seq_ = 0, activity_seq_ = 0, ticket_seq_ = 0, nps_seq_ = 0, usage_seq_ = 0,
          signal_seq_ = 0, plan_seq_ = 0, priority_seq_ = 0, risk_seq_ = 0, cell_seq_ = 0,
          action_seq_ = 0, review_seq_ = 0, task_seq_ = 0, handoff_seq_ = 0, override_seq_ = 0;
};

void BookGenerator::MakeAccount(int64_t index, const Profile& p) {
  Rng rng(opt_.seed, kDetail, static_cast<uint64_t>(index));
  const auto& products = catalogue_.products;
  int tier_index = static_cast<int>(p.tier);

  // --- the account
  Account a;
  a.id = NextId<AccountId>(account_seq_);
  a.name = std::string(kCompanyFirst[static_cast<size_t>(index) % kCompanyFirst.size()]) + " " +
           std::string(kCompanySecond[static_cast<size_t>(index / 40) % kCompanySecond.size()]);
  if (index >= 800) a.name += " " + std::to_string(index / 800 + 1);
  a.industry = std::string(rng.Pick(kIndustries));
  a.region = std::string(rng.Pick(kRegions));
  double size_k = static_cast<double>(p.size.cents()) / 100'000.0;  // thousands of dollars
  a.employees = static_cast<int64_t>(50 + size_k * rng.Range(8, 30));
  auto& pool = team_.tier_ams[tier_index];
  a.owner_id =
      pool[static_cast<size_t>(team_.next_owner[tier_index]++ % static_cast<int64_t>(pool.size()))];
  if (p.tier != Tier::kVolume)
    a.csm_id = team_.csms[static_cast<size_t>(rng.Next() % team_.csms.size())];
  if (p.tier == Tier::kStrategic) {
    a.sponsor_id = team_.sponsors[static_cast<size_t>(rng.Next() % team_.sponsors.size())];
  }
  a.salesforce_id = "001SEED" + std::to_string(1'000'000'000 + a.id.value);
  if (rng.Chance(0.3)) a.hubspot_id = std::to_string(90'000'000 + a.id.value);
  a.strategic = p.strategic;
  if (rng.Chance(0.15)) {
    a.growth_potential = static_cast<Potential>(rng.Range(0, 2));
  }
  if (rng.Chance(0.01)) {
    a.tier_override = p.tier == Tier::kVolume ? Tier::kCore : Tier::kVolume;
    a.tier_override_reason = p.tier == Tier::kVolume ? "Group-wide agreement under negotiation"
                                                     : "Managed by the partner channel";
  }
  // Subsidiaries: now and then a small account belongs to an earlier, larger one.
  if (index > 50 && p.tier == Tier::kVolume && rng.Chance(0.03)) {
    a.parent_id = AccountId(rng.Range(1, a.id.value - 1));
  }
  // Customer since: up to four years back; about one in eight became a customer this year.
  int32_t since_offset = rng.Chance(0.12) ? -static_cast<int32_t>(rng.Range(5, 360))
                                          : -static_cast<int32_t>(rng.Range(370, 1460));
  if (p.churned) since_offset = std::min<int32_t>(since_offset, -400);  // was in last year's cohort
  Date since = Day(since_offset);
  a.created_at = Timestamp::At(since.AddDays(-30), 10);
  a.updated_at = Timestamp::At(Day(-static_cast<int32_t>(rng.Range(0, 60))), 15);
  a.lifecycle_stage = p.churned             ? LifecycleStage::kChurned
                      : since_offset > -120 ? LifecycleStage::kOnboarding
                      : since_offset > -365 ? LifecycleStage::kAdopting
                                            : LifecycleStage::kExpanding;
  a.version = 1;
  w_.Add(a);

  // --- divisions (buying centres): 1–15, by size
  int n_div = static_cast<int>(std::clamp<int64_t>(
      1 + static_cast<int64_t>(std::sqrt(size_k) / 1.5) + rng.Range(0, 2), 1, 15));
  std::vector<DivisionId> divisions;
  for (int i = 0; i < n_div; ++i) {
    Division d;
    d.id = NextId<DivisionId>(division_seq_);
    d.account_id = a.id;
    d.name = std::string(kDivisionNames[static_cast<size_t>(i) % kDivisionNames.size()]);
    if (i >= static_cast<int>(kDivisionNames.size()))
      d.name += " " + std::string(rng.Pick(kRegions));
    d.kind = i == 0 ? DivisionKind::kBusinessUnit : static_cast<DivisionKind>(rng.Range(0, 3));
    d.headcount = std::max<int64_t>(10, a.employees / n_div + rng.Range(-5, 50));
    w_.Add(d);
    divisions.push_back(d.id);
  }

  // --- contract lines: annual terms from `since`, laid out backwards from today's ARR so that
  // the book's trailing-12-month NRR lands near 108%.
  // Terms start on anniversaries of `since`; the current term ends on the next renewal date.
  int terms = 1;
  while (since.AddYears(terms) <= today_) ++terms;  // terms started so far
  if (p.churned) {
    // Churned: the last term ended within the past year and was not renewed.
    Date end = Day(-static_cast<int32_t>(rng.Range(1, 330)));
    // Lay the terms so the final one ends on `end`.
    terms = std::max(1, (end - since) / 365);
    since = end.AddDays(1).AddYears(-terms);
  }
  std::vector<Money> term_arr(static_cast<size_t>(terms));
  term_arr.back() = p.size;
  for (int k = terms - 1; k > 0; --k) {
    // The renewal from term k-1 to k: growth factor g; previous = current ÷ g.
    // Large accounts move in smaller steps, so one renewal never swings the whole book.
    double r = rng.Unit();
    bool large = p.size >= Money::FromDollars(100'000);
    double g = large ? (r < 0.45   ? 1.0 + rng.Unit() * 0.05    // flat, with a price uplift
                        : r < 0.86 ? 1.1 + rng.Unit() * 0.35    // expansion
                                   : 0.85 + rng.Unit() * 0.12)  // contraction
                     : (r < 0.5    ? 1.0 + rng.Unit() * 0.06
                        : r < 0.86 ? 1.15 + rng.Unit() * 0.6
                                   : 0.72 + rng.Unit() * 0.23);
    int64_t prev =
        static_cast<int64_t>(static_cast<double>(term_arr[static_cast<size_t>(k)].cents()) / g);
    term_arr[static_cast<size_t>(k - 1)] =
        Money::FromCents(std::max<int64_t>(prev / 100 * 100, 100'000));
  }
  int n_products =
      static_cast<int>(std::clamp<int64_t>(1 + static_cast<int64_t>(size_k / 60), 1, 3));
  size_t first_product = static_cast<size_t>(rng.Next() % products.size());
  for (int k = 0; k < terms; ++k) {
    Date start = since.AddYears(k);
    Date end = since.AddYears(k + 1).AddDays(-1);
    Money remaining = term_arr[static_cast<size_t>(k)];
    int lines_this_term = std::min(n_products, k + 1);  // products were added as accounts grew
    for (int j = 0; j < lines_this_term; ++j) {
      ContractLine line;
      line.id = NextId<ContractLineId>(line_seq_);
      line.account_id = a.id;
      line.product_id = products[(first_product + static_cast<size_t>(j)) % products.size()].id;
      if (divisions.size() > 1 && j > 0)
        line.division_id = divisions[static_cast<size_t>(j) % divisions.size()];
      line.arr = j + 1 == lines_this_term ? remaining : remaining.MulDiv(6, 10);
      remaining -= line.arr;
      line.start_date = start;
      line.end_date = end;
      line.salesforce_id = "800SEED" + std::to_string(1'000'000'000 + line.id.value);
      w_.Add(line);
    }
  }
  Date renewal = since.AddYears(terms).AddDays(-1);  // last day of the current term

  // --- contacts: 3–40 by size, a reporting tree rooted at the most senior contact
  int n_contacts = static_cast<int>(std::clamp<int64_t>(
      3 + static_cast<int64_t>(std::sqrt(size_k / 10.0) * 1.6) + rng.Range(0, 1), 3, 40));
  bool single_threaded = rng.Chance(0.15);
  bool has_economic_buyer = rng.Chance(0.88);
  int champion_at = rng.Chance(0.8) ? static_cast<int>(rng.Range(1, n_contacts - 1)) : -1;
  bool champion_departed = champion_at >= 0 && rng.Chance(0.08);
  std::vector<ContactId> contacts;
  std::vector<bool> active;
  for (int i = 0; i < n_contacts; ++i) {
    Contact c;
    c.id = NextId<ContactId>(contact_seq_);
    c.account_id = a.id;
    if (!divisions.empty()) c.division_id = divisions[static_cast<size_t>(i) % divisions.size()];
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
    if (i > 0) c.reports_to_id = contacts[static_cast<size_t>(rng.Range(0, i - 1))];  // no cycles
    c.relationship_owner_id = i == 0 && a.sponsor_id ? a.sponsor_id : a.owner_id;
    bool departed =
        (i == champion_at && champion_departed) || (i != champion_at && rng.Chance(0.06));
    c.status = departed ? ContactStatus::kDeparted : ContactStatus::kActive;
    c.last_engaged_on =
        Day(-static_cast<int32_t>(departed ? rng.Range(90, 400) : rng.Range(0, 120)));
    c.salesforce_id = "003SEED" + std::to_string(1'000'000'000 + c.id.value);
    c.version = 1;
    w_.Add(c);
    contacts.push_back(c.id);
    active.push_back(!departed);
  }
  std::vector<ContactId> engaged;  // who takes part in meaningful conversations
  for (size_t i = 0; i < contacts.size(); ++i) {
    if (active[i]) engaged.push_back(contacts[i]);
  }
  if (engaged.empty()) engaged.push_back(contacts.front());
  if (single_threaded) engaged.resize(1);

  // --- opportunities: the won new business, renewals, expansion in every stage, a few losses
  auto add_opp = [&](OpportunityType type, OpportunityStage stage, Money amount, Date created,
                     Date close, std::optional<UserId> owner) {
    Opportunity o;
    o.id = NextId<OpportunityId>(opp_seq_);
    o.account_id = a.id;
    o.type = type;
    o.stage = stage;
    o.amount = amount;
    o.created_on = created;
    o.close_date = close;
    o.product_id = products[static_cast<size_t>(rng.Next() % products.size())].id;
    if (!divisions.empty())
      o.division_id = divisions[static_cast<size_t>(rng.Next() % divisions.size())];
    o.owner_id = owner;
    o.name = a.name + " — " + std::string(ToString(type)) + " " + std::to_string(close.year());
    if (stage == OpportunityStage::kClosedLost) o.lost_reason = "Chose a competitor on price";
    o.salesforce_id = "006SEED" + std::to_string(1'000'000'000 + o.id.value);
    o.version = 1;
    w_.Add(o);
    return o.id;
  };
  UserId seller = team_.sellers[static_cast<size_t>(rng.Next() % team_.sellers.size())];
  OpportunityId won =
      add_opp(OpportunityType::kNewBusiness, OpportunityStage::kClosedWon, term_arr.front(),
              since.AddDays(-static_cast<int32_t>(rng.Range(45, 120))), since.AddDays(-1), seller);
  bool renewing_soon = !p.churned && renewal - today_ <= 180;
  if (renewing_soon) {
    int32_t days_left = renewal - today_;
    auto stage = days_left < 45   ? OpportunityStage::kNegotiation
                 : days_left < 90 ? OpportunityStage::kProposal
                                  : OpportunityStage::kQualification;
    add_opp(OpportunityType::kRenewal, stage, p.arr, renewal.AddDays(-150), renewal, a.owner_id);
  }
  std::optional<OpportunityId> open_expansion;
  if (!p.churned && rng.Chance(0.55)) {
    auto type = rng.Chance(0.5) ? OpportunityType::kUpsell : OpportunityType::kCrossSell;
    auto stage = static_cast<OpportunityStage>(rng.Range(0, 4));  // every open stage
    Money amount =
        Money::FromDollars(std::max<int64_t>(2'000, p.arr.cents() / 100 / 4 / 100 * 100));
    open_expansion = add_opp(type, stage, amount, Day(-static_cast<int32_t>(rng.Range(5, 200))),
                             Day(static_cast<int32_t>(rng.Range(10, 200))), a.owner_id);
  }
  if (rng.Chance(0.35)) {
    auto type = rng.Chance(0.5) ? OpportunityType::kUpsell : OpportunityType::kCrossSell;
    auto stage = rng.Chance(0.6) ? OpportunityStage::kClosedWon : OpportunityStage::kClosedLost;
    Date close = Day(-static_cast<int32_t>(rng.Range(10, 700)));
    add_opp(type, stage, Money::FromDollars(rng.Range(20, 400) * 100), close.AddDays(-90), close,
            a.owner_id);
  }

  // --- activities over the last 180 days, about 20 per account (more for bigger ones)
  int n_activities = static_cast<int>(rng.Range(10, 22) +
                                      std::min<int64_t>(20, static_cast<int64_t>(size_k / 25)));
  if (p.churned) n_activities /= 3;
  Date last_meaningful;
  bool quiet = rng.Chance(0.1);  // nobody has really talked to this customer for months
  for (int i = 0; i < n_activities; ++i) {
    Activity act;
    act.id = NextId<ActivityId>(activity_seq_);
    act.account_id = a.id;
    double k = rng.Unit();
    act.kind = k < 0.5    ? ActivityKind::kEmail
               : k < 0.7  ? ActivityKind::kCall
               : k < 0.85 ? ActivityKind::kMeeting
               : k < 0.9  ? ActivityKind::kQbr
                          : ActivityKind::kNote;
    act.meaningful = act.kind == ActivityKind::kCall || act.kind == ActivityKind::kMeeting ||
                     act.kind == ActivityKind::kQbr;
    int32_t ago = static_cast<int32_t>(rng.Range(0, 180));
    if (quiet && act.meaningful) ago = std::max<int32_t>(ago, 100);
    act.occurred_at = Timestamp::At(Day(-ago), static_cast<int>(rng.Range(8, 17)),
                                    static_cast<int>(rng.Range(0, 59)));
    act.user_id = a.owner_id;
    act.subject = std::string(rng.Pick(kSubjects));
    act.body =
        act.meaningful ? "Discussed priorities, adoption and next steps." : "Shared materials.";
    w_.Add(act);
    int involved = act.meaningful ? static_cast<int>(rng.Range(1, 3)) : 1;
    std::array<ContactId, 3> taken{};
    for (int j = 0; j < involved; ++j) {
      ContactId who = act.meaningful ? engaged[static_cast<size_t>(rng.Next() % engaged.size())]
                                     : contacts[static_cast<size_t>(rng.Next() % contacts.size())];
      if (std::find(taken.begin(), taken.begin() + j, who) != taken.begin() + j) continue;
      taken[static_cast<size_t>(j)] = who;
      w_.Add(ActivityContact{act.id, who});
    }
  }
  (void)last_meaningful;

  // --- support tickets, NPS, usage, engagement signals
  int n_tickets =
      static_cast<int>(rng.Range(0, 4) + std::min<int64_t>(6, static_cast<int64_t>(size_k / 50)));
  for (int i = 0; i < n_tickets; ++i) {
    Ticket t;
    t.id = NextId<TicketId>(ticket_seq_);
    t.account_id = a.id;
    t.contact_id = contacts[static_cast<size_t>(rng.Next() % contacts.size())];
    double s = rng.Unit();
    t.severity = s < 0.45   ? TicketSeverity::kLow
                 : s < 0.8  ? TicketSeverity::kMedium
                 : s < 0.95 ? TicketSeverity::kHigh
                            : TicketSeverity::kUrgent;
    Timestamp opened = Timestamp::At(Day(-static_cast<int32_t>(rng.Range(0, 180))),
                                     static_cast<int>(rng.Range(0, 23)));
    t.opened_at = opened;
    bool open = opened.date() > Day(-30) ? rng.Chance(0.5) : rng.Chance(0.05);
    t.status = open ? (rng.Chance(0.7) ? TicketStatus::kOpen : TicketStatus::kPending)
                    : TicketStatus::kClosed;
    if (!open) t.closed_at = opened.AddSeconds(3600 * rng.Range(1, 240));
    t.escalated = t.severity >= TicketSeverity::kHigh && rng.Chance(0.3);
    t.subject = std::string(rng.Pick(kTicketSubjects));
    t.body = "Reported by the customer; see thread.";
    w_.Add(t);
  }
  int n_nps = static_cast<int>(rng.Range(0, 2));
  for (int i = 0; i < n_nps; ++i) {
    NpsResponse r;
    r.id = NextId<NpsResponseId>(nps_seq_);
    r.account_id = a.id;
    r.contact_id = contacts[static_cast<size_t>(rng.Next() % contacts.size())];
    double s = rng.Unit();
    r.score = s < 0.5   ? static_cast<int>(rng.Range(9, 10))
              : s < 0.8 ? static_cast<int>(rng.Range(7, 8))
                        : static_cast<int>(rng.Range(0, 6));
    r.comment = std::string(kNpsComments[static_cast<size_t>(r.score >= 9   ? rng.Range(0, 2)
                                                             : r.score >= 7 ? rng.Range(1, 5)
                                                                            : rng.Range(3, 4))]);
    r.responded_on = Day(-static_cast<int32_t>(rng.Range(0, 365)));
    w_.Add(r);
  }
  if (!p.churned) {
    // Weekly usage snapshots over the last 13 weeks: seats from ARR, utilisation drifting.
    int64_t seats = std::max<int64_t>(5, p.arr.cents() / 100 / 400);
    double utilisation = 0.35 + rng.Unit() * 0.6;
    double drift = (rng.Unit() - 0.55) * 0.04;  // most accounts flat, some falling or rising
    for (int wk = 12; wk >= 0; --wk) {
      UsageMetric u;
      u.id = NextId<UsageMetricId>(usage_seq_);
      u.account_id = a.id;
      u.day = Day(-7 * wk);
      u.licensed_seats = seats;
      double level =
          std::clamp(utilisation + drift * (12 - wk) + (rng.Unit() - 0.5) * 0.05, 0.02, 1.0);
      u.active_users = static_cast<int64_t>(static_cast<double>(seats) * level);
      w_.Add(u);
    }
  }
  int n_signals = static_cast<int>(rng.Range(1, 7));
  for (int i = 0; i < n_signals; ++i) {
    EngagementSignal sig;
    sig.id = NextId<EngagementSignalId>(signal_seq_);
    sig.account_id = a.id;
    sig.contact_id = contacts[static_cast<size_t>(rng.Next() % contacts.size())];
    sig.kind = static_cast<EngagementKind>(rng.Range(0, 3));
    sig.occurred_at = Timestamp::At(Day(-static_cast<int32_t>(rng.Range(0, 90))),
                                    static_cast<int>(rng.Range(0, 23)));
    sig.detail = sig.kind == EngagementKind::kPricingPageVisit ? "/pricing" : "/customers";
    w_.Add(sig);
  }

  // --- the account plan (tier 1 and 2 need one; some have gone stale)
  if (p.tier != Tier::kVolume && !p.churned) {
    int refresh = settings_.For(p.tier).plan_refresh_days;
    bool stale = rng.Chance(0.25);
    AccountPlan plan;
    plan.id = NextId<PlanId>(plan_seq_);
    plan.account_id = a.id;
    plan.summary = "Protect the core renewal and expand into new divisions.";
    Date reviewed = stale ? Day(-refresh - static_cast<int32_t>(rng.Range(1, 200)))
                          : Day(-static_cast<int32_t>(rng.Range(0, refresh - 1)));
    plan.last_reviewed_at = Timestamp::At(reviewed, 11);
    plan.updated_at = Timestamp::At(reviewed, 11);
    plan.updated_by = a.owner_id;
    plan.version = 1;
    w_.Add(plan);
    std::vector<PriorityId> priorities;
    int n_pri = static_cast<int>(rng.Range(0, 3));
    for (int i = 0; i < n_pri; ++i) {
      PlanPriority pr;
      pr.id = NextId<PriorityId>(priority_seq_);
      pr.plan_id = plan.id;
      pr.text = std::string(
          kPriorities[static_cast<size_t>((index + i) % static_cast<int64_t>(kPriorities.size()))]);
      pr.source_contact_id = contacts.front();
      pr.said_on = reviewed.AddDays(-static_cast<int32_t>(rng.Range(0, 60)));
      pr.position = i;
      w_.Add(pr);
      priorities.push_back(pr.id);
    }
    std::vector<RiskId> risks;
    int n_risks = static_cast<int>(rng.Range(0, 2)) + (champion_departed ? 1 : 0);
    for (int i = 0; i < n_risks; ++i) {
      PlanRisk r;
      r.id = NextId<RiskId>(risk_seq_);
      r.plan_id = plan.id;
      r.description = std::string(
          kRisks[static_cast<size_t>(i == 0 && champion_departed ? 0 : rng.Range(1, 5))]);
      r.severity = static_cast<Level>(rng.Range(0, 2));
      r.likelihood = static_cast<Level>(rng.Range(0, 2));
      if (rng.Chance(0.7)) {
        r.mitigation = "Agreed mitigation with the customer team";
        r.mitigation_owner_id = a.owner_id;
      }
      r.status = rng.Chance(0.8) ? RiskStatus::kOpen : RiskStatus::kMitigating;
      w_.Add(r);
      risks.push_back(r.id);
    }
    // Whitespace: a few divisions × products; owned where a contract line covers it.
    std::vector<WhitespaceCellId> cells;
    int n_cells = static_cast<int>(std::min<int64_t>(
        rng.Range(0, 6), static_cast<int64_t>(divisions.size() * products.size())));
    std::vector<std::pair<size_t, size_t>> used;
    for (int i = 0; i < n_cells; ++i) {
      size_t di = static_cast<size_t>(rng.Next() % divisions.size());
      size_t pi = static_cast<size_t>(rng.Next() % products.size());
      if (std::find(used.begin(), used.end(), std::make_pair(di, pi)) != used.end()) continue;
      used.emplace_back(di, pi);
      WhitespaceCell cell;
      cell.id = NextId<WhitespaceCellId>(cell_seq_);
      cell.plan_id = plan.id;
      cell.division_id = divisions[di];
      cell.product_id = products[pi].id;
      double s = rng.Unit();
      cell.status = s < 0.5    ? WhitespaceStatus::kOpen
                    : s < 0.65 ? WhitespaceStatus::kCompetitor
                    : s < 0.8  ? WhitespaceStatus::kInPipeline
                    : s < 0.9  ? WhitespaceStatus::kOwned
                               : WhitespaceStatus::kNotAFit;
      if (cell.status == WhitespaceStatus::kCompetitor)
        cell.competitor = std::string(rng.Pick(kCompetitors));
      if (cell.status == WhitespaceStatus::kInPipeline && open_expansion)
        cell.opportunity_id = open_expansion;
      if (cell.status != WhitespaceStatus::kNotAFit) {
        if (rng.Chance(0.5)) {
          cell.potential_source = PotentialSource::kSized;
          cell.adoption_bp = 2500;  // a quarter of the division adopts
          // Headcount is not at hand per cell here; size from the account's average division.
          int64_t headcount =
              std::max<int64_t>(10, a.employees / static_cast<int64_t>(divisions.size()));
          cell.potential = products[pi].list_price.MulDiv(headcount * cell.adoption_bp, 10000);
        } else {
          cell.potential_source = PotentialSource::kEntered;
          cell.potential = Money::FromDollars(rng.Range(5, 150) * 1000);
        }
      }
      w_.Add(cell);
      cells.push_back(cell.id);
    }
    int n_actions = static_cast<int>(rng.Range(0, 3));
    for (int i = 0; i < n_actions; ++i) {
      PlanAction act;
      act.id = NextId<ActionId>(action_seq_);
      act.plan_id = plan.id;
      act.description = std::string(rng.Pick(kActions));
      act.owner_id = a.owner_id;
      act.due_on = Day(static_cast<int32_t>(rng.Range(-45, 60)));  // some overdue
      act.status = rng.Chance(0.75) ? ActionStatus::kOpen : ActionStatus::kDone;
      if (!priorities.empty() && rng.Chance(0.5))
        act.priority_id = priorities[static_cast<size_t>(rng.Next() % priorities.size())];
      else if (!risks.empty() && rng.Chance(0.5))
        act.risk_id = risks[static_cast<size_t>(rng.Next() % risks.size())];
      else if (!cells.empty())
        act.whitespace_cell_id = cells[static_cast<size_t>(rng.Next() % cells.size())];
      w_.Add(act);
    }
    // Reviews: the last one held, and the next one due (some already overdue).
    const TierCoverage& cov = settings_.For(p.tier);
    for (ReviewKind kind : {ReviewKind::kInternal, ReviewKind::kCustomer}) {
      int every =
          kind == ReviewKind::kInternal ? cov.internal_review_days : cov.customer_review_days;
      Date held = Day(-static_cast<int32_t>(rng.Range(5, every + 30)));
      Review past;
      past.id = NextId<ReviewId>(review_seq_);
      past.account_id = a.id;
      past.kind = kind;
      past.status = ReviewStatus::kHeld;
      past.due_on = held;
      past.held_on = held;
      past.attendees = "Account team; customer sponsor";
      past.notes = "Reviewed health, priorities and renewal plan.";
      past.outcomes = "Actions agreed";
      w_.Add(past);
      Review next = past;
      next.id = NextId<ReviewId>(review_seq_);
      next.status = ReviewStatus::kScheduled;
      next.due_on = held.AddDays(every);
      next.held_on.reset();
      next.notes.clear();
      next.outcomes.clear();
      next.attendees.clear();
      w_.Add(next);
    }
  }

  // --- tasks, handoffs, health overrides
  if (champion_departed || rng.Chance(0.08)) {
    Task t;
    t.id = NextId<TaskId>(task_seq_);
    t.account_id = a.id;
    t.title = champion_departed ? "Re-thread: champion departed" : "Follow up on open questions";
    t.description = champion_departed ? "Find and engage a new champion before the renewal."
                                      : "Answer the customer's open questions from the last call.";
    t.owner_id = a.owner_id;
    t.due_on = Day(static_cast<int32_t>(rng.Range(-10, 21)));
    t.status = TaskStatus::kOpen;
    t.source_key = "seed:" + std::to_string(t.id.value);
    t.created_at = Timestamp::At(Day(-static_cast<int32_t>(rng.Range(1, 30))), 9);
    w_.Add(t);
  }
  if (since_offset > -90 && !p.churned) {
    Handoff h;
    h.id = NextId<HandoffId>(handoff_seq_);
    h.account_id = a.id;
    h.opportunity_id = won;
    h.seller_id = seller;
    h.am_id = a.owner_id;
    bool accepted = since_offset < -30;
    h.status = accepted ? HandoffStatus::kAccepted : HandoffStatus::kOpen;
    h.checklist_json = R"({"pain_points":true,"success_metrics":true,"stakeholder_map":true,)"
                       R"("contract_details":true,"why_us":true,"handoff_meeting":)" +
                       std::string(accepted ? "true" : "false") + "}";
    h.created_at = Timestamp::At(since.AddDays(-1), 16);
    if (accepted) h.accepted_at = Timestamp::At(since.AddDays(7), 10);
    w_.Add(h);
  }
  if (!p.churned && rng.Chance(0.01)) {
    HealthOverride o;
    o.id = NextId<HealthOverrideId>(override_seq_);
    o.account_id = a.id;
    o.score = static_cast<int>(rng.Range(20, 90));
    o.reason = "CSM judgement after the executive call";
    o.expires_on = Day(static_cast<int32_t>(rng.Range(-20, 60)));  // some already expired
    o.set_by = a.csm_id ? a.csm_id : a.owner_id;
    o.created_at = Timestamp::At(Day(-static_cast<int32_t>(rng.Range(1, 40))), 14);
    w_.Add(o);
  }
}

}  // namespace

Result<SeedSummary> SeedBook(store::Database& db, const SeedOptions& options,
                             const std::function<void(const SeedProgress&)>& on_progress) {
  if (options.accounts < 1) return FailField("accounts", "must be at least 1");
  ORCHARD_TRY(auto existing, db.QueryInt("SELECT COUNT(*) FROM accounts"));
  if (existing.value_or(0) > 0) {
    return Fail(ErrorCode::kAlreadyExists,
                db.description() + " already holds " + std::to_string(*existing) +
                    " accounts; seed writes a whole book and needs an empty database");
  }
  auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };

  ORCHARD_TRY(auto tx, store::Transaction::Begin(db));
  Writer w(db);
  // Foreign-key order: every row's parents are written in an earlier table or earlier batch.
  w.Register<User>();
  w.Register<Product>();
  w.Register<Account>();
  w.Register<Division>();
  w.Register<ContractLine>();
  w.Register<Contact>();
  w.Register<Opportunity>();
  w.Register<Activity>();
  w.Register<ActivityContact>();
  w.Register<Ticket>();
  w.Register<NpsResponse>();
  w.Register<UsageMetric>();
  w.Register<EngagementSignal>();
  w.Register<AccountPlan>();
  w.Register<PlanPriority>();
  w.Register<PlanRisk>();
  w.Register<WhitespaceCell>();
  w.Register<PlanAction>();
  w.Register<Review>();
  w.Register<Task>();
  w.Register<Handoff>();
  w.Register<HealthOverride>();

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
    bool end_of_batch = (i + 1) % batch == 0 || i + 1 == options.accounts;
    if (!end_of_batch) continue;
    ORCHARD_CHECK(w.Flush());
    double now = elapsed();
    if (on_progress && (now - last_report >= 0.25 || i + 1 == options.accounts)) {
      last_report = now;
      on_progress(SeedProgress{i + 1, options.accounts, w.total(), now});
    }
  }
  ORCHARD_CHECK(w.ResetSequences());
  ORCHARD_CHECK(tx.Commit());

  SeedSummary s;
  s.accounts = w.Written<Account>();
  s.users = w.Written<User>();
  s.products = w.Written<Product>();
  s.contacts = w.Written<Contact>();
  s.contract_lines = w.Written<ContractLine>();
  s.opportunities = w.Written<Opportunity>();
  s.signals = w.Written<Activity>() + w.Written<Ticket>() + w.Written<NpsResponse>() +
              w.Written<UsageMetric>() + w.Written<EngagementSignal>();
  s.rows = w.total();
  s.seconds = elapsed();
  return s;
}

}  // namespace orchard::ingest
