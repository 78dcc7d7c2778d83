#include "automation/outbound.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>

#include "core/clock.h"

namespace orchard::automation {

namespace {

// libcurl's global state, set up once before the first handle (curl_global_init is not safe to
// race with other threads' first use on every build of libcurl).
void InitCurl() {
  static std::once_flag once;
  std::call_once(once, [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (sodium_init() < 0) std::abort();  // no usable randomness: never go on without it
  });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(CurlList& list, const std::string& line) {
  curl_slist* next = curl_slist_append(list.get(), line.c_str());
  if (next != nullptr) {
    (void)list.release();
    list.reset(next);
  }
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 128; });
}

// A header value as RFC 2047 encoded words ("=?UTF-8?B?…?="), each at most 75 characters and
// never splitting a UTF-8 sequence, folded onto continuation lines.
std::string EncodeWords(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = std::min(text.size(), at + 45);  // 45 bytes → 60 base64 characters
    while (end < text.size() && end > at && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

// The address inside "Name <a@b>", or the text itself.
std::string_view BareAddress(std::string_view from) {
  size_t open = from.rfind('<');
  size_t close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    return from.substr(open + 1, close - open - 1);
  return from;
}

std::string RfcDate(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  // The C locale's names are the English ones RFC 5322 wants.
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

// The headers FormatEmail writes itself: an extra header may not replace one of them.
constexpr std::string_view kOwnHeaders[] = {
    "date",       "from",         "to",           "subject",
    "message-id", "mime-version", "content-type", "content-transfer-encoding",
    "cc",         "bcc"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t ReadPayload(char* buffer, size_t size, size_t count, void* user) {
  auto* rest = static_cast<std::string_view*>(user);
  size_t n = std::min(size * count, rest->size());
  std::copy_n(rest->data(), n, buffer);
  rest->remove_prefix(n);
  return n;
}

size_t KeepSome(char* data, size_t size, size_t count, void* user) {
  auto* kept = static_cast<std::string*>(user);
  size_t n = size * count;
  if (kept->size() < 200) kept->append(data, std::min(n, 200 - kept->size()));
  return n;
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

Status CheckHeaderText(std::string_view field, std::string_view value) {
  for (char c : value) {
    if (c == '\r' || c == '\n') {
      return FailField(std::string(field),
                       "may not contain a line break (that would inject e-mail headers)");
    }
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      return FailField(std::string(field), "may not contain control characters");
    }
  }
  return Ok();
}

Status CheckEmailAddress(std::string_view field, std::string_view address) {
  ORCHARD_CHECK(CheckHeaderText(field, address));
  size_t at = address.find('@');
  if (address.empty() || address.size() > 320 || at == 0 || at == std::string_view::npos ||
      at + 1 >= address.size() || address.find('@', at + 1) != std::string_view::npos ||
      address.find_first_of(" <>,;\"\t") != std::string_view::npos) {
    return FailField(std::string(field), "must be an e-mail address, like name@example.com");
  }
  return Ok();
}

Status CheckEmail(const Email& email) {
  if (email.to.empty()) return FailField("to", "needs at least one address");
  for (const auto& to : email.to) ORCHARD_CHECK(CheckEmailAddress("to", to));
  ORCHARD_CHECK(CheckHeaderText("subject", email.subject));
  for (const auto& [name, value] : email.headers) {
    bool token = !name.empty() && std::all_of(name.begin(), name.end(),
                                              [](char c) { return c > 32 && c < 127 && c != ':'; });
    if (!token) return FailField("headers", "\"" + OneLine(name) + "\" is not a header name");
    if (std::find(std::begin(kOwnHeaders), std::end(kOwnHeaders), Lower(name)) !=
        std::end(kOwnHeaders)) {
      return FailField("headers", name + " is set by Orchard itself");
    }
    ORCHARD_CHECK(CheckHeaderText("headers." + name, value));
  }
  return Ok();
}

Status CheckSmtpSettings(const SmtpSettings& s) {
  if (s.host.empty() || s.host.size() > 253 ||
      s.host.find_first_of(" /:@\t\r\n") != std::string::npos) {
    return FailField("host", "must be a host name or address, like smtp.example.com");
  }
  if (s.port < 1 || s.port > 65535) return FailField("port", "must be from 1 to 65535");
  ORCHARD_CHECK(CheckEmailAddress("from", BareAddress(s.from)));
  ORCHARD_CHECK(CheckHeaderText("from", s.from));
  ORCHARD_CHECK(CheckHeaderText("username", s.username));
  return Ok();
}

std::string FormatEmail(const SmtpSettings& settings, const Email& email, int64_t unix_seconds,
                        std::string_view message_id) {
  std::string to;
  for (const auto& a : email.to) to += (to.empty() ? "" : ", ") + a;
  std::string m;
  m += "Date: " + RfcDate(unix_seconds) + "\r\n";
  m += "From: " + settings.from + "\r\n";
  m += "To: " + to + "\r\n";
  m += "Subject: " + EncodeWords(email.subject) + "\r\n";
  m += "Message-ID: " + std::string(message_id) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  for (const auto& [name, value] : email.headers) m += name + ": " + EncodeWords(value) + "\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n\r\n";
  const std::string body = Base64(email.body_text);
  for (size_t at = 0; at < body.size(); at += 76) m += body.substr(at, 76) + "\r\n";
  return m;
}

Status SendEmail(const SmtpSettings& settings, const Email& email, int timeout_ms) {
  ORCHARD_CHECK(CheckSmtpSettings(settings));
  ORCHARD_CHECK(CheckEmail(email));
  InitCurl();
  CurlHandle curl(curl_easy_init());
  if (!curl) return Fail(ErrorCode::kInternal, "libcurl could not start a session");
  const std::string where = settings.host + ":" + std::to_string(settings.port);
  const std::string from_address(BareAddress(settings.from));
  const std::string domain = from_address.substr(from_address.find('@') + 1);
  const std::string message = FormatEmail(settings, email, SystemClock().Now().unix_seconds(),
                                          "<" + RandomHex(16) + "@" + domain + ">");
  std::string_view rest = message;
  const std::string url = (settings.port == 465 ? "smtps://" : "smtp://") + where;
  CurlList rcpt;
  for (const auto& to : email.to) Append(rcpt, "<" + to + ">");
  char errbuf[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + from_address + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadPayload);
  curl_easy_setopt(c, CURLOPT_READDATA, &rest);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  if (settings.starttls && settings.port != 465) {
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!settings.verify_tls) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!settings.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings.password.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return Ok();
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  std::string detail = OneLine(errbuf[0] != 0 ? errbuf : curl_easy_strerror(rc));
  if (code >= 400) {
    return Fail(ErrorCode::kUnavailable,
                "SMTP " + std::to_string(code) + " from " + where + ": " + detail);
  }
  return Fail(ErrorCode::kUnavailable, "SMTP to " + where + " failed: " + detail);
}

std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  InitCurl();  // and sodium_init
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  const std::string t = std::to_string(unix_seconds);
  const std::string prefix = t + ".";
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return "t=" + t + ",v1=" + hex;
}

Status CheckWebhookUrl(std::string_view field, std::string_view url) {
  const std::string name(field);
  if (url.empty()) return FailField(name, "is required: an http:// or https:// URL");
  if (url.size() > 2000) return FailField(name, "is longer than 2,000 characters");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 32 || c == 127) {
      return FailField(name, "may not contain spaces or control characters");
    }
  }
  InitCurl();
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), curl_url_cleanup);
  const std::string text(url);
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return FailField(name, "is not a URL; give an http:// or https:// URL");
  }
  char* scheme = nullptr;
  char* host = nullptr;
  curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0);
  curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0);
  const std::string s = scheme ? scheme : "", h = host ? host : "";
  curl_free(scheme);
  curl_free(host);
  if (s != "http" && s != "https") return FailField(name, "must start with http:// or https://");
  if (h.empty()) return FailField(name, "has no host");
  return Ok();
}

WebhookAttempt PostWebhook(const std::string& url, const std::string& secret,
                           std::string_view event, std::string_view delivery_id,
                           std::string_view body, int timeout_ms) {
  WebhookAttempt out;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
  };
  if (!CheckHeaderText("event", event) || !CheckHeaderText("delivery", delivery_id)) {
    out.error = "the event or delivery id holds a line break";
    return out;
  }
  InitCurl();
  CurlHandle curl(curl_easy_init());
  if (!curl) {
    out.error = "libcurl could not start a session";
    return out;
  }
  CurlList headers;
  Append(headers, "Content-Type: application/json");
  Append(headers, "User-Agent: Orchard-Webhooks/1");
  Append(headers, "X-Orchard-Event: " + std::string(event));
  Append(headers, "X-Orchard-Delivery: " + std::string(delivery_id));
  Append(headers,
         "X-Orchard-Signature: " + SignWebhook(secret, SystemClock().Now().unix_seconds(), body));
  Append(headers, "Expect:");  // no 100-continue round trip
  std::string answer;
  char errbuf[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, KeepSome);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = curl_easy_perform(c);
  out.elapsed_ms = elapsed();
  if (rc != CURLE_OK) {
    out.error = OneLine(errbuf[0] != 0 ? errbuf : curl_easy_strerror(rc));
    return out;
  }
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  out.status = static_cast<int>(code);
  if (!out.delivered()) {
    out.error = "HTTP " + std::to_string(code) + (answer.empty() ? "" : ": " + OneLine(answer));
  }
  return out;
}

std::chrono::milliseconds BackoffDelay(int attempt, std::chrono::milliseconds base) {
  if (attempt < 1) attempt = 1;
  if (base <= std::chrono::milliseconds(0)) return std::chrono::milliseconds(0);
  std::chrono::milliseconds delay = base;
  for (int i = 1; i < attempt && delay < kMaxBackoff; ++i) delay *= 2;
  return std::min(delay, kMaxBackoff);
}

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), raw.data(), raw.size());
  out.pop_back();
  return out;
}

}  // namespace orchard::automation
