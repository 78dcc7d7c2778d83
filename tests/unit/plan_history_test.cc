// Plan diffs (service/plan_history.h) on hand-made snapshots: rows added, removed and changed
// field by field, and a version that kept only counts is named, not read as every row changed.
#include <gtest/gtest.h>

#include "service/plan_history.h"

namespace orchard::service {
namespace {

boost::json::object Parse(const char* text) { return boost::json::parse(text).as_object(); }

TEST(PlanHistoryTest, ADiffNamesRowsAddedRemovedAndTheFieldsThatChanged) {
  auto from = Parse(R"({"plan":{"id":3,"summary":"Grow"},"priorities":[{"id":1,"text":"A"}],
    "risks":[{"id":7,"mitigation":""}],"whitespace_cells":[],"actions":[]})");
  auto to = Parse(R"({"plan":{"id":3,"summary":"Grow in EMEA"},"priorities":[{"id":2,"text":"B"}],
    "risks":[{"id":7,"mitigation":"Call the CFO"}],"whitespace_cells":[],"actions":[]})");
  auto d = DiffSnapshots(from, to);
  EXPECT_EQ(boost::json::serialize(d.at("plan")),
            R"({"summary":{"from":"Grow","to":"Grow in EMEA"}})");
  EXPECT_EQ(d.at("priorities").at("added").as_array()[0].at("id").as_int64(), 2);
  EXPECT_EQ(d.at("priorities").at("removed").as_array()[0].at("id").as_int64(), 1);
  EXPECT_EQ(boost::json::serialize(d.at("risks").at("changed")),
            R"([{"id":7,"fields":{"mitigation":{"from":"","to":"Call the CFO"}}}])");
  EXPECT_TRUE(d.at("incomplete").as_array().empty());
}

TEST(PlanHistoryTest, AVersionThatKeptOnlyCountsIsNamedNotReadAsEveryRowAdded) {
  // How an imported or seeded version looks: counts, no rows, no plan.
  auto from = Parse(R"({"priorities":2,"risks":1,"whitespace_cells":3,"actions":2})");
  auto to = Parse(R"({"plan":{"id":3},"priorities":[{"id":1}],"risks":[{"id":7}],
    "whitespace_cells":[],"actions":[]})");
  auto d = DiffSnapshots(from, to);
  EXPECT_EQ(boost::json::serialize(d.at("incomplete")),
            R"(["plan","priorities","risks","whitespace_cells","actions"])");
  EXPECT_TRUE(d.at("risks").at("added").as_array().empty());
  EXPECT_TRUE(d.at("plan").as_object().empty());
}

TEST(PlanHistoryTest, AChangeIsDescribedInOneLine) {
  EXPECT_EQ(DescribeChange("risk", 12, std::nullopt, R"({"id":12})"), "added risk 12");
  EXPECT_EQ(DescribeChange("action", 9, R"({"id":9})", std::nullopt), "removed action 9");
  EXPECT_EQ(DescribeChange("plan", 3, R"({"id":3,"summary":"a","version":1,"updated_at":"x"})",
                           R"({"id":3,"summary":"b","version":2,"updated_at":"y"})"),
            "changed plan 3: summary");
}

}  // namespace
}  // namespace orchard::service
