// `orchard export` as a user runs it: to standard output or a file, usage errors (exit 2) that
// name the valid tables or why one is refused, and a missing database that is not created.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>

#include "support/process.h"

namespace orchard {
namespace {

using ::testing::HasSubstr;
using testing::RunOrchard;
using testing::TempDir;

class ExportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = "sqlite:" + dir_.path() + "/book.db";
    auto r = RunOrchard({"seed", "--db", url_, "--accounts", "20", "--today", "2026-06-15"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  TempDir dir_;
  std::string url_;
};

TEST_F(ExportCliTest, WritesJsonToStandardOutput) {
  auto r = RunOrchard({"export", "--db", url_, "--object", "accounts", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(boost::json::parse(r.out).as_array().size(), 20u);
  EXPECT_EQ(r.err, "") << "the summary line is for a terminal, not a pipe";
}

TEST_F(ExportCliTest, WritesCsvToAFileAndSaysSo) {
  std::string path = dir_.path() + "/accounts.csv";
  auto r = RunOrchard({"export", "--object", "accounts", "--out", path}, {"ORCHARD_DB=" + url_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("Exported 20 accounts rows"));
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.substr(0, 15), "id,name,parent_");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_F(ExportCliTest, UsageErrorsNameTheTablesOrWhy) {
  auto r = RunOrchard({"export", "--db", url_, "--object", "acounts"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("accounts, divisions"));
  r = RunOrchard({"export", "--db", url_, "--object", "sessions"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("credential"));
  r = RunOrchard({"export", "--db", url_, "--object", "accounts", "--format", "xml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--format"));
  r = RunOrchard({"export", "--db", url_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--object"));
  r = RunOrchard({"export", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag : {"--db", "--object", "--format", "--out"}) {
    EXPECT_THAT(r.out, HasSubstr(flag));
  }
}

TEST_F(ExportCliTest, AMissingDatabaseIsNotCreated) {
  std::string path = dir_.path() + "/typo.db";
  auto r = RunOrchard({"export", "--db", "sqlite:" + path, "--object", "accounts"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no database at " + path));
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace orchard
