// automation_state: the few values automation keeps between passes and servers (the change-log
// cursor of event rules, a team's round-robin position, the key that signs unsubscribe links,
// the public URL e-mails link to). One reader and one writer for every caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/database.h"

namespace orchard::automation {

Result<std::optional<std::string>> ReadState(store::Database& db, std::string_view key);
// Sets `key` to `value` (`overwrite`), or only if it has none yet — then whichever of several
// servers wrote first stays, and the value returned is the one stored.
Result<std::string> WriteState(store::Database& db, std::string_view key, const std::string& value,
                               bool overwrite = true);

}  // namespace orchard::automation
