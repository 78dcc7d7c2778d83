// Sentiment of the account's texts (GET /api/v1/accounts/{id}/sentiments; docs/SENTIMENT.md):
// each text's label, score and the phrases that drove it, whose begin and end are UTF-8 byte
// offsets into the scored text. JS strings are UTF-16, so the text is cut as bytes and each
// piece decoded back.

export interface Phrase {
  text: string;
  begin: number;
  end: number;
  weight: number;
}

export interface ScoredText {
  source: "activity" | "ticket" | "nps_response" | "transcript";
  source_id: number;
  day: string;
  label: "negative" | "neutral" | "positive";
  score: number;
  phrases: Phrase[];
  excerpt: string;
  scored_at: string;
}

const blank = /^[ \t\r\n]*$/;

// The text the server scores for an activity or a ticket: the subject, a newline and the body
// (either alone when the other is blank) — service/sentiment_on_write.h's ScoredText.
export function scoredText(subject: string, body: string): string {
  if (blank.test(body)) return subject;
  if (blank.test(subject)) return body;
  return `${subject}\n${body}`;
}

export interface Segment {
  text: string;
  phrase?: Phrase;
}

// The text in pieces, the phrases marked; a phrase that overlaps an earlier one or falls outside
// the text is left out.
export function segments(text: string, phrases: Phrase[]): Segment[] {
  const bytes = new TextEncoder().encode(text);
  const decoder = new TextDecoder();
  const sorted = [...phrases].sort((a, b) => a.begin - b.begin);
  const out: Segment[] = [];
  let at = 0;
  for (const p of sorted) {
    if (p.begin < at || p.end > bytes.length || p.end <= p.begin) continue;
    if (p.begin > at) out.push({ text: decoder.decode(bytes.subarray(at, p.begin)) });
    out.push({ text: decoder.decode(bytes.subarray(p.begin, p.end)), phrase: p });
    at = p.end;
  }
  if (at < bytes.length) out.push({ text: decoder.decode(bytes.subarray(at)) });
  return out;
}

export function scoreText(score: number): string {
  return `${score > 0 ? "+" : score < 0 ? "−" : ""}${Math.abs(score).toFixed(2)}`;
}
