// The PostgreSQL 15 adapter over libpq: one PostgresDatabase is one connection, owned by whoever
// opened it (usually the ConnectionPool). Statements in the shared dialect have their `?`
// placeholders rewritten to `$n` once per SQL string; parameters and results travel as text;
// errors are mapped by SQLSTATE; rows stream one at a time, so a scan of millions of rows holds
// one row in memory; bulk loads go through COPY FROM STDIN. A connection the server dropped is
// reopened before the next statement, but never silently inside a transaction.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/database.h"

namespace orchard::store {

// url: "postgresql://user[:password]@host:port/dbname[?param=value&…]" (or "postgres://…").
// An unreachable server is one kUnavailable line naming host and port and the reason, e.g.
// "cannot connect to PostgreSQL at 127.0.0.1:5499: connection refused" — never the password.
// Unless the URL says otherwise: connect_timeout=10, client_encoding=UTF8,
// fallback_application_name=orchard.
Result<std::unique_ptr<Database>> OpenPostgres(std::string_view url);

// The URL with any password (in the user-info part or a password= parameter) replaced by ***,
// for messages and logs.
std::string RedactUrl(std::string_view url);

// "SELECT ? WHERE x = '?'" → "SELECT $1 WHERE x = '?'": numbers the placeholders that stand
// outside quoted literals and quoted identifiers.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace orchard::store
