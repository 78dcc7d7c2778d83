// ReadModel: the book in memory, laid out for scans — one column per attribute, indexed by a dense
// account slot, with each account's contract lines packed beside it — so a question over every
// account is a loop over arrays, not a query. It is loaded from the store at start and kept
// current by the service layer, which applies every committed write (service/changes.h).
//
// Thread safety: any number of readers, one writer at a time (a shared mutex). Readers get a
// consistent view of the whole book for the length of one call.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"
#include "domain/entities.h"
#include "domain/settings.h"
#include "engine/column_order.h"
#include "engine/figures.h"
#include "engine/records.h"
#include "engine/sla.h"
#include "store/database.h"

namespace orchard::engine {

// A contract line as the engine keeps it: days as day numbers, ARR in cents.
struct Line {
  int64_t id = 0;
  int32_t start = 0;
  int32_t end = INT32_MAX;  // last day of service; INT32_MAX = open-ended
  int64_t arr_cents = 0;

  bool ActiveOn(int32_t day) const { return start <= day && day <= end; }
  bool operator==(const Line&) const = default;
};

// Interned strings (industries, regions): the columns hold small integers.
class Dictionary {
 public:
  uint32_t Intern(const std::string& text);
  const std::string& Text(uint32_t code) const { return texts_[code]; }
  size_t size() const { return texts_.size(); }

 private:
  std::vector<std::string> texts_;
  std::unordered_map<std::string, uint32_t> codes_;
};

// What the engine derives for one account on one day (engine/health.h computes it): what every
// dashboard filters and sorts on, so that a dashboard is one pass over flat columns.
struct Summary {
  int32_t last_meaningful = kNoDay;     // the latest meaningful activity on or before the day
  int32_t plan_changed = kNoDay;        // the plan's last review or change (kNoDay: no plan)
  int64_t whitespace_cents = 0;         // Σ potential of the open and in-pipeline cells
  int64_t expansion_created_cents = 0;  // upsell/cross-sell created in the year to the day
  int16_t health = -1;                  // 0–100 (override included); -1: no input at all
  int16_t depth = 0;                    // multithreading depth
  uint8_t tier = 2;                     // Tier in force
  uint8_t colour = 0;                   // 0 none, 1 green, 2 yellow, 3 red
  uint8_t completeness = 0;             // plan completeness, 0–100
  uint8_t quadrant = 3;                 // Quadrant
  uint16_t flags = 0;                   // Summary::k… bits
  // The response SLA over the tickets opened in the year to the day (engine/sla.h).
  uint16_t sla_met = 0;
  uint16_t sla_missed = 0;
  // kNoEconomicBuyer: none engaged in 90 days; the last three: engine/relationships.h.
  static constexpr uint16_t kSingleThreaded = 1, kStalePlan = 2, kOverdueActions = 4,
                            kNoEconomicBuyer = 8, kHasPlan = 16, kOverridden = 32,
                            kChampionLost = 64, kMissingEconomicBuyer = 128, kDetractorDark = 256;
  bool operator==(const Summary&) const = default;
};

// The book's expansion pipeline on the columns' day: open upsell and cross-sell opportunities by
// stage, and those created in the year to the day. Kept by every opportunity write, so the
// unfiltered pipeline dashboard reads five numbers instead of every opportunity.
struct PipelineTotals {
  std::array<int64_t, 5> open_count{};  // by OpportunityStage, prospecting … negotiation
  std::array<CentsTotal, 5> open_cents{};
  int64_t created_count = 0;
  CentsTotal created_cents;
  CentsTotal won_cents;  // of those created, closed won
  // Adds (sign 1) or takes away (-1) one opportunity; "created" counts [from, to].
  void Count(const OpportunityRec& o, int32_t from, int32_t to, int sign) {
    if (!o.IsExpansion()) return;
    if (o.IsOpen()) {
      open_count[o.stage] += sign;
      open_cents[o.stage].Count(o.amount_cents, sign);
    }
    if (o.CreatedIn(from, to)) {
      created_count += sign;
      created_cents.Count(o.amount_cents, sign);
      if (o.stage == static_cast<uint8_t>(OpportunityStage::kClosedWon)) {
        won_cents.Count(o.amount_cents, sign);
      }
    }
  }
  bool operator==(const PipelineTotals&) const = default;
};

// The KPI strip's sums (engine/dashboards.h) over the accounts it counts; its retention is the
// columns' kept year. Kept by every write for the whole book, so the unfiltered strip reads them
// instead of every account; a filtered strip sums the same way over the accounts it admits.
struct KpiSums {
  int64_t accounts = 0;
  CentsTotal arr_cents;
  int64_t depth_sum = 0;
  int64_t planned = 0;  // tier 1 and 2 accounts: those whose plan completeness is averaged
  int64_t completeness_sum = 0;
  int64_t at_risk = 0;  // yellow or red
  CentsTotal expansion_created_cents;
  std::array<SlaTally, 3> sla;  // by tier: the response SLA's met and missed tickets
  // Adds (sign 1) or takes away (-1) one account with its summary and ARR on the day.
  void Count(const Summary& s, int64_t arr, int sign) {
    sla[s.tier % 3].Add(SlaTally{s.sla_met, s.sla_missed}, sign);
    accounts += sign;
    arr_cents.Count(arr, sign);
    depth_sum += sign * s.depth;
    if (static_cast<Tier>(s.tier) != Tier::kVolume) {
      planned += sign;
      completeness_sum += sign * s.completeness;
    }
    if (s.colour >= 2) at_risk += sign;
    expansion_created_cents.Count(s.expansion_created_cents, sign);
  }
  void Merge(const KpiSums& o) {
    accounts += o.accounts;
    arr_cents += o.arr_cents;
    depth_sum += o.depth_sum;
    planned += o.planned;
    completeness_sum += o.completeness_sum;
    at_risk += o.at_risk;
    expansion_created_cents += o.expansion_created_cents;
    for (size_t t = 0; t < sla.size(); ++t) sla[t].Add(o.sla[t]);
  }
  bool operator==(const KpiSums&) const = default;
};

// What every account looks like on one day: its ARR, its next renewal (the earliest last day of
// service among the lines active that day; INT32_MAX for none) and its summary under the settings
// it was built with. Indexed by slot.
struct DayColumns {
  static constexpr int32_t kNoDay = INT32_MIN;
  int32_t day = kNoDay;
  Settings settings;
  std::vector<int64_t> arr_cents;
  std::vector<int32_t> renewal;
  std::vector<Summary> summary;
  PipelineTotals pipeline;
  // Retention over the year to the day (ARR a year before → ARR on the day), unfiltered: in
  // total and by the owner on the day (dense owner index). Kept by every write, so the default
  // NRR leaderboard reads one row per AM instead of every account.
  int32_t year_ago = kNoDay;          // the same day a year before
  std::vector<int64_t> arr_year_ago;  // by slot
  std::vector<uint32_t> year_owner;   // by slot: the owner it is counted under; kNotCounted
  static constexpr uint32_t kNotCounted = UINT32_MAX;
  RetentionFigures year_total;
  std::vector<RetentionFigures> year_by_owner;
  // Every live account's KPI sums, kept by every write; by slot, whether it is counted in them.
  KpiSums kpi_total;
  std::vector<uint8_t> kpi_counted;
  // The response SLA's tallies by the owner (dense index) they are counted under; by slot, that
  // owner (kNotCounted: none). Kept with kpi_total, for the KPI strip's breakdown by AM.
  std::vector<SlaTally> sla_by_owner;
  std::vector<uint32_t> sla_owner;
};

template <class... Ts>
struct EntityList {
  static constexpr size_t kSize = sizeof...(Ts);
};
// Calls f(std::type_identity<T>()) for each T of the list, in order.
template <class F, class... Ts>
constexpr void ForEachIn(EntityList<Ts...>, F&& f) {
  (f(std::type_identity<Ts>()), ...);
}
template <class T, class... Ts>
constexpr size_t IndexIn(EntityList<Ts...>) {
  constexpr bool same[] = {std::is_same_v<T, Ts>...};
  for (size_t i = 0; i < sizeof...(Ts); ++i) {
    if (same[i]) return i;
  }
  return sizeof...(Ts);
}

// The entities the book holds, in the order Load reads them (accounts first, a plan before its
// parts). Everything per entity follows from this one list: kHolds (what the services log and
// apply), Load's scans and the follower's re-reads (engine/book_loader.cc), EraseRow, and what
// an account's erase clears (engine/read_model.cc). Adding an entity: a line here, its Upsert, its
// records (records.h) and its BookTable entry in read_model.cc.
using BookEntities = EntityList<Account, ContractLine, Contact, Opportunity, Activity, Ticket,
                                NpsResponse, UsageMetric, HealthOverride, AccountPlan, PlanPriority,
                                PlanRisk, WhitespaceCell, PlanAction, PlanVersion, TextSentiment>;

// How the book reads an entity it holds, where it differs from the rest.
struct BookRead {
  std::string_view where;       // which rows Load reads (SQL after the table's name)
  bool tracks_moves = false;    // Upsert finds a row that moved account itself (no erase first)
  bool read_in_ranges = false;  // a bulk import logs its new rows as one range, read at once
};
template <class T>
inline constexpr BookRead kBookRead{};
template <>
inline constexpr BookRead kBookRead<Account>{"", true, true};
template <>
inline constexpr BookRead kBookRead<ContractLine>{"", true, true};
template <>
inline constexpr BookRead kBookRead<Contact>{"", false, true};
template <>
inline constexpr BookRead kBookRead<Opportunity>{"", false, true};
template <>
inline constexpr BookRead kBookRead<Activity>{" WHERE meaningful"};  // only those are kept
template <>
inline constexpr BookRead kBookRead<AccountPlan>{"", true};  // an erase would drop its parts

template <class T>
struct BookTable;  // what the book keeps of T (engine/read_model.cc)

class ReadModel {
 public:
  ReadModel() = default;

  // Reads every entity of BookEntities, who took part in each activity and the ownership
  // histories, in one read transaction (a scan per table, no per-account query).
  static Result<std::unique_ptr<ReadModel>> Load(store::Database& db);
  // A change-log entry (engine/follower.h): row `id` of table `entity` re-read from `db` and put
  // into the model as the database holds it now, or erased if it is gone — first erased from
  // `account` (where it was, if it moved; 0: not logged). An entity the book does not hold is
  // skipped. FollowRange: the new rows first…last of a bulk import's entry.
  Status Follow(store::Database& db, std::string_view entity, int64_t id, int64_t account);
  Status FollowRange(store::Database& db, std::string_view entity, int64_t first, int64_t last);

  // Held by a writer from just before its commit until it has applied the change here, so that
  // changes reach the model in the order they were committed.
  std::unique_lock<std::mutex> SerializeApply() { return std::unique_lock(apply_mu_); }
  // Told after committed writes were applied (this server's, and those the follower read):
  // automation's event pass listens (automation/rule_runner.h). Set once, before serving.
  void SetOnApplied(std::function<void()> f) { on_applied_ = std::move(f); }
  void Applied() const {
    if (on_applied_) on_applied_();
  }

  // Writes, applied after the transaction that made them committed. Upserting a line of an
  // account the model does not hold yet keeps the line until the account arrives.
  void Upsert(const Account& account);
  void EraseAccount(AccountId id);  // and its contract lines, as the database cascades
  void Upsert(const ContractLine& line);
  void EraseContractLine(ContractLineId id);
  // The signals and the plan. A row that moved to another account is first erased from the old
  // one (EraseRow with the old account). Plan parts find their account through their plan.
  void Upsert(const Contact& row);
  void Upsert(const Opportunity& row);
  void Upsert(const Activity& row);
  void Upsert(const Ticket& row);
  void Upsert(const NpsResponse& row);
  void Upsert(const UsageMetric& row);
  void Upsert(const HealthOverride& row);
  void Upsert(const AccountPlan& row);
  void Upsert(const PlanPriority& row);
  void Upsert(const PlanRisk& row);
  void Upsert(const WhitespaceCell& row);
  void Upsert(const PlanAction& row);
  void Upsert(const PlanVersion& row);
  void Upsert(const TextSentiment& row);
  // Who took part in one activity: replaces the list.
  void SetParticipants(int64_t activity_id, int64_t account_id, std::span<const int64_t> contacts);
  // An account's ownership history (the account_owners rows, in `since` order, kNoDay for "from
  // the start"): replaces what the model held. Read it with ReadOwnerHistory.
  struct OwnerSince {
    int32_t since = kNoDay;
    int64_t owner_id = 0;  // 0: none
  };
  void SetOwnerHistory(int64_t account_id, std::span<const OwnerSince> spans);
  static Result<std::vector<OwnerSince>> ReadOwnerHistory(store::Database& db, int64_t account_id);
  // Whether the model holds rows of T (the services log and apply only those).
  template <class T>
  static constexpr bool kHolds = IndexIn<T>(BookEntities{}) < BookEntities::kSize;
  // Erases row `id` of entity T from account `account_id` (and what the database cascades).
  template <class T>
  void EraseRow(int64_t id, int64_t account_id) {
    static_assert(kHolds<T>, "an entity the book does not hold");
    EraseRowOf(IndexIn<T>(BookEntities{}), id, account_id);
  }

  // The change log's last sequence number when the model was loaded: a follower starts there.
  int64_t loaded_seq() const { return loaded_seq_; }

  size_t account_count() const;
  size_t line_count() const;
  size_t signal_count() const;  // contacts, opportunities, activities, tickets, NPS, usage, …
  size_t Bytes() const;         // an estimate of the memory the model holds
  Money ArrOn(AccountId id, Date day) const;

  // A canonical dump of what the model holds (accounts and lines in id order): two models built
  // differently hold the same book exactly when their dumps are equal.
  std::string Dump() const;

  // --- for computations in engine/ (callers hold a ReadLock) --------------------------------
  std::shared_lock<std::shared_mutex> ReadLock() const { return std::shared_lock(mu_); }
  size_t slots() const { return account_id_.size(); }
  bool live(size_t slot) const { return live_[slot] != 0; }
  int64_t account_id(size_t slot) const { return account_id_[slot]; }
  int64_t owner_id(size_t slot) const { return owner_id_[slot]; }  // 0: none
  // The owner as a small dense number (0: none), for grouping by AM without hashing.
  uint32_t owner_index(size_t slot) const { return owner_index_[slot]; }
  size_t owner_count() const { return owners_.size(); }
  // The owner's dense index on `day`: from the account's ownership history, or its owner now
  // when it has none (one owner all along).
  uint32_t owner_index_on(size_t slot, int32_t day) const {
    auto spans = owner_spans_.Of(slot);
    return spans.empty() ? owner_index_[slot] : OwnerIndexIn(spans, day);
  }
  int64_t owner_at(uint32_t index) const { return owners_[index]; }
  size_t word_count() const { return words_.size(); }
  bool strategic(size_t slot) const { return strategic_[slot] != 0; }
  std::optional<Tier> tier_override(size_t slot) const {
    if (tier_override_[slot] == 0) return std::nullopt;
    return static_cast<Tier>(tier_override_[slot] - 1);
  }
  // The account's name as written, for rows the book answers (dashboards name their accounts).
  const std::string& name(size_t slot) const { return name_[slot]; }
  // The account's name in lower case (FoldCase, as the databases' LOWER), for a name search
  // answered from the book.
  const std::string& name_folded(size_t slot) const { return name_folded_[slot]; }
  const std::string& industry(size_t slot) const { return words_.Text(industry_[slot]); }
  const std::string& region(size_t slot) const { return words_.Text(region_[slot]); }
  uint32_t industry_code(size_t slot) const { return industry_[slot]; }
  uint32_t region_code(size_t slot) const { return region_[slot]; }
  const std::string& word(uint32_t code) const { return words_.Text(code); }
  int64_t ArrCentsOn(size_t slot, int32_t day) const;
  // The columns for `day` under `settings`: built on the first question about a new day (or new
  // settings) in one pass over every account, then kept current by every write, so a dashboard
  // for today walks no contract lines and no signals. Valid while the caller holds ReadLock().
  const DayColumns& On(int32_t day, const Settings& settings) const;
  // Every account's ARR on `day` (by slot), for questions about other days (retention's t0):
  // built on the first question about that day, kept current by writes, the last few days kept.
  // Valid while the caller holds ReadLock(), and for as long as it holds the pointer.
  std::shared_ptr<const std::vector<int64_t>> ArrColumn(int32_t day) const;
  // The day the columns are built for (DayColumns::kNoDay: none yet).
  int32_t columns_day() const;
  // Rebuilds the columns for `day` from scratch (orchard score, bench/dashboards).
  void Recompute(int32_t day, const Settings& settings) const;
  // The columns of another day built into `out` — ARR, the next renewal and the summary of every
  // slot, not the kept sums — leaving today's alone (automation's backtest replays the past
  // with it). The caller holds ReadLock().
  void BuildColumnsOn(int32_t day, const Settings& settings, DayColumns& out) const;
  // The live accounts in the order of `column` (a column of accounts) for a sorted page of the
  // accounts list: built from `db` on the first question about that column (one read of the
  // column; the name's is built at load), then kept current by every account write. nullptr when
  // the book cannot order as the database does: a text column on PostgreSQL under a collation other
  // than C. The caller holds ReadLock(), and took `db` from the pool before it (building waits for
  // no writer).
  Result<const ColumnOrder*> AccountOrder(const std::string& column, store::Database& db) const;
  const std::vector<Line>& lines(size_t slot) const { return lines_[slot]; }
  std::optional<size_t> SlotOf(int64_t account_id) const;
  int64_t csm_id(size_t slot) const { return csm_id_[slot]; }
  std::optional<Potential> potential(size_t slot) const;
  std::span<const ContactRec> contacts(size_t slot) const { return contacts_.Of(slot); }
  std::span<const OpportunityRec> opportunities(size_t slot) const { return opps_.Of(slot); }
  std::span<const ActivityRec> activities(size_t slot) const { return activities_.Of(slot); }
  std::span<const ParticipantRec> participants(size_t slot) const { return participants_.Of(slot); }
  std::span<const TicketRec> tickets(size_t slot) const { return tickets_.Of(slot); }
  std::span<const NpsRec> nps(size_t slot) const { return nps_.Of(slot); }
  std::span<const UsageRec> usage(size_t slot) const { return usage_.Of(slot); }
  std::span<const OverrideRec> overrides(size_t slot) const { return overrides_.Of(slot); }
  std::span<const PlanRec> plan(size_t slot) const { return plans_.Of(slot); }
  std::span<const PriorityRec> priorities(size_t slot) const { return priorities_.Of(slot); }
  std::span<const RiskRec> risks(size_t slot) const { return risks_.Of(slot); }
  std::span<const CellRec> cells(size_t slot) const { return cells_.Of(slot); }
  std::span<const ActionRec> actions(size_t slot) const { return actions_.Of(slot); }
  // The plan's versions in id order (so in the order written).
  std::span<const PlanVersionRec> plan_versions(size_t slot) const {
    return plan_versions_.Of(slot);
  }
  std::span<const SentimentRec> sentiments(size_t slot) const { return sentiments_.Of(slot); }

 private:
  template <class T>
  friend struct BookTable;
  // EraseRow of the entity at `entity` in BookEntities.
  void EraseRowOf(size_t entity, int64_t id, int64_t account_id);
  template <class T>
  void EraseRowAs(int64_t id, int64_t account_id);
  // Calls f(table) for the records of each entity of BookEntities kept per account (all but
  // accounts and lines, which have columns of their own).
  template <class F>
  void ForEachTable(F&& f);
  template <class F>
  void ForEachTable(F&& f) const;
  size_t SlotFor(int64_t account_id);     // creates an empty, not yet live slot if needed
  uint32_t OwnerIndex(int64_t owner_id);  // the owner's dense index, made on first sight
  static uint32_t OwnerIndexIn(std::span<const OwnerSpanRec> spans, int32_t day);
  void Refresh(size_t slot);  // the day columns of one slot, after a write
  int32_t RenewalOn(size_t slot, int32_t day) const;
  void Build(DayColumns& columns, size_t slot) const;  // one slot's entries
  // Adds (sign 1) or takes away (-1) one slot from the columns' kept figures: the year of
  // retention and the KPI sums.
  void CountKept(size_t slot, int sign) const;
  std::optional<size_t> PlanSlot(int64_t plan_id) const;
  template <class Rec>
  void PutChild(PerAccount<Rec>& table, int64_t account_id, Rec rec);
  // Adds (sign 1) or takes away (-1) one opportunity from the day columns' pipeline totals.
  void CountOpportunity(const OpportunityRec& o, int sign) const;
  void BuildPipeline() const;  // day_.pipeline from every opportunity
  void BuildDay(int32_t day, const Settings& settings) const;  // day_ afresh; holds day_mu_
  // Adds `column` (ARR on `day`) to arr_days_, dropping the least recently used; holds day_mu_.
  void KeepArrColumn(int32_t day, std::shared_ptr<std::vector<int64_t>> column) const;

  mutable std::shared_mutex mu_;
  std::mutex apply_mu_;
  // Built by a reader (under the shared lock, so under day_mu_ too), changed by writers (under the
  // exclusive lock, when no reader can be looking).
  mutable std::mutex day_mu_;
  mutable DayColumns day_;
  struct ArrDay {
    int32_t day = 0;
    uint64_t used = 0;
    std::shared_ptr<std::vector<int64_t>> arr;
  };
  mutable std::vector<ArrDay> arr_days_;  // under day_mu_; at most kArrDays
  mutable uint64_t arr_clock_ = 0;
  static constexpr size_t kArrDays = 4;
  // Sorted orders of the accounts by column, built on first use (under the shared lock, so under
  // order_mu_), changed by account writes (under the exclusive lock).
  mutable std::mutex order_mu_;
  mutable std::map<std::string, std::unique_ptr<ColumnOrder>, std::less<>> orders_;
  mutable std::optional<bool> text_in_byte_order_;  // the database's collation, asked once
  int64_t loaded_seq_ = 0;
  std::function<void()> on_applied_;
  Dictionary words_;
  std::unordered_map<int64_t, uint32_t> slot_of_;  // account id → slot
  // One entry per slot. A deleted account's slot stays, not live, and is reused by no one: ids
  // are never reused either.
  std::vector<int64_t> account_id_;
  std::vector<uint8_t> live_;
  std::vector<int64_t> owner_id_;
  std::vector<uint32_t> owner_index_;
  std::vector<int64_t> owners_{0};  // index → user id; 0 is "none"
  std::unordered_map<int64_t, uint32_t> owner_of_{{0, 0}};
  std::vector<uint8_t> strategic_;
  std::vector<uint8_t> tier_override_;  // 0: none, else the tier's number
  std::vector<std::string> name_;
  std::vector<std::string> name_folded_;
  std::vector<uint32_t> industry_;
  std::vector<uint32_t> region_;
  std::vector<int64_t> csm_id_;
  std::vector<uint8_t> potential_;  // 0: derived, else Potential + 1
  PerAccount<ContactRec> contacts_;
  PerAccount<OpportunityRec> opps_;
  PerAccount<ActivityRec> activities_;
  PerAccount<ParticipantRec> participants_;
  PerAccount<OwnerSpanRec> owner_spans_;
  PerAccount<TicketRec> tickets_;
  PerAccount<NpsRec> nps_;
  PerAccount<UsageRec> usage_;
  PerAccount<OverrideRec> overrides_;
  PerAccount<PlanRec> plans_;
  PerAccount<PriorityRec> priorities_;
  PerAccount<RiskRec> risks_;
  PerAccount<CellRec> cells_;
  PerAccount<ActionRec> actions_;
  PerAccount<PlanVersionRec> plan_versions_;
  PerAccount<SentimentRec> sentiments_;
  std::unordered_map<int64_t, uint32_t> plan_slot_;    // plan id → slot
  std::vector<std::vector<Line>> lines_;               // by slot, in id order
  std::unordered_map<int64_t, int64_t> line_account_;  // line id → account id
};

}  // namespace orchard::engine
