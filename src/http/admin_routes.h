// The admin routes: users (added with a password; a password reset) and the settings.
#pragma once

#include "http/api.h"

namespace orchard::http {

void AddAdminRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
