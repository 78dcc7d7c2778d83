// What the round-trip tests (roundtrip_test, sf_roundtrip_test) compare a book by: the KPI strip's
// depth, at-risk count, NRR, ARR and response SLA tallies on the day, and their file and count
// helpers.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <string>

#include "core/date.h"
#include "domain/settings.h"
#include "engine/dashboards.h"
#include "engine/read_model.h"
#include "store/database.h"

namespace orchard::testing {

inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `sql`'s one integer; -1 (and a failed expectation) when the query fails.
inline int64_t Count(store::Database& db, const std::string& sql) {
  auto n = db.QueryInt(sql);
  EXPECT_TRUE(n) << sql << ": " << n.error().message;
  return n ? n->value_or(-1) : -1;
}

struct BookFigures {
  double depth = 0;
  int64_t at_risk = 0;
  std::optional<int64_t> nrr_bp;
  int64_t arr_cents = 0;
  int64_t sla_met = 0, sla_missed = 0;
  bool operator==(const BookFigures&) const = default;
};

inline void PrintTo(const BookFigures& f, std::ostream* os) {
  *os << "{depth " << f.depth << ", at risk " << f.at_risk << ", NRR "
      << (f.nrr_bp ? std::to_string(*f.nrr_bp) + " bp" : std::string("none")) << ", ARR "
      << f.arr_cents << " cents, SLA " << f.sla_met << " met / " << f.sla_missed << " missed}";
}

// The book in `db` loaded and its KPI strip on `today`, under the default settings.
inline BookFigures FiguresOf(store::Database& db, Date today) {
  auto model = engine::ReadModel::Load(db);
  EXPECT_TRUE(model) << model.error().message;
  if (!model) return {};
  engine::Kpis k = engine::KpiStrip(**model, Settings(), today, {});
  return {k.average_depth, k.at_risk, k.retention.nrr_bp(), k.arr_cents, k.sla.met, k.sla.missed};
}

}  // namespace orchard::testing
