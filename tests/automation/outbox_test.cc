// The outbox with real parts, on SQLite (a file) and PostgreSQL: e-mail through a real SMTP
// server (python3-aiosmtpd, plain and with STARTTLS on a self-signed certificate made by the
// openssl CLI), webhooks to receivers on loopback that check the signature, retries with backoff
// until delivered, a dead letter replayed, two deliverers on two connections racing for the same
// messages (each sent once), and the routes and the delivery worker of the real `orchard serve`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "automation/outbox.h"
#include "store/migrate.h"
#include "support/process.h"
#include "support/socket.h"
#include "support/test_database.h"

namespace orchard::automation {
namespace {

using testing::Backend;
using testing::BackgroundProcess;
using ::testing::HasSubstr;
using testing::RunOrchard;
using testing::TempDir;
namespace json = boost::json;
using namespace std::chrono_literals;

MessageFilter Filter(std::string status, int limit = 50) {
  MessageFilter f;
  f.status = std::move(status);
  f.limit = limit;
  return f;
}

std::string Text(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, with python3-aiosmtpd

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// A child process that is not orchard (BackgroundProcess runs only the binary under test),
// stopped with SIGTERM when the object dies.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv, const std::string& log) {
    pid_ = fork();
    if (pid_ == 0) {
      FILE* out = std::fopen(log.c_str(), "w");
      if (out != nullptr) {
        dup2(fileno(out), 1);
        dup2(fileno(out), 2);
      }
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  bool Alive() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  pid_t pid_ = -1;
};

bool WaitForPort(int port, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 50) {
    int fd = testing::ConnectLoopback(static_cast<uint16_t>(port), 1);
    if (fd >= 0) {
      close(fd);
      return true;
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// aiosmtpd's Mailbox handler: every message it accepts is a file in DIR/new (a Maildir).
class SmtpServer {
 public:
  // With `tls`, a self-signed certificate from the openssl CLI, and STARTTLS required; with
  // `refuse`, a handler that answers every recipient 550.
  bool Start(bool tls, bool refuse = false) {
    port_ = FreePort();
    std::vector<std::string> argv = {
        "/usr/bin/env", "PYTHONPATH=" + dir_.path(),         kPython, "-m", "aiosmtpd", "-n",
        "-l",           "127.0.0.1:" + std::to_string(port_)};
    if (tls) {
      const std::string cert = dir_.path() + "/cert.pem", key = dir_.path() + "/key.pem";
      const std::string cmd =
          "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
          " -keyout " +
          key + " -out " + cert + " >/dev/null 2>&1";
      if (std::system(cmd.c_str()) != 0) return false;
      argv.insert(argv.end(), {"--tlscert", cert, "--tlskey", key});
    }
    if (refuse) {
      std::ofstream(dir_.path() + "/refuse.py")
          << "class Refuse:\n"
             "    async def handle_RCPT(self, server, session, envelope, address, options):\n"
             "        return '550 5.1.1 no such mailbox here'\n";
      argv.insert(argv.end(), {"-c", "refuse.Refuse"});
    } else {
      argv.insert(argv.end(), {"-c", "aiosmtpd.handlers.Mailbox", mail_dir()});
    }
    child_ = std::make_unique<Child>(argv, dir_.path() + "/smtpd.log");
    // Listening, and by this child (not another process that took the port meanwhile).
    return WaitForPort(port_, 10'000) && child_->Alive();
  }
  int port() const { return port_; }
  std::string mail_dir() const { return dir_.path() + "/mail"; }
  std::string log() const { return ReadFile(dir_.path() + "/smtpd.log"); }
  std::vector<std::filesystem::path> Messages() const {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& f : std::filesystem::directory_iterator(mail_dir() + "/new", ec)) {
      out.push_back(f.path());
    }
    return out;
  }

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Child> child_;
};

// A received message as Python's e-mail package reads it (an independent parser): From, To,
// the decoded Subject, the content type and the decoded body, one per line.
std::vector<std::string> ParseWithPython(const std::filesystem::path& file) {
  TempDir dir;
  const std::string script = dir.path() + "/read.py";
  std::ofstream(script) << R"py(import sys, email
from email import policy
with open(sys.argv[1], 'rb') as f:
    m = email.message_from_binary_file(f, policy=policy.default)
print(m['From'])
print(m['To'])
print(m['Subject'])
print(m.get_content_type())
print(m['Message-ID'] is not None and m['Date'] is not None)
print(m['List-Unsubscribe'])
sys.stdout.write(m.get_content())
)py";
  std::string out;
  FILE* p = popen((std::string(kPython) + " " + script + " " + file.string()).c_str(), "r");
  if (p == nullptr) return {};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  std::vector<std::string> lines;
  size_t at = 0;
  for (int i = 0; i < 6; ++i) {
    size_t end = out.find('\n', at);
    if (end == std::string::npos) break;
    lines.push_back(out.substr(at, end - at));
    at = end + 1;
  }
  lines.push_back(out.substr(std::min(at, out.size())));
  return lines;
}

// A webhook receiver on loopback that checks each request's signature with the endpoint's
// secret and answers what `answer` says for the nth request (1-based).
class Receiver {
 public:
  struct Seen {
    std::string delivery, event, user_agent, body;
    bool signature_ok = false;
  };
  explicit Receiver(std::function<int(int)> answer, std::chrono::milliseconds delay = 0ms)
      : answer_(std::move(answer)), delay_(delay) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      Seen s{req.get_header_value("X-Orchard-Delivery"), req.get_header_value("X-Orchard-Event"),
             req.get_header_value("User-Agent"), req.body, false};
      const std::string sig = req.get_header_value("X-Orchard-Signature");
      std::smatch m;
      if (std::regex_match(sig, m, std::regex("t=(\\d+),v1=([0-9a-f]{64})"))) {
        const int64_t t = std::stoll(m[1].str());
        const int64_t now = SystemClock().Now().unix_seconds();
        std::lock_guard lock(mu_);
        s.signature_ok = SignWebhook(secret_, t, req.body) == sig && std::abs(now - t) <= 300 &&
                         req.get_header_value("Content-Type") == "application/json";
      }
      if (delay_ > 0ms) std::this_thread::sleep_for(delay_);
      int n;
      {
        std::lock_guard lock(mu_);
        seen_.push_back(s);
        n = static_cast<int>(seen_.size());
      }
      res.status = s.signature_ok ? answer_(n) : 401;
      res.set_content(res.status < 300 ? "{}" : "{\"error\":\"try later\"}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(1ms);
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void SetSecret(std::string secret) {
    std::lock_guard lock(mu_);
    secret_ = std::move(secret);
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  httplib::Server server_;
  std::function<int(int)> answer_;
  std::chrono::milliseconds delay_;
  std::mutex mu_;
  std::string secret_;
  std::vector<Seen> seen_;
  int port_ = 0;
  std::thread thread_;
};

// The sender alone (no database): STARTTLS on a real server with a self-signed certificate.
TEST(SmtpTest, StartTlsIsRequiredAndWorksWithASelfSignedCertificate) {
  SmtpServer plain, tls;
  ASSERT_TRUE(plain.Start(false)) << plain.log();
  ASSERT_TRUE(tls.Start(true)) << tls.log();
  const Email mail{{"ann@x.example"}, "Über TLS", "sent over STARTTLS\n", {}};
  // A server without STARTTLS is refused, never written to in plain text.
  auto refused =
      SendEmail({"127.0.0.1", plain.port(), true, false, "", "", "orchard@x.example"}, mail, 5000);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("127.0.0.1:" + std::to_string(plain.port())));
  EXPECT_TRUE(plain.Messages().empty());
  // The self-signed certificate is refused while it is verified, taken when it is not.
  auto unverified =
      SendEmail({"127.0.0.1", tls.port(), true, true, "", "", "orchard@x.example"}, mail, 5000);
  EXPECT_FALSE(unverified);
  auto sent =
      SendEmail({"127.0.0.1", tls.port(), true, false, "", "", "orchard@x.example"}, mail, 5000);
  ASSERT_TRUE(sent) << sent.error().message << "\n" << tls.log();
  auto files = tls.Messages();
  ASSERT_EQ(files.size(), 1u);
  auto parsed = ParseWithPython(files.front());
  ASSERT_EQ(parsed.size(), 7u);
  EXPECT_EQ(parsed[2], "Über TLS");
  EXPECT_EQ(parsed[6], "sent over STARTTLS\n");
}

class OutboxTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_TEST_DATABASE(test_db_, GetParam(), /*shareable=*/true);
    auto db = store::OpenDatabase(test_db_.url());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto migrated = store::Migrate(*db_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    ASSERT_TRUE(
        db_->Exec("INSERT INTO users (email, name, role, password_hash, active, created_at)"
                  " VALUES ('ops@x.example', 'Ops', 'admin', '', TRUE, "
                  "'2026-12-01 00:00:00')",
                  {}));
    auto id = db_->QueryInt("SELECT id FROM users WHERE email = 'ops@x.example'");
    ASSERT_TRUE(id && *id);
    admin_.user = UserId(**id);
    admin_.role = Role::kAdmin;
    // Enqueueing stamps messages with the system clock, to the second: deliver as of a few
    // seconds later, so a second that ticks between the two never leaves a message not yet due.
    now_ = SystemClock().Now().AddSeconds(5);
  }

  WebhookEndpoint AddEndpoint(const Receiver& rx, std::vector<std::string> events) {
    auto e = CreateEndpoint(*db_, admin_, {"CRM", rx.url(), std::move(events)}, now_);
    EXPECT_TRUE(e) << e.error().message;
    return e ? *e : WebhookEndpoint{};
  }

  std::vector<int64_t> Enqueue(std::string_view event, std::string_view body) {
    auto tx = store::Transaction::Begin(*db_);
    EXPECT_TRUE(tx);
    auto ids = EnqueueWebhook(*db_, event, std::nullopt, 77, body);
    EXPECT_TRUE(ids) << ids.error().message;
    EXPECT_TRUE(tx->Commit());
    return ids ? *ids : std::vector<int64_t>{};
  }

  DeliveryCounts Deliver(const DeliveryOptions& options, Timestamp at) {
    auto counts = DeliverDue(*db_, options, at);
    EXPECT_TRUE(counts) << counts.error().message;
    return counts ? *counts : DeliveryCounts{};
  }

  OutboxMessage Message(int64_t id) {
    auto m = GetMessage(*db_, id);
    EXPECT_TRUE(m) << m.error().message;
    return m ? *m : OutboxMessage{};
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::Database> db_;
  service::Actor admin_;
  Timestamp now_;
};

TEST_P(OutboxTest, AnEmailReachesARealSmtpServerThroughTheOutbox) {
  SmtpServer smtp;
  ASSERT_TRUE(smtp.Start(/*tls=*/false)) << smtp.log();
  ASSERT_TRUE(SaveSmtpSettings(
      *db_,
      SmtpSettings{"127.0.0.1", smtp.port(), false, true, "", "", "Orchard <orchard@x.example>"},
      now_));
  const std::string subject =
      "Renewal in 30 days — Café Noël ünd Größe, a subject long enough to fold";
  const std::string body =
      "Hello Ann,\nthe renewal of Acme is on 2027-01-05.\n.\nA line with a dot.\n";
  {
    auto tx = store::Transaction::Begin(*db_);
    ASSERT_TRUE(tx);
    auto id = EnqueueEmail(*db_,
                           Email{{"ann@x.example", "bob@x.example"},
                                 subject,
                                 body,
                                 {{"List-Unsubscribe", "<mailto:unsubscribe@x.example>"}}},
                           std::nullopt, 5);
    ASSERT_TRUE(id) << id.error().message;
    ASSERT_TRUE(tx->Commit());
  }
  DeliveryCounts counts = Deliver({}, now_);
  auto all = ListMessages(*db_, {});
  ASSERT_TRUE(all && all->size() == 1u);
  EXPECT_EQ(counts.delivered, 1) << "claimed " << counts.claimed << ", "
                                 << all->front().last_error.value_or("no error") << "\n"
                                 << smtp.log();
  auto done = ListMessages(*db_, Filter("done"));
  ASSERT_TRUE(done);
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ(done->front().kind, "email");
  EXPECT_EQ(done->front().attempts, 1);
  EXPECT_EQ(done->front().firing_id, 5);

  auto files = smtp.Messages();
  ASSERT_EQ(files.size(), 1u) << smtp.log();
  auto parsed = ParseWithPython(files.front());
  ASSERT_EQ(parsed.size(), 7u) << ReadFile(files.front());
  EXPECT_EQ(parsed[0], "Orchard <orchard@x.example>");
  EXPECT_EQ(parsed[1], "ann@x.example, bob@x.example");
  EXPECT_EQ(parsed[2], subject);
  EXPECT_EQ(parsed[3], "text/plain");
  EXPECT_EQ(parsed[4], "True");  // Message-ID and Date
  EXPECT_EQ(parsed[5], "<mailto:unsubscribe@x.example>");
  EXPECT_EQ(parsed[6], body);
}

TEST_P(OutboxTest, AnSmtpRefusalIsRecordedWithItsCodeAndRetried) {
  SmtpServer smtp;
  ASSERT_TRUE(smtp.Start(/*tls=*/false, /*refuse=*/true)) << smtp.log();
  ASSERT_TRUE(SaveSmtpSettings(
      *db_, SmtpSettings{"127.0.0.1", smtp.port(), false, true, "", "", "orchard@x.example"},
      now_));
  auto id = EnqueueEmail(*db_, Email{{"nobody@x.example"}, "Hello", "Hi\n", {}}, std::nullopt,
                         std::nullopt);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(Deliver({}, now_).retried, 1) << smtp.log();
  OutboxMessage m = Message(*id);
  EXPECT_EQ(m.status, "pending");
  EXPECT_EQ(m.last_status, 550);
  EXPECT_THAT(m.last_error.value_or(""),
              HasSubstr("SMTP 550 from 127.0.0.1:" + std::to_string(smtp.port())));
  auto attempts = ListAttempts(*db_, *id);
  ASSERT_TRUE(attempts);
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ(attempts->front().status_code, 550);
}

TEST_P(OutboxTest, AFailingReceiverGetsTheSameDeliveryUntilItAnswers2xx) {
  Receiver rx([](int n) { return n <= 2 ? 500 : 200; });
  WebhookEndpoint ep = AddEndpoint(rx, {"opportunity_won"});
  rx.SetSecret(ep.secret);
  Receiver other([](int) { return 200; });
  AddEndpoint(other, {"renewal_in"});  // not subscribed to this event
  const std::string body = R"({"event":"opportunity_won","account_id":12})";
  auto ids = Enqueue("opportunity_won", body);
  ASSERT_EQ(ids.size(), 1u);

  DeliveryOptions options;
  options.backoff_base = 5ms;
  EXPECT_EQ(Deliver(options, now_).retried, 1);
  EXPECT_EQ(Deliver(options, now_).claimed, 0);  // not due again before its backoff
  EXPECT_EQ(Message(ids[0]).status, "pending");
  EXPECT_EQ(Message(ids[0]).last_status, 500);
  EXPECT_EQ(Deliver(options, now_.AddSeconds(10)).retried, 1);
  EXPECT_EQ(Deliver(options, now_.AddSeconds(20)).delivered, 1);
  EXPECT_EQ(Deliver(options, now_.AddSeconds(30)).claimed, 0);

  OutboxMessage m = Message(ids[0]);
  EXPECT_EQ(m.status, "done");
  EXPECT_EQ(m.attempts, 3);
  EXPECT_EQ(m.last_status, 200);
  EXPECT_TRUE(m.delivered_at.has_value());
  auto attempts = ListAttempts(*db_, ids[0]);
  ASSERT_TRUE(attempts);
  ASSERT_EQ(attempts->size(), 3u);
  EXPECT_EQ((*attempts)[0].status_code, 500);
  EXPECT_THAT((*attempts)[0].error, HasSubstr("HTTP 500"));
  EXPECT_EQ((*attempts)[2].status_code, 200);
  EXPECT_EQ((*attempts)[2].error, "");

  auto seen = rx.seen();
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& s : seen) {
    EXPECT_TRUE(s.signature_ok);
    EXPECT_EQ(s.delivery, m.delivery_key);
    EXPECT_EQ(s.event, "opportunity_won");
    EXPECT_EQ(s.user_agent, "Orchard-Webhooks/1");
    EXPECT_EQ(s.body, body);
  }
  EXPECT_TRUE(other.seen().empty());
  EXPECT_EQ(ListMessages(*db_, {})->size(), 1u);
}

TEST_P(OutboxTest, ADeadLetterIsListedAndReplayedOnceTheReceiverRecovers) {
  std::atomic<bool> failing{true};
  Receiver rx([&](int) { return failing ? 503 : 204; });
  WebhookEndpoint ep = AddEndpoint(rx, {"*"});
  rx.SetSecret(ep.secret);
  auto ids = Enqueue("health_colour", R"({"from":"green","to":"red"})");
  ASSERT_EQ(ids.size(), 1u);
  DeliveryOptions options;
  options.backoff_base = 5ms;
  options.max_attempts = 3;
  EXPECT_EQ(Deliver(options, now_).retried, 1);
  EXPECT_EQ(Deliver(options, now_.AddSeconds(10)).retried, 1);
  EXPECT_EQ(Deliver(options, now_.AddSeconds(20)).dead, 1);
  EXPECT_EQ(Deliver(options, now_.AddSeconds(3600)).claimed, 0);  // dead stays dead

  auto dead = ListMessages(*db_, Filter("dead"));
  ASSERT_TRUE(dead);
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ(dead->front().id, ids[0]);
  EXPECT_THAT(dead->front().last_error.value_or(""), HasSubstr("HTTP 503"));
  EXPECT_TRUE(ListMessages(*db_, Filter("pending"))->empty());

  failing = false;
  ASSERT_TRUE(Replay(*db_, admin_, ids[0], now_.AddSeconds(30)));
  EXPECT_EQ(Message(ids[0]).status, "pending");
  EXPECT_EQ(Message(ids[0]).attempts, 0);
  auto again = Replay(*db_, ids[0], now_.AddSeconds(30));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Deliver(options, now_.AddSeconds(30)).delivered, 1);
  OutboxMessage m = Message(ids[0]);
  EXPECT_EQ(m.status, "done");
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(ListAttempts(*db_, ids[0])->size(), 4u);  // the three before the replay kept
  auto seen = rx.seen();
  ASSERT_EQ(seen.size(), 4u);
  for (const auto& s : seen) EXPECT_EQ(s.delivery, m.delivery_key);
  // The replay was audited.
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM audit_log WHERE entity = 'outbox_messages'")
                .value_or(std::nullopt),
            1);
  EXPECT_FALSE(Replay(*db_, admin_, 999999, now_));
  service::Actor viewer{admin_.user, Role::kViewer, {}};
  auto refused = Replay(*db_, viewer, ids[0], now_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
}

TEST_P(OutboxTest, TwoDeliverersOnTwoConnectionsSendEachMessageOnce) {
  Receiver rx([](int) { return 200; }, 10ms);
  WebhookEndpoint ep = AddEndpoint(rx, {"*"});
  rx.SetSecret(ep.secret);
  constexpr int kMessages = 40;
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_EQ(Enqueue("ticket_escalated", "{\"n\":" + std::to_string(i) + "}").size(), 1u);
  }
  std::atomic<int> ready{0};
  std::atomic<int> claimed{0};
  auto deliverer = [&] {
    auto db = store::OpenDatabase(test_db_.url());
    ASSERT_TRUE(db);
    ready++;
    while (ready < 2) std::this_thread::yield();
    auto counts = DeliverDue(**db, {}, now_);
    ASSERT_TRUE(counts) << counts.error().message;
    claimed += counts->claimed;
    EXPECT_EQ(counts->claimed, counts->delivered);
  };
  std::thread a(deliverer), b(deliverer);
  a.join();
  b.join();
  EXPECT_EQ(claimed, kMessages);
  EXPECT_EQ(Deliver({}, now_).claimed, 0);
  std::map<std::string, int> per_delivery;
  for (const auto& s : rx.seen()) per_delivery[s.delivery]++;
  EXPECT_EQ(per_delivery.size(), static_cast<size_t>(kMessages));
  for (const auto& [id, n] : per_delivery) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(db_->QueryInt("SELECT COUNT(*) FROM delivery_attempts").value_or(std::nullopt),
            kMessages);
  EXPECT_EQ(ListMessages(*db_, Filter("done", 500))->size(), static_cast<size_t>(kMessages));
}

TEST_P(OutboxTest, EnqueueingIsPartOfTheCallersTransaction) {
  Receiver rx([](int) { return 200; });
  AddEndpoint(rx, {"*"});
  {
    auto tx = store::Transaction::Begin(*db_);
    ASSERT_TRUE(tx);
    ASSERT_EQ(EnqueueWebhook(*db_, "nps_detractor", std::nullopt, 9, "{}")->size(), 1u);
    // Rolled back with the firing it belonged to.
  }
  EXPECT_TRUE(ListMessages(*db_, {})->empty());
  auto bad = EnqueueEmail(*db_, Email{{"a@x.example"}, "Hi\nBcc: x@x.example", "", {}}, {}, {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().fields.at(0).field, "subject");
}

// --- the routes and the worker of the real binary -------------------------------------------

class OutboxServerTest : public OutboxTest {
 protected:
  static constexpr const char* kPassword = "a long enough secret";

  void StartServer() {
    for (const auto& [email, role] :
         {std::pair{"lead@x.example", "admin"}, std::pair{"vic@x.example", "viewer"}}) {
      auto user =
          RunOrchard({"user", "add", "--db", test_db_.url(), "--email", email, "--role", role}, {},
                     std::string(kPassword) + "\n");
      ASSERT_EQ(user.exit_code, 0) << user.err;
    }
    server_ = std::make_unique<BackgroundProcess>(std::vector<std::string>{
        "serve", "--db", test_db_.url(), "--listen", "127.0.0.1:0", "--no-access-log"});
    const std::string line = server_->WaitForLine("serving", 30'000);
    std::smatch port;
    ASSERT_TRUE(std::regex_search(line, port, std::regex(R"(http://127\.0\.0\.1:(\d+))")))
        << server_->ReadStderr();
    port_ = std::stoi(port[1].str());
    admin_headers_ = SignIn("lead@x.example");
    viewer_headers_ = SignIn("vic@x.example");
  }

  httplib::Headers SignIn(const std::string& email) {
    httplib::Client c("127.0.0.1", port_);
    auto login = c.Post("/api/v1/auth/login",
                        "{\"email\":\"" + email + "\",\"password\":\"" + kPassword + "\"}",
                        "application/json");
    EXPECT_TRUE(login);
    if (!login) return {};
    EXPECT_EQ(login->status, 200) << login->body;
    const std::string cookie = login->get_header_value("Set-Cookie");
    return {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", std::string(json::parse(login->body).at("csrf_token").as_string())}};
  }

  // Status and parsed body.
  std::pair<int, json::value> Call(const std::string& method, const std::string& path,
                                   const httplib::Headers& headers, const std::string& body = "") {
    httplib::Client c("127.0.0.1", port_);
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = headers;
    if (!body.empty()) {
      req.body = body;
      req.set_header("Content-Type", "application/json");
    }
    auto res = c.send(req);
    EXPECT_TRUE(res) << method << " " << path;
    if (!res) return {0, nullptr};
    boost::system::error_code ec;
    json::value v = res->body.empty() ? json::value(nullptr) : json::parse(res->body, ec);
    return {res->status, ec ? json::value(res->body) : v};
  }

  std::unique_ptr<BackgroundProcess> server_;
  int port_ = 0;
  httplib::Headers admin_headers_, viewer_headers_;
};

TEST_P(OutboxServerTest, AdminsManageEndpointsAndTheServersWorkerDelivers) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Receiver rx([](int) { return 200; });
  const std::string create =
      "{\"name\":\"CRM\",\"url\":\"" + rx.url() + "\",\"events\":[\"opportunity_won\"]}";

  auto [denied, denied_body] = Call("POST", "/api/v1/webhooks", viewer_headers_, create);
  EXPECT_EQ(denied, 403) << denied_body;
  auto [bad, bad_body] = Call("POST", "/api/v1/webhooks", admin_headers_,
                              R"({"name":"CRM","url":"ftp://x.example/in","events":["*"]})");
  EXPECT_EQ(bad, 400) << bad_body;
  EXPECT_EQ(bad_body.at("error").at("fields").at(0).at("field"), "url") << bad_body;
  auto [bad_event, bad_event_body] =
      Call("POST", "/api/v1/webhooks", admin_headers_,
           "{\"name\":\"CRM\",\"url\":\"" + rx.url() + "\",\"events\":[\"renewed\"]}");
  EXPECT_EQ(bad_event, 422) << bad_event_body;

  auto [created, endpoint] = Call("POST", "/api/v1/webhooks", admin_headers_, create);
  ASSERT_EQ(created, 201) << endpoint;
  const std::string secret(endpoint.at("secret").as_string());
  EXPECT_THAT(secret, ::testing::MatchesRegex("whsec_[0-9a-f]{64}"));
  EXPECT_EQ(Text(endpoint.at("secret_hint")), secret.substr(secret.size() - 4));
  rx.SetSecret(secret);
  const int64_t endpoint_id = endpoint.at("id").as_int64();

  auto [listed, list] = Call("GET", "/api/v1/webhooks", admin_headers_);
  ASSERT_EQ(listed, 200);
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_FALSE(list.at("items").at(0).as_object().contains("secret")) << list;
  EXPECT_EQ(Text(list.at("items").at(0).at("secret_hint")), secret.substr(secret.size() - 4));
  EXPECT_EQ(Call("GET", "/api/v1/webhooks", viewer_headers_).first, 403);
  EXPECT_EQ(Call("GET", "/api/v1/deliveries?status=dead", viewer_headers_).first, 403);

  // A firing's webhook, enqueued by another writer: the server's worker delivers it.
  auto ids = Enqueue("opportunity_won", R"({"event":"opportunity_won"})");
  ASSERT_EQ(ids.size(), 1u);
  for (int waited = 0; waited < 15'000 && rx.seen().empty(); waited += 50) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(rx.seen().size(), 1u) << server_->ReadStderr();
  EXPECT_TRUE(rx.seen().front().signature_ok);
  const std::string path = "/api/v1/deliveries/" + std::to_string(ids[0]);
  json::value one;
  for (int waited = 0; waited < 5'000; waited += 50) {
    one = Call("GET", path, admin_headers_).second;
    if (one.is_object() && one.at("status") == "done") break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(one.at("status"), "done") << one;
  EXPECT_EQ(one.at("attempt_history").as_array().size(), 1u) << one;
  EXPECT_EQ(Text(one.at("delivery_id")), rx.seen().front().delivery);
  auto [of_endpoint, deliveries] =
      Call("GET", "/api/v1/webhooks/" + std::to_string(endpoint_id) + "/deliveries?status=done",
           admin_headers_);
  EXPECT_EQ(of_endpoint, 200);
  EXPECT_EQ(deliveries.at("items").as_array().size(), 1u) << deliveries;
  EXPECT_EQ(Call("GET", "/api/v1/deliveries?status=lost", admin_headers_).first, 400);

  // Replayed: sent again with the same delivery id.
  EXPECT_EQ(Call("POST", path + "/replay", viewer_headers_).first, 403);
  auto [replayed, replay_body] = Call("POST", path + "/replay", admin_headers_);
  EXPECT_EQ(replayed, 200) << replay_body;
  for (int waited = 0; waited < 15'000 && rx.seen().size() < 2; waited += 50) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(rx.seen().size(), 2u);
  EXPECT_EQ(rx.seen()[1].delivery, rx.seen()[0].delivery);

  EXPECT_EQ(
      Call("DELETE", "/api/v1/webhooks/" + std::to_string(endpoint_id), viewer_headers_).first,
      403);
  EXPECT_EQ(Call("DELETE", "/api/v1/webhooks/" + std::to_string(endpoint_id), admin_headers_).first,
            204);
  EXPECT_EQ(Call("GET", "/api/v1/webhooks", admin_headers_).second.at("items").at(0).at("active"),
            false);
}

TEST_P(OutboxServerTest, SmtpSettingsNeverShowThePassword) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  auto [empty, before] = Call("GET", "/api/v1/settings/smtp", admin_headers_);
  EXPECT_EQ(empty, 200);
  EXPECT_EQ(before.at("configured"), false);
  const std::string put =
      R"({"host":"smtp.x.example","port":587,"username":"orchard","password":"hunter22",)"
      R"("from":"orchard@x.example"})";
  EXPECT_EQ(Call("PUT", "/api/v1/settings/smtp", viewer_headers_, put).first, 403);
  auto [saved, body] = Call("PUT", "/api/v1/settings/smtp", admin_headers_, put);
  ASSERT_EQ(saved, 200) << body;
  EXPECT_EQ(body.at("password_set"), true);
  EXPECT_FALSE(body.as_object().contains("password"));
  auto [read, after] = Call("GET", "/api/v1/settings/smtp", admin_headers_);
  EXPECT_EQ(read, 200);
  EXPECT_EQ(after.at("host"), "smtp.x.example");
  EXPECT_EQ(after.at("starttls"), true);
  EXPECT_EQ(after.at("password_set"), true);
  EXPECT_THAT(json::serialize(after), ::testing::Not(HasSubstr("hunter22")));
  // Left out, the password is kept.
  auto [kept, kept_body] =
      Call("PUT", "/api/v1/settings/smtp", admin_headers_,
           R"({"host":"smtp.x.example","port":2525,"from":"orchard@x.example"})");
  EXPECT_EQ(kept, 200);
  EXPECT_EQ(kept_body.at("password_set"), true);
  auto [bad_port, bad_port_body] =
      Call("PUT", "/api/v1/settings/smtp", admin_headers_,
           R"({"host":"smtp.x.example","port":70000,"from":"orchard@x.example"})");
  EXPECT_EQ(bad_port, 422);
  EXPECT_EQ(bad_port_body.at("error").at("fields").at(0).at("field"), "port");
  auto [bad_from, bad_from_body] = Call("PUT", "/api/v1/settings/smtp", admin_headers_,
                                        R"({"host":"smtp.x.example","port":25,"from":"nobody"})");
  EXPECT_EQ(bad_from_body.at("error").at("fields").at(0).at("field"), "from") << bad_from;
  auto stored = LoadSmtpSettings(*db_);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->port, 2525);
  EXPECT_EQ((*stored)->password, "hunter22");
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, OutboxServerTest,
                         ::testing::Values(Backend::kSqliteFile, Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace orchard::automation
