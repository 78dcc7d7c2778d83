// The HTTP face of automation's outbox (automation/outbox.h), admins only: webhook endpoints
// (the signing secret shown once, at creation), deliveries (the dead-letter list, one delivery
// with its attempts, a replay) and the SMTP settings (the password never shown).
#pragma once

#include "http/api.h"

namespace orchard::http {

void AddWebhookRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
