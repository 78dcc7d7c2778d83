// libpq's results and errors (results.h).
#include "store/postgres/results.h"

#include <charconv>
#include <utility>

namespace orchard::store::postgres {

// libpq messages span lines ("…failed: Connection refused\n\tIs the server running…"); a log
// line or an API error needs one.
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string FirstLine(std::string_view text) {
  size_t nl = text.find('\n');
  return OneLine(text.substr(0, nl));
}

// Messages never carry the password, even if libpq were to echo part of the URL.
std::string Scrub(std::string message, const char* password) {
  if (password == nullptr || *password == '\0') return message;
  std::string_view secret(password);
  for (size_t pos = message.find(secret); pos != std::string::npos;
       pos = message.find(secret, pos + 3)) {
    message.replace(pos, secret.size(), "***");
  }
  return message;
}

// "127.0.0.1:5432", "[::1]:5432" or "socket /run/postgresql/.s.PGSQL.5432".
std::string Endpoint(PGconn* conn) {
  std::string host = PQhost(conn) != nullptr ? PQhost(conn) : "";
  std::string port = PQport(conn) != nullptr && *PQport(conn) != '\0' ? PQport(conn) : "5432";
  if (host.empty()) host = "localhost";
  if (host.starts_with('/')) return "socket " + host + "/.s.PGSQL." + port;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return host + ":" + port;
}

// The reason from libpq's connection message: 'connection to server at "h", port 5499 failed:
// Connection refused\n\tIs the server running…' → "connection refused".
std::string ConnectReason(std::string_view raw) {
  std::string line = FirstLine(raw);
  if (size_t failed = line.find(" failed: "); failed != std::string::npos) {
    line.erase(0, failed + 9);
  }
  for (std::string_view prefix : {"FATAL: ", "ERROR: "}) {
    if (line.starts_with(prefix)) line.erase(0, prefix.size());
  }
  if (line.empty()) return "unknown error";
  // "Connection refused" reads as part of our sentence; "SSL error" keeps its capitals.
  if (line.size() > 1 && line[0] >= 'A' && line[0] <= 'Z' && line[1] >= 'a' && line[1] <= 'z') {
    line[0] = static_cast<char>(line[0] - 'A' + 'a');
  }
  return line;
}

std::string ConnectFailure(PGconn* conn) {
  std::string message =
      "cannot connect to PostgreSQL " +
      std::string(PQhost(conn) != nullptr && PQhost(conn)[0] == '/' ? "on " : "at ") +
      Endpoint(conn) + ": " + ConnectReason(PQerrorMessage(conn));
  return Scrub(std::move(message), PQpass(conn));
}

ErrorCode CodeForSqlState(std::string_view state, bool connection_ok) {
  if (state == "23505") return ErrorCode::kAlreadyExists;
  // Integrity (foreign key, check, not null): a readable value the schema's rules refuse. Data
  // errors (bad date, value too long): a value that cannot be read as its column's type.
  if (state.starts_with("23")) return ErrorCode::kInvalidValue;
  if (state.starts_with("22")) return ErrorCode::kInvalidArgument;
  if (state == "40001" || state == "40P01") return ErrorCode::kConflict;
  if (state == "55P03") return ErrorCode::kUnavailable;  // lock_timeout: held by another writer
  // Connection exceptions, a server shutting down or out of connections, a database that only
  // reads (25006: a standby, or default_transaction_read_only): try again later.
  if (state.starts_with("08") || state.starts_with("57P") || state.starts_with("53") ||
      state == "25006" || !connection_ok) {
    return ErrorCode::kUnavailable;
  }
  return ErrorCode::kInternal;
}

// "postgresql: <primary message> (<detail>)" with the code its SQLSTATE implies.
Error ResultError(PGconn* conn, const PGresult* res) {
  bool connection_ok = PQstatus(conn) == CONNECTION_OK;
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = "postgresql: ";
  if (primary != nullptr) {
    message += OneLine(primary);
    if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
      message += " (" + OneLine(detail) + ")";
    }
  } else {
    // No server error: libpq lost the connection or could not send. Its first line says which.
    const char* raw = res != nullptr ? PQresultErrorMessage(res) : "";
    if (raw == nullptr || *raw == '\0') raw = PQerrorMessage(conn);
    if (!connection_ok) message += "lost the connection to " + Endpoint(conn) + ": ";
    message += FirstLine(raw != nullptr ? raw : "");
  }
  ErrorCode code = CodeForSqlState(state != nullptr ? state : "", connection_ok);
  return Error{code, Scrub(std::move(message), PQpass(conn)), {}};
}

Error ConnectionError(PGconn* conn) { return ResultError(conn, nullptr); }

// Reads every pending result so the connection is ready for the next command; returns the first
// error among them. A COPY still open (the server refused the data mid-stream) is ended first.
Status DrainResults(PGconn* conn) {
  Status status = Ok();
  int copy_ends = 0;
  while (PGresult* raw = PQgetResult(conn)) {
    ResultPtr res(raw);
    ExecStatusType st = PQresultStatus(raw);
    if (st == PGRES_COPY_IN || st == PGRES_COPY_BOTH) {
      // PQgetResult answers COPY_IN until the copy ends; if even ending it fails, stop asking.
      if (++copy_ends > 1 || PQputCopyEnd(conn, "aborted by the client") != 1) {
        if (status) status = std::unexpected(ConnectionError(conn));
        break;
      }
      continue;
    }
    if (st == PGRES_COPY_OUT) {
      char* buffer = nullptr;
      while (PQgetCopyData(conn, &buffer, 0) > 0) PQfreemem(buffer);
      continue;
    }
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY && status) {
      status = std::unexpected(ResultError(conn, raw));
    }
  }
  return status;
}

int64_t CmdTuples(PGresult* res) {
  std::string_view text = PQcmdTuples(res);
  int64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

// Table and column names are spliced into COPY and setval statements. They come from
// domain/schema.h constants, never from user input; this check keeps it that way.
bool IsPlainIdentifier(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace orchard::store::postgres
