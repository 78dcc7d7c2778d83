#include "service/whitespace.h"

#include <algorithm>
#include <set>

#include "domain/arr.h"
#include "domain/limits.h"
#include "service/entity_service.h"
#include "service/rows.h"
#include "service/unit_of_work.h"

namespace orchard::service {

Money SizedPotential(int64_t headcount, Money price, int adoption_bp) {
  // headcount × price first (below 9.2 × 10^18 for up to 10^9 people at up to $10M a seat),
  // then × adoption ÷ 10000 split into quotient and remainder so that it cannot overflow either.
  const int64_t per_year = std::clamp<int64_t>(headcount, 0, 1'000'000'000) *
                           std::clamp<int64_t>(price.cents(), 0, 1'000'000'000);
  const int64_t whole = per_year / 10000, part = per_year % 10000;
  // At most 10^18 (adoption ≤ 10000 bp: domain/rules.h), bounded to what a write may store.
  return Money::FromCents(
      std::min(kMaxMoneyCents, whole * adoption_bp + (part * adoption_bp + 5000) / 10000));
}

Status PrepareCell(store::Database& db, WhitespaceCell& cell) {
  // Its own rules (potential, competitor, adoption) are the domain's, checked before this
  // (domain/rules.h).
  store::Store store(db);
  ORCHARD_TRY(AccountId account, AccountOfPlan(db, cell.plan_id));
  ORCHARD_TRY(Division division, store.Get<Division>(cell.division_id));
  if (division.account_id != account) {
    return FailValue("division_id",
                     "division " + std::to_string(division.id.value) + " is of account " +
                         std::to_string(division.account_id.value) +
                         ", not of this plan's account " + std::to_string(account.value));
  }
  store::SqlValue params[] = {cell.plan_id.value, cell.division_id.value, cell.product_id.value,
                              cell.id.valid() ? cell.id.value : int64_t{0}};
  ORCHARD_TRY(auto twin,
              db.QueryInt("SELECT id FROM whitespace_cells WHERE plan_id = ? AND division_id = ? "
                          "AND product_id = ? AND id <> ? LIMIT 1",
                          params));
  if (twin) {
    return Fail(ErrorCode::kAlreadyExists,
                "this plan already has cell " + std::to_string(*twin) + " for division " +
                    std::to_string(cell.division_id.value) + " × product " +
                    std::to_string(cell.product_id.value) + "; change that one");
  }
  if (cell.potential_source == PotentialSource::kSized) {
    ORCHARD_TRY(Product product, store.Get<Product>(cell.product_id));
    cell.potential = SizedPotential(division.headcount, product.list_price, cell.adoption_bp);
  }
  return Ok();
}

Result<WhitespaceMatrix> ReadWhitespace(store::Database& db, PlanId plan_id, Date today) {
  store::Store store(db);
  WhitespaceMatrix m;
  ORCHARD_TRY(m.plan, store.Get<AccountPlan>(plan_id));
  const int64_t account = m.plan.account_id.value;
  ORCHARD_TRY(m.divisions, RowsWhere<Division>(store, "account_id", account));
  ORCHARD_TRY(m.cells, RowsWhere<WhitespaceCell>(store, "plan_id", plan_id.value));
  ORCHARD_TRY(auto lines, RowsWhere<ContractLine>(store, "account_id", account));
  ORCHARD_TRY(auto catalogue, RowsWhere<Product>(store, "active", true));
  std::set<int64_t> shown;
  for (const Product& p : catalogue) shown.insert(p.id.value);
  std::set<int64_t> named;
  for (const WhitespaceCell& c : m.cells) named.insert(c.product_id.value);
  for (const ContractLine& l : lines) named.insert(l.product_id.value);
  for (int64_t id : named) {
    if (shown.contains(id)) continue;
    ORCHARD_TRY(Product retired, store.Get<Product>(ProductId(id)));
    catalogue.push_back(std::move(retired));
  }
  m.products = std::move(catalogue);
  auto by_name = [](const auto& a, const auto& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  };
  std::sort(m.divisions.begin(), m.divisions.end(), by_name);
  std::sort(m.products.begin(), m.products.end(), by_name);
  for (const Division& d : m.divisions) m.by_division[d.id.value];
  for (const Product& p : m.products) m.by_product[p.id.value];
  for (const ContractLine& l : lines) {
    if (!IsActiveOn(l, today)) continue;
    const int64_t arr = l.arr.cents();
    if (l.division_id) {
      int64_t& cell = m.owned_arr_cents[{l.division_id->value, l.product_id.value}];
      cell = SaturatingAdd(cell, arr);
      int64_t& row = m.by_division[l.division_id->value].owned_arr_cents;
      row = SaturatingAdd(row, arr);
    }
    int64_t& column = m.by_product[l.product_id.value].owned_arr_cents;
    column = SaturatingAdd(column, arr);
    m.total.owned_arr_cents = SaturatingAdd(m.total.owned_arr_cents, arr);
  }
  for (const WhitespaceCell& c : m.cells) {
    if (!CountsAsWhitespace(c.status)) continue;
    const int64_t potential = c.potential.cents();
    const int64_t open = c.status == WhitespaceStatus::kOpen ? 1 : 0;
    for (WhitespaceTotals* t :
         {&m.by_division[c.division_id.value], &m.by_product[c.product_id.value], &m.total}) {
      t->whitespace_cents = SaturatingAdd(t->whitespace_cents, potential);
      t->open_cells += open;
    }
  }
  return m;
}

Result<ConvertedCell> ConvertCell(store::ConnectionPool& pool, const Clock& clock,
                                  engine::ReadModel* model, const Actor& actor,
                                  WhitespaceCellId cell_id, const CellOpportunity& request) {
  ORCHARD_TRY(auto work, UnitOfWork::Begin(pool, model));
  store::Store& store = work.store();
  ORCHARD_TRY(WhitespaceCell cell, store.Get<WhitespaceCell>(cell_id));
  const std::string which = "cell " + std::to_string(cell_id.value);
  if (cell.opportunity_id) {
    return Fail(ErrorCode::kConflict, which + " is already linked to opportunity " +
                                          std::to_string(cell.opportunity_id->value));
  }
  if (cell.status != WhitespaceStatus::kOpen) {
    return Fail(ErrorCode::kConflict, which + " is " + std::string(ToString(cell.status)) +
                                          ": only an open cell becomes an opportunity");
  }
  if (request.stage && (*request.stage == OpportunityStage::kClosedWon ||
                        *request.stage == OpportunityStage::kClosedLost)) {
    return FailValue("stage", "a new opportunity starts at an open stage");
  }
  ORCHARD_TRY(AccountId account_id, AccountOfPlan(work.db(), cell.plan_id));
  ORCHARD_TRY(Account account, store.Get<Account>(account_id));
  ORCHARD_TRY(Division division, store.Get<Division>(cell.division_id));
  ORCHARD_TRY(Product product, store.Get<Product>(cell.product_id));
  ORCHARD_TRY(auto lines, RowsWhere<ContractLine>(store, "account_id", account_id.value));
  const Date today = clock.Today();
  const bool has_product = std::any_of(lines.begin(), lines.end(), [&](const ContractLine& l) {
    return l.product_id == cell.product_id && IsActiveOn(l, today);
  });

  Opportunity o;
  o.account_id = account_id;
  // A composed name kept within a name's limit (domain/limits.h).
  o.name = request.name.value_or(TruncateText(product.name + " for " + division.name,
                                              TextLimitOf("opportunities", "name")->max_chars));
  o.type = has_product ? OpportunityType::kUpsell : OpportunityType::kCrossSell;
  o.stage = request.stage.value_or(OpportunityStage::kProspecting);
  o.amount = request.amount.value_or(cell.potential);
  o.created_on = today;
  o.close_date = request.close_date.value_or(today.AddDays(90));
  o.product_id = cell.product_id;
  o.division_id = cell.division_id;
  o.owner_id = account.owner_id;
  if (*o.close_date < today) return FailValue("close_date", "must not be before today");

  EntityService<Opportunity> opportunities(pool, clock, model);
  EntityService<WhitespaceCell> cells(pool, clock, model);
  ConvertedCell out;
  ORCHARD_TRY(out.opportunity, opportunities.CreateIn(work, actor, std::move(o)));
  ORCHARD_TRY(out.cell, cells.UpdateIn(work, actor, cell_id, 0, [&](WhitespaceCell& c) -> Status {
    c.status = WhitespaceStatus::kInPipeline;
    c.opportunity_id = out.opportunity.id;
    return Ok();
  }));
  ORCHARD_CHECK(work.Commit());
  return out;
}

}  // namespace orchard::service
