// The PostgreSQL 15 adapter over libpq: parameters sent as text with `?` rewritten to `$n`,
// errors mapped by SQLSTATE, bulk loads through COPY FROM STDIN.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/database.h"

namespace orchard::store {

// url: "postgresql://user[:password]@host:port/dbname[?options]". An unreachable server is one
// kUnavailable line naming host and port, never the password.
Result<std::unique_ptr<Database>> OpenPostgres(std::string_view url);

// The URL with any password removed, for messages and logs.
std::string RedactUrl(std::string_view url);

// "SELECT ? WHERE x = '?'" → "SELECT $1 WHERE x = '?'": placeholders outside quoted literals.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace orchard::store
