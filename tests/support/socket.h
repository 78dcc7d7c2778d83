// A raw TCP connection to a server on 127.0.0.1, for tests that send bytes no HTTP client would.
#pragma once

#include <cstdint>

namespace orchard::testing {

// A connected socket (close it), or -1; its reads time out after `read_timeout_s`.
int ConnectLoopback(uint16_t port, int read_timeout_s = 5);

}  // namespace orchard::testing
