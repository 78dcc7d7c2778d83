#include "http/handler_kit.h"

#include <algorithm>
#include <charconv>

namespace orchard::http {

Reply JsonResponse(const boost::json::value& v, int status) {
  Reply r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

Reply NoContent() {
  Reply r;
  r.status = 204;
  return r;
}

Result<boost::json::object> ParseBody(const HttpRequest& request) {
  auto type = request.headers.find("content-type");
  if (type == request.headers.end() || !type->second.starts_with("application/json")) {
    return Fail(ErrorCode::kUnsupportedMediaType,
                "the body must be JSON (Content-Type: application/json)");
  }
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(request.body, ec, {}, options);
  if (ec) {
    std::string why = ec == boost::json::error::too_deep
                          ? "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"
                          : "malformed JSON: " + ec.message();
    return Fail(ErrorCode::kInvalidArgument, why);
  }
  if (!v.is_object()) return Fail(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  return std::move(v.as_object());
}

Result<ActionRequest> ReadAction(const HttpRequest& request) {
  ActionRequest out;
  ORCHARD_TRY(out.id, ParseId(request));
  if (request.body.empty()) return out;
  ORCHARD_TRY(out.body, ParseBody(request));
  return out;
}

Result<int64_t> ParseId(const HttpRequest& request, const std::string& name) {
  const std::string& text = request.params.at(name);
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id < 1) {
    return FailField(name == "pid" ? "id" : name,
                     "must be a positive integer; got \"" + text + "\"");
  }
  return id;
}

namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
    if (ec != std::errc() || p != hex.data() + i + 2) return std::nullopt;
    out.push_back(static_cast<char>(v));
  }
  return out;
}

Error NotOurCursor() {
  return FailField("cursor", "is not a cursor this server gave out; start again without one")
      .error();
}

}  // namespace

// Cursors are opaque to clients. In id order: the last id seen, in decimal. With a sort:
// "<last id>~<sort>~<hex of the JSON of that row's sort value>", so a cursor from a list in
// another order is refused rather than silently skipping rows.
Result<ListCursor> ParseCursorParam(const HttpRequest& request, const std::string& sort) {
  ListCursor out;
  auto text = QueryParams(request).Get("cursor");
  if (!text) return out;
  std::string_view rest = *text;
  size_t tilde = rest.find('~');
  std::string_view id_text = rest.substr(0, tilde);
  auto [p, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), out.after_id);
  if (id_text.empty() || ec != std::errc() || p != id_text.data() + id_text.size() ||
      out.after_id < 0) {
    return std::unexpected(NotOurCursor());
  }
  if (tilde == std::string_view::npos) {
    if (!sort.empty()) {
      return FailField("cursor", "belongs to a list in id order, not sorted by \"" + sort +
                                     "\"; start again without a cursor");
    }
    return out;
  }
  rest.remove_prefix(tilde + 1);
  size_t second = rest.find('~');
  if (second == std::string_view::npos) return std::unexpected(NotOurCursor());
  if (rest.substr(0, second) != sort) {
    return FailField("cursor", "belongs to a list sorted by \"" +
                                   std::string(rest.substr(0, second)) + "\", not by \"" + sort +
                                   "\"; start again without a cursor");
  }
  auto json = Unhex(rest.substr(second + 1));
  if (!json) return std::unexpected(NotOurCursor());
  boost::system::error_code jec;
  boost::json::value v = boost::json::parse(*json, jec);
  if (jec) return std::unexpected(NotOurCursor());
  if (v.is_int64()) {
    out.after_value = v.as_int64();
  } else if (v.is_string()) {
    out.after_value = std::string(v.as_string());
  } else if (!v.is_null()) {
    return std::unexpected(NotOurCursor());
  }
  return out;
}

boost::json::value CursorJson(const std::optional<int64_t>& next_id, const std::string& sort,
                              const store::SqlValue& value) {
  if (!next_id) return nullptr;
  std::string text = std::to_string(*next_id);
  if (sort.empty()) return boost::json::value(std::move(text));
  boost::json::value v;
  if (const auto* i = std::get_if<int64_t>(&value)) v = *i;
  if (const auto* str = std::get_if<std::string>(&value)) v = boost::json::string(*str);
  return boost::json::value(text + "~" + sort + "~" + Hex(boost::json::serialize(v)));
}

Reply ConflictResponse(const Error& error) {
  Reply r = ErrorResponse(error);
  // The current version travels in the error's fields; also give it at the top for clients.
  boost::json::object body = boost::json::parse(r.body).as_object();
  for (const auto& f : error.fields) {
    if (f.field == "version") body["current_version"] = std::stoll(f.message);
  }
  r.body = boost::json::serialize(body);
  return r;
}

Result<std::vector<std::string>> StringFields(const boost::json::object& body,
                                              std::initializer_list<const char*> names) {
  for (const auto& [k, v] : body) {
    if (std::none_of(names.begin(), names.end(), [&](const char* n) { return k == n; })) {
      return FailField(std::string(k), "unknown field");
    }
  }
  std::vector<std::string> out;
  for (const char* n : names) {
    auto it = body.find(n);
    if (it == body.end() || !it->value().is_string()) return FailField(n, "is required (a string)");
    out.emplace_back(it->value().as_string());
  }
  return out;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace orchard::http
