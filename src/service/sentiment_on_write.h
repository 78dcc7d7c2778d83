// Sentiment on write (issue 20, item 1): every text Orchard holds — an activity's subject and body,
// a ticket's, an NPS comment, a call transcript — is scored when it is written, in the unit of
// work that writes it, and its text_sentiments row (domain/entities.h: TextSentiment) upserted,
// logged to the change log under its account and applied to the read model when the unit
// commits, like the entities the model holds (service/entity_service.h: LogAndStage).
//
// One model, parsed once from the text embedded in the binary (sentiment/embedded.h) and shared
// by every thread (a Model is immutable); one Scorer per thread (it holds scratch buffers).
//
// An empty text (only spaces) has no row: scoring it would say nothing, and a row would count
// as a neutral text in the health. A text that becomes empty loses its row.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/entities.h"
#include "service/unit_of_work.h"
#include "store/database.h"

namespace orchard::sentiment {
class Model;
}

namespace orchard::service {

// The shipped model (parsed on first use) and its id, the data hash text_sentiments.model keeps.
Result<const sentiment::Model*> SharedSentimentModel();
std::string SentimentModelId();

// The text of a row as it is scored: an activity's and a ticket's subject, a newline and the
// body (either alone when the other is empty); the phrases' byte offsets point into it.
std::string ScoredText(std::string_view subject, std::string_view body);

// What is scored of one row: its source (an entry of kTextSources), id, account, day and text.
struct TextOf {
  std::string_view source;
  int64_t source_id = 0;
  AccountId account_id;
  Date day;
  std::string text;
};
TextOf TextToScore(const Activity& row);
TextOf TextToScore(const Ticket& row);
TextOf TextToScore(const NpsResponse& row);
TextOf TextToScore(const Transcript& row);

template <class T>
concept HasScoredText = requires(const T& row) {
  TextToScore(row);
};

// The row text_sentiments would hold for a text (id unset), scored now; none for an empty text.
Result<std::optional<TextSentiment>> ScoreText(const TextOf& text, Timestamp at);

// Scores `text` and upserts its row in the unit (or deletes it when the text is empty), logged
// under its account and staged for the model.
Status WriteSentiment(UnitOfWork& work, const TextOf& text, Timestamp at);
// The same, given the scored row: what `orchard score` writes.
Status PutSentiment(UnitOfWork& work, std::string_view source, int64_t source_id,
                    std::optional<TextSentiment> scored, Timestamp at);

// The write path's step (EntityService's create, update and delete): rescored when the text,
// its day or its account changed; the row goes with the text's row.
template <class T>
Status SentimentOnWrite(UnitOfWork& work, const std::optional<T>& saved,
                        const std::optional<T>& before, Timestamp at) {
  if constexpr (HasScoredText<T>) {
    if (!saved) {
      return PutSentiment(work, TextToScore(*before).source, before->id.value, std::nullopt, at);
    }
    TextOf now = TextToScore(*saved);
    if (before) {
      TextOf was = TextToScore(*before);
      if (was.text == now.text && was.day == now.day && was.account_id == now.account_id) {
        return Ok();
      }
    }
    return WriteSentiment(work, now, at);
  } else {
    (void)work, (void)saved, (void)before, (void)at;
    return Ok();
  }
}

}  // namespace orchard::service
