#include "ingest/import_jobs.h"

#include <stdlib.h>  // mkdtemp

#include <atomic>
#include <fstream>
#include <sstream>

#include "service/actor.h"
#include "store/database.h"

namespace orchard::ingest {

namespace fs = std::filesystem;

namespace {

// The rejected rows' report of a job that rejected none (the importer writes the file from the
// first rejected row on, with this header).
constexpr std::string_view kRejectedHeader = "file,line,column,column_name,reason\n";

}  // namespace

Status CheckMayImport(const service::Actor& actor) {
  if (!service::Policy::CanAdminister(actor)) {
    return Fail(ErrorCode::kPermissionDenied, "only admins import data");
  }
  return Ok();
}

std::string_view ToString(ImportJobStatus status) {
  switch (status) {
    case ImportJobStatus::kRunning:
      return "running";
    case ImportJobStatus::kDone:
      return "done";
    case ImportJobStatus::kFailed:
      return "failed";
  }
  return "";
}

double ImportJobState::RowsPerSecond() const {
  return progress.seconds > 0 ? static_cast<double>(progress.rows) / progress.seconds : 0;
}

double ImportJobState::EtaSeconds() const {
  if (progress.bytes <= 0 || progress.total_bytes <= progress.bytes) return 0;
  return progress.seconds * static_cast<double>(progress.total_bytes - progress.bytes) /
         static_cast<double>(progress.bytes);
}

// One import: its file in a folder of its own, and what is known of it so far.
struct ImportJobs::Job {
  fs::path dir;
  std::atomic<bool> stop{false};

  mutable std::mutex mu;  // guards state
  ImportJobState state;

  ImportJobState Read() const {
    std::lock_guard lock(mu);
    return state;
  }
  bool Running() const {
    std::lock_guard lock(mu);
    return state.status == ImportJobStatus::kRunning;
  }
};

ImportJobs::ImportJobs(std::string database_url, const Clock& clock)
    : url_(std::move(database_url)), clock_(clock) {}

ImportJobs::~ImportJobs() {
  std::vector<std::jthread> threads;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, job] : jobs_) job->stop = true;
    threads = std::move(threads_);
  }
  threads.clear();  // joins: each stops at its next batch
  std::lock_guard lock(mu_);
  for (auto& [id, job] : jobs_) {
    std::error_code ec;
    fs::remove_all(job->dir, ec);
  }
}

void ImportJobs::Add(const std::shared_ptr<Job>& job) {
  std::lock_guard lock(mu_);
  job->state.id = ++last_id_;
  jobs_[job->state.id] = job;
  while (jobs_.size() > kKept) {
    auto oldest = jobs_.begin();
    if (oldest->second->Running()) break;
    std::error_code ec;
    fs::remove_all(oldest->second->dir, ec);
    jobs_.erase(oldest);
  }
}

Result<ImportJobState> ImportJobs::Start(const service::Actor& actor, ImportUpload upload) {
  ORCHARD_CHECK(CheckMayImport(actor));
  ORCHARD_CHECK(CheckImportRequest(upload.request));
  // Only a name: the file is stored in the job's own folder, never where the client says.
  std::string file_name = fs::path(upload.file_name).filename().string();
  if (file_name.empty() || file_name == "." || file_name == "..") file_name = "upload";
  auto job = std::make_shared<Job>();
  job->state.source = upload.request.source;
  job->state.object = upload.request.object.value_or("");
  job->state.file_name = file_name;
  job->state.dry_run = upload.dry_run;
  job->state.started_at = clock_.Now();
  std::string pattern = (fs::temp_directory_path() / "orchard-import-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) {
    return Fail(ErrorCode::kUnavailable, "cannot make a folder for the upload");
  }
  job->dir = buf.data();
  fs::path file = job->dir / file_name;
  {
    std::ofstream out(file, std::ios::binary);
    out << upload.content;
    if (!out) return Fail(ErrorCode::kUnavailable, "cannot store the upload");
  }
  Add(job);
  ImportRequest request = std::move(upload.request);
  request.path = file.string();
  std::optional<UserId> actor_id;
  if (actor.user.valid()) actor_id = actor.user;
  ImportJobState started = job->Read();
  std::lock_guard lock(mu_);
  threads_.emplace_back([job, request = std::move(request), actor_id, url = url_, &clock = clock_] {
    Run(*job, url, clock, request, actor_id);
  });
  return started;
}

void ImportJobs::Run(Job& job, const std::string& url, const Clock& clock, ImportRequest request,
                     std::optional<UserId> actor) {
  ImportOptions options;
  options.dry_run = job.state.dry_run;  // set before the job was shared: read without the lock
  options.actor = actor;
  options.report_path = (job.dir / "rejected.csv").string();
  options.hide_dir = job.dir.string();
  options.stop = &job.stop;
  // Inside a running server every batch commits, even into an empty table: a first load's one
  // transaction would hold SQLite's write lock (and PostgreSQL's lock on the table) throughout.
  options.first_load = false;
  options.on_progress = [&](const ImportProgress& p) {
    std::lock_guard lock(job.mu);
    job.state.progress = p;
  };
  auto run = [&]() -> Result<ImportSummary> {
    ORCHARD_TRY(auto db, store::OpenDatabase(url));
    return RunImport(*db, clock, request, std::move(options));
  };
  auto summary = run();
  std::lock_guard lock(job.mu);
  ImportJobState& s = job.state;
  if (summary) {
    s.progress.rows = summary->rows;
    s.progress.seconds = summary->seconds;
    s.progress.bytes = s.progress.total_bytes;
    s.summary = std::move(*summary);
    s.status = ImportJobStatus::kDone;
  } else {
    // Named as uploaded: the job's own folder is the server's business.
    s.error = summary.error().message;
    std::string dir = job.dir.string() + "/";
    for (size_t at; (at = s.error.find(dir)) != std::string::npos;) s.error.erase(at, dir.size());
    s.status = ImportJobStatus::kFailed;
  }
}

Result<std::vector<ImportJobState>> ImportJobs::List(const service::Actor& actor) const {
  ORCHARD_CHECK(CheckMayImport(actor));
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, job] : jobs_) jobs.push_back(job);
  }
  std::vector<ImportJobState> out;
  for (auto it = jobs.rbegin(); it != jobs.rend(); ++it) out.push_back((*it)->Read());
  return out;
}

Result<std::shared_ptr<ImportJobs::Job>> ImportJobs::Find(const service::Actor& actor,
                                                          int64_t id) const {
  ORCHARD_CHECK(CheckMayImport(actor));
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) {
    return Fail(ErrorCode::kNotFound, "import " + std::to_string(id) +
                                          " is not known to this server (jobs are kept "
                                          "until it restarts, the last " +
                                          std::to_string(kKept) + ")");
  }
  return it->second;
}

Result<ImportJobState> ImportJobs::Get(const service::Actor& actor, int64_t id) const {
  ORCHARD_TRY(auto job, Find(actor, id));
  return job->Read();
}

Result<std::string> ImportJobs::RejectedCsv(const service::Actor& actor, int64_t id) const {
  ORCHARD_TRY(auto job, Find(actor, id));
  std::ifstream in(job->dir / "rejected.csv", std::ios::binary);
  if (!in) return std::string(kRejectedHeader);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace orchard::ingest
