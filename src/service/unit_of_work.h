// UnitOfWork: one transaction that may write several rows (of any entities) through
// EntityService<T>::CreateIn/UpdateIn/DeleteIn, each validated, authorized, audited and logged as
// a single write is. Commit() commits them together and then applies them to the read model in
// the order they were made, under the model's apply lock, so the model never sees part of a unit
// (a whitespace cell turned into an opportunity, a handoff accepted, a review held). Destroyed
// without Commit(), it rolls back: nothing of it is stored or applied. The staged updates hold
// the model, not the services that made them: a service may go before the unit commits.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "engine/read_model.h"
#include "store/pool.h"
#include "store/store.h"

namespace orchard::service {

class UnitOfWork {
 public:
  static Result<UnitOfWork> Begin(store::ConnectionPool& pool, engine::ReadModel* model) {
    ORCHARD_TRY(auto lease, pool.Acquire());
    ORCHARD_TRY(auto tx, store::Transaction::Begin(*lease));
    return UnitOfWork(std::move(lease), std::move(tx), model);
  }
  UnitOfWork(UnitOfWork&&) noexcept = default;

  store::Database& db() { return *lease_; }
  store::Store& store() { return *store_; }
  engine::ReadModel* model() const { return model_; }

  // The workflow this unit runs, if any: some fields only change through one (a handoff's
  // status through its acceptance, service/handoff.h).
  static constexpr std::string_view kAcceptHandoff = "accept-handoff";
  void SetWorkflow(std::string_view name) { workflow_ = name; }
  std::string_view workflow() const { return workflow_; }

  // Runs after the commit, in the order added, holding the model's apply lock.
  void ThenApply(std::function<void()> apply) {
    if (model_ != nullptr && apply) applies_.push_back(std::move(apply));
  }

  Status Commit() {
    if (model_ == nullptr) return tx_->Commit();
    auto in_order = model_->SerializeApply();
    ORCHARD_CHECK(tx_->Commit());
    for (const auto& apply : applies_) apply();
    const bool applied = !applies_.empty();
    applies_.clear();
    in_order.unlock();
    if (applied) model_->Applied();
    return Ok();
  }

 private:
  UnitOfWork(store::ConnectionPool::Lease lease, store::Transaction tx, engine::ReadModel* model)
      : lease_(std::move(lease)),
        store_(std::make_unique<store::Store>(*lease_)),
        tx_(std::move(tx)),
        model_(model) {}

  store::ConnectionPool::Lease lease_;
  std::unique_ptr<store::Store> store_;
  std::optional<store::Transaction> tx_;
  engine::ReadModel* model_;
  std::vector<std::function<void()>> applies_;
  std::string_view workflow_;
};

}  // namespace orchard::service
