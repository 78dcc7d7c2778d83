#include "http/import_routes.h"

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "http/crud.h"
#include "http/errors.h"
#include "http/params.h"
#include "ingest/sources.h"

namespace orchard::http {

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// One import: its file in a folder of its own, and what is known of it so far.
struct Job {
  int64_t id = 0;
  std::string source, object, file_name;
  bool dry_run = false;
  Timestamp started_at;
  fs::path dir;
  std::atomic<bool> stop{false};

  mutable std::mutex mu;           // guards what follows
  std::string status = "running";  // running, done, failed
  ingest::ImportProgress progress;
  std::optional<ingest::ImportSummary> summary;
  std::string error;

  json::object ToJson() const {
    std::lock_guard lock(mu);
    json::object o{{"id", id},           {"status", status},
                   {"source", source},   {"file_name", file_name},
                   {"dry_run", dry_run}, {"started_at", started_at.ToString()}};
    if (!object.empty()) o["object"] = object;
    double rate = progress.seconds > 0 ? static_cast<double>(progress.rows) / progress.seconds : 0;
    double eta = 0;
    if (progress.bytes > 0 && progress.total_bytes > progress.bytes) {
      eta = progress.seconds * static_cast<double>(progress.total_bytes - progress.bytes) /
            static_cast<double>(progress.bytes);
    }
    o["progress"] = json::object{{"rows", progress.rows},
                                 {"bytes", progress.bytes},
                                 {"total_bytes", progress.total_bytes},
                                 {"seconds", progress.seconds},
                                 {"rows_per_s", rate},
                                 {"eta_s", eta}};
    if (summary) o["summary"] = json::parse(summary->ToJson());
    if (!error.empty()) o["error"] = error;
    o["rejected_url"] = "/api/v1/imports/" + std::to_string(id) + "/rejected";
    return o;
  }
};

// The jobs of this server, newest last; the oldest finished ones are forgotten (and their files
// removed) past kKept.
class Jobs {
 public:
  static constexpr size_t kKept = 20;

  ~Jobs() {
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

  std::shared_ptr<Job> Add(std::shared_ptr<Job> job) {
    std::lock_guard lock(mu_);
    job->id = ++last_id_;
    jobs_[job->id] = job;
    while (jobs_.size() > kKept) {
      auto oldest = jobs_.begin();
      {
        std::lock_guard job_lock(oldest->second->mu);
        if (oldest->second->status == "running") break;
      }
      std::error_code ec;
      fs::remove_all(oldest->second->dir, ec);
      jobs_.erase(oldest);
    }
    return job;
  }

  void Run(std::function<void()> work) {
    std::lock_guard lock(mu_);
    threads_.emplace_back(std::move(work));
  }

  std::shared_ptr<Job> Get(int64_t id) const {
    std::lock_guard lock(mu_);
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
  }

  std::vector<std::shared_ptr<Job>> All() const {
    std::lock_guard lock(mu_);
    std::vector<std::shared_ptr<Job>> out;
    for (const auto& [id, job] : jobs_) out.push_back(job);
    return out;
  }

 private:
  mutable std::mutex mu_;
  int64_t last_id_ = 0;
  std::map<int64_t, std::shared_ptr<Job>> jobs_;
  std::vector<std::jthread> threads_;
};

Status RequireAdmin(const service::Actor& actor) {
  if (actor.role != Role::kAdmin) {
    return Fail(ErrorCode::kPermissionDenied, "only admins import data");
  }
  return Ok();
}

// What a POST asks for: the request's fields and the file's content.
struct Posted {
  ingest::ImportRequest request;
  std::string file_name;
  std::string content;
  bool dry_run = false;
};

Result<bool> BoolText(const std::string& name, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return FailField(name, "must be true or false; got \"" + text + "\"");
}

Result<Posted> ReadPost(const HttpRequest& req) {
  Posted p;
  auto type_it = req.headers.find("content-type");
  std::string type = type_it == req.headers.end() ? "" : type_it->second;
  if (type.starts_with("application/json")) {
    // {"source", "object", "map", "date_format", "dry_run", "file_name", "content"}
    boost::system::error_code ec;
    json::value v = json::parse(req.body, ec);
    if (ec || !v.is_object()) {
      return Fail(ErrorCode::kInvalidArgument, "the body is not a JSON object");
    }
    const json::object& o = v.as_object();
    for (const auto& kv : o) {
      std::string_view k = kv.key();
      if (k != "source" && k != "object" && k != "map" && k != "date_format" && k != "dry_run" &&
          k != "file_name" && k != "content") {
        return FailField(std::string(k),
                         "unknown field; an import takes source, object, map, date_format, "
                         "dry_run, file_name and content");
      }
    }
    auto text = [&](const char* name) -> Result<std::optional<std::string>> {
      const json::value* f = o.if_contains(name);
      if (!f || f->is_null()) return std::nullopt;
      if (!f->is_string()) return FailField(name, "must be a string");
      return std::string(f->get_string());
    };
    ORCHARD_TRY(auto source, text("source"));
    ORCHARD_TRY(p.request.object, text("object"));
    ORCHARD_TRY(p.request.date_format, text("date_format"));
    ORCHARD_TRY(auto name, text("file_name"));
    ORCHARD_TRY(auto content, text("content"));
    p.request.source = source.value_or("");
    p.file_name = name.value_or("upload");
    if (!content) return FailField("content", "the file's content is required");
    p.content = std::move(*content);
    if (const json::value* m = o.if_contains("map"); m && !m->is_null()) {
      p.request.map_json = m->is_string() ? std::string(m->get_string()) : json::serialize(*m);
    }
    if (const json::value* d = o.if_contains("dry_run"); d && !d->is_null()) {
      if (!d->is_bool()) return FailField("dry_run", "must be true or false");
      p.dry_run = d->get_bool();
    }
  } else if (type.starts_with("text/csv") || type.starts_with("text/plain") ||
             type.starts_with("application/octet-stream")) {
    // The file as the body; the rest as query parameters.
    Params params(req.query.begin(), req.query.end());
    ORCHARD_CHECK(OnlyParams(params, "an import",
                             {"source", "object", "map", "date_format", "dry_run", "file_name"}));
    auto get = [&](const char* name) -> std::optional<std::string> {
      auto it = params.find(name);
      if (it == params.end()) return std::nullopt;
      return it->second;
    };
    p.request.source = get("source").value_or("");
    p.request.object = get("object");
    p.request.map_json = get("map");
    p.request.date_format = get("date_format");
    p.file_name = get("file_name").value_or("upload.csv");
    if (auto d = get("dry_run")) {
      ORCHARD_TRY(p.dry_run, BoolText("dry_run", *d));
    }
    p.content = req.body;
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "send the file as text/csv (with source, object, map as query parameters) or a "
                "JSON object with its content; got Content-Type \"" +
                    type + "\"");
  }
  if (p.request.source.empty()) {
    return FailField("source", "name where the file comes from: salesforce, hubspot or csv");
  }
  if (p.content.empty()) return FailField("content", "the file is empty");
  // Only a name: the file is stored in the job's own folder, never where the client says.
  p.file_name = fs::path(p.file_name).filename().string();
  if (p.file_name.empty() || p.file_name == "." || p.file_name == "..") p.file_name = "upload";
  return p;
}

HttpResponse Start(const ApiDeps& d, Jobs& jobs, const HttpRequest& req) {
  auto actor = Authenticate(d.auth, req);
  if (!actor) return ErrorResponse(actor.error());
  if (auto ok = RequireAdmin(*actor); !ok) return ErrorResponse(ok.error());
  auto posted = ReadPost(req);
  if (!posted) return ErrorResponse(posted.error());
  // The request is checked before anything runs: a wrong source, object or mapping is a 400
  // now, not a failed job later.
  if (auto ok = ingest::CheckImportRequest(posted->request); !ok) {
    return ErrorResponse(ok.error());
  }
  auto job = std::make_shared<Job>();
  job->source = posted->request.source;
  job->object = posted->request.object.value_or("");
  job->file_name = posted->file_name;
  job->dry_run = posted->dry_run;
  job->started_at = d.clock.Now();
  std::error_code ec;
  std::string pattern = (fs::temp_directory_path() / "orchard-import-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) {
    return ErrorResponse(Error{ErrorCode::kUnavailable, "cannot make a folder for the upload", {}});
  }
  job->dir = buf.data();
  fs::path file = job->dir / job->file_name;
  {
    std::ofstream out(file, std::ios::binary);
    out << posted->content;
    if (!out) {
      return ErrorResponse(Error{ErrorCode::kUnavailable, "cannot store the upload", {}});
    }
  }
  jobs.Add(job);
  ingest::ImportRequest request = posted->request;
  request.path = file.string();
  std::optional<UserId> actor_id;
  if (actor->user.valid()) actor_id = actor->user;
  std::string url = d.pool.url();
  const Clock& clock = d.clock;
  jobs.Run([job, request, actor_id, url, &clock] {
    ingest::ImportOptions options;
    options.dry_run = job->dry_run;
    options.actor = actor_id;
    options.report_path = (job->dir / "rejected.csv").string();
    options.hide_dir = job->dir.string();
    options.stop = &job->stop;
    options.on_progress = [&](const ingest::ImportProgress& p) {
      std::lock_guard lock(job->mu);
      job->progress = p;
    };
    auto run = [&]() -> Result<ingest::ImportSummary> {
      ORCHARD_TRY(auto db, store::OpenDatabase(url));
      return ingest::RunImport(*db, clock, request, std::move(options));
    };
    auto summary = run();
    std::lock_guard lock(job->mu);
    if (summary) {
      job->progress.rows = summary->rows;
      job->progress.seconds = summary->seconds;
      job->progress.bytes = job->progress.total_bytes;
      job->summary = std::move(*summary);
      job->status = "done";
    } else {
      // Named as uploaded: the job's own folder is the server's business.
      job->error = summary.error().message;
      std::string dir = job->dir.string() + "/";
      for (size_t at; (at = job->error.find(dir)) != std::string::npos;) {
        job->error.erase(at, dir.size());
      }
      job->status = "failed";
    }
  });
  HttpResponse resp = JsonResponse(job->ToJson(), 202);
  resp.headers.emplace_back("Location", "/api/v1/imports/" + std::to_string(job->id));
  return resp;
}

Result<std::shared_ptr<Job>> FindJob(const ApiDeps& d, const Jobs& jobs, const HttpRequest& req) {
  ORCHARD_TRY(auto actor, Authenticate(d.auth, req));
  ORCHARD_CHECK(RequireAdmin(actor));
  ORCHARD_TRY(int64_t id, ParseId(req));
  auto job = jobs.Get(id);
  if (!job) {
    return Fail(ErrorCode::kNotFound, "import " + std::to_string(id) +
                                          " is not known to this server (jobs are kept "
                                          "until it restarts, the last " +
                                          std::to_string(Jobs::kKept) + ")");
  }
  return job;
}

}  // namespace

void AddImportRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  auto jobs = std::make_shared<Jobs>();
  r.AddSchema("ImportRequest", R"({"type":"object","required":["source","content"],
    "additionalProperties":false,
    "properties":{"source":{"type":"string","description":"where the file comes from: salesforce, hubspot or csv"},
      "object":{"type":"string","description":"what the rows are: accounts, contacts, opportunities…"},
      "map":{"oneOf":[{"type":"object"},{"type":"string"}],"description":"a mapped CSV's columns to Orchard's fields, see docs/IMPORT.md"},
      "date_format":{"type":"string"},"dry_run":{"type":"boolean"},"file_name":{"type":"string"},
      "content":{"type":"string","description":"the file's text"}}})");
  r.Add(
      "POST", "/api/v1/imports", [d, jobs](const HttpRequest& q) { return Start(d, *jobs, q); },
      RouteDoc("Start an import (admins): the file as text/csv with source, object, map, "
               "dry_run, file_name as query parameters, or a JSON object with them and the "
               "content; answers 202 with the job",
               K::kOther)
          .Query({"source", "object", "map", "date_format", "dry_run", "file_name"})
          .Request("ImportRequest")
          .CsvBody()
          // Writing an upload of up to --body-limit to disk and checking its mapping.
          .Blocking());
  r.Add(
      "GET", "/api/v1/imports",
      [d, jobs](const HttpRequest& q) {
        auto actor = Authenticate(d.auth, q);
        if (!actor) return ErrorResponse(actor.error());
        if (auto ok = RequireAdmin(*actor); !ok) return ErrorResponse(ok.error());
        json::array items;
        auto all = jobs->All();
        for (auto it = all.rbegin(); it != all.rend(); ++it) {
          json::object o = (*it)->ToJson();
          if (auto s = o.if_contains("summary"); s && s->is_object()) {
            s->as_object().erase("rejected_rows");
          }
          items.push_back(std::move(o));
        }
        return JsonResponse(json::object{{"items", std::move(items)}});
      },
      RouteDoc("This server's recent imports, newest first (admins)", K::kOther));
  r.Add(
      "GET", "/api/v1/imports/{id}",
      [d, jobs](const HttpRequest& q) {
        auto job = FindJob(d, *jobs, q);
        if (!job) return ErrorResponse(job.error());
        return JsonResponse((*job)->ToJson());
      },
      RouteDoc("One import: status, progress (rows, rows/s, ETA), its summary when done and "
               "the first rejected rows (admins)",
               K::kOther));
  r.Add(
      "GET", "/api/v1/imports/{id}/rejected",
      [d, jobs](const HttpRequest& q) {
        auto job = FindJob(d, *jobs, q);
        if (!job) return ErrorResponse(job.error());
        std::ifstream in((*job)->dir / "rejected.csv", std::ios::binary);
        std::ostringstream text;
        if (in) {
          text << in.rdbuf();
        } else {
          text << "file,line,column,column_name,reason\n";
        }
        HttpResponse resp;
        resp.content_type = "text/csv; charset=utf-8";
        resp.body = text.str();
        resp.headers.emplace_back(
            "Content-Disposition",
            "attachment; filename=\"import-" + std::to_string((*job)->id) + "-rejected.csv\"");
        return resp;
      },
      RouteDoc("An import's rejected rows as CSV: file, line, column, column name, reason "
               "(admins)",
               K::kOther));
}

}  // namespace orchard::http
