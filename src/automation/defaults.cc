#include "automation/defaults.h"

#include <array>

namespace orchard::automation {
namespace {

// Raw strings: a JSON text per rule, as an admin would write it in the API.
constexpr std::array<DefaultRule, 12> kDefaults{{
    {"renewal-90", "Renewal in 90 days",
     "Opens the renewal preparation checklist for the AM 90 days before a renewal (120 days for "
     "tier 1) and tells them in the inbox.",
     R"J({"trigger": {"kind": "renewal_in", "days": 90, "days_by_tier": {"1": 120}},
          "condition": "",
          "actions": [
            {"kind": "task", "title": "Prepare the renewal of {{account.name}} ({{renewal_date}})",
             "body": "{{account.name}} renews on {{renewal_date}}, in {{days_to_renewal}} days. ARR {{account.arr}}, health {{account.health}} ({{account.colour}}).",
             "checklist": ["Confirm the renewal date, terms and the paper process",
                           "Review health, open risks and support history",
                           "Check usage and adoption against the success metrics",
                           "Meet the economic buyer",
                           "Prepare and send the renewal proposal"],
             "owner": "am", "due_in_days": 14},
            {"kind": "notify", "to": ["am"],
             "title": "{{account.name}} renews in {{days_to_renewal}} days",
             "body": "The renewal checklist is on your tasks."}],
          "cooldown_days": 0, "cap_per_day": 500})J"},
    {"health-yellow", "Health dropped from green to yellow",
     "Asks the AM to find out why an account slipped from green to yellow.",
     R"J({"trigger": {"kind": "health_colour", "from": ["green"], "to": ["yellow"]},
          "condition": "",
          "actions": [
            {"kind": "task", "title": "Find out why {{account.name}} slipped to yellow",
             "body": "Health is {{account.health}}. Open the account's health to see what moved.",
             "owner": "am", "due_in_days": 7},
            {"kind": "notify", "to": ["am"],
             "title": "{{account.name}} is yellow ({{account.health}})"}],
          "cooldown_days": 7, "cap_per_day": 500})J"},
    {"health-red", "Health dropped to red",
     "Opens a save plan for the AM and tells the AM and the CSM when an account turns red.",
     R"J({"trigger": {"kind": "health_colour", "to": ["red"]},
          "condition": "",
          "actions": [
            {"kind": "task", "title": "Save plan for {{account.name}}: health is red",
             "checklist": ["Call the champion within 48 hours",
                           "Find the cause: usage, support, sentiment or people",
                           "Agree a recovery plan with the customer",
                           "Add the risk and its mitigation owner to the plan"],
             "owner": "am", "due_in_days": 3},
            {"kind": "notify", "to": ["am", "csm"],
             "title": "{{account.name}} turned red ({{account.health}})"},
            {"kind": "webhook"}],
          "cooldown_days": 14, "cap_per_day": 500})J"},
    {"engagement-spike", "Engagement spike",
     "Tells the AM when an account's pricing-page visits and case-study downloads jump well "
     "above its own 28-day normal: a buying signal.",
     R"J({"trigger": {"kind": "engagement_spike",
                      "signals": ["pricing_page_visit", "case_study_download"], "z": 3},
          "condition": "",
          "actions": [
            {"kind": "notify", "to": ["am"],
             "title": "Engagement spike at {{account.name}}",
             "body": "Pricing-page visits and case-study downloads are far above the account's usual level. A good moment to talk expansion."}],
          "cooldown_days": 14, "cap_per_day": 500})J"},
    {"onboarding-30", "Onboarding day 30 check-in",
     "Thirty days after a handoff's acceptance: check the first value was reached.",
     R"J({"trigger": {"kind": "onboarding_day", "days": 30},
          "condition": "",
          "actions": [
            {"kind": "task", "title": "Day-30 onboarding check-in with {{account.name}}",
             "checklist": ["First value reached?", "Admins trained", "Integrations live"],
             "owner": "csm", "due_in_days": 3}],
          "cooldown_days": 0, "cap_per_day": 500})J"},
    {"onboarding-60", "Onboarding day 60 adoption review",
     "Sixty days after a handoff's acceptance: review adoption against the success metrics.",
     R"J({"trigger": {"kind": "onboarding_day", "days": 60},
          "condition": "",
          "actions": [
            {"kind": "task", "title": "Day-60 adoption review with {{account.name}}",
             "checklist": ["Active users against seats", "Success metrics on track"],
             "owner": "csm", "due_in_days": 5}],
          "cooldown_days": 0, "cap_per_day": 500})J"},
    {"onboarding-90", "Onboarding day 90 graduation",
     "Ninety days after a handoff's acceptance: close onboarding and hand over to the AM's "
     "cadence.",
     R"J({"trigger": {"kind": "onboarding_day", "days": 90},
          "condition": "",
          "actions": [
            {"kind": "task", "title": "Day-90 onboarding graduation for {{account.name}}",
             "checklist": ["Onboarding goals met", "Plan written", "Next review scheduled"],
             "owner": "am", "due_in_days": 7}],
          "cooldown_days": 0, "cap_per_day": 500})J"},
    {"plan-stale", "Plan stale", "Asks the AM to refresh a plan older than its tier's cadence.",
     R"J({"trigger": {"kind": "plan_stale"},
          "condition": "tier in (1, 2)",
          "actions": [
            {"kind": "task", "title": "Refresh the account plan of {{account.name}}",
             "owner": "am", "due_in_days": 14}],
          "cooldown_days": 30, "cap_per_day": 500})J"},
    {"champion-departed", "Champion departed",
     "Tells the AM and the CSM when a champion or economic buyer leaves.",
     R"J({"trigger": {"kind": "contact_departed"},
          "condition": "",
          "actions": [
            {"kind": "notify", "to": ["am", "csm"],
             "title": "A key contact left {{account.name}}",
             "body": "A champion or the economic buyer was marked departed. The re-thread task is on the AM's list."}],
          "cooldown_days": 0, "cap_per_day": 500})J"},
    {"tier1-strategic-planning", "Tier-1 annual strategic planning session",
     "Six months before a tier-1 renewal: the annual planning session with the executive "
     "sponsor.",
     R"J({"trigger": {"kind": "renewal_in", "days": 180},
          "condition": "tier = 1",
          "actions": [
            {"kind": "task", "title": "Annual strategic planning session with {{account.name}}",
             "body": "Book the session with the customer's leadership and our executive sponsor.",
             "checklist": ["Agree the customer's priorities for the year in their words",
                           "Review the relationship map with the sponsor",
                           "Size the whitespace and agree the expansion plan",
                           "Book the session with the executive sponsor"],
             "owner": "am", "due_in_days": 21},
            {"kind": "notify", "to": ["sponsor"],
             "title": "Strategic planning session with {{account.name}} is due"}],
          "cooldown_days": 0, "cap_per_day": 500})J"},
    {"tier3-renewal-reminder", "Tier-3 renewal reminder to the customer",
     "The tech-touch motion: 60 days before a tier-3 renewal, an e-mail to the customer's "
     "contacts.",
     R"J({"trigger": {"kind": "renewal_in", "days": 60},
          "condition": "tier = 3",
          "actions": [
            {"kind": "tech_touch", "audience": "all",
             "subject": "Your subscription renews on {{renewal_date}}",
             "body": "Hello {{contact.first_name}},\n\n{{account.name}}'s subscription renews on {{renewal_date}}. Nothing to do if you are happy; reply to this e-mail with any question.\n\nTo stop these e-mails: {{unsubscribe_url}}"}],
          "cooldown_days": 0, "cap_per_day": 500})J"},
    {"response-sla-at-risk", "Response SLA at risk",
     "When a ticket or customer request has waited 75 % of its tier's response SLA (4 h tier 1, "
     "24 h tier 2) without a first response: a task for the AM, due today, and a note in the "
     "inbox. Once per ticket.",
     R"J({"trigger": {"kind": "sla_at_risk", "percent": 75},
          "condition": "",
          "actions": [
            {"kind": "task", "title": "Answer {{account.name}} before the response SLA runs out (ticket {{ticket.id}})",
             "body": "{{account.name}} (tier {{account.tier}}) is waiting for a first response: {{trigger}}.",
             "checklist": ["Read the ticket and reply to the customer",
                           "Record the first response on the ticket",
                           "Escalate to support if it needs an engineer"],
             "owner": "am", "due_in_days": 0},
            {"kind": "notify", "to": ["am"],
             "title": "Response SLA at risk at {{account.name}}"}],
          "cooldown_days": 0, "cap_per_day": 500})J"},
}};

}  // namespace

std::span<const DefaultRule> DefaultRules() { return kDefaults; }

}  // namespace orchard::automation
