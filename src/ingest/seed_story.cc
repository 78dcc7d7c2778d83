// The demo book's story (docs/MODELS.md, "The demo book's story"): what happened in the months
// before each renewal of the last two years, so that the churn and upsell models trained on the
// book's own history have something to learn. Each such renewal's outcome is already decided by
// MakeContracts (the terms' ARR: contraction, flat or expansion) and MakeProfile (churn); the
// story draws the account's trajectory in the months before it given that outcome — troubled,
// steady or thriving — and writes the few signals that trajectory leaves: product usage (four
// days 30 days apart, falling or rising), support tickets (severe and escalated when troubled), an
// NPS answer (a detractor or a promoter) and meaningful conversations (recent and broad when
// things go well, long ago or none when not). All of it from a stream of its own (kStory), dated
// before the renewal, so every other draw of the book keeps its value (the ids of later rows
// move). docs/MODELS.md has the numbers.
#include <algorithm>
#include <array>

#include "ingest/seed_generator.h"
#include "ingest/seed_words.h"

namespace orchard::ingest::seed {

namespace {

enum class Outcome { kLoss, kFlat, kExpansion };
enum class Path { kThriving, kSteady, kTroubled };

Path DrawPath(Rng& rng, Outcome outcome) {
  const double u = rng.Unit();
  switch (outcome) {
    case Outcome::kLoss:
      return u < 0.7 ? Path::kTroubled : u < 0.95 ? Path::kSteady : Path::kThriving;
    case Outcome::kExpansion:
      return u < 0.65 ? Path::kThriving : u < 0.95 ? Path::kSteady : Path::kTroubled;
    case Outcome::kFlat:
      break;
  }
  return u < 0.15 ? Path::kTroubled : u < 0.35 ? Path::kThriving : Path::kSteady;
}

}  // namespace

void BookGenerator::MakeStory(int64_t index, const Profile& p) {
  Rng rng = StreamFor(kStory, index);
  // The renewals of the story: the last day of each term that was followed by another, and for
  // a churned account the last day of its final term; only those of the last two years, over.
  const auto& terms = d_.term_arr;
  for (size_t k = 0; k < terms.size(); ++k) {
    const bool final_term = k + 1 == terms.size();
    if (final_term && !p.churned) break;
    const Date renewal = d_.since.AddYears(static_cast<int>(k) + 1).AddDays(-1);
    if (renewal >= today_ || today_ - renewal > kStoryDays) continue;
    Outcome outcome = Outcome::kLoss;
    if (!final_term) {
      const double ratio =
          static_cast<double>(terms[k + 1].cents()) / static_cast<double>(terms[k].cents());
      outcome = ratio < 1.0 ? Outcome::kLoss : ratio > 1.07 ? Outcome::kExpansion : Outcome::kFlat;
    }
    StoryBefore(rng, renewal, terms[k], static_cast<int>(DrawPath(rng, outcome)), p);
  }
}

void BookGenerator::StoryBefore(Rng& rng, Date renewal, Money arr, int path_code,
                                const Profile& p) {
  const auto path = static_cast<Path>(path_code);
  const Account& a = d_.account;
  // Usage 155, 125, 95 and 65 days before the renewal: 30 days apart, so whichever day two to
  // three months before it the features are read on, its last 30 days hold one and the 60
  // before two (skipped where MakeUsage writes a current customer's last 13 weeks).
  const int64_t seats = std::max<int64_t>(5, arr.cents() / 100 / 400);
  const double start = 0.4 + 0.5 * rng.Unit();
  const double end_factor = path == Path::kTroubled   ? 0.45 + 0.25 * rng.Unit()
                            : path == Path::kThriving ? 1.15 + 0.25 * rng.Unit()
                                                      : 0.92 + 0.16 * rng.Unit();
  for (int step = 0; step < 4; ++step) {
    const Date day = renewal.AddDays(-155 + 30 * step);
    const double noise = (rng.Unit() - 0.5) * 0.04;
    if ((!p.churned && day > Day(-7 * 13)) || day < d_.since) continue;
    const double level = std::clamp(start * (1 + (end_factor - 1) * step / 3.0) + noise, 0.02, 1.0);
    UsageMetric u;
    u.id = Next<UsageMetricId>(usage_seq_);
    u.account_id = a.id;
    u.day = day;
    u.licensed_seats = seats;
    u.active_users = static_cast<int64_t>(static_cast<double>(seats) * level);
    w_.Add(u);
  }
  // Support: a troubled account files severe tickets, often escalated, 90–170 days before.
  const int n_tickets = path == Path::kTroubled ? static_cast<int>(rng.Range(2, 4))
                        : path == Path::kSteady ? static_cast<int>(rng.Range(0, 1))
                                                : (rng.Chance(0.3) ? 1 : 0);
  for (int i = 0; i < n_tickets; ++i) {
    Ticket t;
    t.id = Next<TicketId>(ticket_seq_);
    t.account_id = a.id;
    t.contact_id = rng.Pick(d_.reachable);
    const bool severe = path == Path::kTroubled ? rng.Chance(0.6) : rng.Chance(0.1);
    t.severity = severe ? (rng.Chance(0.3) ? TicketSeverity::kUrgent : TicketSeverity::kHigh)
                        : (rng.Chance(0.5) ? TicketSeverity::kMedium : TicketSeverity::kLow);
    t.escalated = severe && rng.Chance(0.5);
    t.opened_at =
        Timestamp::At(renewal.AddDays(-rng.Days(90, 170)), static_cast<int>(rng.Range(0, 23)));
    t.status = TicketStatus::kClosed;
    t.closed_at = t.opened_at.AddSeconds(86'400 * rng.Range(path == Path::kTroubled ? 20 : 1, 60));
    t.subject = std::string(rng.Pick(kTicketSubjects));
    t.body = "Reported by the customer; see thread.";
    Respond(t, p.tier, today_ - t.opened_at.date());
    w_.Add(t);
  }
  // NPS: a detractor when troubled, a promoter when thriving, most of the time.
  const double nps_chance = path == Path::kTroubled ? 0.7 : path == Path::kThriving ? 0.6 : 0.35;
  if (rng.Chance(nps_chance)) {
    NpsResponse r;
    r.id = Next<NpsResponseId>(nps_seq_);
    r.account_id = a.id;
    r.contact_id = rng.Pick(d_.reachable);
    r.score = path == Path::kTroubled   ? static_cast<int>(rng.Range(0, 5))
              : path == Path::kThriving ? static_cast<int>(rng.Range(9, 10))
                                        : static_cast<int>(rng.Range(7, 8));
    r.comment = std::string(kNpsComments[static_cast<size_t>(r.score >= 9   ? rng.Range(0, 2)
                                                             : r.score >= 7 ? rng.Range(1, 5)
                                                                            : rng.Range(3, 4))]);
    r.responded_on = renewal.AddDays(-rng.Days(90, 200));
    w_.Add(r);
  }
  // Meaningful conversations: several and broad when thriving, one long ago (or none) when
  // troubled.
  const int n_talks = path == Path::kThriving ? 2
                      : path == Path::kSteady ? 1
                                              : (rng.Chance(0.2) ? 1 : 0);
  for (int i = 0; i < n_talks; ++i) {
    Activity act;
    act.id = Next<ActivityId>(activity_seq_);
    act.account_id = a.id;
    act.kind = rng.Chance(0.5) ? ActivityKind::kCall : ActivityKind::kMeeting;
    act.meaningful = true;
    const int32_t before = path == Path::kTroubled ? rng.Days(180, 260) : rng.Days(90, 150);
    act.occurred_at = Timestamp::At(renewal.AddDays(-before), static_cast<int>(rng.Range(8, 17)));
    act.user_id = a.owner_id;
    act.subject = std::string(rng.Pick(kSubjects));
    act.body = "Discussed priorities, adoption and next steps.";
    w_.Add(act);
    const int involved = path == Path::kThriving ? static_cast<int>(rng.Range(2, 3))
                         : path == Path::kSteady ? static_cast<int>(rng.Range(1, 2))
                                                 : 1;
    std::array<ContactId, 3> taken{};
    for (int j = 0; j < involved; ++j) {
      ContactId who = rng.Pick(d_.engaged);
      if (std::find(taken.begin(), taken.begin() + j, who) != taken.begin() + j) continue;
      taken[static_cast<size_t>(j)] = who;
      w_.Add(ActivityContact{act.id, who});
    }
  }
}

}  // namespace orchard::ingest::seed
