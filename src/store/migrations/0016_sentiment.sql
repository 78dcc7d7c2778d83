-- 0016: sentiment on every text Orchard holds (issue 20, item 1; docs/SENTIMENT.md). Call
-- transcripts become a signal of their own, attached to the meeting they record when there is
-- one. text_sentiments holds one scored text per source row (activity, ticket, nps_response,
-- transcript), written in the unit of work that writes the text (service/sentiment_on_write.h)
-- and, for texts written before or by another model, by `orchard score`. A text that is empty
-- has no row. The score is in thousandths ([-1000, 1000]: the store binds integers and text
-- only), phrases a JSON array of {text, begin, end, weight} with UTF-8 byte offsets. `model` is the scoring model's data hash, so a new model's texts are rescored.
CREATE TABLE transcripts (
  id {{ID}},
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  activity_id BIGINT REFERENCES activities (id) ON DELETE SET NULL,
  text TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX transcripts_account ON transcripts (account_id);

CREATE TABLE text_sentiments (
  id {{ID}},
  source TEXT NOT NULL,
  source_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  score_milli BIGINT NOT NULL,
  phrases TEXT NOT NULL,
  occurred_on DATE NOT NULL,
  scored_at TIMESTAMP NOT NULL,
  model TEXT NOT NULL,
  UNIQUE (source, source_id)
);
CREATE INDEX text_sentiments_account ON text_sentiments (account_id);
