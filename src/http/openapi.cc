#include "http/openapi.h"

#include <cctype>

namespace orchard::http {

namespace {

boost::json::object Ref(const std::string& name) {
  return {{"$ref", "#/components/schemas/" + name}};
}

boost::json::object JsonContent(boost::json::object schema) {
  return {{"application/json", boost::json::object{{"schema", std::move(schema)}}}};
}

boost::json::object Response(const std::string& description, boost::json::object schema) {
  return {{"description", description}, {"content", JsonContent(std::move(schema))}};
}

std::vector<std::string> PathParams(const std::string& pattern) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = pattern.find('{', i)) != std::string::npos) {
    size_t j = pattern.find('}', i);
    out.push_back(pattern.substr(i + 1, j - i - 1));
    i = j;
  }
  return out;
}

boost::json::object Parameter(const std::string& name, const std::string& in, bool required,
                              boost::json::object schema) {
  return {{"name", name}, {"in", in}, {"required", required}, {"schema", std::move(schema)}};
}

}  // namespace

std::string OperationId(std::string_view method, std::string_view pattern) {
  std::string id;
  for (char c : method) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (pattern.starts_with("/api/v1/")) pattern.remove_prefix(7);
  for (char c : pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (id.back() != '_') {
      id += '_';
    }
  }
  while (id.back() == '_') id.pop_back();
  if (id.find('_') == std::string::npos) id += "_root";
  return id;
}

namespace {

// The parameters, request body and success responses a route's kind implies (a list's paging
// and column filters, a create's and a patch's input schemas, …).
void DescribeKind(const Router::RouteInfo& route, boost::json::object& schemas,
                  boost::json::object& op, boost::json::array& params,
                  boost::json::object& responses) {
  const RouteDoc& doc = route.doc;
  switch (doc.kind) {
    case RouteDoc::Kind::kList: {
      params.push_back(Parameter("limit", "query", false,
                                 {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}}));
      params.push_back(Parameter("cursor", "query", false, {{"type", "string"}}));
      params.push_back(Parameter("sort", "query", false,
                                 {{"type", "string"},
                                  {"description",
                                   "a column to order by, with - in front for descending; "
                                   "NULLs come last"}}));
      if (doc.column_filters && schemas.contains(doc.schema)) {
        for (const auto& [name, s] : schemas[doc.schema].at("properties").as_object()) {
          params.push_back(Parameter(name, "query", false, s.as_object()));
          // Inclusive bounds on ordered columns: numbers, days and instants.
          const auto& o = s.as_object();
          bool ordered = o.contains("format") || (o.contains("type") && o.at("type").is_string() &&
                                                  o.at("type").as_string() == "integer");
          if (!ordered) continue;
          params.push_back(Parameter(std::string(name) + "_from", "query", false, s.as_object()));
          params.push_back(Parameter(std::string(name) + "_to", "query", false, s.as_object()));
        }
      }
      boost::json::object page{{"type", "object"},
                               {"required", {"items", "next_cursor"}},
                               {"properties",
                                {{"items", {{"type", "array"}, {"items", Ref(doc.schema)}}},
                                 {"next_cursor", {{"type", {"string", "null"}}}}}}};
      responses["200"] = Response("A page of " + doc.schema, std::move(page));
      break;
    }
    case RouteDoc::Kind::kGet:
      responses["200"] = Response("One of " + doc.schema, Ref(doc.schema));
      break;
    case RouteDoc::Kind::kCreate:
      op["requestBody"] = {{"required", true},
                           {"content", JsonContent(Ref(CreateInputName(doc.schema)))}};
      responses["201"] = Response("Created", Ref(doc.schema));
      break;
    case RouteDoc::Kind::kPatch:
      op["requestBody"] = {{"required", true},
                           {"content", JsonContent(Ref(PatchInputName(doc.schema)))}};
      responses["200"] = Response("Updated", Ref(doc.schema));
      responses["409"] = Response("Stale version: someone else changed it first", Ref("Error"));
      break;
    case RouteDoc::Kind::kDelete:
      responses["204"] = {{"description", "Deleted"}};
      break;
    case RouteDoc::Kind::kOther:
      if (!doc.request_schema.empty()) {
        boost::json::object content = JsonContent(Ref(doc.request_schema));
        if (doc.csv_body) {
          content["text/csv"] = {{"schema", {{"type", "string"}}}};
        }
        op["requestBody"] = {{"required", true}, {"content", std::move(content)}};
      }
      if (doc.response_schema.empty()) {
        responses[route.method == "DELETE" || route.pattern.ends_with("logout") ? "204" : "200"] = {
            {"description", "Done"}};
      } else {
        responses[route.method == "POST" &&
                          (route.pattern.ends_with("tokens") || route.pattern.ends_with("webhooks"))
                      ? "201"
                      : "200"] = Response("OK", Ref(doc.response_schema));
      }
      break;
  }
}

}  // namespace

boost::json::object BuildOpenApi(const Router& router) {
  boost::json::object schemas;
  for (const auto& [name, text] : router.schemas()) schemas[name] = boost::json::parse(text);
  schemas["Error"] = boost::json::parse(R"({
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message", "fields"],
      "properties": {"code": {"type": "string"}, "message": {"type": "string"},
        "current_version": {"type": "integer"},
        "fields": {"type": "array", "items": {"type": "object", "required": ["field", "message"],
          "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}}}})");

  boost::json::object paths;
  for (const auto& route : router.Routes()) {
    const RouteDoc& doc = route.doc;
    boost::json::object op;
    op["summary"] = doc.summary.empty() ? route.method + " " + route.pattern : doc.summary;
    op["operationId"] = OperationId(route.method, route.pattern);
    boost::json::array params;
    for (const auto& p : PathParams(route.pattern)) {
      // Ids are integers; another path parameter (a model's kind) is a name.
      const bool id = p == "id" || p.ends_with("_id");
      params.push_back(Parameter(p, "path", true,
                                 id ? boost::json::object{{"type", "integer"}, {"minimum", 1}}
                                    : boost::json::object{{"type", "string"}}));
    }
    boost::json::object responses;
    auto error = Response("Error", Ref("Error"));
    DescribeKind(route, schemas, op, params, responses);
    for (const auto& q : doc.query) {
      boost::json::object schema{{"type", "string"}};
      if (auto it = doc.query_docs.find(q); it != doc.query_docs.end()) {
        schema["description"] = it->second;
      }
      params.push_back(Parameter(q, "query", false, std::move(schema)));
    }
    responses["400"] = error;
    if (!doc.public_route) {
      responses["401"] = error;
      responses["403"] = error;
    }
    if (!PathParams(route.pattern).empty()) responses["404"] = error;
    op["parameters"] = std::move(params);
    op["responses"] = std::move(responses);
    // Declared on every operation: a public one with none (an empty list), so a reader (and the
    // linter) can tell "needs no sign-in" from "forgot to say".
    boost::json::array security;
    if (!doc.public_route) {
      security.push_back(boost::json::object{{"session", boost::json::array{}}});
      security.push_back(boost::json::object{{"token", boost::json::array{}}});
    }
    op["security"] = std::move(security);
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& entry = paths[route.pattern];
    if (!entry.is_object()) entry = boost::json::object{};
    entry.as_object()[method] = std::move(op);
  }

  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Orchard API"},
        {"version", "1"},
        {"description",
         "Account management: accounts, plans, health, retention. Sign in with "
         "POST /api/v1/auth/login (session cookie + X-CSRF-Token on writes) or send an API token "
         "as Authorization: Bearer."}}},
      // Relative: the paths are absolute on the server that serves this document.
      {"servers", boost::json::array{boost::json::object{{"url", "/"}}}},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", std::move(schemas)},
        {"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "orchard_session"}}},
          {"token", {{"type", "http"}, {"scheme", "bearer"}}}}}}}};
}

}  // namespace orchard::http
