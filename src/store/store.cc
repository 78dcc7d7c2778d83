#include "store/store.h"

namespace orchard::store {

Result<std::vector<Setting>> Store::LoadSettings() {
  std::vector<Setting> rows;
  ORCHARD_CHECK(
      db_.Query("SELECT key, value FROM settings ORDER BY key", {}, [&](const Row& row) -> Status {
        rows.push_back(Setting{std::string(row.GetText(0)), std::string(row.GetText(1))});
        return Ok();
      }));
  return rows;
}

Status Store::SaveSetting(const Setting& setting) {
  SqlValue params[] = {setting.key, setting.value};
  ORCHARD_CHECK(
      db_.Exec("INSERT INTO settings (key, value) VALUES (?, ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               params));
  return Ok();
}

}  // namespace orchard::store
