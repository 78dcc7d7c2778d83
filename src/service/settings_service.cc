#include "service/settings_service.h"

#include "service/entity_service.h"

namespace orchard::service {

namespace {
std::map<std::string, std::string> AsMap(const Settings& s) {
  std::map<std::string, std::string> out;
  for (const auto& row : s.ToRows()) out[row.key] = row.value;
  return out;
}
}  // namespace

std::map<std::string, std::string> SettingsService::All() const { return AsMap(Current()); }

Result<std::map<std::string, std::string>> SettingsService::Change(
    const Actor& actor, const std::map<std::string, std::string>& changes) {
  if (!Policy::CanAdminister(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins change settings");
  }
  std::vector<Setting> rows;
  for (const auto& [k, v] : changes) rows.push_back({k, v});
  Settings before = Current();
  Settings next = before;
  ORCHARD_CHECK(next.Apply(rows));  // names the first bad key; nothing applied
  ORCHARD_TRY(auto db, pool_.Acquire());
  store::Store store(*db);
  ORCHARD_TRY(auto tx, store::Transaction::Begin(*db));
  for (const auto& row : rows) ORCHARD_CHECK(store.SaveSetting(row));
  auto to_text = [](const std::map<std::string, std::string>& m) {
    boost::json::object o;
    for (const auto& [k, v] : m) o[k] = v;
    return boost::json::serialize(o);
  };
  ORCHARD_CHECK(WriteAudit(store, actor, clock_.Now(), "settings", 0, AuditAction::kUpdate,
                           to_text(AsMap(before)), to_text(AsMap(next))));
  ORCHARD_CHECK(tx.Commit());
  std::lock_guard lock(mu_);
  current_ = next;
  return AsMap(current_);
}

}  // namespace orchard::service
