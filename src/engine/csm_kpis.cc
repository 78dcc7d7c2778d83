#include "engine/csm_kpis.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "domain/handoff.h"

namespace orchard::engine {

namespace {

constexpr int kTrendDays = 30;
constexpr int kCsatDays = 90;

// Each account's latest usage metric on or before `day`.
std::unordered_map<int64_t, const UsageMetric*> LatestUsage(const std::vector<UsageMetric>& usage,
                                                            Date day) {
  std::unordered_map<int64_t, const UsageMetric*> latest;
  for (const UsageMetric& u : usage) {
    if (u.day > day) continue;
    auto& slot = latest[u.account_id.value];
    if (slot == nullptr || slot->day < u.day) slot = &u;
  }
  return latest;
}

std::optional<double> Ratio(int64_t num, int64_t den) {
  if (den <= 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

// Σ active ÷ Σ seats over the accounts with seats, and the per-account ratios.
std::optional<double> AdoptionOn(const std::unordered_map<int64_t, const UsageMetric*>& latest,
                                 int64_t* counted) {
  int64_t active = 0, seats = 0, n = 0;
  for (const auto& [account, u] : latest) {
    if (u->licensed_seats <= 0) continue;
    active += u->active_users;
    seats += u->licensed_seats;
    ++n;
  }
  if (counted) *counted = n;
  return Ratio(active, seats);
}

std::optional<double> AccountAdoption(const std::unordered_map<int64_t, const UsageMetric*>& latest,
                                      AccountId id) {
  auto it = latest.find(id.value);
  if (it == latest.end()) return std::nullopt;
  return Ratio(it->second->active_users, it->second->licensed_seats);
}

}  // namespace

std::string MilestoneStatus(const Task& task, Date today) {
  if (task.status != TaskStatus::kOpen) return "done";
  const int late = task.due_on ? today.days() - task.due_on->days() : 0;
  if (late <= 0) return "on_track";
  return late <= 14 ? "behind" : "stuck";
}

std::string OnboardingStatus(const std::vector<std::string>& statuses) {
  auto has = [&](const char* s) {
    return std::find(statuses.begin(), statuses.end(), s) != statuses.end();
  };
  if (has("stuck")) return "stuck";
  if (has("behind")) return "behind";
  if (!statuses.empty() && std::all_of(statuses.begin(), statuses.end(),
                                       [](const std::string& s) { return s == "done"; })) {
    return "done";
  }
  return "on_track";
}

// Long: one pass per definition of the header, in its order, each short; apart they would only
// pass the same maps around.
CsmScoreboard ComputeCsmScoreboard(const CsmBook& book, Date as_of) {
  CsmScoreboard out;
  out.as_of = as_of;
  out.accounts = static_cast<int64_t>(book.accounts.size());
  std::map<int64_t, CsmAccountKpis> rows;
  for (const Account& a : book.accounts) {
    CsmAccountKpis row;
    row.id = a.id;
    row.name = a.name;
    rows[a.id.value] = std::move(row);
  }

  // Adoption, and 30 days earlier.
  const auto now = LatestUsage(book.usage, as_of);
  const auto before = LatestUsage(book.usage, as_of.AddDays(-kTrendDays));
  out.adoption_rate = AdoptionOn(now, &out.accounts_with_usage);
  out.adoption_rate_before = AdoptionOn(before, nullptr);
  if (out.adoption_rate && out.adoption_rate_before) {
    out.adoption_trend = *out.adoption_rate - *out.adoption_rate_before;
  }
  for (auto& [id, row] : rows) {
    row.adoption = AccountAdoption(now, row.id);
    row.adoption_before = AccountAdoption(before, row.id);
  }

  // Time to first value, and onboarding, per accepted handoff (the latest one's on its account).
  std::map<std::string, const Task*> by_key;
  for (const Task& t : book.milestones) {
    if (t.source_key) by_key[*t.source_key] = &t;
  }
  std::vector<int64_t> ttfv;
  std::vector<const Handoff*> accepted;
  for (const Handoff& h : book.handoffs) {
    if (h.status == HandoffStatus::kAccepted && h.accepted_at) accepted.push_back(&h);
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const Handoff* a, const Handoff* b) { return *a->accepted_at < *b->accepted_at; });
  for (const Handoff* h : accepted) {
    std::vector<std::string> statuses;
    for (const OnboardingStep& step : kOnboardingSteps) {
      auto it = by_key.find(MilestoneKey(h->id.value, step.day));
      if (it != by_key.end()) statuses.push_back(MilestoneStatus(*it->second, as_of));
    }
    const std::string status = OnboardingStatus(statuses);
    if (status == "done") ++out.onboarding.done;
    if (status == "on_track") ++out.onboarding.on_track;
    if (status == "behind") ++out.onboarding.behind;
    if (status == "stuck") ++out.onboarding.stuck;
    auto row = rows.find(h->account_id.value);
    if (row != rows.end()) row->second.onboarding = status;
    auto value = by_key.find(MilestoneKey(h->id.value, kValueDeliveredDay));
    if (value == by_key.end() || value->second->status != TaskStatus::kDone ||
        !value->second->completed_at) {
      ++out.ttfv_waiting;
      continue;
    }
    const int64_t days = value->second->completed_at->date().days() - h->accepted_at->date().days();
    ttfv.push_back(days);
    if (row != rows.end()) row->second.ttfv_days = days;
  }
  out.ttfv_delivered = static_cast<int64_t>(ttfv.size());
  if (!ttfv.empty()) {
    std::sort(ttfv.begin(), ttfv.end());
    const size_t n = ttfv.size();
    out.ttfv_median_days = n % 2 ? static_cast<double>(ttfv[n / 2])
                                 : (static_cast<double>(ttfv[n / 2 - 1]) + ttfv[n / 2]) / 2.0;
    int64_t sum = 0;
    for (int64_t d : ttfv) sum += d;
    out.ttfv_mean_days = static_cast<double>(sum) / static_cast<double>(n);
  }

  // CSAT over the tickets closed in the last 90 days that were rated.
  const Date from = as_of.AddDays(-(kCsatDays - 1));
  int64_t satisfied = 0, score_sum = 0;
  std::map<int64_t, std::pair<int64_t, int64_t>> per_account;  // ratings, satisfied
  for (const Ticket& t : book.tickets) {
    if (!t.satisfaction || !t.closed_at) continue;
    const Date closed = t.closed_at->date();
    if (closed < from || closed > as_of) continue;
    ++out.csat_ratings;
    score_sum += *t.satisfaction;
    const bool happy = *t.satisfaction >= 4;
    satisfied += happy;
    auto& [n, s] = per_account[t.account_id.value];
    ++n;
    s += happy;
  }
  out.csat = Ratio(satisfied, out.csat_ratings);
  out.csat_mean = Ratio(score_sum, out.csat_ratings);
  for (auto& [id, counts] : per_account) {
    auto row = rows.find(id);
    if (row == rows.end()) continue;
    row->second.csat_ratings = counts.first;
    row->second.csat = Ratio(counts.second, counts.first);
  }

  for (auto& [id, row] : rows) out.rows.push_back(std::move(row));
  std::sort(out.rows.begin(), out.rows.end(),
            [](const CsmAccountKpis& a, const CsmAccountKpis& b) { return a.name < b.name; });
  return out;
}

}  // namespace orchard::engine
