#include "cli/cli.h"

#include <gtest/gtest.h>

namespace orchard::cli {
namespace {

TEST(ParseListenTest, HostAndPort) {
  auto l = ParseListen("127.0.0.1:8080");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->host, "127.0.0.1");
  EXPECT_EQ(l->port, 8080);
  l = ParseListen("[::1]:0");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->host, "::1");
  EXPECT_EQ(l->port, 0);
}

TEST(ParseListenTest, BadValuesSayWhy) {
  EXPECT_NE(ParseListen("localhost").error().message.find("no port"), std::string::npos);
  EXPECT_NE(ParseListen(":80").error().message.find("no host"), std::string::npos);
  EXPECT_NE(ParseListen("h:99999").error().message.find("0 to 65535"), std::string::npos);
  EXPECT_NE(ParseListen("h:8o").error().message.find("0 to 65535"), std::string::npos);
  EXPECT_FALSE(ParseListen("[::1:80"));
}

}  // namespace
}  // namespace orchard::cli
