// libpq's results and errors, as the PostgreSQL Database and its bulk writer read them: one
// line of message with the code its SQLSTATE implies, never a password, and a connection left
// ready for the next command. Internal to store/postgres.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace orchard::store::postgres {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// libpq messages span lines ("…failed: Connection refused\n\tIs the server running…"); a log
// line or an API error needs one.
std::string OneLine(std::string_view text);
std::string FirstLine(std::string_view text);
// Messages never carry the password, even if libpq were to echo part of the URL.
std::string Scrub(std::string message, const char* password);
// "127.0.0.1:5432", "[::1]:5432" or "socket /run/postgresql/.s.PGSQL.5432".
std::string Endpoint(PGconn* conn);
// The reason from libpq's connection message: 'connection to server at "h", port 5499 failed:
// Connection refused\n\tIs the server running…' → "connection refused".
std::string ConnectReason(std::string_view raw);
// "cannot connect to PostgreSQL at <endpoint>: <reason>".
std::string ConnectFailure(PGconn* conn);
ErrorCode CodeForSqlState(std::string_view state, bool connection_ok);
// "postgresql: <primary message> (<detail>)" with the code its SQLSTATE implies.
Error ResultError(PGconn* conn, const PGresult* res);
Error ConnectionError(PGconn* conn);
// Reads every pending result so the connection is ready for the next command; returns the first
// error among them. A COPY still open (the server refused the data mid-stream) is ended first.
Status DrainResults(PGconn* conn);
// The rows a command changed (PQcmdTuples as a number; 0 when it says none).
int64_t CmdTuples(PGresult* res);
// Table and column names are spliced into COPY and setval statements. They come from
// domain/schema.h constants, never from user input; this check keeps it that way.
bool IsPlainIdentifier(std::string_view name);

}  // namespace orchard::store::postgres
