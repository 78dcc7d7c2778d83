// The HubSpot source: a companies, contacts or deals export with HubSpot's column names (matched
// however they are spelt) and its association columns.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "ingest/import.h"

namespace orchard::ingest {

// `date_format`: how the portal writes dates, when it is not one of ISO, 2002/1/16, 1/16/2002.
Status ImportHubspot(Importer& importer, ImportObject object, const std::string& path,
                     std::optional<std::string> date_format = std::nullopt);

}  // namespace orchard::ingest
