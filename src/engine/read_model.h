// ReadModel: the book in memory, laid out for scans — one column per attribute, indexed by a dense
// account slot, with each account's contract lines packed beside it — so a question over every
// account is a loop over arrays, not a query. It is loaded from the store at start and kept
// current by the service layer, which applies every committed write (service/changes.h).
//
// Thread safety: any number of readers, one writer at a time (a shared mutex). Readers get a
// consistent view of the whole book for the length of one call.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"
#include "domain/entities.h"
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

 private:
  std::vector<std::string> texts_;
  std::unordered_map<std::string, uint32_t> codes_;
};

// What every account looks like on one day: its ARR and its next renewal (the earliest last day of
// service among the lines active that day; INT32_MAX for none). Indexed by slot.
struct DayColumns {
  static constexpr int32_t kNoDay = INT32_MIN;
  int32_t day = kNoDay;
  std::vector<int64_t> arr_cents;
  std::vector<int32_t> renewal;
};

class ReadModel {
 public:
  ReadModel() = default;

  // Reads every account and contract line (two scans, no per-account query).
  static Result<std::unique_ptr<ReadModel>> Load(store::Database& db);

  // Held by a writer from just before its commit until it has applied the change here, so that
  // changes reach the model in the order they were committed.
  std::unique_lock<std::mutex> SerializeApply() { return std::unique_lock(apply_mu_); }

  // Writes, applied after the transaction that made them committed. Upserting a line of an
  // account the model does not hold yet keeps the line until the account arrives.
  void Upsert(const Account& account);
  void EraseAccount(AccountId id);  // and its contract lines, as the database cascades
  void Upsert(const ContractLine& line);
  void EraseContractLine(ContractLineId id);

  // The change log's last sequence number when the model was loaded: a follower starts there.
  int64_t loaded_seq() const { return loaded_seq_; }

  size_t account_count() const;
  size_t line_count() const;
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
  bool strategic(size_t slot) const { return strategic_[slot] != 0; }
  std::optional<Tier> tier_override(size_t slot) const;
  const std::string& industry(size_t slot) const { return words_.Text(industry_[slot]); }
  const std::string& region(size_t slot) const { return words_.Text(region_[slot]); }
  int64_t ArrCentsOn(size_t slot, int32_t day) const;
  // The columns for `day`: built on the first question about a new day (one pass over the lines),
  // then kept current by every write, so a dashboard for today walks no contract lines. Valid
  // while the caller holds ReadLock().
  const DayColumns& On(int32_t day) const;
  const std::vector<Line>& lines(size_t slot) const { return lines_[slot]; }

 private:
  size_t SlotFor(int64_t account_id);  // creates an empty, not yet live slot if needed
  void Refresh(size_t slot);           // the day columns of one slot, after a write
  int32_t RenewalOn(size_t slot, int32_t day) const;

  mutable std::shared_mutex mu_;
  std::mutex apply_mu_;
  // Built by a reader (under the shared lock, so under day_mu_ too), changed by writers (under the
  // exclusive lock, when no reader can be looking).
  mutable std::mutex day_mu_;
  mutable DayColumns day_;
  int64_t loaded_seq_ = 0;
  Dictionary words_;
  std::unordered_map<int64_t, uint32_t> slot_of_;  // account id → slot
  // One entry per slot. A deleted account's slot stays, not live, and is reused by no one: ids
  // are never reused either.
  std::vector<int64_t> account_id_;
  std::vector<uint8_t> live_;
  std::vector<int64_t> owner_id_;
  std::vector<uint8_t> strategic_;
  std::vector<uint8_t> tier_override_;  // 0: none, else the tier's number
  std::vector<uint32_t> industry_;
  std::vector<uint32_t> region_;
  std::vector<std::vector<Line>> lines_;               // by slot, in id order
  std::unordered_map<int64_t, int64_t> line_account_;  // line id → account id
};

}  // namespace orchard::engine
