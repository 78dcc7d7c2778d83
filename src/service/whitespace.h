// Whitespace, part 3 of an account plan (PRODUCT.md): the matrix of the account's divisions × the
// product catalogue, each cell owned / in pipeline / competitor / open / not a fit with a $
// potential — entered, or sized from the division's headcount × the product's price × an adoption
// assumption the user sees and changes — with row, column and account totals; and an open cell
// turned into a linked upsell or cross-sell opportunity in one call.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/entities.h"
#include "engine/read_model.h"
#include "service/actor.h"
#include "store/pool.h"
#include "store/store.h"

namespace orchard::service {

// headcount × price × adoption (basis points: 2500 = 25%), rounded half up to the cent.
Money SizedPotential(int64_t headcount, Money price, int adoption_bp);

// Run on every cell write before it is stored (EntityService, after the cell's own rules in
// domain/rules.h): a sized cell takes its potential from its division and product; the division
// must be of the plan's account; a plan has one cell per division × product. Each refusal names
// the field.
Status PrepareCell(store::Database& db, WhitespaceCell& cell);

// What the matrix counts as whitespace: domain/enums.h CountsAsWhitespace, the engine's rule too.
using ::orchard::CountsAsWhitespace;

struct WhitespaceTotals {
  int64_t whitespace_cents = 0;  // Σ potential of the cells that count (CountsAsWhitespace)
  int64_t owned_arr_cents = 0;   // ARR today on contract lines of the row / column / account
  int64_t open_cells = 0;
  bool operator==(const WhitespaceTotals&) const = default;
};

struct WhitespaceMatrix {
  AccountPlan plan;
  std::vector<Division> divisions;  // the rows, by name
  std::vector<Product> products;    // the columns: the active catalogue and any product a cell
                                    // or a contract line of the account names, by name
  std::vector<WhitespaceCell> cells;
  // ARR today by (division, product) from the account's contract lines; lines without a
  // division count in their product's column and the account's total only.
  std::map<std::pair<int64_t, int64_t>, int64_t> owned_arr_cents;
  std::map<int64_t, WhitespaceTotals> by_division, by_product;
  WhitespaceTotals total;
};
Result<WhitespaceMatrix> ReadWhitespace(store::Database& db, PlanId plan, Date today);

// Turning an open cell into an opportunity: each field left out takes its default.
struct CellOpportunity {
  std::optional<std::string> name;        // default: "<product> for <division>"
  std::optional<Money> amount;            // default: the cell's potential
  std::optional<Date> close_date;         // default: 90 days from today
  std::optional<OpportunityStage> stage;  // default: prospecting; an open stage
};
struct ConvertedCell {
  Opportunity opportunity;  // upsell if the account already has the product, else cross-sell
  WhitespaceCell cell;      // now in pipeline, linked to the opportunity
};
// One transaction: the opportunity (owned by the account's AM, for the cell's division and
// product) is created and the cell moves to in pipeline with its link, both audited and applied
// to the model together. Refused, changing nothing, unless the cell is open and not yet linked.
Result<ConvertedCell> ConvertCell(store::ConnectionPool& pool, const Clock& clock,
                                  engine::ReadModel* model, const Actor& actor,
                                  WhitespaceCellId cell_id, const CellOpportunity& request);

}  // namespace orchard::service
