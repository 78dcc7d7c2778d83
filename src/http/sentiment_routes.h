// An account's scored texts (issue 20, item 1): GET /api/v1/accounts/{id}/sentiments, newest
// first, each with its label, score, the phrases that drove it (UTF-8 byte offsets into the
// scored text: service/sentiment_on_write.h's ScoredText) and a short excerpt.
#pragma once

#include "http/api.h"

namespace orchard::http {

void AddSentimentRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
