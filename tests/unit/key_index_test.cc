// KeyIndex (ingest/key_index.h): the keys an import matches rows by, and the ids they name.
#include "ingest/key_index.h"

#include <gtest/gtest.h>

#include <string>

namespace orchard::ingest {
namespace {

// Room made ahead on a thread of its own: keys added before it is ready (more than the table
// there holds, so that an Add waits for it) and after are all found, with their own ids.
TEST(KeyIndexTest, KeysAddedWhileRoomIsMadeAheadAreAllFound) {
  KeyIndex index;
  for (int i = 0; i < 100; ++i) index.emplace("early-" + std::to_string(i), i);
  index.reserve_ahead(1 << 20);
  for (int i = 0; i < 200'000; ++i) {
    ASSERT_TRUE(index.emplace("key-" + std::to_string(i), 1000 + i));
  }
  EXPECT_EQ(index.size(), 200'100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(index.find("early-" + std::to_string(i)), i);
  for (int i = 0; i < 200'000; i += 997) {
    EXPECT_EQ(index.find("key-" + std::to_string(i)), 1000 + i) << i;
  }
  EXPECT_EQ(index.find("key-200000"), std::nullopt);
  index.reserve_ahead(10);  // no room needed: nothing happens
  EXPECT_EQ(index.find("key-5"), 1005);
}

TEST(KeyIndexTest, TheFirstIdOfAKeyStays) {
  KeyIndex index;
  EXPECT_TRUE(index.emplace("001A", 1));
  EXPECT_FALSE(index.emplace("001A", 2));  // a shared name keeps the oldest row
  EXPECT_EQ(index.find("001A"), 1);
  EXPECT_EQ(index.find("001B"), std::nullopt);
}

// A new row's key is held when looked up, and named by the row once it is made; until then
// nothing finds it, and a row refused in between leaves it as if never seen.
TEST(KeyIndexTest, AHeldKeyIsFoundOnlyOnceItsRowGivesItAnId) {
  KeyIndex index;
  EXPECT_EQ(index.find_or_hold("001A"), std::nullopt);
  EXPECT_EQ(index.find("001A"), std::nullopt);
  EXPECT_TRUE(index.emplace("001A", 7));
  EXPECT_EQ(index.find("001A"), 7);
  EXPECT_EQ(index.find_or_hold("001A"), 7);  // known: found, not held again

  // Held, then the row is refused: the next row with that key holds it again and names it.
  EXPECT_EQ(index.find_or_hold("001B"), std::nullopt);
  EXPECT_EQ(index.find_or_hold("001C"), std::nullopt);
  EXPECT_TRUE(index.emplace("001C", 9));
  EXPECT_EQ(index.find("001B"), std::nullopt);
  EXPECT_EQ(index.find_or_hold("001B"), std::nullopt);
  EXPECT_TRUE(index.emplace("001B", 11));
  EXPECT_EQ(index.find("001B"), 11);
  EXPECT_EQ(index.find("001C"), 9);
}

// A row made with another key than the one held (another index's key, or a key the row
// rewrote) adds that key; the held one stays unseen, and an emplace of it later names it.
TEST(KeyIndexTest, AnotherKeyThanTheHeldOneIsAddedBesideIt) {
  KeyIndex index;
  EXPECT_EQ(index.find_or_hold("acme"), std::nullopt);
  EXPECT_TRUE(index.emplace("globex", 3));
  EXPECT_EQ(index.find("globex"), 3);
  EXPECT_EQ(index.find("acme"), std::nullopt);
  EXPECT_TRUE(index.emplace("acme", 4));
  EXPECT_EQ(index.find("acme"), 4);
}

// Keys are copied in: the caller's bytes may change once a call returns, across many blocks.
TEST(KeyIndexTest, KeysOutliveTheCallersBytesAcrossBlocks) {
  KeyIndex index;
  std::string key;
  for (int i = 0; i < 200'000; ++i) {
    key = "0015g" + std::to_string(i) + std::string(i % 7, 'x');
    if (i % 2 == 0) {
      ASSERT_EQ(index.find_or_hold(key), std::nullopt) << i;
    }
    ASSERT_TRUE(index.emplace(key, i)) << i;
  }
  key.assign(40, '?');
  for (int i = 0; i < 200'000; i += 997) {
    EXPECT_EQ(index.find("0015g" + std::to_string(i) + std::string(i % 7, 'x')), i);
  }
  EXPECT_EQ(index.size(), 200'000u);
}

}  // namespace
}  // namespace orchard::ingest
