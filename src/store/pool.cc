#include "store/pool.h"

namespace orchard::store {

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Open(std::string url, int size) {
  if (size < 1) size = 1;
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(url), size));
  ORCHARD_TRY(auto first, OpenDatabase(pool->url_));
  first->TakeTurnsWith(pool->turns_);
  pool->idle_.push_back(std::move(first));
  pool->opened_ = 1;
  return pool;
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_lock lock(mu_);
  while (idle_.empty() && opened_ >= size_) cv_.wait(lock);
  if (!idle_.empty()) {
    auto db = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(db));
  }
  ++opened_;  // reserve the slot, open outside the lock
  lock.unlock();
  auto db = OpenDatabase(url_);
  if (!db) {
    lock.lock();
    --opened_;
    cv_.notify_one();
    return std::unexpected(db.error());
  }
  (*db)->TakeTurnsWith(turns_);
  return Lease(this, std::move(*db));
}

int ConnectionPool::in_use() const {
  std::lock_guard lock(mu_);
  return opened_ - static_cast<int>(idle_.size());
}

void ConnectionPool::Release(std::unique_ptr<Database> db) {
  // A lease given back mid-transaction (an early return that skipped the Transaction guard)
  // must not hand its open transaction, and its locks, to the next borrower. Rollback is a
  // no-op when none is open; a connection that cannot even roll back is closed, not reused.
  bool usable = static_cast<bool>(db->Rollback());
  std::lock_guard lock(mu_);
  if (usable) {
    idle_.push_back(std::move(db));
  } else {
    --opened_;
  }
  cv_.notify_one();
}

}  // namespace orchard::store
