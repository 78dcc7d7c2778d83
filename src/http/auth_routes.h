// The sign-in routes: signing in and out, who is signed in, one's own password, API tokens.
#pragma once

#include "http/api.h"

namespace orchard::http {

void AddAuthRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
