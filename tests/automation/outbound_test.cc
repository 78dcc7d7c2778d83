// The outbound senders without a network: the webhook signature against a known answer, the
// e-mail's refusal of header injection, the message as written, and the backoff schedule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "automation/outbound.h"

namespace orchard::automation {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(SignWebhookTest, MatchesAnIndependentHmacSha256) {
  // python3 -c "import hmac,hashlib;print(hmac.new(b'whsec_test',
  //   b'1765000000.{\"event\":\"opportunity_won\"}',hashlib.sha256).hexdigest())"
  EXPECT_EQ(SignWebhook("whsec_test", 1765000000, R"({"event":"opportunity_won"})"),
            "t=1765000000,v1=7cba37e798be019c4710d7a96bf4e717e52b05aba68f802a3871025ffcdba137");
}

TEST(SignWebhookTest, TakesAKeyLongerThanTheHashBlock) {
  // python3 -c "import hmac,hashlib;print(hmac.new(b'k'*100,b'1.',hashlib.sha256).hexdigest())"
  EXPECT_EQ(SignWebhook(std::string(100, 'k'), 1, ""),
            "t=1,v1=f380fa061ddac7555fce09c4f9d5ba3c4d7eb9115eaa097dd2c14988a18ae793");
}

SmtpSettings Smtp() {
  SmtpSettings s;
  s.host = "smtp.example";
  s.from = "orchard@example.com";
  return s;
}

TEST(EmailTest, RefusesHeaderInjectionNamingTheField) {
  Email e{{"a@example.com"}, "Hello\r\nBcc: all@example.com", "body", {}};
  auto s = SendEmail(Smtp(), e);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(s.error().message, HasSubstr("subject"));
  EXPECT_THAT(s.error().message, HasSubstr("line break"));

  e.subject = "Hello";
  e.to = {"a@example.com\nBcc: x@example.com"};
  s = SendEmail(Smtp(), e);
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message, HasSubstr("to"));

  e.to = {"a@example.com"};
  e.headers = {{"List-Unsubscribe", "<https://x.example/u>\r\nBcc: x@example.com"}};
  s = SendEmail(Smtp(), e);
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message, HasSubstr("List-Unsubscribe"));

  e.headers = {{"Bcc", "x@example.com"}};
  EXPECT_FALSE(CheckEmail(e));
  e.headers = {{"Bad Name", "x"}};
  EXPECT_FALSE(CheckEmail(e));
  e.headers = {};
  e.to = {};
  EXPECT_FALSE(CheckEmail(e));
}

TEST(EmailTest, TheMessageIsRfc5322WithAnEncodedSubjectAndABase64Body) {
  Email e{{"a@example.com", "b@example.com"},
          "Renouvellement bientôt — ça approche",
          "Line one\nLine two é",
          {{"List-Unsubscribe", "<mailto:u@example.com>"}}};
  std::string m = FormatEmail(Smtp(), e, 1765000000, "<abc@example.com>");
  EXPECT_THAT(m, HasSubstr("Date: Sat, 06 Dec 2025 05:46:40 +0000\r\n"));
  EXPECT_THAT(m, HasSubstr("From: orchard@example.com\r\n"));
  EXPECT_THAT(m, HasSubstr("To: a@example.com, b@example.com\r\n"));
  EXPECT_THAT(m, HasSubstr("Subject: =?UTF-8?B?"));
  EXPECT_THAT(m, HasSubstr("Message-ID: <abc@example.com>\r\n"));
  EXPECT_THAT(m, HasSubstr("List-Unsubscribe: <mailto:u@example.com>\r\n"));
  EXPECT_THAT(m, HasSubstr("Content-Type: text/plain; charset=utf-8\r\n"));
  EXPECT_THAT(m, HasSubstr("Content-Transfer-Encoding: base64\r\n\r\n"));
  // Every line within 78 characters, every byte ASCII.
  size_t at = 0;
  while (at < m.size()) {
    size_t end = m.find("\r\n", at);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - at, 78u) << m.substr(at, end - at);
    at = end + 2;
  }
  for (char c : m) EXPECT_LT(static_cast<unsigned char>(c), 128);
}

TEST(EmailTest, SmtpSettingsAreChecked) {
  SmtpSettings s = Smtp();
  EXPECT_TRUE(CheckSmtpSettings(s));
  s.port = 0;
  EXPECT_THAT(CheckSmtpSettings(s).error().fields.at(0).field, "port");
  s = Smtp();
  s.from = "not an address";
  EXPECT_THAT(CheckSmtpSettings(s).error().fields.at(0).field, "from");
  s = Smtp();
  s.host = "";
  EXPECT_THAT(CheckSmtpSettings(s).error().fields.at(0).field, "host");
}

TEST(WebhookUrlTest, OnlyHttpAndHttpsWithAHost) {
  EXPECT_TRUE(CheckWebhookUrl("url", "https://hooks.example.com/orchard?x=1"));
  EXPECT_TRUE(CheckWebhookUrl("url", "http://127.0.0.1:8080/in"));
  for (const char* bad : {"", "ftp://x.example/", "file:///etc/passwd", "https://", "not a url",
                          "javascript:alert(1)"}) {
    auto s = CheckWebhookUrl("url", bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().fields.at(0).field, "url") << bad;
  }
}

TEST(BackoffTest, DoublesFromTheBaseAndStopsAtAnHour) {
  EXPECT_EQ(BackoffDelay(1), 30s);
  EXPECT_EQ(BackoffDelay(2), 60s);
  EXPECT_EQ(BackoffDelay(3), 120s);
  EXPECT_EQ(BackoffDelay(7), 32min);
  EXPECT_EQ(BackoffDelay(8), 1h);
  EXPECT_EQ(BackoffDelay(1000), 1h);
  EXPECT_EQ(BackoffDelay(3, 5ms), 20ms);
  EXPECT_EQ(BackoffDelay(0, 5ms), 5ms);
}

TEST(PostWebhookTest, ANothingListeningPortIsAnErrorWithoutAStatus) {
  WebhookAttempt a =
      PostWebhook("http://127.0.0.1:1/x", "s", "opportunity_won", "dlv_1", "{}", 2000);
  EXPECT_FALSE(a.delivered());
  EXPECT_EQ(a.status, 0);
  EXPECT_FALSE(a.error.empty());
}

}  // namespace
}  // namespace orchard::automation
