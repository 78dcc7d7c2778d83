// Imports through the API (issue 6), for the web UI and integrations: a file is posted, the
// import runs in the background on a connection of its own, and its progress, summary and
// rejected rows are read while it runs and after. Admins only: an import writes the whole book.
// The jobs themselves (threads, files, progress, the admin rule) are ingest::ImportJobs; these
// routes read the request and write the answer.
//
//   POST /api/v1/imports                 a file (raw text/csv with query parameters, or a JSON
//                                        envelope with the content) → 202 and the job
//   GET  /api/v1/imports                 the recent jobs
//   GET  /api/v1/imports/{id}            one job: status, progress (rows, rows/s, ETA), summary
//   GET  /api/v1/imports/{id}/rejected   its rejected rows, as the CSV report
#pragma once

#include "http/api.h"
#include "http/router.h"

namespace orchard::http {

void AddImportRoutes(Router& r, const ApiDeps& d);

}  // namespace orchard::http
