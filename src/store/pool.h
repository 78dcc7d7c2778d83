// ConnectionPool: a fixed set of Database connections shared by the server's worker threads.
// Acquire() lends one out (waiting if all are busy); the Lease gives it back when destroyed.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/database.h"

namespace orchard::store {

class ConnectionPool {
 public:
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr && db_ != nullptr) pool_->Release(std::move(db_));
    }
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Database> db_;
  };

  // Connections open lazily, up to size; the first is opened at once so a bad URL fails early.
  static Result<std::unique_ptr<ConnectionPool>> Open(std::string url, int size);

  Result<Lease> Acquire();
  int size() const { return size_; }
  // For work that needs a connection of its own for long (an import): open one with this.
  const std::string& url() const { return url_; }
  int in_use() const;

 private:
  ConnectionPool(std::string url, int size) : url_(std::move(url)), size_(size) {}
  void Release(std::unique_ptr<Database> db);

  const std::string url_;
  const int size_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Database>> idle_;
  // Its connections' writers take turns (SQLite): see WriterTurns.
  const std::shared_ptr<WriterTurns> turns_ = std::make_shared<WriterTurns>();
  int opened_ = 0;
};

}  // namespace orchard::store
