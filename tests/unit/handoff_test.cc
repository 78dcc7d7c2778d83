// The handoff's checklist as stored: the shape the service writes, the shape older books were
// seeded with, and every way a written checklist can be wrong.
#include "service/handoff.h"

#include <gtest/gtest.h>

#include "domain/handoff.h"

namespace orchard::service {
namespace {

TEST(HandoffChecklistTest, ANewChecklistHasEveryItemOpen) {
  auto items = ParseChecklist(NewChecklistJson());
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->size(), 6u);
  EXPECT_EQ((*items)[0].key, "pain_points_and_goals");
  EXPECT_EQ((*items)[5].key, "handoff_meeting");
  for (const auto& i : *items) {
    EXPECT_FALSE(i.done) << i.key;
    EXPECT_FALSE(i.label.empty()) << i.key;
  }
  auto waiting = ParseChecklist(HandoffChecklistJson(true, "handoff_meeting"));
  ASSERT_TRUE(waiting);
  for (const auto& i : *waiting) EXPECT_EQ(i.done, i.key != "handoff_meeting") << i.key;
}

TEST(HandoffChecklistTest, TheShapeOlderBooksWereSeededWithStillReads) {
  auto items =
      ParseChecklist(R"({"pain_points":true,"success_metrics":true,"stakeholder_map":true,)"
                     R"("contract_details":true,"why_us":true,"handoff_meeting":false})");
  ASSERT_TRUE(items) << items.error().message;
  ASSERT_EQ(items->size(), 6u);
  EXPECT_TRUE((*items)[0].done) << "pain_points is the first item";
  EXPECT_FALSE((*items)[5].done);
}

TEST(HandoffChecklistTest, AWrongChecklistIsRefusedSayingWhatIsWrong) {
  auto why = [](std::string_view json) {
    auto r = ParseChecklist(json);
    EXPECT_FALSE(r) << json;
    if (r) return std::string();
    EXPECT_EQ(r.error().fields.at(0).field, "checklist_json");
    return r.error().message;
  };
  EXPECT_NE(why("not json").find("JSON array"), std::string::npos);
  EXPECT_NE(why(R"([{"key":"golf","done":true}])").find("\"golf\" is not a checklist item"),
            std::string::npos);
  EXPECT_NE(why(R"([{"key":"why_us"},{"key":"why_us"}])").find("appears twice"), std::string::npos);
  EXPECT_NE(why(R"([{"key":"why_us","done":"yes"}])").find("must be true or false"),
            std::string::npos);
  EXPECT_NE(why(R"([{"key":"why_us","done":true}])").find("is missing pain_points_and_goals"),
            std::string::npos);
}

}  // namespace
}  // namespace orchard::service
