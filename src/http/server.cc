#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
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
        acceptor_(*workers_[0]),
        signals_(*workers_[0]) {
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
    Accept();
    for (auto& worker : workers_) {
      guards_.push_back(asio::make_work_guard(*worker));
      threads_.emplace_back([&worker] { worker->run(); });
    }
    return Ok();
  }

  uint16_t port() const { return port_; }

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
  }

  // --- used by sessions
  bool stopping() const { return stopping_; }
  const ServerOptions& options() const { return options_; }
  void RequestStarted() { ++in_flight_; }
  void RequestFinished() { --in_flight_; }
  std::string RouteOf(const HttpRequest& request) const { return router_.RouteOf(request); }
  std::string NextRequestId() { return id_prefix_ + "-" + std::to_string(++request_seq_); }

  HttpResponse Dispatch(HttpRequest& request) {
    try {
      return router_.Handle(request);
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
  std::vector<std::unique_ptr<asio::io_context>> workers_;  // [0] also accepts and drains
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  size_t next_worker_ = 0;
  tcp::acceptor acceptor_;
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
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {}

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
      response = server_.Dispatch(request);
    }
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
      std::string route = server_.RouteOf(request);
      metrics->Observe(route.empty() ? "unmatched" : route, response.status, us);
    }
    if (auto& log = server_.options().access_log) {
      log->info("{} {} {} {} {}B {}us", request.request_id, request.method, request.target,
                response.status, bytes, us);
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
};

}  // namespace

void Server::Impl::Accept() {
  // Connections go to the loops in turn.
  asio::io_context& home = *workers_[next_worker_++ % workers_.size()];
  acceptor_.async_accept(home, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_) return;  // closed by Stop()
    } else {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), *this)->Run();
    }
    if (!stopping_) Accept();
  });
}

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}
Server::~Server() = default;
Status Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::StopOnSignals() { impl_->StopOnSignals(); }
void Server::Stop() { impl_->Stop(); }
void Server::Wait() { impl_->Wait(); }

}  // namespace orchard::http
