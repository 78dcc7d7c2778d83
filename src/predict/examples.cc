#include "predict/examples.h"

#include "predict/features.h"

namespace orchard::predict {

Examples BuildExamples(ModelKind kind, const engine::ReadModel& model, const Settings& settings,
                       Date today) {
  Examples ex;
  ex.data.feature_names = FeatureKeys();
  const size_t cols = ex.data.cols();
  const int32_t now = today.days();
  auto lock = model.ReadLock();
  engine::DayColumns columns;
  for (int k = kGridSnapshots; k >= 1; --k) {
    const int32_t day = now - k * kGridStep;
    if (kind == ModelKind::kUpsell && day + kUpsellHorizon > now) continue;
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
