#include "http/import_routes.h"

#include <boost/json.hpp>
#include <memory>

#include "http/handler_kit.h"
#include "ingest/import_jobs.h"

namespace orchard::http {

namespace {

namespace json = boost::json;
using A = const service::Actor&;

// A job as the API answers it: its state, progress with rate and ETA, summary and report link.
json::object JobJson(const ingest::ImportJobState& job) {
  json::object o{{"id", job.id},           {"status", ingest::ToString(job.status)},
                 {"source", job.source},   {"file_name", job.file_name},
                 {"dry_run", job.dry_run}, {"started_at", job.started_at.ToString()}};
  if (!job.object.empty()) o["object"] = job.object;
  o["progress"] = json::object{{"rows", job.progress.rows},
                               {"bytes", job.progress.bytes},
                               {"total_bytes", job.progress.total_bytes},
                               {"seconds", job.progress.seconds},
                               {"rows_per_s", job.RowsPerSecond()},
                               {"eta_s", job.EtaSeconds()}};
  if (job.summary) o["summary"] = json::parse(job.summary->ToJson());
  if (!job.error.empty()) o["error"] = job.error;
  o["rejected_url"] = "/api/v1/imports/" + std::to_string(job.id) + "/rejected";
  return o;
}

Result<bool> BoolText(const std::string& name, const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return FailField(name, "must be true or false; got \"" + text + "\"");
}

// What a POST asks for: the request's fields and the file's content.
Result<ingest::ImportUpload> ReadPost(const HttpRequest& req) {
  ingest::ImportUpload p;
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
          k != "file_name" && k != "content" && k != "source_name" && k != "create_users") {
        return FailField(std::string(k),
                         "unknown field; an import takes source, object, map, date_format, "
                         "dry_run, file_name, content, source_name and create_users");
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
    ORCHARD_TRY(p.request.source_name, text("source_name"));
    if (const json::value* c = o.if_contains("create_users"); c && !c->is_null()) {
      if (!c->is_bool()) return FailField("create_users", "must be true or false");
      p.request.create_users = c->get_bool();
    }
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
    const QueryParams params(req);
    ORCHARD_CHECK(params.Only("an import", {"source", "object", "map", "date_format", "dry_run",
                                            "file_name", "source_name", "create_users"}));
    auto get = [&](const char* name) { return params.Get(name); };
    p.request.source = get("source").value_or("");
    p.request.object = get("object");
    p.request.map_json = get("map");
    p.request.date_format = get("date_format");
    p.request.source_name = get("source_name");
    if (auto c = get("create_users")) {
      ORCHARD_TRY(p.request.create_users, BoolText("create_users", *c));
    }
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
  return p;
}

Result<Reply> StartImport(ingest::ImportJobs& jobs, const HttpRequest& req, A actor) {
  // Before the body is read: a caller who may not import learns that, not what is wrong with it.
  ORCHARD_CHECK(ingest::CheckMayImport(actor));
  ORCHARD_TRY(auto posted, ReadPost(req));
  ORCHARD_TRY(auto job, jobs.Start(actor, std::move(posted)));
  Reply resp = JsonResponse(JobJson(job), 202);
  resp.headers.emplace_back("Location", "/api/v1/imports/" + std::to_string(job.id));
  return resp;
}

Result<Reply> ListImports(const ingest::ImportJobs& jobs, const HttpRequest&, A actor) {
  ORCHARD_TRY(auto all, jobs.List(actor));
  json::array items;
  for (const auto& job : all) {
    json::object o = JobJson(job);
    if (auto s = o.if_contains("summary"); s && s->is_object()) {
      s->as_object().erase("rejected_rows");
    }
    items.push_back(std::move(o));
  }
  return JsonResponse(json::object{{"items", std::move(items)}});
}

Result<Reply> GetImport(const ingest::ImportJobs& jobs, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(ingest::CheckMayImport(actor));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto job, jobs.Get(actor, id));
  return JsonResponse(JobJson(job));
}

Result<Reply> GetRejectedRows(const ingest::ImportJobs& jobs, const HttpRequest& req, A actor) {
  ORCHARD_CHECK(ingest::CheckMayImport(actor));
  ORCHARD_TRY(int64_t id, ParseId(req));
  ORCHARD_TRY(auto csv, jobs.RejectedCsv(actor, id));
  Reply resp;
  resp.content_type = "text/csv; charset=utf-8";
  resp.body = std::move(csv);
  resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"import-" +
                                                       std::to_string(id) + "-rejected.csv\"");
  return resp;
}

}  // namespace

void AddImportRoutes(Router& r, const ApiDeps& d) {
  using K = RouteDoc::Kind;
  using A = const service::Actor&;
  auto jobs = std::make_shared<ingest::ImportJobs>(d.pool.url(), d.clock);
  r.AddSchema("ImportRequest", R"({"type":"object","required":["source","content"],
    "additionalProperties":false,
    "properties":{"source":{"type":"string","description":"where the file comes from: salesforce, hubspot or csv"},
      "object":{"type":"string","description":"what the rows are: accounts, contacts, opportunities…"},
      "map":{"oneOf":[{"type":"object"},{"type":"string"}],"description":"a mapped CSV's columns to Orchard's fields, see docs/IMPORT.md"},
      "date_format":{"type":"string"},"dry_run":{"type":"boolean"},"file_name":{"type":"string"},
      "content":{"type":"string","description":"the file's text"},
      "source_name":{"type":"string","description":"a mapped CSV's external_id keys: the system they come from; wins over the mapping's source"},
      "create_users":{"type":"boolean","description":"owners Orchard lacks become inactive users, listed in the summary's created_users"}}})");
  r.Add(
      "POST", "/api/v1/imports",
      [jobs](const HttpRequest& q, A who) { return StartImport(*jobs, q, who); },
      RouteDoc("Start an import (admins): the file as text/csv with source, object, map, "
               "dry_run, file_name, source_name, create_users as query parameters, or a JSON "
               "object with them and the content; answers 202 with the job",
               K::kOther)
          .Query({"source", "object", "map", "date_format", "dry_run", "file_name", "source_name",
                  "create_users"})
          .Request("ImportRequest")
          .CsvBody()
          // Writing an upload of up to --body-limit to disk and checking its mapping.
          .Blocking());
  r.Add(
      "GET", "/api/v1/imports",
      [jobs](const HttpRequest& q, A who) { return ListImports(*jobs, q, who); },
      RouteDoc("This server's recent imports, newest first (admins)", K::kOther));
  r.Add(
      "GET", "/api/v1/imports/{id}",
      [jobs](const HttpRequest& q, A who) { return GetImport(*jobs, q, who); },
      RouteDoc("One import: status, progress (rows, rows/s, ETA), its summary when done and "
               "the first rejected rows (admins)",
               K::kOther));
  r.Add(
      "GET", "/api/v1/imports/{id}/rejected",
      [jobs](const HttpRequest& q, A who) { return GetRejectedRows(*jobs, q, who); },
      RouteDoc("An import's rejected rows as CSV: file, line, column, column name, reason "
               "(admins)",
               K::kOther));
}

}  // namespace orchard::http
