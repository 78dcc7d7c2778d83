// `orchard score`'s first step (issue 20, item 1): scores every text of the book that has no
// text_sentiments row, or one from another model — texts written before sentiment was scored on
// write, by an import or the seed, or under an older model. In batches, each one transaction,
// keyset-paged by id per source, so a book of millions does not hold one long transaction; a
// second run finds nothing to score. Writes go through service/sentiment_on_write.h, so the
// change log tells running servers.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "engine/read_model.h"
#include "store/pool.h"

namespace orchard::service {

struct ScoreBookCounts {
  int64_t scored = 0;  // rows written (new, or rescored under this model)
  int64_t empty = 0;   // texts with nothing to score (no row)
};

// `progress(source, counts so far)` after each batch.
Result<ScoreBookCounts> ScoreBookTexts(
    store::ConnectionPool& pool, const Clock& clock, engine::ReadModel* model = nullptr,
    const std::function<void(std::string_view, const ScoreBookCounts&)>& progress = {});

}  // namespace orchard::service
