#include "automation/state.h"

namespace orchard::automation {

Result<std::optional<std::string>> ReadState(store::Database& db, std::string_view key) {
  std::optional<std::string> out;
  store::SqlValue p[] = {std::string(key)};
  ORCHARD_CHECK(db.Query("SELECT value FROM automation_state WHERE key = ?", p,
                         [&](const store::Row& row) -> Status {
                           out = std::string(row.GetText(0));
                           return Ok();
                         }));
  return out;
}

Result<std::string> WriteState(store::Database& db, std::string_view key, const std::string& value,
                               bool overwrite) {
  store::SqlValue p[] = {std::string(key), value};
  ORCHARD_CHECK(db.Exec(overwrite ? "INSERT INTO automation_state (key, value) VALUES (?, ?) ON "
                                    "CONFLICT (key) DO UPDATE SET value = excluded.value"
                                  : "INSERT INTO automation_state (key, value) VALUES (?, ?) ON "
                                    "CONFLICT (key) DO NOTHING",
                        p));
  if (overwrite) return value;
  ORCHARD_TRY(auto stored, ReadState(db, key));
  return stored.value_or(value);
}

}  // namespace orchard::automation
