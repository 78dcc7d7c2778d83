#include "engine/read_model.h"

#include <algorithm>
#include <mutex>

#include "store/store.h"

namespace orchard::engine {

namespace {

Line ToLine(const ContractLine& l) {
  Line out;
  out.id = l.id.value;
  out.start = l.start_date.days();
  out.end = l.end_date ? l.end_date->days() : INT32_MAX;
  out.arr_cents = l.arr.cents();
  return out;
}

template <class T>
Status ScanAll(store::Database& db, const std::function<void(T&&)>& take) {
  static const std::string sql = "SELECT " + store::SelectList<T>() + " FROM " +
                                 std::string(EntitySchema<T>::kTable) + " ORDER BY id";
  return db.Query(sql, {}, [&](const store::Row& row) -> Status {
    ORCHARD_TRY(T item, store::FromRow<T>(row));
    take(std::move(item));
    return Ok();
  });
}

}  // namespace

uint32_t Dictionary::Intern(const std::string& text) {
  auto [it, added] = codes_.try_emplace(text, static_cast<uint32_t>(texts_.size()));
  if (added) texts_.push_back(text);
  return it->second;
}

Result<std::unique_ptr<ReadModel>> ReadModel::Load(store::Database& db) {
  auto model = std::make_unique<ReadModel>();
  // One read transaction, so accounts and lines are from the same moment.
  ORCHARD_CHECK(db.ExecScript(db.dialect() == store::Dialect::kSqlite ? "BEGIN DEFERRED"
                                                                      : "BEGIN READ ONLY"));
  Status scanned = Ok();
  auto seq = db.QueryInt("SELECT MAX(seq) FROM change_log");
  if (seq) {
    model->loaded_seq_ = seq->value_or(0);
  } else {
    scanned = std::unexpected(seq.error());
  }
  if (scanned) scanned = ScanAll<Account>(db, [&](Account&& a) { model->Upsert(a); });
  if (scanned) {
    scanned = ScanAll<ContractLine>(db, [&](ContractLine&& l) { model->Upsert(l); });
  }
  Status ended = db.Rollback();
  ORCHARD_CHECK(scanned);
  ORCHARD_CHECK(ended);
  return model;
}

size_t ReadModel::SlotFor(int64_t account_id) {
  auto [it, added] = slot_of_.try_emplace(account_id, static_cast<uint32_t>(account_id_.size()));
  if (added) {
    account_id_.push_back(account_id);
    live_.push_back(0);
    owner_id_.push_back(0);
    strategic_.push_back(0);
    tier_override_.push_back(0);
    industry_.push_back(words_.Intern(""));
    region_.push_back(words_.Intern(""));
    lines_.emplace_back();
  }
  return it->second;
}

void ReadModel::Upsert(const Account& a) {
  std::unique_lock lock(mu_);
  size_t s = SlotFor(a.id.value);
  live_[s] = 1;
  owner_id_[s] = a.owner_id ? a.owner_id->value : 0;
  strategic_[s] = a.strategic ? 1 : 0;
  tier_override_[s] =
      a.tier_override ? static_cast<uint8_t>(static_cast<int>(*a.tier_override) + 1) : uint8_t{0};
  industry_[s] = words_.Intern(a.industry);
  region_[s] = words_.Intern(a.region);
  Refresh(s);
}

void ReadModel::EraseAccount(AccountId id) {
  std::unique_lock lock(mu_);
  auto it = slot_of_.find(id.value);
  if (it == slot_of_.end()) return;
  size_t s = it->second;
  live_[s] = 0;
  for (const Line& l : lines_[s]) line_account_.erase(l.id);
  lines_[s].clear();
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

std::optional<Tier> ReadModel::tier_override(size_t slot) const {
  if (tier_override_[slot] == 0) return std::nullopt;
  return static_cast<Tier>(tier_override_[slot] - 1);
}

int32_t ReadModel::RenewalOn(size_t slot, int32_t day) const {
  int32_t renewal = INT32_MAX;
  for (const Line& l : lines_[slot]) {
    if (l.ActiveOn(day) && l.end != INT32_MAX) renewal = std::min(renewal, l.end);
  }
  return renewal;
}

const DayColumns& ReadModel::On(int32_t day) const {
  std::lock_guard lock(day_mu_);
  if (day_.day != day || day_.arr_cents.size() != account_id_.size()) {
    day_.day = day;
    day_.arr_cents.resize(account_id_.size());
    day_.renewal.resize(account_id_.size());
    for (size_t s = 0; s < account_id_.size(); ++s) {
      day_.arr_cents[s] = ArrCentsOn(s, day);
      day_.renewal[s] = RenewalOn(s, day);
    }
  }
  return day_;
}

void ReadModel::Refresh(size_t slot) {
  if (day_.day == DayColumns::kNoDay) return;
  if (day_.arr_cents.size() < account_id_.size()) {
    day_.arr_cents.resize(account_id_.size());
    day_.renewal.resize(account_id_.size());
  }
  day_.arr_cents[slot] = ArrCentsOn(slot, day_.day);
  day_.renewal[slot] = RenewalOn(slot, day_.day);
}

int64_t ReadModel::ArrCentsOn(size_t slot, int32_t day) const {
  int64_t sum = 0;
  for (const Line& l : lines_[slot]) {
    if (l.ActiveOn(day)) sum += l.arr_cents;
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
           " region " + words_.Text(region_[s]) + "\n";
    for (const Line& l : lines_[s]) {
      out += "  line " + std::to_string(l.id) + " " + std::to_string(l.start) + ".." +
             std::to_string(l.end) + " " + std::to_string(l.arr_cents) + "\n";
    }
  }
  return out;
}

}  // namespace orchard::engine
