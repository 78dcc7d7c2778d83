#include "engine/read_model.h"

#include <algorithm>
#include <mutex>

#include "core/text.h"
#include "engine/health.h"
#include "engine/parallel.h"
#include "engine/plan_parts.h"
#include "store/store.h"

namespace orchard::engine {

namespace {

int32_t DayOf(Timestamp t) {
  return static_cast<int32_t>(t.unix_seconds() / 86400 - (t.unix_seconds() % 86400 < 0 ? 1 : 0));
}
int32_t Clamp32(int64_t v) {
  return static_cast<int32_t>(std::clamp<int64_t>(v, INT32_MIN + 1, INT32_MAX - 1));
}

Line ToLine(const ContractLine& l) {
  Line out;
  out.id = l.id.value;
  out.start = l.start_date.days();
  out.end = l.end_date ? l.end_date->days() : INT32_MAX;
  out.arr_cents = BoundedCents(l.arr);
  return out;
}

}  // namespace

uint32_t Dictionary::Intern(const std::string& text) {
  auto [it, added] = codes_.try_emplace(text, static_cast<uint32_t>(texts_.size()));
  if (added) texts_.push_back(text);
  return it->second;
}

size_t ReadModel::SlotFor(int64_t account_id) {
  auto [it, added] = slot_of_.try_emplace(account_id, static_cast<uint32_t>(account_id_.size()));
  if (added) {
    account_id_.push_back(account_id);
    live_.push_back(0);
    owner_id_.push_back(0);
    owner_index_.push_back(0);
    strategic_.push_back(0);
    tier_override_.push_back(0);
    name_.emplace_back();
    name_folded_.emplace_back();
    industry_.push_back(words_.Intern(""));
    region_.push_back(words_.Intern(""));
    csm_id_.push_back(0);
    potential_.push_back(0);
    lines_.emplace_back();
  }
  return it->second;
}

std::optional<size_t> ReadModel::SlotOf(int64_t account_id) const {
  auto it = slot_of_.find(account_id);
  if (it == slot_of_.end()) return std::nullopt;
  return it->second;
}

std::optional<size_t> ReadModel::PlanSlot(int64_t plan_id) const {
  auto it = plan_slot_.find(plan_id);
  if (it == plan_slot_.end()) return std::nullopt;
  return it->second;
}

std::optional<Potential> ReadModel::potential(size_t slot) const {
  if (potential_[slot] == 0) return std::nullopt;
  return static_cast<Potential>(potential_[slot] - 1);
}

template <class Rec>
void ReadModel::PutChild(PerAccount<Rec>& table, int64_t account_id, Rec rec) {
  std::unique_lock lock(mu_);
  size_t slot = SlotFor(account_id);
  table.Put(slot, std::move(rec));
  Refresh(slot);
}

void ReadModel::Upsert(const Contact& c) {
  ContactRec r;
  r.id = c.id.value;
  r.last_engaged = c.last_engaged_on ? c.last_engaged_on->days() : kNoDay;
  r.role = c.buying_role ? static_cast<int8_t>(*c.buying_role) : int8_t{-1};
  r.stance = static_cast<uint8_t>(c.stance);
  r.influence = static_cast<uint8_t>(std::clamp(c.influence, 0, 255));
  r.active = c.status == ContactStatus::kActive ? 1 : 0;
  if (!r.active && c.departed_on) r.departed = c.departed_on->days();
  PutChild(contacts_, c.account_id.value, r);
}

void ReadModel::Upsert(const Opportunity& o) {
  OpportunityRec r;
  r.id = o.id.value;
  r.amount_cents = BoundedCents(o.amount);
  r.created = o.created_on.days();
  r.close = o.close_date ? o.close_date->days() : OpportunityRec::kNoCloseDate;
  r.type = static_cast<uint8_t>(o.type);
  r.stage = static_cast<uint8_t>(o.stage);
  std::unique_lock lock(mu_);
  size_t slot = SlotFor(o.account_id.value);
  for (const OpportunityRec& old : opps_.Of(slot)) {
    if (old.id == r.id) CountOpportunity(old, -1);
  }
  opps_.Put(slot, r);
  CountOpportunity(r, 1);
  Refresh(slot);
}

void ReadModel::CountOpportunity(const OpportunityRec& o, int sign) const {
  if (day_.day == DayColumns::kNoDay) return;
  day_.pipeline.Count(o, Date::FromDays(day_.day).AddYears(-1).days(), day_.day, sign);
}

void ReadModel::BuildPipeline() const {
  day_.pipeline = PipelineTotals();
  // Every slot's, as the writes count them (a slot not live holds none once its account goes).
  for (size_t s = 0; s < account_id_.size(); ++s) {
    for (const OpportunityRec& o : opps_.Of(s)) CountOpportunity(o, 1);
  }
}

void ReadModel::Upsert(const Activity& a) {
  if (!a.meaningful) {  // not kept; it may have been meaningful before
    std::unique_lock lock(mu_);
    size_t slot = SlotFor(a.account_id.value);
    activities_.Erase(slot, a.id.value);
    Refresh(slot);
    return;
  }
  PutChild(activities_, a.account_id.value, ActivityRec{a.id.value, DayOf(a.occurred_at)});
}

void ReadModel::SetParticipants(int64_t activity_id, int64_t account_id,
                                std::span<const int64_t> contacts) {
  std::unique_lock lock(mu_);
  size_t slot = SlotFor(account_id);
  participants_.Erase(slot, activity_id);
  for (int64_t c : contacts) participants_.Add(slot, ParticipantRec{activity_id, c});
  Refresh(slot);
}

void ReadModel::Upsert(const Ticket& t) {
  TicketRec r;
  r.id = t.id.value;
  r.opened = DayOf(t.opened_at);
  if (t.closed_at) {
    r.closed = DayOf(*t.closed_at);
  } else if (t.status == TicketStatus::kClosed) {
    r.closed = r.opened;
  }
  r.severity = static_cast<uint8_t>(t.severity);
  r.escalated = t.escalated ? 1 : 0;
  r.opened_at = t.opened_at.unix_seconds();
  r.channel = static_cast<uint8_t>(t.channel);
  // The first response, or a closing without one (the closing answered it); a ticket marked
  // closed with no time has nothing to measure.
  const std::optional<Timestamp> answered = t.first_response_at ? t.first_response_at : t.closed_at;
  if (answered) {
    r.response = static_cast<int32_t>(
        std::clamp<int64_t>(answered->unix_seconds() - r.opened_at, 0, INT32_MAX));
  } else if (t.status == TicketStatus::kClosed) {
    r.response = TicketRec::kNotMeasured;
  }
  PutChild(tickets_, t.account_id.value, r);
}

void ReadModel::Upsert(const NpsResponse& n) {
  PutChild(nps_, n.account_id.value, NpsRec{n.id.value, n.responded_on.days(), n.score});
}

void ReadModel::Upsert(const TextSentiment& t) {
  uint8_t source = 0;
  while (source + 1u < kTextSources.size() && kTextSources[source] != t.source) ++source;
  const auto milli = static_cast<int16_t>(std::clamp<int64_t>(t.score_milli, -1000, 1000));
  PutChild(sentiments_, t.account_id.value,
           SentimentRec{t.id.value, t.source_id, t.occurred_on.days(), milli, source});
}

void ReadModel::Upsert(const UsageMetric& u) {
  PutChild(usage_, u.account_id.value,
           UsageRec{u.id.value, u.day.days(), Clamp32(u.active_users), Clamp32(u.licensed_seats)});
}

void ReadModel::Upsert(const HealthOverride& o) {
  PutChild(overrides_, o.account_id.value,
           OverrideRec{o.id.value, DayOf(o.created_at), o.expires_on.days(), o.score, o.reason});
}

void ReadModel::Upsert(const AccountPlan& p) {
  std::unique_lock lock(mu_);
  size_t slot = SlotFor(p.account_id.value);
  if (auto old = PlanSlot(p.id.value); old && *old != slot) {
    plans_.Erase(*old, p.id.value);
    Refresh(*old);
  }
  plan_slot_[p.id.value] = static_cast<uint32_t>(slot);
  PlanRec r;
  r.id = p.id.value;
  r.reviewed = p.last_reviewed_at ? DayOf(*p.last_reviewed_at) : kNoDay;
  r.changed = DayOf(p.updated_at);
  plans_.Put(slot, r);
  Refresh(slot);
}

namespace {
template <class T, class Rec, class Table, class SlotOfPlan, class Refresh>
void PutPlanPart(Table& table, const T& row, Rec rec, SlotOfPlan slot_of_plan, Refresh refresh) {
  auto slot = slot_of_plan(row.plan_id.value);
  if (!slot) return;  // a part of a plan the model does not hold: the plan's write brings it
  table.Put(*slot, std::move(rec));
  refresh(*slot);
}
}  // namespace

void ReadModel::Upsert(const PlanPriority& p) {
  std::unique_lock lock(mu_);
  PutPlanPart(
      priorities_, p, PriorityRec{p.id.value}, [&](int64_t id) { return PlanSlot(id); },
      [&](size_t s) { Refresh(s); });
}

void ReadModel::Upsert(const PlanRisk& p) {
  std::unique_lock lock(mu_);
  RiskRec r{p.id.value, static_cast<uint8_t>(p.mitigation_owner_id ? 1 : 0),
            static_cast<uint8_t>(p.status)};
  PutPlanPart(
      risks_, p, r, [&](int64_t id) { return PlanSlot(id); }, [&](size_t s) { Refresh(s); });
}

void ReadModel::Upsert(const WhitespaceCell& c) {
  std::unique_lock lock(mu_);
  CellRec r{c.id.value, BoundedCents(c.potential), static_cast<uint8_t>(c.status)};
  PutPlanPart(
      cells_, c, r, [&](int64_t id) { return PlanSlot(id); }, [&](size_t s) { Refresh(s); });
}

void ReadModel::Upsert(const PlanAction& a) {
  std::unique_lock lock(mu_);
  ActionRec r{a.id.value, a.due_on ? a.due_on->days() : kNoDay,
              static_cast<uint8_t>(a.owner_id ? 1 : 0), static_cast<uint8_t>(a.status)};
  PutPlanPart(
      actions_, a, r, [&](int64_t id) { return PlanSlot(id); }, [&](size_t s) { Refresh(s); });
}

void ReadModel::Upsert(const PlanVersion& v) {
  PlanVersionRec r{v.id.value, DayOf(v.changed_at), PlanPartsOf(v.snapshot_json)};
  std::unique_lock lock(mu_);
  auto slot = PlanSlot(v.plan_id.value);
  if (!slot) return;  // a version of a plan the model does not hold: the plan's write brings it
  plan_versions_.Put(*slot, r);  // no day column reads versions: no Refresh
}

// What the book keeps of each entity it holds beside the accounts' columns: its records per
// account (kRecs) and, where erasing one takes more than its record, Erase. Accounts and lines
// have columns of their own and erase themselves (EraseWhole).
template <>
struct BookTable<Account> {
  static void EraseWhole(ReadModel& m, int64_t id) { m.EraseAccount(AccountId(id)); }
};
template <>
struct BookTable<ContractLine> {
  static void EraseWhole(ReadModel& m, int64_t id) { m.EraseContractLine(ContractLineId(id)); }
};
template <>
struct BookTable<Contact> {
  static constexpr auto kRecs = &ReadModel::contacts_;
  static void Erase(ReadModel& m, size_t slot, int64_t id) {  // and where they took part
    m.contacts_.Erase(slot, id);
    m.participants_.EraseIf(slot, [&](const ParticipantRec& p) { return p.contact_id == id; });
  }
};
template <>
struct BookTable<Opportunity> {
  static constexpr auto kRecs = &ReadModel::opps_;
  static void Erase(ReadModel& m, size_t slot, int64_t id) {  // out of the pipeline's totals
    for (const OpportunityRec& old : m.opps_.Of(slot)) {
      if (old.id == id) m.CountOpportunity(old, -1);
    }
    m.opps_.Erase(slot, id);
  }
};
template <>
struct BookTable<Activity> {
  static constexpr auto kRecs = &ReadModel::activities_;
  static void Erase(ReadModel& m, size_t slot, int64_t id) {  // and who took part
    m.activities_.Erase(slot, id);
    m.participants_.Erase(slot, id);
  }
};
template <>
struct BookTable<Ticket> {
  static constexpr auto kRecs = &ReadModel::tickets_;
};
template <>
struct BookTable<NpsResponse> {
  static constexpr auto kRecs = &ReadModel::nps_;
};
template <>
struct BookTable<UsageMetric> {
  static constexpr auto kRecs = &ReadModel::usage_;
};
template <>
struct BookTable<HealthOverride> {
  static constexpr auto kRecs = &ReadModel::overrides_;
};
template <>
struct BookTable<AccountPlan> {
  static constexpr auto kRecs = &ReadModel::plans_;
  static void Erase(ReadModel& m, size_t slot, int64_t id) {  // and its parts
    if (m.plans_.Erase(slot, id)) {
      m.plan_slot_.erase(id);
      m.priorities_.Clear(slot);
      m.risks_.Clear(slot);
      m.cells_.Clear(slot);
      m.actions_.Clear(slot);
      m.plan_versions_.Clear(slot);
    }
  }
};
template <>
struct BookTable<PlanPriority> {
  static constexpr auto kRecs = &ReadModel::priorities_;
};
template <>
struct BookTable<PlanRisk> {
  static constexpr auto kRecs = &ReadModel::risks_;
};
template <>
struct BookTable<WhitespaceCell> {
  static constexpr auto kRecs = &ReadModel::cells_;
};
template <>
struct BookTable<PlanAction> {
  static constexpr auto kRecs = &ReadModel::actions_;
};
template <>
struct BookTable<PlanVersion> {
  static constexpr auto kRecs = &ReadModel::plan_versions_;
};
template <>
struct BookTable<TextSentiment> {
  static constexpr auto kRecs = &ReadModel::sentiments_;
};

template <class F>
void ReadModel::ForEachTable(F&& f) {
  ForEachIn(BookEntities{}, [&]<class T>(std::type_identity<T>) {
    if constexpr (requires { BookTable<T>::kRecs; }) f(this->*BookTable<T>::kRecs);
  });
}

template <class F>
void ReadModel::ForEachTable(F&& f) const {
  ForEachIn(BookEntities{}, [&]<class T>(std::type_identity<T>) {
    if constexpr (requires { BookTable<T>::kRecs; }) f(this->*BookTable<T>::kRecs);
  });
}

template <class T>
void ReadModel::EraseRowAs(int64_t id, int64_t account_id) {
  if constexpr (requires { &BookTable<T>::EraseWhole; }) {
    BookTable<T>::EraseWhole(*this, id);
  } else {
    static_assert(
        requires { BookTable<T>::kRecs; }, "a held entity without its records");
    std::unique_lock lock(mu_);
    auto found = SlotOf(account_id);
    if (!found) return;
    if constexpr (requires { &BookTable<T>::Erase; }) {
      BookTable<T>::Erase(*this, *found, id);
    } else {
      (this->*BookTable<T>::kRecs).Erase(*found, id);
    }
    Refresh(*found);
  }
}

void ReadModel::EraseRowOf(size_t entity, int64_t id, int64_t account_id) {
  size_t at = 0;
  ForEachIn(BookEntities{}, [&]<class T>(std::type_identity<T>) {
    if (at++ == entity) EraseRowAs<T>(id, account_id);
  });
}

void ReadModel::Upsert(const Account& a) {
  std::unique_lock lock(mu_);
  size_t s = SlotFor(a.id.value);
  live_[s] = 1;
  owner_id_[s] = a.owner_id ? a.owner_id->value : 0;
  owner_index_[s] = OwnerIndex(owner_id_[s]);
  strategic_[s] = a.strategic ? 1 : 0;
  tier_override_[s] =
      a.tier_override ? static_cast<uint8_t>(static_cast<int>(*a.tier_override) + 1) : uint8_t{0};
  name_[s] = a.name;
  name_folded_[s] = FoldCase(a.name);
  for (auto& [column, order] : orders_) {
    order->Set(static_cast<uint32_t>(s), store::ColumnValue(a, column));
  }
  industry_[s] = words_.Intern(a.industry);
  region_[s] = words_.Intern(a.region);
  csm_id_[s] = a.csm_id ? a.csm_id->value : 0;
  potential_[s] = a.growth_potential
                      ? static_cast<uint8_t>(static_cast<int>(*a.growth_potential) + 1)
                      : uint8_t{0};
  Refresh(s);
}

uint32_t ReadModel::OwnerIndex(int64_t owner_id) {
  auto [owner, added] = owner_of_.try_emplace(owner_id, static_cast<uint32_t>(owners_.size()));
  if (added) owners_.push_back(owner_id);
  return owner->second;
}

uint32_t ReadModel::OwnerIndexIn(std::span<const OwnerSpanRec> spans, int32_t day) {
  // The last span begun on or before the day; before the first, its owner (the earliest known).
  auto after = std::upper_bound(spans.begin(), spans.end(), int64_t{day},
                                [](int64_t d, const OwnerSpanRec& r) { return d < r.id; });
  return after != spans.begin() ? std::prev(after)->owner : spans.front().owner;
}

void ReadModel::SetOwnerHistory(int64_t account_id, std::span<const OwnerSince> spans) {
  std::unique_lock lock(mu_);
  size_t slot = SlotFor(account_id);
  owner_spans_.Clear(slot);
  for (const OwnerSince& o : spans) {
    owner_spans_.Put(slot, OwnerSpanRec{o.since, OwnerIndex(o.owner_id)});
  }
  Refresh(slot);  // the owner it counts under in the kept year of retention
}

void ReadModel::EraseAccount(AccountId id) {
  std::unique_lock lock(mu_);
  auto it = slot_of_.find(id.value);
  if (it == slot_of_.end()) return;
  size_t s = it->second;
  live_[s] = 0;
  for (auto& [column, order] : orders_) order->Erase(static_cast<uint32_t>(s));
  for (const Line& l : lines_[s]) line_account_.erase(l.id);
  lines_[s].clear();
  for (const PlanRec& p : plans_.Of(s)) plan_slot_.erase(p.id);
  for (const OpportunityRec& o : opps_.Of(s)) CountOpportunity(o, -1);
  ForEachTable([&](auto& table) { table.Clear(s); });
  participants_.Clear(s);
  owner_spans_.Clear(s);
  Refresh(s);
}

void ReadModel::Upsert(const ContractLine& line) {
  std::unique_lock lock(mu_);
  // A line can move to another account: take it off the old one first.
  if (auto it = line_account_.find(line.id.value); it != line_account_.end()) {
    size_t old_slot = slot_of_.at(it->second);
    std::erase_if(lines_[old_slot], [&](const Line& l) { return l.id == line.id.value; });
    Refresh(old_slot);
  }
  size_t slot = SlotFor(line.account_id.value);
  auto& lines = lines_[slot];
  Line l = ToLine(line);
  auto at = std::lower_bound(lines.begin(), lines.end(), l.id,
                             [](const Line& x, int64_t id) { return x.id < id; });
  lines.insert(at, l);
  line_account_[l.id] = line.account_id.value;
  Refresh(slot);
}

void ReadModel::EraseContractLine(ContractLineId id) {
  std::unique_lock lock(mu_);
  auto it = line_account_.find(id.value);
  if (it == line_account_.end()) return;
  size_t slot = slot_of_.at(it->second);
  std::erase_if(lines_[slot], [&](const Line& l) { return l.id == id.value; });
  line_account_.erase(it);
  Refresh(slot);
}

size_t ReadModel::account_count() const {
  std::shared_lock lock(mu_);
  return static_cast<size_t>(std::count(live_.begin(), live_.end(), 1));
}

size_t ReadModel::line_count() const {
  std::shared_lock lock(mu_);
  return line_account_.size();
}

size_t ReadModel::signal_count() const {
  std::shared_lock lock(mu_);
  size_t n = participants_.Count();
  ForEachTable([&](const auto& table) { n += table.Count(); });
  return n;
}

size_t ReadModel::Bytes() const {
  std::shared_lock lock(mu_);
  size_t n = account_id_.capacity() * (3 * sizeof(int64_t) + 5 + 2 * sizeof(uint32_t)) +
             lines_.capacity() * sizeof(std::vector<Line>) +
             slot_of_.size() * (sizeof(int64_t) + sizeof(uint32_t) + 16) +
             line_account_.size() * (2 * sizeof(int64_t) + 16) +
             plan_slot_.size() * (sizeof(int64_t) + sizeof(uint32_t) + 16);
  for (const auto& v : lines_) n += v.capacity() * sizeof(Line);
  for (const auto* names : {&name_, &name_folded_}) {
    for (const auto& name : *names)
      n += sizeof(std::string) + (name.size() > 15 ? name.capacity() : 0);
  }
  n += participants_.Bytes() + owner_spans_.Bytes();
  ForEachTable([&](const auto& table) { n += table.Bytes(); });
  n += day_.arr_cents.capacity() * sizeof(int64_t) + day_.renewal.capacity() * sizeof(int32_t) +
       day_.summary.capacity() * sizeof(Summary) + day_.arr_year_ago.capacity() * sizeof(int64_t) +
       day_.year_owner.capacity() * sizeof(uint32_t) + day_.kpi_counted.capacity() +
       day_.year_by_owner.capacity() * sizeof(RetentionFigures) +
       day_.sla_owner.capacity() * sizeof(uint32_t) +
       day_.sla_by_owner.capacity() * sizeof(SlaTally);
  {
    std::lock_guard orders(order_mu_);
    for (const auto& [column, order] : orders_) n += order->Bytes();
  }
  std::lock_guard days(day_mu_);
  for (const ArrDay& a : arr_days_) n += a.arr->capacity() * sizeof(int64_t);
  return n;
}

int32_t ReadModel::RenewalOn(size_t slot, int32_t day) const {
  int32_t renewal = INT32_MAX;
  for (const Line& l : lines_[slot]) {
    if (l.ActiveOn(day) && l.end != INT32_MAX) renewal = std::min(renewal, l.end);
  }
  return renewal;
}

const DayColumns& ReadModel::On(int32_t day, const Settings& settings) const {
  std::lock_guard lock(day_mu_);
  if (day_.day != day || day_.arr_cents.size() != account_id_.size() ||
      !(day_.settings == settings)) {
    BuildDay(day, settings);
  }
  return day_;
}

std::shared_ptr<const std::vector<int64_t>> ReadModel::ArrColumn(int32_t day) const {
  std::lock_guard lock(day_mu_);
  for (ArrDay& a : arr_days_) {
    if (a.day == day && a.arr->size() == account_id_.size()) {
      a.used = ++arr_clock_;
      return a.arr;
    }
  }
  auto column = std::make_shared<std::vector<int64_t>>(account_id_.size());
  ForEachRange(account_id_.size(), [&](size_t, size_t begin, size_t end) {
    for (size_t s = begin; s < end; ++s) (*column)[s] = ArrCentsOn(s, day);
  });
  KeepArrColumn(day, column);
  return column;
}

void ReadModel::KeepArrColumn(int32_t day, std::shared_ptr<std::vector<int64_t>> column) const {
  std::erase_if(arr_days_, [&](const ArrDay& a) { return a.day == day; });
  if (arr_days_.size() >= kArrDays) {
    // The least recently used goes; a reader still holding it keeps its copy alive.
    auto oldest =
        std::min_element(arr_days_.begin(), arr_days_.end(),
                         [](const ArrDay& a, const ArrDay& b) { return a.used < b.used; });
    arr_days_.erase(oldest);
  }
  arr_days_.push_back(ArrDay{day, ++arr_clock_, std::move(column)});
}

void ReadModel::Recompute(int32_t day, const Settings& settings) const {
  std::lock_guard lock(day_mu_);
  BuildDay(day, settings);
}

void ReadModel::BuildColumnsOn(int32_t day, const Settings& settings, DayColumns& out) const {
  const size_t n = account_id_.size();
  out.day = day;
  out.year_ago = Date::FromDays(day).AddYears(-1).days();
  out.settings = settings;
  out.arr_cents.resize(n);
  out.renewal.resize(n);
  out.summary.resize(n);
  out.arr_year_ago.resize(n);
  ForEachRange(n, [&](size_t, size_t begin, size_t end) {
    for (size_t s = begin; s < end; ++s) Build(out, s);
  });
}

void ReadModel::BuildDay(int32_t day, const Settings& settings) const {
  const size_t n = account_id_.size();
  BuildColumnsOn(day, settings, day_);
  day_.year_total = {};
  day_.year_by_owner.assign(owners_.size(), {});
  day_.year_owner.assign(n, DayColumns::kNotCounted);
  day_.kpi_total = {};
  day_.kpi_counted.assign(n, 0);
  day_.sla_by_owner.assign(owners_.size(), {});
  day_.sla_owner.assign(n, DayColumns::kNotCounted);
  for (size_t s = 0; s < n; ++s) CountKept(s, 1);
  // The ARR a year before (the default period's start, for the NRR leaderboard and the KPI
  // strip) and on the day, as ARR columns too (copies: those are shared with readers).
  KeepArrColumn(day_.year_ago, std::make_shared<std::vector<int64_t>>(day_.arr_year_ago));
  KeepArrColumn(day, std::make_shared<std::vector<int64_t>>(day_.arr_cents));
  BuildPipeline();
}

void ReadModel::CountKept(size_t slot, int sign) const {
  if (sign < 0) {
    if (day_.kpi_counted[slot]) {
      day_.kpi_total.Count(day_.summary[slot], day_.arr_cents[slot], -1);
      day_.kpi_counted[slot] = 0;
    }
    if (const uint32_t sla = day_.sla_owner[slot]; sla != DayColumns::kNotCounted) {
      const Summary& s = day_.summary[slot];
      day_.sla_by_owner[sla].Add(SlaTally{s.sla_met, s.sla_missed}, -1);
      day_.sla_owner[slot] = DayColumns::kNotCounted;
    }
    uint32_t owner = day_.year_owner[slot];
    if (owner == DayColumns::kNotCounted) return;
    day_.year_by_owner[owner].Count(day_.arr_year_ago[slot], day_.arr_cents[slot], -1);
    day_.year_total.Count(day_.arr_year_ago[slot], day_.arr_cents[slot], -1);
    day_.year_owner[slot] = DayColumns::kNotCounted;
    return;
  }
  if (!live_[slot]) return;
  day_.kpi_total.Count(day_.summary[slot], day_.arr_cents[slot], 1);
  day_.kpi_counted[slot] = 1;
  {
    const uint32_t am = owner_index(slot);
    if (day_.sla_by_owner.size() < owners_.size()) day_.sla_by_owner.resize(owners_.size());
    const Summary& s = day_.summary[slot];
    day_.sla_by_owner[am].Add(SlaTally{s.sla_met, s.sla_missed});
    day_.sla_owner[slot] = am;
  }
  if (day_.arr_year_ago[slot] <= 0) return;
  uint32_t owner = owner_index_on(slot, day_.day);
  if (day_.year_by_owner.size() < owners_.size()) day_.year_by_owner.resize(owners_.size());
  day_.year_by_owner[owner].Count(day_.arr_year_ago[slot], day_.arr_cents[slot], 1);
  day_.year_total.Count(day_.arr_year_ago[slot], day_.arr_cents[slot], 1);
  day_.year_owner[slot] = owner;
}

int32_t ReadModel::columns_day() const {
  std::lock_guard lock(day_mu_);
  return day_.day;
}

void ReadModel::Build(DayColumns& columns, size_t slot) const {
  columns.arr_cents[slot] = ArrCentsOn(slot, columns.day);
  columns.arr_year_ago[slot] = ArrCentsOn(slot, columns.year_ago);
  columns.renewal[slot] = RenewalOn(slot, columns.day);
  columns.summary[slot] = Summarize(*this, slot, columns.day, columns.arr_cents[slot],
                                    columns.renewal[slot], columns.settings);
}

void ReadModel::Refresh(size_t slot) {
  // Writers hold the exclusive lock: no reader is looking at the columns changed here.
  for (ArrDay& a : arr_days_) {
    if (a.arr->size() < account_id_.size()) {
      size_t from = a.arr->size();
      a.arr->resize(account_id_.size());
      for (size_t s = from; s < account_id_.size(); ++s) (*a.arr)[s] = ArrCentsOn(s, a.day);
    }
    (*a.arr)[slot] = ArrCentsOn(slot, a.day);
  }
  if (day_.day == DayColumns::kNoDay) return;
  if (day_.arr_cents.size() < account_id_.size()) {
    size_t from = day_.arr_cents.size();
    day_.arr_cents.resize(account_id_.size());
    day_.renewal.resize(account_id_.size());
    day_.summary.resize(account_id_.size());
    day_.arr_year_ago.resize(account_id_.size());
    day_.year_owner.resize(account_id_.size(), DayColumns::kNotCounted);
    day_.kpi_counted.resize(account_id_.size(), 0);
    day_.sla_owner.resize(account_id_.size(), DayColumns::kNotCounted);
    for (size_t s = from; s < account_id_.size(); ++s) {
      Build(day_, s);
      CountKept(s, 1);
    }
  }
  CountKept(slot, -1);
  Build(day_, slot);
  CountKept(slot, 1);
}

int64_t ReadModel::ArrCentsOn(size_t slot, int32_t day) const {
  int64_t sum = 0;  // saturating: lines stored past the bound clamp, never wrap negative
  for (const Line& l : lines_[slot]) {
    if (l.ActiveOn(day)) sum = SaturatingAdd(sum, l.arr_cents);
  }
  return sum;
}

Money ReadModel::ArrOn(AccountId id, Date day) const {
  std::shared_lock lock(mu_);
  auto it = slot_of_.find(id.value);
  if (it == slot_of_.end() || !live_[it->second]) return Money();
  return Money::FromCents(ArrCentsOn(it->second, day.days()));
}

std::string ReadModel::Dump() const {
  std::shared_lock lock(mu_);
  std::vector<size_t> order;
  for (size_t s = 0; s < account_id_.size(); ++s) {
    // A slot that only ever held lines of an account not (or no longer) stored is not part of
    // the book; nor is a deleted account.
    if (live_[s]) order.push_back(s);
  }
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return account_id_[a] < account_id_[b]; });
  std::string out;
  for (size_t s : order) {
    out += "account " + std::to_string(account_id_[s]) + " owner " + std::to_string(owner_id_[s]) +
           " strategic " + std::to_string(strategic_[s]) + " override " +
           std::to_string(tier_override_[s]) + " industry " + words_.Text(industry_[s]) +
           " region " + words_.Text(region_[s]) + " name " + name_folded_[s] + "\n";
    out += "  csm " + std::to_string(csm_id_[s]) + " potential " + std::to_string(potential_[s]) +
           "\n";
    for (const Line& l : lines_[s]) {
      out += "  line " + std::to_string(l.id) + " " + std::to_string(l.start) + ".." +
             std::to_string(l.end) + " " + std::to_string(l.arr_cents) + "\n";
    }
    auto put = [&](std::string_view what, std::initializer_list<int64_t> fields) {
      out += "  ";
      out += what;
      for (int64_t f : fields) out += " " + std::to_string(f);
      out += "\n";
    };
    for (const auto& r : contacts_.Of(s)) {
      put("contact", {r.id, r.last_engaged, r.role, r.stance, r.influence, r.active, r.departed});
    }
    for (const auto& r : opps_.Of(s)) {
      put("opportunity", {r.id, r.amount_cents, r.created, r.close, r.type, r.stage});
    }
    for (const auto& r : activities_.Of(s)) put("activity", {r.id, r.day});
    for (const auto& r : participants_.Of(s)) put("participant", {r.id, r.contact_id});
    for (const auto& r : owner_spans_.Of(s)) put("owner since", {r.id, owners_[r.owner]});
    for (const auto& r : tickets_.Of(s)) {
      put("ticket", {r.id, r.opened, r.closed, r.severity, r.escalated});
    }
    for (const auto& r : nps_.Of(s)) put("nps", {r.id, r.day, r.score});
    for (const auto& r : usage_.Of(s)) put("usage", {r.id, r.day, r.active_users, r.seats});
    for (const auto& r : overrides_.Of(s)) {
      put("override " + r.reason, {r.id, r.set_on, r.expires, r.score});
    }
    for (const auto& r : plans_.Of(s)) put("plan", {r.id, r.reviewed, r.changed});
    for (const auto& r : priorities_.Of(s)) put("priority", {r.id});
    for (const auto& r : risks_.Of(s)) put("risk", {r.id, r.has_owner, r.status});
    for (const auto& r : cells_.Of(s)) put("cell", {r.id, r.potential_cents, r.status});
    for (const auto& r : actions_.Of(s)) put("action", {r.id, r.due, r.has_owner, r.status});
    for (const auto& r : plan_versions_.Of(s)) put("plan version", {r.id, r.day, r.parts});
    for (const auto& r : sentiments_.Of(s)) {
      put("sentiment", {r.id, r.day, r.score_milli, r.source});
    }
  }
  return out;
}

}  // namespace orchard::engine
