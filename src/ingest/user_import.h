// A sales-teams file imported as users (`orchard import csv --object users`): each row a person
// (name, e-mail, external id, regional office) and their manager, by name or e-mail. A team in
// Orchard is a manager and their reports (the automation's round-robin and the dashboards' team
// filter read it so), so the manager links make the teams. People Orchard lacks are added as
// inactive users without a password (they cannot sign in until an admin sets them up): role am,
// or manager for someone named as a manager. An existing user keeps their password, role and
// active flag; only their manager, office, external id and an empty name are filled in. Every
// added or changed user is audited.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "ingest/import.h"
#include "store/database.h"

namespace orchard::ingest {

// {"columns": {"sales_agent": "name", "manager": "manager", "regional_office": "office"},
//  "source": "maven"}: the fields are name, email, external_id, manager and office (or team).
struct UserMap {
  std::map<std::string, std::string> columns;  // the file's column → field
  std::optional<char> delimiter;
  std::optional<std::string> source;  // whose external_id
};
Result<UserMap> ParseUserMap(std::string_view json);

// One transaction (a dry run's rolled back): rejected rows are reported, the rest written.
Result<ImportSummary> ImportUsers(store::Database& db, const Clock& clock, const std::string& path,
                                  const UserMap& map, const ImportOptions& options);

}  // namespace orchard::ingest
