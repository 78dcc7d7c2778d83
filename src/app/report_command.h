// `orchard report NAME`: a dashboard of the in-memory book, as a table, CSV or the API's JSON.
#pragma once

#include "cli/cli.h"
#include "core/clock.h"
#include "core/result.h"

namespace orchard {

Status RunReport(const cli::ReportArgs& args, const Clock& clock);

}  // namespace orchard
