// The authorization matrix, driven by the route table: every route that writes (every method but
// GET and HEAD, workflow routes included) is sent, with its path filled from bob's book and a
// plausible body, by an anonymous caller, a viewer, an AM outside the book (ann), a session
// cookie without its CSRF token and one with a wrong token. Each must be refused (401 or 403) and
// leave every table's rows as they were. A new route joins the matrix by being in the table; one
// whose path the test cannot fill fails it, naming the route.
#include <gmock/gmock.h>

#include <set>

#include "domain/handoff.h"
#include "security/harness.h"
#include "store/store.h"

namespace orchard::security {
namespace {

constexpr const char* kRuleDefinition =
    R"J({"trigger":{"kind":"plan_stale"},"actions":[{"kind":"notify","to":["am"],"title":"x"}]})J";

class MatrixTest : public SecurityTest {
 protected:
  void SetUp() override {
    SecurityTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    AddBobsRows();
    // A webhook endpoint and a dead delivery of it, for the outbox's routes (admins only).
    Exec(
        "INSERT INTO webhook_endpoints (name, url, secret, events, active, created_at) VALUES "
        "('CRM', 'https://hooks.example.com/in', 'whsec_matrix', '*', TRUE, "
        "'2026-06-01 09:00:00')");
    webhook_ = Count("SELECT MAX(id) FROM webhook_endpoints");
    Exec(
        "INSERT INTO outbox_messages (kind, endpoint_id, event, delivery_key, payload, status, "
        "attempts, next_attempt_at, last_error, created_at) VALUES ('webhook', " +
        std::to_string(webhook_) +
        ", 'opportunity_won', 'dlv_matrix', '{}', 'dead', 8, '2026-06-01 09:00:00', "
        "'HTTP 500', '2026-06-01 09:00:00')");
    delivery_ = Count("SELECT MAX(id) FROM outbox_messages");
    // A rule, for the rules' routes (admins and leaders change them).
    Exec(
        "INSERT INTO rules (name, description, status, enabled, version, definition, created_at, "
        "updated_at) VALUES ('Matrix', '', 'draft', TRUE, 1, '" +
        std::string(kRuleDefinition) + "', '2026-06-01 09:00:00', '2026-06-01 09:00:00')");
    rule_ = Count("SELECT MAX(id) FROM rules");
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    digest_db_ = std::move(*db);
  }

  // Every table's rows as text, in id order: what a refused request must leave as it was. The
  // columns a read or an authentication touches (a token's last use, a session's) are left out.
  std::string Digest() {
    std::vector<std::string> tables;
    const std::string list =
        digest_db_->dialect() == store::Dialect::kSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
              "ORDER BY name"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
              "current_schema() ORDER BY table_name";
    EXPECT_TRUE(digest_db_->Query(list, {}, [&](const store::Row& r) -> Status {
      tables.emplace_back(r.GetText(0));
      return Ok();
    }));
    std::string out;
    for (const std::string& t : tables) {
      std::string sql = "SELECT * FROM " + t + " ORDER BY 1";
      if (t == "api_tokens")
        sql = "SELECT id, user_id, name, revoked_at FROM api_tokens ORDER BY 1";
      if (t == "sessions") sql = "SELECT id, user_id FROM sessions ORDER BY 1";
      if (t == "login_failures" || t == "sign_in_failures") continue;
      out += "# " + t + "\n";
      auto st = digest_db_->Query(sql, {}, [&](const store::Row& r) -> Status {
        for (int i = 0; i < r.size(); ++i) {
          out += r.IsNull(i) ? "NULL" : std::string(r.GetText(i));
          out += '|';
        }
        out += '\n';
        return Ok();
      });
      EXPECT_TRUE(st) << sql << ": " << (st ? "" : st.error().message);
    }
    return out;
  }

  // The id a path's {parameter} takes in bob's book, from the collection it follows ("" when the
  // test does not know it: the route then fails the test).
  std::string Fill(const std::string& collection) {
    if (collection == "models") return "churn";  // POST /api/v1/models/{kind}/train
    const std::map<std::string, int64_t> ids = {
        {"accounts", bob_account_.value},
        {"divisions", bob_division_.value},
        {"contract-lines", bob_line_.value},
        {"contacts", bob_contact_.value},
        {"opportunities", bob_opportunity_.value},
        {"activities", bob_activity_.value},
        {"tickets", bob_ticket_.value},
        {"nps-responses", bob_nps_.value},
        {"usage", bob_usage_.value},
        {"engagement-signals", bob_signal_.value},
        {"transcripts", bob_transcript_.value},
        {"plans", bob_plan_.value},
        {"reviews", bob_review_.value},
        {"tasks", bob_task_.value},
        {"handoffs", bob_handoff_.value},
        {"health-overrides", bob_override_.value},
        {"plan-priorities", bob_priority_.value},
        {"plan-risks", bob_risk_.value},
        {"plan-whitespace-cells", bob_cell_.value},
        {"plan-actions", bob_action_.value},
        {"products", product_.value},
        {"users", P("bob").id.value},
        {"tokens", bob_token_.value},
        {"webhooks", webhook_},
        {"deliveries", delivery_},
        {"rules", rule_},
    };
    auto it = ids.find(collection);
    return it == ids.end() ? "" : std::to_string(it->second);
  }

  // "/api/v1/accounts/{pid}/tickets" → "/api/v1/accounts/12/tickets"; "" if a parameter is
  // unknown.
  std::string FillPath(const std::string& pattern) {
    std::string out, previous;
    size_t at = 1;
    while (at <= pattern.size()) {
      size_t end = pattern.find('/', at);
      if (end == std::string::npos) end = pattern.size();
      std::string seg = pattern.substr(at, end - at);
      if (seg.starts_with("{")) {
        seg = Fill(previous);
        if (seg.empty()) return "";
      } else {
        previous = seg;
      }
      out += "/" + seg;
      at = end + 1;
    }
    return out;
  }

  // A body the route would take from someone allowed: what a real client sends. Creation bodies
  // name bob's rows; a change names the version the row has.
  json::object Body(const std::string& method, const std::string& pattern,
                    const std::string& path) {
    const int64_t account = bob_account_.value, plan = bob_plan_.value;
    const std::string collection = [&] {
      // The last literal segment: "/api/v1/accounts/{pid}/tickets" → "tickets".
      std::string last;
      size_t at = 0;
      while ((at = pattern.find('/', at)) != std::string::npos) {
        ++at;
        std::string seg = pattern.substr(at, pattern.find('/', at) - at);
        if (!seg.starts_with("{")) last = seg;
      }
      return last;
    }();
    if (method == "PATCH" && pattern == "/api/v1/settings") {
      auto all = Json(As("admin").Get("/api/v1/settings")).at("settings").as_object();
      EXPECT_FALSE(all.empty());
      json::object one;
      if (!all.empty()) one[all.begin()->key()] = all.begin()->value();
      return one;
    }
    if (method == "PATCH") {
      json::object body;
      auto row = Json(As("admin").Get(path));
      if (row.is_object() && row.as_object().contains("version")) {
        body["version"] = row.at("version");
      }
      return body;
    }
    if (pattern == "/api/v1/rules") {
      return {{"name", "Matrix rule"}, {"definition", json::parse(kRuleDefinition)}};
    }
    if (pattern == "/api/v1/rules/dry-run" || pattern == "/api/v1/rules/backtest") {
      return {{"definition", json::parse(kRuleDefinition)}};
    }
    if (pattern == "/api/v1/rules/check") return {{"condition", "tier = 1"}};
    if (method == "PUT" && pattern == "/api/v1/settings/smtp") {
      return {{"host", "smtp.example.com"}, {"port", 587}, {"from", "orchard@example.com"}};
    }
    if (method == "PUT") return {{"contact_ids", json::array{bob_contact_.value}}};
    if (pattern == "/api/v1/auth/password") {
      return {{"current_password", kPassword}, {"new_password", "a matrix passphrase 2026"}};
    }
    if (pattern == "/api/v1/users/{id}/password") return {{"password", "a matrix passphrase 2026"}};
    if (method == "DELETE") return {};
    const std::map<std::string, json::object> creates = {
        {"accounts", {{"name", "New Co"}, {"owner_id", P("bob").id.value}}},
        {"divisions", {{"account_id", account}, {"name", "Ops"}}},
        {"contract-lines",
         {{"account_id", account},
          {"product_id", product_.value},
          {"arr_cents", 100},
          {"start_date", "2026-01-01"}}},
        {"contacts", {{"account_id", account}, {"last_name", "Doe"}}},
        {"opportunities",
         {{"account_id", account},
          {"name", "More"},
          {"created_on", "2026-06-01"},
          {"close_date", "2026-09-30"}}},
        {"activities",
         {{"account_id", account}, {"subject", "Call"}, {"occurred_at", "2026-06-01T09:00:00Z"}}},
        {"tickets",
         {{"account_id", account}, {"subject", "Broken"}, {"opened_at", "2026-06-01T09:00:00Z"}}},
        {"nps-responses", {{"account_id", account}, {"score", 7}, {"responded_on", "2026-06-01"}}},
        {"usage", {{"account_id", account}, {"day", "2026-06-01"}, {"active_users", 1}}},
        {"engagement-signals", {{"account_id", account}, {"occurred_at", "2026-06-01T09:00:00Z"}}},
        {"transcripts", {{"account_id", account}, {"text", "We are happy with the rollout."}}},
        {"plans", {{"account_id", account}, {"summary", "Second plan"}}},
        {"reviews", {{"account_id", account}, {"due_on", "2026-07-01"}}},
        {"tasks", {{"account_id", account}, {"title", "Call back"}}},
        {"handoffs",
         {{"account_id", account},
          {"opportunity_id", bob_opportunity_.value},
          {"checklist_json", HandoffChecklistJson(false)}}},
        {"health-overrides",
         {{"account_id", account}, {"score", 50}, {"reason", "r"}, {"expires_on", "2026-07-01"}}},
        {"priorities", {{"plan_id", plan}, {"text", "Grow"}}},
        {"plan-priorities", {{"plan_id", plan}, {"text", "Grow"}}},
        {"risks", {{"plan_id", plan}, {"description", "Churn"}}},
        {"plan-risks", {{"plan_id", plan}, {"description", "Churn"}}},
        {"whitespace-cells",
         {{"plan_id", plan}, {"division_id", bob_division_.value}, {"product_id", product_.value}}},
        {"plan-whitespace-cells",
         {{"plan_id", plan}, {"division_id", bob_division_.value}, {"product_id", product_.value}}},
        {"actions", {{"plan_id", plan}, {"description", "Do"}}},
        {"plan-actions", {{"plan_id", plan}, {"description", "Do"}}},
        {"products", {{"sku", "NEW-1"}, {"name", "New"}, {"list_price_cents", 100}}},
        {"users", {{"email", "new@orchard.example"}, {"role", "am"}, {"password", kPassword}}},
        {"tokens", {{"name", "mine"}}},
        {"webhooks",
         {{"name", "CRM"}, {"url", "https://hooks.example.com/in"}, {"events", json::array{"*"}}}},
        {"held", {{"notes", "Met"}}},
        {"accept", {{"am_id", P("bob").id.value}}},
        {"opportunity", {{"name", "Cell deal"}}},
        {"imports",
         {{"source", "csv"},
          {"object", "accounts"},
          {"map", json::parse(R"({"columns": {"Name": "name"}})")},
          {"content", "Name\r\nImported Co\r\n"}}},
    };
    // A create under its parent names the parent already: drop the link the path gives.
    json::object body;
    if (auto it = creates.find(collection); it != creates.end()) body = it->second;
    if (pattern.find("{pid}") != std::string::npos) {
      body.erase(pattern.starts_with("/api/v1/plans/") ? "plan_id" : "account_id");
    }
    return body;
  }

  std::unique_ptr<store::Database> digest_db_;
  int64_t webhook_ = 0;   // a webhook endpoint
  int64_t delivery_ = 0;  // a dead delivery to it
  int64_t rule_ = 0;      // a draft rule
};

// Where a caller of the matrix may legitimately act: "ROUTE caller". An API token (ann's, vic's)
// signs out nothing and may make tokens of its own.
const std::set<std::string> kAllowed = {
    // Reads by POST: a condition checked, a draft's dry run; and one's own inbox marked read.
    "POST /api/v1/rules/check ann",    "POST /api/v1/rules/check vic",
    "POST /api/v1/rules/dry-run ann",  "POST /api/v1/rules/dry-run vic",
    "POST /api/v1/rules/backtest ann", "POST /api/v1/rules/backtest vic",
    "POST /api/v1/inbox/read ann",     "POST /api/v1/inbox/read vic",
    "POST /api/v1/auth/logout ann",    "POST /api/v1/auth/logout vic",
    "POST /api/v1/tokens ann",         "POST /api/v1/tokens vic",
    "POST /api/v1/auth/password ann",  // their own password
    "POST /api/v1/auth/password vic",
};

// Routes that refuse a caller who has a key but no right to the row as if the row were not there
// (404), so that the answer does not tell whether it exists: "ROUTE caller".
const std::set<std::string> kRefusedAsMissing = {
    "DELETE /api/v1/tokens/{id} ann",  // another user's token
    "DELETE /api/v1/tokens/{id} vic",
};

TEST_P(MatrixTest, EveryWriteRouteRefusesTheCallersWithoutTheRightAndChangesNothing) {
  const BrowserSession admin = SignIn("admin");
  struct Caller {
    std::string name;
    httplib::Headers headers;
  };
  const std::vector<Caller> callers = {
      {"anonymous", {}},
      {"vic", {{"Authorization", "Bearer " + P("vic").token}}},
      {"ann", {{"Authorization", "Bearer " + P("ann").token}}},
      {"cookie without csrf", {{"Cookie", admin.cookie}}},
      {"cookie with a wrong csrf", {{"Cookie", admin.cookie}, {"X-CSRF-Token", "0" + admin.csrf}}},
  };
  int probed = 0;
  for (const auto& route : router_.Routes()) {
    if (route.method == "GET" || route.method == "HEAD" || route.doc.public_route) continue;
    const std::string name = route.method + " " + route.pattern;
    const std::string path = FillPath(route.pattern);
    if (path.empty()) {
      ADD_FAILURE() << name << ": the matrix cannot fill this route's path; teach Fill() the id "
                    << "of bob's row it takes";
      continue;
    }
    const json::object body = Body(route.method, route.pattern, path);
    for (const Caller& caller : callers) {
      const std::string before = Digest();
      httplib::Client c = Anonymous();
      httplib::Request req;
      req.method = route.method;
      req.path = path;
      req.headers = caller.headers;
      req.body = json::serialize(body);
      req.set_header("Content-Type", "application/json");
      auto res = c.send(req);
      ASSERT_TRUE(res) << name;
      ++probed;
      if (kAllowed.contains(name + " " + caller.name)) continue;
      const bool missing = kRefusedAsMissing.contains(name + " " + caller.name);
      EXPECT_TRUE(res->status == 401 || res->status == 403 || (missing && res->status == 404))
          << name << " as " << caller.name << ": " << res->status << " " << res->body;
      EXPECT_EQ(Digest(), before) << name << " as " << caller.name << " changed rows";
    }
  }
  EXPECT_GT(probed, 50 * static_cast<int>(callers.size()) / 2);
}

// The bodies are plausible: the routes take them from someone allowed (bob, his manager, or the
// admin for what only admins do), so the refusals above are the callers', not the bodies'.
TEST_P(MatrixTest, TheMatrixBodiesAreTakenFromSomeoneAllowed) {
  for (const auto& route : router_.Routes()) {
    if (route.method == "GET" || route.method == "HEAD" || route.doc.public_route) continue;
    if (route.method == "DELETE" || route.pattern == "/api/v1/auth/logout") continue;
    const std::string name = route.method + " " + route.pattern;
    const std::string path = FillPath(route.pattern);
    if (path.empty()) continue;  // the test above names it
    json::object body = Body(route.method, route.pattern, path);
    if (route.pattern == "/api/v1/accounts")
      body["name"] = "New Co " + std::to_string(route.pattern.size());
    httplib::Request req;
    req.method = route.method;
    req.path = path;
    req.headers = {{"Authorization", "Bearer " + P("admin").token}};
    req.body = json::serialize(body);
    req.set_header("Content-Type", "application/json");
    auto res = Anonymous().send(req);
    ASSERT_TRUE(res) << name;
    // 409: read and allowed, and met a row of bob's book it would repeat (the one whitespace
    // cell of a division × product, the handoff of an opportunity).
    EXPECT_TRUE(res->status < 300 || res->status == 409)
        << name << ": " << res->status << " " << res->body;
  }
}

ORCHARD_SECURITY_SUITE(MatrixTest);

}  // namespace
}  // namespace orchard::security
