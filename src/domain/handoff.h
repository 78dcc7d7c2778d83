// The closed-won handoff's fixed parts (PRODUCT.md): the checklist the seller completes and the
// first 90 days of onboarding milestones. The service (service/handoff.h) runs the workflow; the
// seed writes demo handoffs in the same shape.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace orchard {

struct HandoffChecklistItem {
  std::string_view key, label;
};
inline constexpr std::array<HandoffChecklistItem, 6> kHandoffChecklist{{
    {"pain_points_and_goals", "Original pain points and goals"},
    {"success_metrics", "Success metrics the customer will judge us by"},
    {"stakeholder_map", "Stakeholder map: economic buyer, champion, day-to-day contact"},
    {"contract_details", "Contract details: SLAs, negotiated features, custom terms, renewal date"},
    {"why_us", "Why they chose us"},
    {"handoff_meeting", "The internal handoff meeting, held"},
}};

struct OnboardingStep {
  int day;  // after the AM accepts
  std::string_view title;
};
inline constexpr std::array<OnboardingStep, 5> kOnboardingSteps{{
    {7, "Kickoff call with the customer's team"},
    {14, "Technical setup and integrations complete"},
    {30, "First value: the success metrics baselined"},
    {60, "Adoption check: licensed seats in use"},
    {90, "90-day success review with the economic buyer"},
}};

// The milestone whose completion marks the first value delivered: the time to first value runs
// from the handoff's acceptance to its task marked done (engine/csm_kpis.h).
inline constexpr int kValueDeliveredDay = 30;

// The checklist as stored in Handoff::checklist_json: every item, done or not (all but `open`
// when `done`), with empty notes.
std::string HandoffChecklistJson(bool done, std::string_view open = "");

// The source_key of an onboarding milestone's task: it finds the milestone again, and keeps
// acceptance from making it twice.
inline std::string MilestoneKey(int64_t handoff_id, int day) {
  return "onboarding:" + std::to_string(handoff_id) + ":" + std::to_string(day);
}

}  // namespace orchard
