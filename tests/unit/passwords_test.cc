// What a new password must be (service/passwords.h): long enough, not common, not the e-mail.
#include "service/passwords.h"

#include <gtest/gtest.h>

namespace orchard::service {
namespace {

TEST(PasswordRules, CommonOnesAndTheirDressedUpFormsAreRefused) {
  EXPECT_FALSE(CheckNewPassword("short1!", "a@x.example"));
  EXPECT_FALSE(CheckNewPassword("Password1234", "a@x.example"));
  EXPECT_FALSE(CheckNewPassword("!!dragon2024", "a@x.example"));
  EXPECT_FALSE(CheckNewPassword("f00tb4ll123", "a@x.example"));
  EXPECT_FALSE(CheckNewPassword("monkeymonkey", "a@x.example"));
  EXPECT_FALSE(CheckNewPassword("jane.doe2024", "Jane.Doe@x.example"));
  EXPECT_FALSE(CheckNewPassword("jane.doe@x.example", "jane.doe@x.example"));
  EXPECT_TRUE(CheckNewPassword("correct horse battery", "a@x.example"));
  EXPECT_TRUE(CheckNewPassword("Tr4vel-by-kayak", "a@x.example"));
  EXPECT_EQ(CheckNewPassword("Password1234", "a@x.example", "new_password").error().fields[0].field,
            "new_password");
}

TEST(PasswordRules, TheListIsEmbedded) {
  EXPECT_TRUE(IsCommonPassword("123456"));
  EXPECT_TRUE(IsCommonPassword("qwertyuiop"));
  EXPECT_TRUE(IsCommonPassword("Baseball!"));
  EXPECT_FALSE(IsCommonPassword("plum tree at dawn"));
}

}  // namespace
}  // namespace orchard::service
