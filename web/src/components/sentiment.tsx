// A text's sentiment beside it: a badge (negative, neutral, positive, with the score) and the
// text with the phrases that drove the score highlighted (lib/sentiment.ts).
import { label } from "../lib/format";
import { scoreText, segments, type ScoredText } from "../lib/sentiment";

export function SentimentBadge({ s }: { s: ScoredText }) {
  return (
    <span class={`sentiment ${s.label}`} data-testid="sentiment" title={`Sentiment ${scoreText(s.score)}: ${s.phrases.map((p) => `“${p.text}”`).join(", ") || "no strong phrase"}`}>
      {label(s.label)} {scoreText(s.score)}
    </span>
  );
}

export function Highlighted({ text, s }: { text: string; s: ScoredText | undefined }) {
  if (!s || s.phrases.length === 0) return <span class="said">{text}</span>;
  return (
    <span class="said">
      {segments(text, s.phrases).map((seg, i) =>
        seg.phrase ? (
          <mark key={i} class={seg.phrase.weight < 0 ? "phrase negative" : "phrase positive"} data-testid="phrase" title={`weight ${seg.phrase.weight.toFixed(2)}`}>
            {seg.text}
          </mark>
        ) : (
          seg.text
        ),
      )}
    </span>
  );
}
