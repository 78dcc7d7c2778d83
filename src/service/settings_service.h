// SettingsService: the configurable defaults of PRODUCT.md, read by everyone, changed by admins.
// It holds the settings in force for this server (services read them through Current()), and
// writes a change to the `settings` table with its audit entry in one transaction.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "domain/settings.h"
#include "service/actor.h"
#include "store/pool.h"

namespace orchard::service {

class SettingsService {
 public:
  SettingsService(store::ConnectionPool& pool, const Clock& clock, Settings initial)
      : pool_(pool), clock_(clock), current_(std::move(initial)) {}

  Settings Current() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  // Every setting as key → value (the stored ones and the defaults).
  std::map<std::string, std::string> All() const;
  // Applies `changes` (key → whole-number text) all or nothing; admins only.
  Result<std::map<std::string, std::string>> Change(
      const Actor& actor, const std::map<std::string, std::string>& changes);

 private:
  store::ConnectionPool& pool_;
  const Clock& clock_;
  mutable std::mutex mu_;
  Settings current_;
};

}  // namespace orchard::service
