// RetentionFigures: NRR, GRR, expansion, contraction and churn of one cohort (PRODUCT.md,
// Metrics), summed account by account. engine/retention.h computes them for any period and
// grouping; the day columns keep the trailing year's by owner (engine/read_model.h). The sums are
// CentsTotal (core/money.h), so no stored amount overflows them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "core/money.h"

namespace orchard::engine {

struct RetentionFigures {
  int64_t accounts = 0;  // in the cohort
  int64_t churned_accounts = 0;
  CentsTotal start_cents;  // Σ s
  CentsTotal end_cents;    // Σ e
  CentsTotal expansion_cents;
  CentsTotal contraction_cents;
  CentsTotal churn_cents;
  CentsTotal retained_cents;  // Σ min(e, s)
  // Ratios in basis points (10000 = 100%), rounded half away from zero; none for an empty cohort.
  std::optional<int64_t> nrr_bp() const;
  std::optional<int64_t> grr_bp() const;
  // One account: s its ARR at the start, e at the end.
  void Add(int64_t s, int64_t e) {
    if (s <= 0) return;  // a new logo (or nothing): not in the cohort
    ++accounts;
    start_cents += s;
    end_cents += e;
    retained_cents += std::min(s, e);
    if (e == 0) {
      ++churned_accounts;
      churn_cents += s;
    } else if (e > s) {
      expansion_cents += e;  // e − s, in 128 bits
      expansion_cents -= s;
    } else {
      contraction_cents += s;
      contraction_cents -= e;
    }
  }
  // Takes one account's Add back (sign -1) or adds it (1): for totals kept across writes.
  void Count(int64_t s, int64_t e, int sign) {
    if (s <= 0) return;
    RetentionFigures one;
    one.Add(s, e);
    if (sign < 0) one.Negate();
    Merge(one);
  }
  void Negate() {
    accounts = -accounts;
    churned_accounts = -churned_accounts;
    for (CentsTotal* f : {&start_cents, &end_cents, &expansion_cents, &contraction_cents,
                          &churn_cents, &retained_cents}) {
      f->Negate();
    }
  }
  // The figures of both cohorts together.
  void Merge(const RetentionFigures& o) {
    accounts += o.accounts;
    churned_accounts += o.churned_accounts;
    start_cents += o.start_cents;
    end_cents += o.end_cents;
    expansion_cents += o.expansion_cents;
    contraction_cents += o.contraction_cents;
    churn_cents += o.churn_cents;
    retained_cents += o.retained_cents;
  }
  bool operator==(const RetentionFigures&) const = default;
};

}  // namespace orchard::engine
