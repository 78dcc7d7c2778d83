// The routes of the HTTP API and their handlers: parse and check parameters, call a service,
// map the result to JSON. Handlers know HTTP; services do not.
#pragma once

#include "http/router.h"
#include "service/account_service.h"
#include "store/pool.h"

namespace orchard::http {

Router MakeRouter(store::ConnectionPool& pool, service::AccountService& accounts);

}  // namespace orchard::http
