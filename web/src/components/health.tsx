// An account's health where a list shows it: a dot in its colour and the score, the colour also
// in words for screen readers; a visible "no score" badge where there is nothing to score, or
// "churned" for a lost customer (the server gives churned accounts no score).
import { healthColour, healthOn } from "../lib/format";

export function HealthScore({ score, colour }: { score: number | null; colour: string }) {
  if (score === null || colour === "none") {
    return (
      <span class="badge no-score" data-health="none">
        no score
      </span>
    );
  }
  return (
    <span data-health={colour}>
      <span class="dot" aria-hidden="true" style={{ background: healthColour[colour] }} /> {score}
      <span class="sr-only"> {colour}</span>
    </span>
  );
}

// The pill in an account's header: "68 · Yellow", "Churned" or "No score", always readable.
export function HealthPill({ score, colour, churnedAfter }: { score: number | null; colour: string; churnedAfter?: string | null }) {
  if (score === null || colour === "none") {
    const churned = Boolean(churnedAfter);
    return (
      <span class="health-pill no-score" data-health="none" title={churned ? `No contract active since ${churnedAfter}: a lost customer is not scored` : "Nothing to score yet"}>
        {churned ? "Churned" : "No score"}
      </span>
    );
  }
  return (
    <span class="health-pill" data-health={colour} style={{ background: healthColour[colour], color: healthOn[colour] }}>
      {score} · {colour.charAt(0).toUpperCase() + colour.slice(1)}
    </span>
  );
}
