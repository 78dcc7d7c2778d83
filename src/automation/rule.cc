#include "automation/rule.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "automation/account_fields.h"
#include "automation/condition.h"
#include "domain/limits.h"

namespace orchard::automation {
namespace json = boost::json;
namespace {

// A reader of one JSON object that refuses the fields it was not asked about.
class ObjectReader {
 public:
  ObjectReader(const json::object& o, std::string path) : o_(o), path_(std::move(path)) {}

  std::string Path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const json::value* Find(std::string_view key) {
    seen_.insert(std::string(key));
    return o_.if_contains(key);
  }
  Status Text(std::string_view key, std::string& out, int max, bool required = false) {
    const json::value* v = Find(key);
    if (v == nullptr || v->is_null()) {
      if (required) return FailValue(Path(key), "is required");
      return Ok();
    }
    if (!v->is_string()) return FailField(Path(key), "must be a text");
    out = std::string(v->as_string());
    if (required && out.empty()) return FailValue(Path(key), "must not be empty");
    if (static_cast<int>(out.size()) > max) {
      return FailValue(Path(key), "is longer than " + std::to_string(max) + " bytes");
    }
    for (unsigned char c : out) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
        return FailValue(Path(key), "holds a control character");
      }
    }
    return Ok();
  }
  Status Int(std::string_view key, int& out, int lo, int hi) {
    const json::value* v = Find(key);
    if (v == nullptr || v->is_null()) return Ok();
    if (!v->is_int64() && !v->is_uint64()) return FailField(Path(key), "must be a whole number");
    const int64_t n = v->is_int64() ? v->as_int64() : static_cast<int64_t>(v->as_uint64());
    if (n < lo || n > hi) {
      return FailValue(Path(key),
                       "must be from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    out = static_cast<int>(n);
    return Ok();
  }
  Status Number(std::string_view key, double& out, double lo, double hi) {
    const json::value* v = Find(key);
    if (v == nullptr || v->is_null()) return Ok();
    if (!v->is_number()) return FailField(Path(key), "must be a number");
    const double d = v->to_number<double>();
    if (!(d >= lo && d <= hi)) {
      return FailValue(Path(key), "must be from " + std::to_string(lo).substr(0, 4) + " to " +
                                      std::to_string(hi).substr(0, 4));
    }
    out = d;
    return Ok();
  }
  Status Texts(std::string_view key, std::vector<std::string>& out, int max_items, int max) {
    const json::value* v = Find(key);
    if (v == nullptr || v->is_null()) return Ok();
    if (!v->is_array()) return FailField(Path(key), "must be a list of texts");
    if (static_cast<int>(v->as_array().size()) > max_items) {
      return FailValue(Path(key), "has more than " + std::to_string(max_items) + " items");
    }
    out.clear();
    for (size_t i = 0; i < v->as_array().size(); ++i) {
      const json::value& e = v->as_array()[i];
      const std::string at = Path(key) + "[" + std::to_string(i) + "]";
      if (!e.is_string() || e.as_string().empty()) return FailField(at, "must be a text");
      if (static_cast<int>(e.as_string().size()) > max) {
        return FailValue(at, "is longer than " + std::to_string(max) + " bytes");
      }
      out.emplace_back(e.as_string());
    }
    return Ok();
  }
  // After every field was read: the first one nobody asked for is an error.
  Status NoOthers() const {
    for (const auto& f : o_) {
      if (!seen_.contains(std::string(f.key()))) {
        return FailField(Path(f.key()), "is not a field here");
      }
    }
    return Ok();
  }

 private:
  const json::object& o_;
  std::string path_;
  std::set<std::string> seen_;
};

Result<const json::object*> ObjectAt(const json::value* v, const std::string& path) {
  if (v == nullptr) return FailValue(path, "is required");
  if (!v->is_object()) return FailField(path, "must be an object");
  return &v->as_object();
}

Result<Assignee> ParseAssignee(std::string_view text, const std::string& path, bool people) {
  Assignee a;
  auto colon = text.find(':');
  const std::string_view head = text.substr(0, colon);
  const std::string_view tail =
      colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (head == "am") {
    a.kind = AssigneeKind::kAm;
  } else if (head == "csm") {
    a.kind = AssigneeKind::kCsm;
  } else if (head == "sponsor") {
    a.kind = AssigneeKind::kSponsor;
  } else if (head == "user") {
    a.kind = AssigneeKind::kUser;
  } else if (head == "admins" && people) {
    a.kind = AssigneeKind::kAdmins;
  } else if (head == "round_robin" && !people) {
    a.kind = AssigneeKind::kRoundRobin;
  } else if (head == "fewest_accounts" && !people) {
    a.kind = AssigneeKind::kFewestAccounts;
  } else {
    return FailValue(path, people ? "expected am, csm, sponsor, admins or user:EMAIL, found '" +
                                        std::string(text) + "'"
                                  : "expected am, csm, sponsor, user:EMAIL, "
                                    "round_robin:MANAGER_EMAIL or fewest_accounts:MANAGER_EMAIL, "
                                    "found '" +
                                        std::string(text) + "'");
  }
  const bool wants_email = a.kind == AssigneeKind::kUser || a.kind == AssigneeKind::kRoundRobin ||
                           a.kind == AssigneeKind::kFewestAccounts;
  if (wants_email) {
    if (tail.empty() || tail.find('@') == std::string_view::npos || tail.size() > 254) {
      return FailValue(path, "'" + std::string(head) + ":' takes an e-mail address");
    }
    a.email = std::string(tail);
  } else if (colon != std::string_view::npos) {
    return FailValue(path, "'" + std::string(head) + "' takes nothing after it");
  }
  return a;
}

constexpr int kTitleMax = 200;
constexpr int kBodyMax = 8000;

// The placeholders a text may hold, and those only a message to a contact may.
const std::vector<std::string_view> kPlaceholders{
    "account.name", "account.tier", "account.arr",     "account.health", "account.colour",
    "account.url",  "renewal_date", "days_to_renewal", "owner.name",     "owner.email",
    "rule.name",    "today",        "trigger",         "ticket.id"};
const std::vector<std::string_view> kContactPlaceholders{"contact.first_name", "contact.last_name",
                                                         "contact.email", "unsubscribe_url"};

Status ParseTrigger(const json::value* v, Trigger& t) {
  ORCHARD_TRY(const json::object* o, ObjectAt(v, "trigger"));
  ObjectReader r(*o, "trigger");
  std::string kind;
  ORCHARD_CHECK(r.Text("kind", kind, 40, true));
  auto parsed = ParseEnum<TriggerKind>(kind);
  if (!parsed) {
    std::string names;
    for (auto n : EnumTraits<TriggerKind>::kNames)
      names += (names.empty() ? "" : ", ") + std::string(n);
    return FailValue("trigger.kind", "expected one of " + names + ", found '" + kind + "'");
  }
  t.kind = *parsed;
  switch (t.kind) {
    case TriggerKind::kRenewalIn: {
      ORCHARD_CHECK(r.Int("days", t.days, 1, 730));
      if (const json::value* by = r.Find("days_by_tier")) {
        if (!by->is_object()) return FailField("trigger.days_by_tier", "must be an object");
        ObjectReader tiers(by->as_object(), "trigger.days_by_tier");
        for (int i = 0; i < 3; ++i) {
          ORCHARD_CHECK(tiers.Int(std::to_string(i + 1), t.days_by_tier[i], 1, 730));
        }
        ORCHARD_CHECK(tiers.NoOthers());
      }
      ORCHARD_CHECK(r.Int("catch_up_days", t.catch_up_days, 0, 365));
      break;
    }
    case TriggerKind::kNoContact:
      ORCHARD_CHECK(r.Int("days", t.days, 1, 3650));
      ORCHARD_CHECK(r.Int("catch_up_days", t.catch_up_days, 0, 365));
      break;
    case TriggerKind::kOnboardingDay:
      ORCHARD_CHECK(r.Int("days", t.days, 0, 3650));
      ORCHARD_CHECK(r.Int("catch_up_days", t.catch_up_days, 0, 365));
      break;
    case TriggerKind::kReviewDue: {
      t.days = 7;  // a week's notice unless told otherwise
      ORCHARD_CHECK(r.Int("days", t.days, 0, 365));
      ORCHARD_CHECK(r.Int("catch_up_days", t.catch_up_days, 0, 365));
      std::string review;
      ORCHARD_CHECK(r.Text("review", review, 20));
      if (!review.empty()) {
        auto k = ParseEnum<ReviewKind>(review);
        if (!k) {
          return FailValue("trigger.review",
                           "expected internal or customer, found '" + review + "'");
        }
        t.review = *k;
      }
      break;
    }
    case TriggerKind::kEngagementSpike:
    case TriggerKind::kEngagementDrop: {
      std::vector<std::string> names;
      ORCHARD_CHECK(r.Texts("signals", names, 5, 40));
      if (const json::value* given = r.Find("signals"); given != nullptr && !given->is_null()) {
        if (names.empty()) return FailValue("trigger.signals", "name at least one signal kind");
        t.signals.clear();
        for (const auto& n : names) {
          auto k = ParseEnum<EngagementKind>(n);
          if (!k) {
            return FailValue("trigger.signals",
                             "expected pricing_page_visit, case_study_download, webinar_attended, "
                             "product_page_visit or job_change, found '" +
                                 n + "'");
          }
          t.signals.push_back(*k);
        }
      }
      ORCHARD_CHECK(r.Number("z", t.z, 1.0, 20.0));
      break;
    }
    case TriggerKind::kHealthDrop:
      ORCHARD_CHECK(r.Int("points", t.points, 1, 100));
      break;
    case TriggerKind::kNegativeSentiment:
      ORCHARD_CHECK(r.Number("score", t.score, -1.0, 0.0));
      ORCHARD_CHECK(r.Texts("sources", t.sources, 4, 20));
      for (const auto& source : t.sources) {
        if (std::find(kTextSources.begin(), kTextSources.end(), source) == kTextSources.end()) {
          return FailValue(
              "trigger.sources",
              "expected activity, ticket, nps_response or transcript, found '" + source + "'");
        }
      }
      break;
    case TriggerKind::kHealthColour: {
      ORCHARD_CHECK(r.Texts("to", t.to, 4, 10));
      ORCHARD_CHECK(r.Texts("from", t.from, 4, 10));
      for (const auto* list : {&t.to, &t.from}) {
        for (const auto& c : *list) {
          if (c != "green" && c != "yellow" && c != "red") {
            return FailValue(list == &t.to ? "trigger.to" : "trigger.from",
                             "expected green, yellow or red, found '" + c + "'");
          }
        }
      }
      break;
    }
    case TriggerKind::kUsageSpike:
    case TriggerKind::kUsageDrop:
      ORCHARD_CHECK(r.Text("metric", t.metric, 40));
      if (t.metric != "active_users" && t.metric != "seat_utilisation") {
        return FailValue("trigger.metric",
                         "expected active_users or seat_utilisation, found '" + t.metric + "'");
      }
      ORCHARD_CHECK(r.Number("z", t.z, 1.0, 20.0));
      break;
    case TriggerKind::kSlaAtRisk:
      ORCHARD_CHECK(r.Int("percent", t.percent, 1, 99));
      break;
    case TriggerKind::kSlaBreached:
      ORCHARD_CHECK(r.Int("catch_up_days", t.catch_up_days, 0, 365));
      break;
    default:
      break;
  }
  return r.NoOthers();
}

Status ParseAssignees(ObjectReader& r, std::string_view key, std::vector<Assignee>& out) {
  std::vector<std::string> texts;
  ORCHARD_CHECK(r.Texts(key, texts, 20, 300));
  out.clear();
  for (size_t i = 0; i < texts.size(); ++i) {
    ORCHARD_TRY(Assignee a,
                ParseAssignee(texts[i], r.Path(key) + "[" + std::to_string(i) + "]", true));
    out.push_back(std::move(a));
  }
  if (out.empty()) return FailValue(r.Path(key), "names at least one recipient");
  return Ok();
}

Status ParseOwner(ObjectReader& r, std::string_view key, Assignee& out) {
  std::string text = "am";
  ORCHARD_CHECK(r.Text(key, text, 300));
  ORCHARD_TRY(out, ParseAssignee(text, r.Path(key), false));
  return Ok();
}

Status ParseAction(const json::value& v, const std::string& path, Action& a) {
  ORCHARD_TRY(const json::object* o, ObjectAt(&v, path));
  ObjectReader r(*o, path);
  std::string kind;
  ORCHARD_CHECK(r.Text("kind", kind, 40, true));
  auto parsed = ParseEnum<ActionKind>(kind);
  if (!parsed) {
    return FailValue(r.Path("kind"),
                     "expected task, notify, email, webhook, set_field, "
                     "playbook or tech_touch, found '" +
                         kind + "'");
  }
  a.kind = *parsed;
  switch (a.kind) {
    case ActionKind::kTask:
      ORCHARD_CHECK(r.Text("title", a.title, kTitleMax, true));
      ORCHARD_CHECK(r.Text("body", a.body, kBodyMax));
      ORCHARD_CHECK(r.Texts("checklist", a.checklist, 50, 300));
      ORCHARD_CHECK(ParseOwner(r, "owner", a.owner));
      ORCHARD_CHECK(r.Int("due_in_days", a.due_in_days, 0, 365));
      ORCHARD_CHECK(CheckTemplate(r.Path("title"), a.title, false));
      ORCHARD_CHECK(CheckTemplate(r.Path("body"), a.body, false));
      break;
    case ActionKind::kNotify:
      ORCHARD_CHECK(r.Text("title", a.title, kTitleMax, true));
      ORCHARD_CHECK(r.Text("body", a.body, kBodyMax));
      ORCHARD_CHECK(ParseAssignees(r, "to", a.to));
      ORCHARD_CHECK(CheckTemplate(r.Path("title"), a.title, false));
      ORCHARD_CHECK(CheckTemplate(r.Path("body"), a.body, false));
      break;
    case ActionKind::kEmail:
      ORCHARD_CHECK(r.Text("subject", a.subject, kTitleMax, true));
      ORCHARD_CHECK(r.Text("body", a.body, kBodyMax, true));
      ORCHARD_CHECK(ParseAssignees(r, "to", a.to));
      ORCHARD_CHECK(CheckTemplate(r.Path("subject"), a.subject, false));
      ORCHARD_CHECK(CheckTemplate(r.Path("body"), a.body, false));
      break;
    case ActionKind::kWebhook: {
      if (const json::value* id = r.Find("endpoint_id"); id != nullptr && !id->is_null()) {
        if (!id->is_int64() || id->as_int64() <= 0) {
          return FailField(r.Path("endpoint_id"), "must be a webhook endpoint's id");
        }
        a.endpoint_id = id->as_int64();
      }
      break;
    }
    case ActionKind::kSetField: {
      ORCHARD_CHECK(r.Text("field", a.field, 60, true));
      ORCHARD_CHECK(r.Text("value", a.value, 200, true));
      const auto& writable = WritableFields();
      auto it = std::find_if(writable.begin(), writable.end(),
                             [&](const WritableField& w) { return w.name == a.field; });
      if (it == writable.end()) {
        std::string names;
        for (const auto& w : writable) names += (names.empty() ? "" : ", ") + std::string(w.name);
        return FailValue(r.Path("field"), "expected one of " + names + ", found '" + a.field + "'");
      }
      if (a.field == "strategic" && a.value != "true" && a.value != "false") {
        return FailValue(r.Path("value"), "strategic is true or false");
      }
      if (a.field == "lifecycle_stage" && !ParseEnum<LifecycleStage>(a.value)) {
        return FailValue(r.Path("value"),
                         "expected a lifecycle stage (onboarding, adopting, "
                         "expanding, renewing, at_risk, churned)");
      }
      if (a.field == "growth_potential" && !ParseEnum<Potential>(a.value)) {
        return FailValue(r.Path("value"), "expected high, medium or low");
      }
      break;
    }
    case ActionKind::kPlaybook: {
      ORCHARD_CHECK(r.Text("title", a.title, kTitleMax, true));
      const json::value* steps = r.Find("steps");
      if (steps == nullptr || !steps->is_array() || steps->as_array().empty()) {
        return FailValue(r.Path("steps"), "is a list of at least one step");
      }
      if (steps->as_array().size() > 30)
        return FailValue(r.Path("steps"), "has more than 30 steps");
      for (size_t i = 0; i < steps->as_array().size(); ++i) {
        const std::string at = r.Path("steps") + "[" + std::to_string(i) + "]";
        ORCHARD_TRY(const json::object* so, ObjectAt(&steps->as_array()[i], at));
        ObjectReader sr(*so, at);
        PlaybookStep step;
        ORCHARD_CHECK(sr.Text("title", step.title, kTitleMax, true));
        ORCHARD_CHECK(sr.Int("due_in_days", step.due_in_days, 0, 365));
        ORCHARD_CHECK(ParseOwner(sr, "owner", step.owner));
        ORCHARD_CHECK(sr.Texts("checklist", step.checklist, 50, 300));
        ORCHARD_CHECK(CheckTemplate(sr.Path("title"), step.title, false));
        ORCHARD_CHECK(sr.NoOthers());
        a.steps.push_back(std::move(step));
      }
      break;
    }
    case ActionKind::kTechTouch:
      ORCHARD_CHECK(r.Text("subject", a.subject, kTitleMax, true));
      ORCHARD_CHECK(r.Text("body", a.body, kBodyMax, true));
      ORCHARD_CHECK(r.Text("audience", a.audience, 40));
      if (a.audience != "all" && a.audience != "champion" && a.audience != "economic_buyer") {
        return FailValue(r.Path("audience"), "expected all, champion or economic_buyer");
      }
      ORCHARD_CHECK(CheckTemplate(r.Path("subject"), a.subject, true));
      ORCHARD_CHECK(CheckTemplate(r.Path("body"), a.body, true));
      break;
  }
  return r.NoOthers();
}

json::array TextArray(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

json::object TriggerJson(const Trigger& t) {
  json::object o;
  o["kind"] = ToString(t.kind);
  switch (t.kind) {
    case TriggerKind::kRenewalIn: {
      o["days"] = t.days;
      json::object by;
      for (int i = 0; i < 3; ++i) {
        if (t.days_by_tier[i] > 0) by[std::to_string(i + 1)] = t.days_by_tier[i];
      }
      if (!by.empty()) o["days_by_tier"] = std::move(by);
      o["catch_up_days"] = t.catch_up_days;
      break;
    }
    case TriggerKind::kNoContact:
    case TriggerKind::kOnboardingDay:
      o["days"] = t.days;
      o["catch_up_days"] = t.catch_up_days;
      break;
    case TriggerKind::kHealthDrop:
      o["points"] = t.points;
      break;
    case TriggerKind::kNegativeSentiment:
      o["score"] = t.score;
      if (!t.sources.empty()) o["sources"] = TextArray(t.sources);
      break;
    case TriggerKind::kHealthColour:
      o["to"] = TextArray(t.to);
      o["from"] = TextArray(t.from);
      break;
    case TriggerKind::kUsageSpike:
    case TriggerKind::kUsageDrop:
      o["metric"] = t.metric;
      o["z"] = t.z;
      break;
    case TriggerKind::kReviewDue:
      o["days"] = t.days;
      o["catch_up_days"] = t.catch_up_days;
      if (t.review) o["review"] = ToString(*t.review);
      break;
    case TriggerKind::kEngagementSpike:
    case TriggerKind::kEngagementDrop: {
      json::array signals;
      for (auto k : t.signals) signals.emplace_back(ToString(k));
      o["signals"] = std::move(signals);
      o["z"] = t.z;
      break;
    }
    case TriggerKind::kSlaAtRisk:
      o["percent"] = t.percent;
      break;
    case TriggerKind::kSlaBreached:
      o["catch_up_days"] = t.catch_up_days;
      break;
    default:
      break;
  }
  return o;
}

json::array AssigneeArray(const std::vector<Assignee>& v) {
  json::array out;
  for (const auto& a : v) out.emplace_back(a.Text());
  return out;
}

json::object ActionJson(const Action& a) {
  json::object o;
  o["kind"] = ToString(a.kind);
  switch (a.kind) {
    case ActionKind::kTask:
      o["title"] = a.title;
      if (!a.body.empty()) o["body"] = a.body;
      if (!a.checklist.empty()) o["checklist"] = TextArray(a.checklist);
      o["owner"] = a.owner.Text();
      o["due_in_days"] = a.due_in_days;
      break;
    case ActionKind::kNotify:
      o["title"] = a.title;
      if (!a.body.empty()) o["body"] = a.body;
      o["to"] = AssigneeArray(a.to);
      break;
    case ActionKind::kEmail:
      o["subject"] = a.subject;
      o["body"] = a.body;
      o["to"] = AssigneeArray(a.to);
      break;
    case ActionKind::kWebhook:
      if (a.endpoint_id) o["endpoint_id"] = *a.endpoint_id;
      break;
    case ActionKind::kSetField:
      o["field"] = a.field;
      o["value"] = a.value;
      break;
    case ActionKind::kPlaybook: {
      o["title"] = a.title;
      json::array steps;
      for (const auto& s : a.steps) {
        json::object so;
        so["title"] = s.title;
        so["due_in_days"] = s.due_in_days;
        so["owner"] = s.owner.Text();
        if (!s.checklist.empty()) so["checklist"] = TextArray(s.checklist);
        steps.push_back(std::move(so));
      }
      o["steps"] = std::move(steps);
      break;
    }
    case ActionKind::kTechTouch:
      o["subject"] = a.subject;
      o["body"] = a.body;
      o["audience"] = a.audience;
      break;
  }
  return o;
}

}  // namespace

std::string Assignee::Text() const {
  switch (kind) {
    case AssigneeKind::kAm:
      return "am";
    case AssigneeKind::kCsm:
      return "csm";
    case AssigneeKind::kSponsor:
      return "sponsor";
    case AssigneeKind::kUser:
      return "user:" + email;
    case AssigneeKind::kAdmins:
      return "admins";
    case AssigneeKind::kRoundRobin:
      return "round_robin:" + email;
    case AssigneeKind::kFewestAccounts:
      return "fewest_accounts:" + email;
  }
  return "am";
}

Status CheckTemplate(std::string_view path, std::string_view text, bool for_contacts) {
  for (size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at + 2)) {
    const size_t end = text.find("}}", at);
    if (end == std::string_view::npos) {
      return FailValue(std::string(path),
                       "a '{{' at byte " + std::to_string(at) + " is not closed with '}}'");
    }
    std::string_view name = text.substr(at + 2, end - at - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    const bool known =
        std::find(kPlaceholders.begin(), kPlaceholders.end(), name) != kPlaceholders.end() ||
        (for_contacts && std::find(kContactPlaceholders.begin(), kContactPlaceholders.end(),
                                   name) != kContactPlaceholders.end());
    if (!known) {
      std::string names;
      for (auto n : kPlaceholders) names += (names.empty() ? "" : ", ") + std::string(n);
      if (for_contacts) {
        for (auto n : kContactPlaceholders) names += ", " + std::string(n);
      }
      return FailValue(std::string(path), "'{{" + std::string(name) +
                                              "}}' is not a merge field; expected one of " + names);
    }
  }
  return Ok();
}

Result<RuleDefinition> ParseDefinition(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return FailField("definition", "is not JSON: " + ec.message());
  if (!v.is_object()) return FailField("definition", "must be an object");
  ObjectReader r(v.as_object(), "");
  RuleDefinition d;
  ORCHARD_CHECK(ParseTrigger(r.Find("trigger"), d.trigger));
  ORCHARD_CHECK(r.Text("condition", d.condition, 4000));
  if (auto c = ParseCondition(d.condition, AccountFields()); !c) return std::unexpected(c.error());
  const json::value* actions = r.Find("actions");
  if (actions == nullptr || !actions->is_array() || actions->as_array().empty()) {
    return FailValue("actions", "is a list of at least one action");
  }
  if (actions->as_array().size() > 20) return FailValue("actions", "has more than 20 actions");
  for (size_t i = 0; i < actions->as_array().size(); ++i) {
    Action a;
    ORCHARD_CHECK(ParseAction(actions->as_array()[i], "actions[" + std::to_string(i) + "]", a));
    d.actions.push_back(std::move(a));
  }
  ORCHARD_CHECK(r.Int("cooldown_days", d.cooldown_days, 0, 3650));
  ORCHARD_CHECK(r.Int("cap_per_day", d.cap_per_day, 1, 1'000'000));
  ORCHARD_CHECK(r.NoOthers());
  return d;
}

std::string DefinitionJson(const RuleDefinition& d) {
  json::object o;
  o["trigger"] = TriggerJson(d.trigger);
  o["condition"] = d.condition;
  json::array actions;
  for (const auto& a : d.actions) actions.push_back(ActionJson(a));
  o["actions"] = std::move(actions);
  o["cooldown_days"] = d.cooldown_days;
  o["cap_per_day"] = d.cap_per_day;
  return json::serialize(o);
}

const std::vector<WritableField>& WritableFields() {
  static const std::vector<WritableField> kWritable{
      {"strategic",
       "flag the account strategic (true or false): tier 1 whatever its ARR",
       {"strategic", "tier", "quadrant"}},
      {"lifecycle_stage", "the account's lifecycle stage", {}},
      {"growth_potential", "the growth potential set by hand (high, medium, low)", {"quadrant"}},
  };
  return kWritable;
}

std::vector<std::string> FieldsRead(const RuleDefinition& d) {
  std::set<std::string> out;
  if (auto c = ParseCondition(d.condition, AccountFields())) {
    for (size_t f : c->Fields()) out.insert(std::string(AccountFields()[f].name));
  }
  switch (d.trigger.kind) {
    case TriggerKind::kRenewalIn:
      out.insert("days_to_renewal");
      if (d.trigger.days_by_tier != std::array<int, 3>{0, 0, 0}) out.insert("tier");
      break;
    case TriggerKind::kPlanStale:
      out.insert("stale_plan");
      break;
    case TriggerKind::kNoContact:
      out.insert("days_since_contact");
      break;
    case TriggerKind::kHealthColour:
      out.insert("colour");
      break;
    case TriggerKind::kHealthDrop:
      out.insert("health");
      break;
    default:
      break;
  }
  return {out.begin(), out.end()};
}

std::vector<std::string> FieldsWritten(const RuleDefinition& d) {
  std::set<std::string> out;
  for (const auto& a : d.actions) {
    if (a.kind != ActionKind::kSetField) continue;
    for (const auto& w : WritableFields()) {
      if (w.name != a.field) continue;
      for (auto f : w.changes) out.insert(std::string(f));
    }
  }
  return {out.begin(), out.end()};
}

Status CheckNoCycle(const std::vector<NamedRule>& active, const NamedRule& candidate) {
  std::vector<const NamedRule*> rules;
  for (const auto& r : active) {
    if (r.id != candidate.id || candidate.id == 0) rules.push_back(&r);
  }
  rules.push_back(&candidate);
  const size_t n = rules.size();
  std::vector<std::vector<std::string>> reads(n), writes(n);
  for (size_t i = 0; i < n; ++i) {
    reads[i] = FieldsRead(rules[i]->definition);
    writes[i] = FieldsWritten(rules[i]->definition);
  }
  // An edge i → j, labelled with the field, when i writes a field j reads.
  auto shared = [&](size_t i, size_t j) -> std::string {
    for (const auto& w : writes[i]) {
      if (std::find(reads[j].begin(), reads[j].end(), w) != reads[j].end()) return w;
    }
    return "";
  };
  // A cycle through the candidate: a search from it back to it.
  const size_t start = n - 1;
  std::vector<size_t> path{start};
  std::vector<std::string> via;
  std::vector<bool> seen(n, false);
  std::function<bool(size_t)> search = [&](size_t at) -> bool {
    for (size_t next = 0; next < n; ++next) {
      const std::string field = shared(at, next);
      if (field.empty()) continue;
      if (next == start) {
        via.push_back(field);
        return true;
      }
      if (seen[next]) continue;
      seen[next] = true;
      path.push_back(next);
      via.push_back(field);
      if (search(next)) return true;
      path.pop_back();
      via.pop_back();
    }
    return false;
  };
  if (!search(start)) return Ok();
  std::string cycle;
  for (size_t k = 0; k < path.size(); ++k) {
    const NamedRule* from = rules[path[k]];
    const NamedRule* to = rules[k + 1 < path.size() ? path[k + 1] : start];
    if (!cycle.empty()) cycle += "; ";
    cycle += "rule '" + from->name + "' changes " + via[k] + ", which " +
             (to == from ? "its own trigger or condition reads" : "rule '" + to->name + "' reads");
  }
  return FailValue("actions", "these rules would set each other off in a loop: " + cycle);
}

std::vector<std::string> DiffDefinitions(const RuleDefinition& before,
                                         const RuleDefinition& after) {
  std::vector<std::string> out;
  const json::value a = json::parse(DefinitionJson(before));
  const json::value b = json::parse(DefinitionJson(after));
  for (const auto& key : {"trigger", "condition", "cooldown_days", "cap_per_day"}) {
    const json::value* x = a.as_object().if_contains(key);
    const json::value* y = b.as_object().if_contains(key);
    if (*x != *y)
      out.push_back(std::string(key) + ": " + json::serialize(*x) + " → " + json::serialize(*y));
  }
  const auto& xa = a.at("actions").as_array();
  const auto& ya = b.at("actions").as_array();
  for (size_t i = 0; i < std::max(xa.size(), ya.size()); ++i) {
    const std::string at = "actions[" + std::to_string(i) + "]";
    if (i >= xa.size()) {
      out.push_back(at + ": added " + json::serialize(ya[i]));
    } else if (i >= ya.size()) {
      out.push_back(at + ": removed " + json::serialize(xa[i]));
    } else if (xa[i] != ya[i]) {
      out.push_back(at + ": " + json::serialize(xa[i]) + " → " + json::serialize(ya[i]));
    }
  }
  return out;
}

}  // namespace orchard::automation
