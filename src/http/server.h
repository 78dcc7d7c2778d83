// Server: the HTTP/1.1 front door (Boost.Beast over Asio, async, keep-alive). It owns the
// worker threads and the listening socket; every request goes to the Router. Beast stays inside
// server.cc so only one translation unit pays for its headers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/router.h"

namespace spdlog {
class logger;
}

namespace orchard::http {

class Metrics;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;      // 0: any free port (see Server::port())
  int threads = 2;           // event loops, each one io_context on its own thread
  int blocking_threads = 4;  // the pool that runs routes marked RouteDoc::Blocking()
  // Connections open at once; past it a new one is answered 503 and closed, and those open keep
  // being served. 0: from the file-descriptor limit (RLIMIT_NOFILE less 128 for the database,
  // files and Chromium), at most 10,000.
  int max_connections = 0;
  // Behind a reverse proxy that terminates TLS: believe X-Forwarded-Proto (cookies get Secure)
  // and X-Forwarded-For (the client's address, for sign-in throttling).
  bool trust_proxy = false;
  size_t body_limit = 1 << 20;                 // larger bodies get 413
  int request_timeout_s = 30;                  // to read one request, headers and body
  int idle_timeout_s = 60;                     // keep-alive connections idle longer are closed
  int drain_timeout_s = 5;                     // on Stop(), how long in-flight requests may finish
  std::shared_ptr<spdlog::logger> access_log;  // one line per request; none if null
  Metrics* metrics = nullptr;                  // requests and latency by route; none if null
};

class Server {
 public:
  Server(const Router& router, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the worker threads. A bind failure is one line naming the address.
  Status Start();
  uint16_t port() const;
  // The connection cap in force (max_connections, or what 0 chose).
  int max_connections() const;
  // Stops on SIGINT or SIGTERM (graceful, like Stop()).
  void StopOnSignals();
  // Stops accepting, lets in-flight requests finish (up to drain_timeout_s), then stops.
  void Stop();
  // Blocks until the server has stopped.
  void Wait();

  class Impl;  // public only so server.cc's sessions can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace orchard::http
