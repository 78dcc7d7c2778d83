#include "predict/examples.h"

#include <algorithm>

#include "predict/features.h"

namespace orchard::predict {

namespace {

// splitmix64 of the account and the day: which examples a sampled history keeps.
uint64_t Hash(int64_t account, int32_t day) {
  uint64_t z = static_cast<uint64_t>(account) * 0x9e3779b97f4a7c15ULL + static_cast<uint32_t>(day);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Split SplitAtCutoff(const Examples& ex) {
  Split split;
  if (ex.snapshot.empty()) return split;
  std::vector<int32_t> days = ex.snapshot;
  std::sort(days.begin(), days.end());
  split.cutoff = days[days.size() * 7 / 10];
  for (size_t i = 0; i < ex.snapshot.size(); ++i) {
    if (ex.outcome[i] < split.cutoff) split.train.push_back(i);
    if (ex.snapshot[i] >= split.cutoff) split.test.push_back(i);
  }
  return split;
}

Examples BuildExamples(ModelKind kind, const engine::ReadModel& model, const Settings& settings,
                       Date today) {
  Examples ex;
  ex.data.feature_names = FeatureKeys();
  const size_t cols = ex.data.cols();
  const int32_t now = today.days();
  auto lock = model.ReadLock();
  // The share of candidates kept: every one below kMostExamples (estimated from the live slots
  // and the snapshots taken).
  size_t live = 0;
  for (size_t slot = 0; slot < model.slots(); ++slot) live += model.live(slot);
  const size_t per_snapshot = kind == ModelKind::kChurn ? live / 12 + 1 : live;
  const size_t snapshots =
      kind == ModelKind::kChurn ? kGridSnapshots : kGridSnapshots / kUpsellEvery;
  const double keep = std::min(
      1.0, static_cast<double>(kMostExamples) / static_cast<double>(per_snapshot * snapshots));
  const uint64_t threshold = static_cast<uint64_t>(keep * 18446744073709551615.0);
  engine::DayColumns columns;
  for (int k = kGridSnapshots; k >= 1; --k) {
    const int32_t day = now - k * kGridStep;
    if (kind == ModelKind::kUpsell && (day + kUpsellHorizon > now || k % kUpsellEvery != 0))
      continue;
    model.BuildColumnsOn(day, settings, columns);
    for (size_t slot = 0; slot < model.slots(); ++slot) {
      if (!model.live(slot) || columns.arr_cents[slot] <= 0) continue;
      int32_t outcome = 0;
      int label = 0;
      if (kind == ModelKind::kChurn) {
        const int32_t renewal = columns.renewal[slot];
        if (renewal == INT32_MAX) continue;
        const int32_t lead = renewal - day;
        if (lead < kRenewalLeadMin || lead > kRenewalLeadMax || renewal + 1 > now) continue;
        outcome = renewal + 1;
        label = model.ArrCentsOn(slot, outcome) < model.ArrCentsOn(slot, renewal) ? 1 : 0;
      } else {
        outcome = day + kUpsellHorizon;
        const double before = static_cast<double>(columns.arr_cents[slot]);
        label =
            static_cast<double>(model.ArrCentsOn(slot, outcome)) > before * (1 + kExpansionShare)
                ? 1
                : 0;
      }
      if (keep < 1 && Hash(model.account_id(slot), day) > threshold) continue;
      const size_t row = ex.data.rows();
      ex.data.values.resize((row + 1) * cols);
      FeatureRow(model, columns, slot, settings,
                 std::span<float>(ex.data.values.data() + row * cols, cols));
      ex.data.labels.push_back(label);
      ex.snapshot.push_back(day);
      ex.outcome.push_back(outcome);
      ex.account.push_back(model.account_id(slot));
    }
  }
  return ex;
}

}  // namespace orchard::predict
