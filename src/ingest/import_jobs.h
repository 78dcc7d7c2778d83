// Import jobs (issue 6): imports that run in the background, for the API. A job's file is stored
// in a folder of its own, the import runs on a thread of its own with a database connection of
// its own, and its progress, summary and rejected rows are read while it runs and after.
//
// ImportJobs owns the jobs of one server: their threads, their folders and what is known of
// each. It keeps the last kKept (the oldest finished ones are forgotten and their files
// removed); stopping the server stops the running ones at their next batch. The HTTP routes
// (http/import_routes.cc) only read the request and write the answer.
//
// Admins only (CheckMayImport): an import writes the whole book.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/result.h"
#include "ingest/import.h"
#include "ingest/sources.h"
#include "service/actor.h"

namespace orchard::ingest {

// PermissionDenied unless the actor may import (admins: service::Policy::CanAdminister).
Status CheckMayImport(const service::Actor& actor);

// What a job is asked to do.
struct ImportUpload {
  ImportRequest request;  // its path is ignored: the file is stored in the job's folder
  std::string file_name;  // as the client names it; only its last part is kept
  std::string content;
  bool dry_run = false;
};

enum class ImportJobStatus { kRunning, kDone, kFailed };
std::string_view ToString(ImportJobStatus status);  // "running", "done", "failed"

// One job as it stood when read (a copy: it goes on while the copy is answered).
struct ImportJobState {
  int64_t id = 0;
  std::string source, object, file_name;  // object: empty when the source needs none
  bool dry_run = false;
  Timestamp started_at;
  ImportJobStatus status = ImportJobStatus::kRunning;
  ImportProgress progress;
  std::optional<ImportSummary> summary;  // once done
  std::string error;                     // once failed; names the file as uploaded

  double RowsPerSecond() const;
  // Seconds left, estimated from the bytes read so far (0: unknown or done).
  double EtaSeconds() const;
};

class ImportJobs {
 public:
  static constexpr size_t kKept = 20;

  // Each job opens its own connection to database_url.
  ImportJobs(std::string database_url, const Clock& clock);
  ~ImportJobs();  // stops the running jobs at their next batch, waits, removes every job's files
  ImportJobs(const ImportJobs&) = delete;
  ImportJobs& operator=(const ImportJobs&) = delete;

  // Checks the actor and the request (a wrong source, object or mapping fails now, not as a
  // failed job later), stores the file and starts the import; returns the job as it starts.
  Result<ImportJobState> Start(const service::Actor& actor, ImportUpload upload);
  // This server's jobs, newest first.
  Result<std::vector<ImportJobState>> List(const service::Actor& actor) const;
  // One job; NotFound when this server does not know it (any more).
  Result<ImportJobState> Get(const service::Actor& actor, int64_t id) const;
  // Its rejected rows as CSV: file, line, column, column_name, reason (the header alone when
  // none was rejected).
  Result<std::string> RejectedCsv(const service::Actor& actor, int64_t id) const;

 private:
  struct Job;
  Result<std::shared_ptr<Job>> Find(const service::Actor& actor, int64_t id) const;
  void Add(const std::shared_ptr<Job>& job);
  static void Run(Job& job, const std::string& url, const Clock& clock, ImportRequest request,
                  std::optional<UserId> actor);

  std::string url_;
  const Clock& clock_;
  mutable std::mutex mu_;  // guards what follows
  int64_t last_id_ = 0;
  std::map<int64_t, std::shared_ptr<Job>> jobs_;  // newest last
  std::vector<std::jthread> threads_;
};

}  // namespace orchard::ingest
