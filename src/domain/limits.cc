#include "domain/limits.h"

#include <cstring>

#include <array>
#include <cstdint>

namespace orchard {

namespace {

// Names, titles, e-mails and keys are one line; bodies, notes and descriptions several.
constexpr int kName = 200;        // names, titles, subjects
constexpr int kEmail = 320;       // RFC 5321: 64 + @ + 255
constexpr int kShort = 100;       // codes and categories: industry, region, SKU, family
constexpr int kKey = 255;         // an external system's id
constexpr int kNote = 2'000;      // a reason, a priority in the customer's words
constexpr int kText = 20'000;     // a plan's summary, a task's description, review outcomes
constexpr int kBody = 100'000;    // an e-mail's or a ticket's body, a review's notes
constexpr int kJson = 1'000'000;  // JSON the server writes (snapshots, audit, checklists)

constexpr TextLimit Line(std::string_view table, std::string_view column, int max,
                         bool required = false) {
  return {table, column, max, false, required};
}
constexpr TextLimit Lines(std::string_view table, std::string_view column, int max) {
  return {table, column, max, true, false};
}

constexpr auto kLimits = std::to_array<TextLimit>({
    Line("users", "email", kEmail, true),
    Line("users", "name", kName),
    Line("users", "password_hash", kName),
    Line("accounts", "name", kName, true),
    Line("accounts", "salesforce_id", kKey),
    Line("accounts", "hubspot_id", kKey),
    Line("accounts", "industry", kShort),
    Line("accounts", "region", kShort),
    Lines("accounts", "tier_override_reason", kNote),
    Line("divisions", "name", kName, true),
    Line("products", "sku", kShort),
    Line("products", "name", kName),
    Line("products", "family", kShort),
    Line("contract_lines", "salesforce_id", kKey),
    Line("contacts", "first_name", kName),
    Line("contacts", "last_name", kName),
    Line("contacts", "email", kEmail),
    Line("contacts", "title", kName),
    Line("contacts", "salesforce_id", kKey),
    Line("contacts", "hubspot_id", kKey),
    Line("opportunities", "name", kName, true),
    Lines("opportunities", "lost_reason", kNote),
    Line("opportunities", "salesforce_id", kKey),
    Line("opportunities", "hubspot_id", kKey),
    Line("activities", "subject", kName),
    Lines("activities", "body", kBody),
    Line("tickets", "subject", kName),
    Lines("tickets", "body", kBody),
    Lines("nps_responses", "comment", kText),
    Lines("engagement_signals", "detail", kNote),
    Lines("transcripts", "text", 200'000),  // and as many bytes: kMaxTranscriptBytes
    Line("text_sentiments", "source", kShort),
    Line("text_sentiments", "label", kShort),
    Lines("text_sentiments", "phrases", kJson),
    Line("text_sentiments", "model", kKey),
    Lines("account_plans", "summary", kText),
    Lines("plan_priorities", "text", kNote),
    Line("plan_priorities", "source", kName),
    Lines("plan_risks", "description", kNote),
    Lines("plan_risks", "mitigation", kNote),
    Line("whitespace_cells", "competitor", kName),
    Lines("plan_actions", "description", kNote),
    Lines("plan_versions", "change_summary", kText),
    Lines("plan_versions", "snapshot_json", kJson),
    Lines("reviews", "attendees", kNote),
    Lines("reviews", "notes", kBody),
    Lines("reviews", "outcomes", kText),
    Line("tasks", "title", kName, true),
    Lines("tasks", "description", kText),
    Line("tasks", "source_key", kKey),
    Lines("tasks", "checklist", kJson),
    Lines("handoffs", "checklist_json", kJson),
    Lines("health_overrides", "reason", kNote),
    Line("audit_log", "entity", kShort),
    Line("audit_log", "address", kShort),
    Lines("audit_log", "before_json", kJson),
    Lines("audit_log", "after_json", kJson),
    Line("sessions", "token_hash", kName),
    Line("sessions", "address", kShort),
    Line("api_tokens", "name", kName),
    Line("api_tokens", "token_hash", kName),
    Line("users", "external_source", kShort),
    Line("users", "external_id", kKey),
    Line("accounts", "external_source", kShort),
    Line("accounts", "external_id", kKey),
    Line("contacts", "external_source", kShort),
    Line("contacts", "external_id", kKey),
    Line("opportunities", "external_source", kShort),
    Line("opportunities", "external_id", kKey),
    Line("contract_lines", "external_source", kShort),
    Line("contract_lines", "external_id", kKey),
    Line("users", "office", kShort),
    Line("settings", "key", kShort),
    Lines("settings", "value", kText),
});

}  // namespace

std::span<const TextLimit> TextLimits() { return kLimits; }

std::optional<TextLimit> TextLimitOf(std::string_view table, std::string_view column) {
  for (const TextLimit& l : kLimits) {
    if (l.table == table && l.column == column) return l;
  }
  return std::nullopt;
}

std::optional<std::string> CheckText(std::string_view text, const TextLimit& limit) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  int64_t chars = 0;
  bool blank = true;
  for (size_t i = 0; i < n;) {
    // Eight bytes of printable ASCII (space to '~') at a time: most of what an import reads
    // (CheckText was 6.5% of a 1M-row import's reading thread, one byte at a time).
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, in + i, 8);
      constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
      // A byte below 0x20 or from 0x7F up sets its high bit in one of these.
      const uint64_t low = word - 0x20 * kOnes;
      const uint64_t high = word + (0x80 - 0x7F) * kOnes;
      if (((low | high | word) & kHigh) == 0) {
        if (blank && word != 0x20 * kOnes) blank = false;
        chars += 8;
        i += 8;
        continue;
      }
    }
    const unsigned char c = in[i];
    if (c > 0x20 && c < 0x7F) {  // printable ASCII, most of what an import reads: one compare
      blank = false;
      ++chars;
      ++i;
      continue;
    }
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0x80) {
      len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
      if (c >= 0xF5) len = 0;
      if (len == 0 || i + len > n) return "is not valid UTF-8 text";
      cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
      for (size_t k = 1; k < len; ++k) {
        if ((in[i + k] & 0xC0) != 0x80) return "is not valid UTF-8 text";
        cp = (cp << 6) | (in[i + k] & 0x3Fu);
      }
      // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
      const uint32_t least = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
      if (cp < least || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        return "is not valid UTF-8 text";
      }
    }
    const bool layout = cp == '\t' || cp == '\n' || cp == '\r';
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      if (!(layout && limit.multiline)) {
        if (cp == '\n' || cp == '\r') return "must be one line";
        if (cp == 0) return "must not contain NUL characters";
        return "must not contain control characters (found U+" +
               std::string(1, "0123456789ABCDEF"[(cp >> 12) & 15]) +
               std::string(1, "0123456789ABCDEF"[(cp >> 8) & 15]) +
               std::string(1, "0123456789ABCDEF"[(cp >> 4) & 15]) +
               std::string(1, "0123456789ABCDEF"[cp & 15]) + ")";
      }
    }
    if (!(cp == ' ' || layout || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B))) {
      blank = false;
    }
    ++chars;
    i += len;
  }
  if (chars > limit.max_chars) {
    return "must be at most " + std::to_string(limit.max_chars) + " characters (got " +
           std::to_string(chars) + ")";
  }
  if (limit.required && blank) return "must not be empty or only spaces";
  return std::nullopt;
}

std::string TruncateText(std::string_view text, int max_chars) {
  size_t end = 0;
  for (int chars = 0; end < text.size() && chars < max_chars; ++chars) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return std::string(text.substr(0, end));
}

std::optional<std::string> CheckMoney(Money money) {
  if (money.InBounds()) return std::nullopt;
  if (money.cents() < 0) return "must be at least -" + std::string(kMaxMoneyText);
  return "must be at most " + std::string(kMaxMoneyText);
}

}  // namespace orchard
