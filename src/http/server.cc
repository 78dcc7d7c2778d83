#include "http/server.h"

#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <algorithm>
#include <atomic>

#include <boost/asio.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "http/errors.h"
#include "http/metrics.h"

namespace orchard::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

class Server::Impl : public std::enable_shared_from_this<Server::Impl> {
 public:
  Impl(const Router& router, ServerOptions options)
      : router_(router),
        options_(std::move(options)),
        workers_(MakeWorkers(options_.threads)),
        blocking_(static_cast<size_t>(std::max(1, options_.blocking_threads))),
        acceptor_(*workers_[0]),
        accept_retry_(*workers_[0]),
        signals_(*workers_[0]) {
    max_connections_ =
        options_.max_connections > 0 ? options_.max_connections : DefaultMaxConnections();
    std::random_device rd;
    id_prefix_ = std::to_string(rd() % 100000);
  }

  Status Start() {
    beast::error_code ec;
    auto address = asio::ip::make_address(options_.host, ec);
    std::string where = options_.host + ":" + std::to_string(options_.port);
    if (ec) {
      // A name such as "localhost": resolve it.
      tcp::resolver resolver(*workers_[0]);
      auto results = resolver.resolve(options_.host, std::to_string(options_.port), ec);
      if (ec || results.empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "cannot listen on " + where + ": unknown host \"" + options_.host + "\"");
      }
      address = results.begin()->endpoint().address();
    }
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Fail(ErrorCode::kUnavailable, "cannot listen on " + where + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    // /metrics is open only to a server that listens on loopback (or to its token).
    if (options_.metrics != nullptr) options_.metrics->SetLoopbackOnly(address.is_loopback());
    Accept();
    for (auto& worker : workers_) {
      guards_.push_back(asio::make_work_guard(*worker));
      threads_.emplace_back([&worker] { worker->run(); });
    }
    return Ok();
  }

  uint16_t port() const { return port_; }
  int max_connections() const { return max_connections_; }

  void StopOnSignals() {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](const beast::error_code& ec, int) {
      if (!ec) Stop();
    });
  }

  void Stop() {
    // On the acceptor's thread: closing the acceptor must not race with the accept handler
    // arming the next accept.
    asio::post(acceptor_.get_executor(), [this] {
      if (stopping_.exchange(true)) return;
      beast::error_code ignored;
      acceptor_.close(ignored);
      signals_.cancel(ignored);
      drain_deadline_ =
          std::chrono::steady_clock::now() + std::chrono::seconds(options_.drain_timeout_s);
      CheckDrained();
    });
  }

  void Wait() {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

  ~Impl() {
    StopWorkers();
    Wait();
    // A blocking handler still running finishes; its answer is posted to a stopped loop and
    // dropped with it. Handlers not started yet are abandoned.
    blocking_.stop();
    blocking_.join();
  }

  // --- used by sessions
  bool stopping() const { return stopping_; }
  const ServerOptions& options() const { return options_; }
  void RequestStarted() { ++in_flight_; }
  void RequestFinished() { --in_flight_; }
  std::string NextRequestId() { return id_prefix_ + "-" + std::to_string(++request_seq_); }
  void ConnectionOpened() { ++connections_; }
  void ConnectionClosed() { --connections_; }
  Router::Found Find(HttpRequest& request, HttpResponse* answer) const {
    return router_.Find(request, answer);
  }
  // Runs `work` on the pool of blocking workers (bounded: the rest wait their turn there, not on
  // an event loop).
  template <class F>
  void RunBlocking(F&& work) {
    asio::post(blocking_, std::forward<F>(work));
  }

  HttpResponse Call(const Router::Found& found, const HttpRequest& request) {
    try {
      return router_.Run(found, request);
    } catch (const std::exception& e) {
      // A handler that throws is a bug; the client still gets the one error shape.
      if (options_.access_log)
        options_.access_log->error("{} handler threw: {}", request.request_id, e.what());
      return ErrorResponse(
          Error{ErrorCode::kInternal, "internal error (request " + request.request_id + ")", {}});
    }
  }

 private:
  void Accept();
  void Refuse(tcp::socket socket);

  static int DefaultMaxConnections() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 10000;
    auto usable = static_cast<int64_t>(limit.rlim_cur) - 128;
    return static_cast<int>(std::clamp<int64_t>(usable, 16, 10000));
  }

  // One event loop per thread, each running the connections it was handed from start to end:
  // no lock shared between threads on the way of a request, and no strand per connection. (One
  // loop shared by all threads spent a tenth of bench/http's time in its mutex and wake-ups.)
  static std::vector<std::unique_ptr<asio::io_context>> MakeWorkers(int threads) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int i = 0; i < std::max(1, threads); ++i) {
      out.push_back(std::make_unique<asio::io_context>(1));
    }
    return out;
  }

  void StopWorkers() {
    for (auto& worker : workers_) worker->stop();
  }

  // Polls until in-flight requests are done or the drain deadline passes, then stops the loops.
  void CheckDrained() {
    if (in_flight_ == 0 || std::chrono::steady_clock::now() >= drain_deadline_) {
      StopWorkers();
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(*workers_[0], std::chrono::milliseconds(20));
    timer->async_wait([this, timer](const beast::error_code&) { CheckDrained(); });
  }

  const Router& router_;
  ServerOptions options_;
  // Before the loops: sessions dropped with a loop's queue still count themselves out.
  std::atomic<int> connections_{0};
  int max_connections_ = 0;
  std::vector<std::unique_ptr<asio::io_context>> workers_;  // [0] also accepts and drains
  asio::thread_pool blocking_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  size_t next_worker_ = 0;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;  // out of file descriptors: wait, do not spin
  asio::signal_set signals_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};
  std::atomic<uint64_t> request_seq_{0};
  std::string id_prefix_;
  uint16_t port_ = 0;
  std::chrono::steady_clock::time_point drain_deadline_;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    server_.ConnectionOpened();
  }
  ~Session() { server_.ConnectionClosed(); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Run() { Read(); }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(server_.options().body_limit);
    parser_->header_limit(64 * 1024);
    // The first request may take request_timeout_s; an idle keep-alive wait, idle_timeout_s.
    stream_.expires_after(std::chrono::seconds(requests_ == 0 ? server_.options().request_timeout_s
                                                              : server_.options().idle_timeout_s));
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
      return Close();
    }
    started_ = std::chrono::steady_clock::now();
    server_.RequestStarted();
    ++requests_;
    HttpRequest request;
    request.request_id = server_.NextRequestId();
    HttpResponse response;
    bool keep_alive = false;
    unsigned version = 11;
    if (ec == bhttp::error::body_limit) {
      response = ErrorResponse(Error{ErrorCode::kResourceExhausted,
                                     "request body is larger than the limit of " +
                                         std::to_string(server_.options().body_limit) + " bytes",
                                     {}});
      request.method = std::string(parser_->get().method_string());
      request.target = std::string(parser_->get().target());
    } else if (ec) {
      response = ErrorResponse(
          Error{ErrorCode::kInvalidArgument, "malformed HTTP request: " + ec.message(), {}});
    } else {
      auto& msg = parser_->get();
      keep_alive = msg.keep_alive();
      version = msg.version();
      request.method = std::string(msg.method_string());
      request.target = std::string(msg.target());
      for (const auto& field : msg) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers[name] = std::string(field.value());
      }
      request.body = std::move(msg.body());
      beast::error_code peer_ec;
      auto peer = stream_.socket().remote_endpoint(peer_ec);
      if (!peer_ec) request.peer = peer.address().to_string();
      if (server_.options().trust_proxy) TrustProxy(request);
      Router::Found found = server_.Find(request, &response);
      if (found.route != nullptr) {
        route_ = found.name;
        if (found.doc->blocking) return RunBlocking(std::move(request), found, keep_alive, version);
        response = server_.Call(found, request);
      }
    }
    Finish(request, std::move(response), keep_alive, version);
  }

  // The handler runs on the blocking pool; its answer is written from this connection's loop.
  void RunBlocking(HttpRequest request, Router::Found found, bool keep_alive, unsigned version) {
    auto shared = std::make_shared<HttpRequest>(std::move(request));
    server_.RunBlocking([self = shared_from_this(), shared, found, keep_alive, version] {
      auto response = std::make_shared<HttpResponse>(self->server_.Call(found, *shared));
      asio::post(self->stream_.get_executor(), [self, shared, response, keep_alive, version] {
        self->Finish(*shared, std::move(*response), keep_alive, version);
      });
    });
  }

  // Behind a trusted proxy: the scheme the client used, and its address (the proxy's last hop).
  static void TrustProxy(HttpRequest& request) {
    auto proto = request.headers.find("x-forwarded-proto");
    if (proto != request.headers.end()) {
      std::string first = proto->second.substr(0, proto->second.find(','));
      for (auto& c : first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      first.erase(0, first.find_first_not_of(' '));
      first.erase(first.find_last_not_of(' ') + 1);
      request.secure = first == "https";
    }
    auto forwarded = request.headers.find("x-forwarded-for");
    if (forwarded != request.headers.end()) {
      std::string last = forwarded->second.substr(forwarded->second.rfind(',') + 1);
      last.erase(0, last.find_first_not_of(' '));
      last.erase(last.find_last_not_of(' ') + 1);
      if (!last.empty()) request.peer = last;
    }
  }

  void Finish(const HttpRequest& request, HttpResponse response, bool keep_alive,
              unsigned version) {
    if (server_.stopping()) keep_alive = false;
    Write(request, std::move(response), keep_alive, version);
  }

  void Write(const HttpRequest& request, HttpResponse response, bool keep_alive, unsigned version) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version);
    res->set(bhttp::field::server, "orchard");
    res->set(bhttp::field::content_type, response.content_type);
    res->set("X-Request-Id", request.request_id);
    for (const auto& [k, v] : response.headers) res->set(k, v);
    // Every answer: no content sniffing, and nothing cached unless the route chose otherwise
    // (the web UI's files do).
    if (res->find("X-Content-Type-Options") == res->end())
      res->set("X-Content-Type-Options", "nosniff");
    if (res->find(bhttp::field::cache_control) == res->end())
      res->set(bhttp::field::cache_control, "no-store");
    res->keep_alive(keep_alive);
    size_t bytes = response.body.size();
    if (request.method == "HEAD") {
      res->content_length(bytes);
    } else {
      res->body() = std::move(response.body);
      res->prepare_payload();
    }
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - started_)
                  .count();
    if (Metrics* metrics = server_.options().metrics) {
      metrics->Observe(route_ != nullptr ? *route_ : "unmatched", response.status, us);
    }
    route_ = nullptr;
    if (auto& log = server_.options().access_log) {
      log->info("{} {} {} {} {}B {}us", request.request_id, request.method, request.target,
                response.status, bytes, us);
      if (!response.log_detail.empty()) log->warn("{} {}", request.request_id, response.log_detail);
    }
    stream_.expires_after(std::chrono::seconds(server_.options().request_timeout_s));
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
                         self->server_.RequestFinished();
                         if (ec || !keep_alive) return self->Close();
                         self->Read();
                       });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  std::chrono::steady_clock::time_point started_;
  int requests_ = 0;
  const std::string* route_ = nullptr;  // the matched route's name, for metrics
};

// A connection past the cap: one 503 naming why, then closed. The client's request is read and
// dropped (a close with unread data would reset the connection before the answer is read), for
// at most a few seconds.
class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  explicit Refusal(tcp::socket socket) : stream_(std::move(socket)) {}

  void Run(int cap) {
    std::string body =
        R"({"error":{"code":"unavailable","message":"the server is at its limit of )" +
        std::to_string(cap) + R"( open connections; try again shortly","fields":[]}})";
    answer_ =
        "HTTP/1.1 503 Service Unavailable\r\nServer: orchard\r\nContent-Type: "
        "application/json\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
        "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    stream_.expires_after(std::chrono::seconds(2));
    stream_.async_read_some(
        asio::buffer(scratch_),
        [self = shared_from_this()](beast::error_code, size_t) { self->Answer(); });
  }

 private:
  void Answer() {
    stream_.expires_after(std::chrono::seconds(2));
    asio::async_write(stream_, asio::buffer(answer_),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return;
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        self->Drain();
                      });
  }

  void Drain() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (!ec) self->Drain();
                            });
  }

  beast::tcp_stream stream_;
  std::array<char, 4096> scratch_{};
  std::string answer_;
};

}  // namespace

void Server::Impl::Accept() {
  // Connections go to the loops in turn.
  asio::io_context& home = *workers_[next_worker_++ % workers_.size()];
  acceptor_.async_accept(home, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_) return;  // closed by Stop()
      // Out of file descriptors (or another accept failure): trying again at once would fail
      // again at once, a core spinning at 100 %. Wait a little; open connections keep working.
      if (options_.access_log) options_.access_log->warn("accept failed: {}", ec.message());
      accept_retry_.expires_after(std::chrono::milliseconds(100));
      accept_retry_.async_wait([this](const beast::error_code& wait_ec) {
        if (!wait_ec && !stopping_) Accept();
      });
      return;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (connections_ >= max_connections_) {
      Refuse(std::move(socket));
    } else {
      std::make_shared<Session>(std::move(socket), *this)->Run();
    }
    if (!stopping_) Accept();
  });
}

void Server::Impl::Refuse(tcp::socket socket) {
  if (options_.access_log) {
    options_.access_log->warn("refused a connection: {} open, the limit", max_connections_);
  }
  std::make_shared<Refusal>(std::move(socket))->Run(max_connections_);
}

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}
Server::~Server() = default;
Status Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
int Server::max_connections() const { return impl_->max_connections(); }
void Server::StopOnSignals() { impl_->StopOnSignals(); }
void Server::Stop() { impl_->Stop(); }
void Server::Wait() { impl_->Wait(); }

}  // namespace orchard::http
