// The one table of dashboards (engine/dashboard_table.h) as users meet it: every entry is a route
// that answers, is in the OpenAPI document with the parameters it takes, and is named by
// `orchard report --help`; and `orchard report` prints, as a table, CSV and JSON, exactly what it
// printed before the table existed (golden files in tests/testdata/report/, written by the
// binary of that time; ORCHARD_UPDATE_GOLDEN=1 rewrites them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "engine/dashboard_table.h"
#include "support/process.h"

namespace orchard {
namespace {

using testing::BackgroundProcess;
using ::testing::HasSubstr;
using testing::RunOrchard;
using testing::TempDir;

bool Takes(const engine::DashboardEntry& entry, std::string_view param) {
  return std::find(entry.params.begin(), entry.params.end(), param) != entry.params.end();
}

TEST(DashboardTableTest, EveryEntryIsDocumentedOnce) {
  std::set<std::string_view> names;
  for (const auto& entry : engine::DashboardTable()) {
    EXPECT_TRUE(names.insert(entry.name).second) << entry.name;
    EXPECT_FALSE(entry.summary.empty()) << entry.name;
    EXPECT_NE(entry.answer, nullptr) << entry.name;
    for (std::string_view p : entry.params) {
      EXPECT_NE(engine::FindDashboardParam(p), nullptr) << entry.name << " takes " << p;
    }
    EXPECT_EQ(engine::FindDashboard(entry.name), &entry);
  }
  EXPECT_EQ(engine::FindDashboard("weather"), nullptr);
}

TEST(DashboardTableTest, EveryEntryIsInReportHelpAndOpenApiAndAnswersOverHttp) {
  auto help = RunOrchard({"report", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  for (const auto& entry : engine::DashboardTable()) {
    EXPECT_THAT(help.out, HasSubstr(std::string(entry.name))) << "orchard report --help";
  }

  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/d.db";
  auto seeded = RunOrchard({"seed", "--db", db, "--accounts", "60", "--seed", "3"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  auto user =
      RunOrchard({"user", "add", "--db", db, "--email", "lead@x.example", "--role", "leader"}, {},
                 "a long enough secret\n");
  ASSERT_EQ(user.exit_code, 0) << user.err;
  BackgroundProcess serve({"serve", "--db", db, "--listen", "127.0.0.1:0", "--no-access-log"});
  const std::string line = serve.WaitForLine("serving", 30'000);
  std::smatch port;
  ASSERT_TRUE(std::regex_search(line, port, std::regex(R"(127\.0\.0\.1:(\d+))")))
      << serve.ReadStderr();
  httplib::Client client("127.0.0.1", std::stoi(port[1].str()));
  auto login = client.Post("/api/v1/auth/login",
                           R"({"email":"lead@x.example","password":"a long enough secret"})",
                           "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  std::string cookie = login->get_header_value("Set-Cookie");
  httplib::Headers read{{"Cookie", cookie.substr(0, cookie.find(';'))}};

  auto openapi = client.Get("/api/v1/openapi.json", read);
  ASSERT_TRUE(openapi);
  ASSERT_EQ(openapi->status, 200);
  const auto doc = boost::json::parse(openapi->body).as_object();
  const auto& paths = doc.at("paths").as_object();
  for (const auto& entry : engine::DashboardTable()) {
    SCOPED_TRACE(std::string(entry.name));
    const std::string path = "/api/v1/dashboards/" + std::string(entry.name);
    ASSERT_TRUE(paths.contains(path));
    const auto& get = paths.at(path).at("get").as_object();
    EXPECT_THAT(std::string(get.at("summary").as_string()), HasSubstr(std::string(entry.summary)));
    std::vector<std::string> documented;
    for (const auto& p : get.at("parameters").as_array()) {
      documented.emplace_back(p.at("name").as_string());
    }
    EXPECT_EQ(documented, std::vector<std::string>(entry.params.begin(), entry.params.end()));

    auto answer = client.Get(path, read);
    ASSERT_TRUE(answer);
    ASSERT_EQ(answer->status, 200) << answer->body;
    EXPECT_EQ(boost::json::parse(answer->body).at("dashboard").as_string(), entry.name);
    // A parameter the entry does not take is refused, naming it.
    for (const auto& param : engine::kDashboardParams) {
      if (Takes(entry, param.name)) continue;
      auto refused = client.Get(path + "?" + std::string(param.name) + "=1", read);
      ASSERT_TRUE(refused);
      EXPECT_EQ(refused->status, 400) << param.name;
      EXPECT_THAT(refused->body, HasSubstr("unknown parameter")) << param.name;
    }
  }
  EXPECT_EQ(serve.Stop(SIGTERM, 10'000), 0);
}

std::string Golden(const std::string& name) {
  return std::string(ORCHARD_SOURCE_DIR) + "/tests/testdata/report/" + name + ".txt";
}

// Every dashboard in the three formats, with a few filters, and a refused parameter: the whole
// text `orchard report` printed (stdout, stderr and exit code).
TEST(DashboardTableTest, ReportPrintsWhatItAlwaysPrinted) {
  TempDir dir;
  const std::string db = "sqlite:" + dir.path() + "/r.db";
  auto seeded =
      RunOrchard({"seed", "--db", db, "--accounts", "300", "--seed", "5", "--today", "2026-06-15"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  const bool update = std::getenv("ORCHARD_UPDATE_GOLDEN") != nullptr;
  for (const auto& entry : engine::DashboardTable()) {
    const std::string name(entry.name);
    std::vector<std::vector<std::string>> variants;
    for (const char* format : {"table", "csv", "json"}) {
      std::vector<std::string> args = {"--format", format};
      if (Takes(entry, "limit")) args.insert(args.end(), {"--limit", "4", "--offset", "1"});
      variants.push_back(args);
    }
    variants.push_back({"--tier", "2", "--limit", "3"});
    if (Takes(entry, "window")) variants.push_back({"--window", "30", "--limit", "3"});
    if (Takes(entry, "from")) variants.push_back({"--from", "2026-01-01", "--to", "2026-05-31"});
    if (Takes(entry, "quadrant")) variants.push_back({"--quadrant", "develop", "--limit", "3"});
    if (Takes(entry, "group_by")) variants.push_back({"--group-by", "tier", "--format", "csv"});
    if (!Takes(entry, "window")) variants.push_back({"--window", "30"});  // refused
    std::string got;
    for (const auto& v : variants) {
      std::vector<std::string> args = {"report", name, "--db", db, "--today", "2026-06-15"};
      args.insert(args.end(), v.begin(), v.end());
      auto r = RunOrchard(args);
      got += "$ orchard report " + name;
      for (const auto& a : v) got += " " + a;
      got += "\n" + r.out + r.err + "exit " + std::to_string(r.exit_code) + "\n";
    }
    if (update) {
      std::ofstream(Golden(name), std::ios::binary) << got;
      continue;
    }
    std::ifstream in(Golden(name), std::ios::binary);
    ASSERT_TRUE(in) << Golden(name) << " is missing (ORCHARD_UPDATE_GOLDEN=1 writes it)";
    std::stringstream want;
    want << in.rdbuf();
    EXPECT_EQ(got, want.str()) << name;
  }
}

}  // namespace
}  // namespace orchard
