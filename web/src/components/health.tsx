// An account's health where a list shows it: a dot in its colour and the score, the colour also
// in words for screen readers; "—" where there is no input to score.
import { healthColour } from "../lib/format";

export function HealthScore({ score, colour }: { score: number | null; colour: string }) {
  if (score === null || colour === "none") {
    return (
      <span data-health="none">
        —<span class="sr-only"> no score</span>
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
