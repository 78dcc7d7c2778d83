// The models in the API (issue 20, item 5): an account's churn and upsell predictions with their
// drivers (GET /api/v1/accounts/{id}/predictions), each model's quality and data
// (GET /api/v1/models) and training on the book's history (POST /api/v1/models/{kind}/train,
// admins and leaders), over scoring::LiveScores. Without it (a server started with no models
// loaded) they answer 503.
#pragma once

#include "http/api.h"

namespace orchard::http {

void AddPredictionRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
