// Access beyond the account's book (issue "Trust", items 1–4): a handoff accepted only within
// the actor's rights, an account's owner and coverage changed only by the owner's manager, a
// leader or an admin (with its ownership history, whichever path changes it), personal tasks kept
// to their owner and the owner's manager, and no reference that crosses accounts or plans.
#include <gmock/gmock.h>

#include <thread>

#include "domain/handoff.h"
#include "security/harness.h"

namespace orchard::security {
namespace {

class AccessTest : public SecurityTest {
 protected:
  void SetUp() override {
    SecurityTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    AddBobsRows();
  }

  static std::string Id(int64_t id) { return std::to_string(id); }

  httplib::Result Post(const std::string& who, const std::string& path, const json::object& body) {
    return As(who).Post(path, json::serialize(body), "application/json");
  }
  httplib::Result Patch(const std::string& who, const std::string& path, const json::object& body) {
    return As(who).Patch(path, json::serialize(body), "application/json");
  }
  httplib::Result Accept(const std::string& who, std::optional<std::string> am = std::nullopt) {
    json::object body;
    if (am) body["am_id"] = P(*am).id.value;
    return Post(who, "/api/v1/handoffs/" + Id(bob_handoff_.value) + "/accept", body);
  }
  int64_t OwnerOf(AccountId a) {
    return Count("SELECT owner_id FROM accounts WHERE id = " + Id(a.value));
  }
  int64_t VersionOf(const std::string& table, int64_t id) {
    return Count("SELECT version FROM " + table + " WHERE id = " + Id(id));
  }

  // Runs an import as the admin and waits for it: the job's JSON.
  json::object Import(const std::string& object, const std::string& csv, const std::string& map) {
    json::object body{{"source", "csv"},
                      {"object", object},
                      {"map", json::parse(map)},
                      {"file_name", object + ".csv"},
                      {"content", csv}};
    auto started = Post("admin", "/api/v1/imports", body);
    EXPECT_TRUE(started);
    if (!started) return {};
    EXPECT_EQ(started->status, 202) << started->body;
    const int64_t job = Json(started).at("id").as_int64();
    for (int i = 0; i < 600; ++i) {
      auto res = As("admin").Get("/api/v1/imports/" + Id(job));
      if (res && res->status == 200) {
        json::object o = Json(res).as_object();
        if (o.at("status") != "running") return o;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "the import did not finish";
    return {};
  }
};

// ---- 1. Handoff takeover -------------------------------------------------------------------

TEST_P(AccessTest, AHandoffOutsideTheActorsRightsIsRefusedAndChangesNothing) {
  const int64_t tasks = Count("SELECT COUNT(*) FROM tasks");
  struct Case {
    std::string who;
    std::optional<std::string> am;
  };
  for (const Case& c :
       std::vector<Case>{{"ann", std::nullopt},   // an AM outside the book, for herself
                         {"cara", std::nullopt},  // a CSM outside the book
                         {"mia", "ann"},          // a manager outside their team's book, for her AM
                         {"mia", std::nullopt},   // … or for herself
                         {"max", "ann"},          // bob's manager, to an AM of another team
                         {"bob", "ann"},          // the account's AM, for someone else
                         {"vic", std::nullopt}}) {
    auto res = Accept(c.who, c.am);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << c.who << " for " << c.am.value_or("self") << ": " << res->body;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM handoffs WHERE status = 'open'"), 1);
  EXPECT_EQ(OwnerOf(bob_account_), P("bob").id.value);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks"), tasks);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM account_owners"), 0);
}

TEST_P(AccessTest, TheManagerOfTheBookAcceptsForAnAmOfTheirTeam) {
  auto res = Accept("max", "bob");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM handoffs WHERE status = 'accepted'"), 1);
}

TEST_P(AccessTest, TheAmInWhoseBookItIsAcceptsForThemselves) {
  auto res = Accept("bob");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST_P(AccessTest, AnAmTheHandoffNamesAcceptsItAndTheOwnershipHistoryRecordsIt) {
  ASSERT_EQ(Count("SELECT COUNT(*) FROM handoffs"), 1);
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->ExecScript("UPDATE handoffs SET am_id = " + Id(P("ann").id.value)));
  }
  auto res = Accept("ann");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(OwnerOf(bob_account_), P("ann").id.value);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM account_owners WHERE account_id = " +
                  Id(bob_account_.value) + " AND owner_id = " + Id(P("ann").id.value)),
            1);
}

TEST_P(AccessTest, ALeaderGivesAHandoffToAnyActiveNonViewer) {
  auto viewer = Accept("leader", "vic");
  ASSERT_TRUE(viewer);
  EXPECT_EQ(viewer->status, 422) << viewer->body;
  EXPECT_EQ(ErrorField(viewer), "am_id");
  auto res = Accept("leader", "ann");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(OwnerOf(bob_account_), P("ann").id.value);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM account_owners WHERE account_id = " + Id(bob_account_.value)),
      2);  // bob until now, ann from today
}

// ---- 2. Ownership moves ----------------------------------------------------------------------

TEST_P(AccessTest, AnAmOrCsmCannotSeizeOrDropTheAccountsCoverage) {
  // ann covers one of bob's buying centres, so she edits bob's account…
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->ExecScript("UPDATE divisions SET covered_by_id = " + Id(P("ann").id.value) +
                                  " WHERE id = " + Id(bob_division_.value)));
  }
  const std::string bob = "/api/v1/accounts/" + Id(bob_account_.value);
  const std::string ann = "/api/v1/accounts/" + Id(ann_account_.value);
  auto renamed = Patch("ann", bob, {{"version", 1}, {"industry", "Banking"}});
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->status, 200) << renamed->body;
  // … but does not make herself its owner, CSM or sponsor.
  struct Case {
    std::string who, path, field;
    json::value value;
  };
  const json::value none = nullptr;
  for (const Case& c : std::vector<Case>{
           {"ann", bob, "owner_id", P("ann").id.value},
           {"ann", bob, "csm_id", P("ann").id.value},
           {"ann", bob, "sponsor_id", P("ann").id.value},
           {"cara", ann, "owner_id", P("cara").id.value},  // the CSM makes herself the owner
           {"cara", ann, "csm_id", none},                  // … or drops herself
           {"ann", ann, "owner_id", P("cara").id.value},   // the owner gives it away
           {"ann", ann, "csm_id", none},                   // … or drops her CSM
       }) {
    const int64_t version = Json(As("admin").Get(c.path)).at("version").as_int64();
    auto res = Patch(c.who, c.path, {{"version", version}, {c.field, c.value}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << c.who << " " << c.field << ": " << res->body;
  }
  EXPECT_EQ(OwnerOf(bob_account_), P("bob").id.value);
  EXPECT_EQ(OwnerOf(ann_account_), P("ann").id.value);
  EXPECT_EQ(Count("SELECT csm_id FROM accounts WHERE id = " + Id(ann_account_.value)),
            P("cara").id.value);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE sponsor_id IS NOT NULL"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM account_owners"), 0);
}

TEST_P(AccessTest, TheOwnersManagerChangesTheOwnerWithinTheTeamAndHistoryRecordsIt) {
  const std::string ann = "/api/v1/accounts/" + Id(ann_account_.value);
  // mia leads ann and cara, not bob: she cannot hand ann's account out of her team.
  auto outside = Patch("mia", ann, {{"version", 1}, {"owner_id", P("bob").id.value}});
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->status, 403) << outside->body;
  auto within = Patch("mia", ann, {{"version", 1}, {"owner_id", P("cara").id.value}});
  ASSERT_TRUE(within);
  EXPECT_EQ(within->status, 200) << within->body;
  EXPECT_EQ(OwnerOf(ann_account_), P("cara").id.value);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM account_owners WHERE account_id = " + Id(ann_account_.value)), 2);
  auto sponsor = Patch("leader", ann, {{"version", 2}, {"sponsor_id", P("leader").id.value}});
  ASSERT_TRUE(sponsor);
  EXPECT_EQ(sponsor->status, 200) << sponsor->body;
}

TEST_P(AccessTest, AnImportThatChangesTheOwnerWritesTheOwnershipHistory) {
  json::object job = Import("accounts", "Name,Owner\r\nFabrikam,ann@orchard.example\r\n",
                            R"({"columns": {"Name": "name", "Owner": "owner"}})");
  ASSERT_EQ(job.at("status"), "done") << json::serialize(job);
  EXPECT_EQ(OwnerOf(bob_account_), P("ann").id.value);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM account_owners WHERE account_id = " + Id(bob_account_.value) +
            " AND owner_id = " + Id(P("ann").id.value) + " AND since IS NOT NULL"),
      1);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM account_owners WHERE account_id = " + Id(bob_account_.value) +
            " AND owner_id = " + Id(P("bob").id.value) + " AND since IS NULL"),
      1);
}

// ---- 3. Personal tasks -----------------------------------------------------------------------

TEST_P(AccessTest, APersonalTaskIsTheOwnersAndTheirManagersAndAdminsOnly) {
  const std::string task = "/api/v1/tasks/" + Id(bob_task_.value);
  for (const std::string who : {"ann", "cara", "mia", "leader", "vic"}) {
    auto edit = Patch(who, task, {{"title", "Mine now"}});
    ASSERT_TRUE(edit);
    EXPECT_EQ(edit->status, 403) << who << ": " << edit->body;
    auto take = Patch(who, task, {{"owner_id", P(who).id.value}});
    ASSERT_TRUE(take);
    EXPECT_EQ(take->status, 403) << who << ": " << take->body;
    auto gone = As(who).Delete(task);
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->status, 403) << who << ": " << gone->body;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE title = 'Bob''s own errand' AND owner_id = " +
                  Id(P("bob").id.value)),
            1);
  for (const std::string who : {"bob", "max", "admin"}) {
    auto edit = Patch(who, task, {{"title", "Errand of " + who}});
    ASSERT_TRUE(edit);
    EXPECT_EQ(edit->status, 200) << who << ": " << edit->body;
  }
  // bob cannot hand his errand to someone outside his manager's reach either…
  auto away = Patch("bob", task, {{"owner_id", P("ann").id.value}});
  ASSERT_TRUE(away);
  EXPECT_EQ(away->status, 403) << away->body;
  auto gone = As("max").Delete(task);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 204) << gone->body;
}

TEST_P(AccessTest, APersonalTaskIsCreatedForOneselfOrByTheOwnersManager) {
  auto for_bob =
      Post("ann", "/api/v1/tasks", {{"title", "Do it, Bob"}, {"owner_id", P("bob").id.value}});
  ASSERT_TRUE(for_bob);
  EXPECT_EQ(for_bob->status, 403) << for_bob->body;
  auto by_mia =
      Post("mia", "/api/v1/tasks", {{"title", "Do it, Bob"}, {"owner_id", P("bob").id.value}});
  ASSERT_TRUE(by_mia);
  EXPECT_EQ(by_mia->status, 403) << by_mia->body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE title = 'Do it, Bob'"), 0);
  auto own =
      Post("ann", "/api/v1/tasks", {{"title", "My errand"}, {"owner_id", P("ann").id.value}});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 201) << own->body;
  auto unnamed = Post("ann", "/api/v1/tasks", {{"title", "Another errand"}});
  ASSERT_TRUE(unnamed);
  EXPECT_EQ(unnamed->status, 201) << unnamed->body;
  EXPECT_EQ(Json(unnamed).at("owner_id").as_int64(), P("ann").id.value);
  auto by_max =
      Post("max", "/api/v1/tasks", {{"title", "Do it, Bob"}, {"owner_id", P("bob").id.value}});
  ASSERT_TRUE(by_max);
  EXPECT_EQ(by_max->status, 201) << by_max->body;
}

// ---- 4. Cross-account links --------------------------------------------------------------------

TEST_P(AccessTest, AReferenceToAnotherAccountOrPlanIsRefusedNamingTheField) {
  const int64_t audit = Count("SELECT COUNT(*) FROM audit_log");
  const int64_t ann = ann_account_.value, plan = ann_plan_.value;
  struct Case {
    std::string path;
    json::object body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"/api/v1/plan-actions",
       {{"plan_id", plan}, {"description", "x"}, {"risk_id", bob_risk_.value}},
       "risk_id"},
      {"/api/v1/plan-actions",
       {{"plan_id", plan}, {"description", "x"}, {"priority_id", bob_priority_.value}},
       "priority_id"},
      {"/api/v1/plan-actions",
       {{"plan_id", plan}, {"description", "x"}, {"whitespace_cell_id", bob_cell_.value}},
       "whitespace_cell_id"},
      {"/api/v1/plan-priorities",
       {{"plan_id", plan}, {"text", "x"}, {"source_contact_id", bob_contact_.value}},
       "source_contact_id"},
      {"/api/v1/plan-whitespace-cells",
       {{"plan_id", plan},
        {"division_id", bob_division_.value},
        {"product_id", product_.value},
        {"potential_cents", 100}},
       "division_id"},
      {"/api/v1/plan-whitespace-cells",
       {{"plan_id", plan},
        {"division_id", ann_division_.value},
        {"product_id", product_.value},
        {"potential_cents", 100},
        {"opportunity_id", bob_opportunity_.value}},
       "opportunity_id"},
      {"/api/v1/opportunities",
       {{"account_id", ann},
        {"name", "x"},
        {"created_on", "2026-06-01"},
        {"close_date", "2026-09-30"},
        {"division_id", bob_division_.value}},
       "division_id"},
      {"/api/v1/contacts",
       {{"account_id", ann}, {"last_name", "x"}, {"division_id", bob_division_.value}},
       "division_id"},
      {"/api/v1/contacts",
       {{"account_id", ann}, {"last_name", "x"}, {"reports_to_id", bob_contact_.value}},
       "reports_to_id"},
      {"/api/v1/contract-lines",
       {{"account_id", ann},
        {"product_id", product_.value},
        {"arr_cents", 100},
        {"start_date", "2026-01-01"},
        {"division_id", bob_division_.value}},
       "division_id"},
      {"/api/v1/tickets",
       {{"account_id", ann},
        {"subject", "x"},
        {"opened_at", "2026-06-01T09:00:00Z"},
        {"contact_id", bob_contact_.value}},
       "contact_id"},
      {"/api/v1/nps-responses",
       {{"account_id", ann},
        {"score", 5},
        {"responded_on", "2026-06-01"},
        {"contact_id", bob_contact_.value}},
       "contact_id"},
      {"/api/v1/engagement-signals",
       {{"account_id", ann},
        {"occurred_at", "2026-06-01T09:00:00Z"},
        {"contact_id", bob_contact_.value}},
       "contact_id"},
      {"/api/v1/transcripts",
       {{"account_id", ann}, {"text", "x"}, {"activity_id", bob_activity_.value}},
       "activity_id"},
      {"/api/v1/handoffs",
       {{"account_id", ann},
        {"opportunity_id", bob_opportunity_.value},
        {"checklist_json", HandoffChecklistJson(false)}},
       "opportunity_id"},
  };
  for (const Case& c : cases) {
    // A rule of the data, not of the actor: ann writes in her own book, the admin anywhere.
    for (const std::string who : {"admin", "ann"}) {
      auto res = Post(who, c.path, c.body);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 422) << who << " " << c.path << " " << c.field << ": " << res->body;
      EXPECT_EQ(ErrorField(res), c.field) << who << " " << c.path << ": " << res->body;
    }
  }
  // The same through a change of an existing row.
  auto moved = Patch("admin", "/api/v1/tickets/" + Id(bob_ticket_.value),
                     {{"contact_id", ann_contact_.value}});
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->status, 422) << moved->body;
  EXPECT_EQ(ErrorField(moved), "contact_id");
  // A row moved to another account while rows of its old one point at it.
  auto contact = Patch("admin", "/api/v1/contacts/" + Id(bob_contact_.value),
                       {{"version", 1}, {"account_id", ann}});
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->status, 422) << contact->body;
  EXPECT_EQ(ErrorField(contact), "account_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), audit);
}

TEST_P(AccessTest, AnAccountsParentMayBeAnotherAccountButNotACycle) {
  const std::string ann = "/api/v1/accounts/" + Id(ann_account_.value);
  const std::string bob = "/api/v1/accounts/" + Id(bob_account_.value);
  auto up = Patch("admin", ann, {{"version", 1}, {"parent_id", bob_account_.value}});
  ASSERT_TRUE(up);
  EXPECT_EQ(up->status, 200) << up->body;
  auto cycle = Patch("admin", bob, {{"version", 1}, {"parent_id", ann_account_.value}});
  ASSERT_TRUE(cycle);
  EXPECT_EQ(cycle->status, 422) << cycle->body;
  EXPECT_EQ(ErrorField(cycle), "parent_id");
  auto self = Patch("admin", bob, {{"version", 1}, {"parent_id", bob_account_.value}});
  ASSERT_TRUE(self);
  EXPECT_EQ(self->status, 422) << self->body;
  EXPECT_EQ(ErrorField(self), "parent_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE parent_id IS NOT NULL"), 1);
}

TEST_P(AccessTest, AnImportRefusesALinkAcrossAccountsAndAParentCycleAsRejectedRows) {
  {
    auto db = store::OpenDatabase(url_);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->ExecScript("UPDATE contacts SET salesforce_id = 'SF-BOB' WHERE id = " +
                                  Id(bob_contact_.value)));
    ASSERT_TRUE((*db)->ExecScript("UPDATE accounts SET parent_id = " + Id(bob_account_.value) +
                                  " WHERE id = " + Id(ann_account_.value)));
  }
  const int64_t contacts = Count("SELECT COUNT(*) FROM contacts");
  json::object job =
      Import("contacts", "Company,Email,Boss\r\nContoso,new@contoso.example,SF-BOB\r\n",
             R"({"columns": {"Company": "account.name", "Email": "email",
                             "Boss": "reports_to.salesforce_id"}})");
  ASSERT_EQ(job.at("status"), "done") << json::serialize(job);
  const json::object& s = job.at("summary").as_object();
  EXPECT_EQ(s.at("rejected").as_int64(), 1) << json::serialize(job);
  ASSERT_EQ(s.at("rejected_rows").as_array().size(), 1u) << json::serialize(job);
  EXPECT_EQ(s.at("rejected_rows").as_array()[0].at("column_name"), "Boss");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts"), contacts);

  json::object accounts = Import("accounts", "Name,Parent\r\nFabrikam,Contoso\r\n",
                                 R"({"columns": {"Name": "name", "Parent": "parent.name"}})");
  ASSERT_EQ(accounts.at("status"), "done") << json::serialize(accounts);
  const json::object& a = accounts.at("summary").as_object();
  EXPECT_EQ(a.at("rejected").as_int64(), 1) << json::serialize(accounts);
  ASSERT_EQ(a.at("rejected_rows").as_array().size(), 1u) << json::serialize(accounts);
  EXPECT_EQ(a.at("rejected_rows").as_array()[0].at("column_name"), "Parent");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE parent_id IS NOT NULL"), 1);
}

ORCHARD_SECURITY_SUITE(AccessTest);

}  // namespace
}  // namespace orchard::security
