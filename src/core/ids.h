// Strong ids: an AccountId cannot be passed where a ContactId is expected. Every entity's id is
// one of these; 0 means "not yet assigned" (the store assigns on insert).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace orchard {

template <class Tag>
struct Id {
  int64_t value = 0;

  constexpr Id() = default;
  constexpr explicit Id(int64_t v) : value(v) {}
  constexpr bool valid() const { return value > 0; }
  constexpr auto operator<=>(const Id&) const = default;
};

using UserId = Id<struct UserTag>;
using AccountId = Id<struct AccountTag>;
using DivisionId = Id<struct DivisionTag>;
using ProductId = Id<struct ProductTag>;
using ContractLineId = Id<struct ContractLineTag>;
using ContactId = Id<struct ContactTag>;
using OpportunityId = Id<struct OpportunityTag>;
using ActivityId = Id<struct ActivityTag>;
using TicketId = Id<struct TicketTag>;
using NpsResponseId = Id<struct NpsResponseTag>;
using UsageMetricId = Id<struct UsageMetricTag>;
using EngagementSignalId = Id<struct EngagementSignalTag>;
using TranscriptId = Id<struct TranscriptTag>;
using TextSentimentId = Id<struct TextSentimentTag>;
using PlanId = Id<struct PlanTag>;
using PriorityId = Id<struct PriorityTag>;
using RiskId = Id<struct RiskTag>;
using ActionId = Id<struct ActionTag>;
using WhitespaceCellId = Id<struct WhitespaceCellTag>;
using PlanVersionId = Id<struct PlanVersionTag>;
using ReviewId = Id<struct ReviewTag>;
using TaskId = Id<struct TaskTag>;
using HandoffId = Id<struct HandoffTag>;
using HealthOverrideId = Id<struct HealthOverrideTag>;
using AuditEntryId = Id<struct AuditEntryTag>;
using SessionId = Id<struct SessionTag>;
using ApiTokenId = Id<struct ApiTokenTag>;

}  // namespace orchard

template <class Tag>
struct std::hash<orchard::Id<Tag>> {
  size_t operator()(const orchard::Id<Tag>& id) const noexcept {
    return std::hash<int64_t>{}(id.value);
  }
};
