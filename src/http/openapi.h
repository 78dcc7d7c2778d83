// The OpenAPI 3.1 document, built from the router's own route table and JSON Schemas derived from
// domain/schema.h — so a route cannot exist without being documented, and a field cannot be
// added without appearing in its schema.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <type_traits>

#include "domain/limits.h"
#include "domain/schema.h"
#include "http/router.h"
#include "service/entity_json.h"

namespace orchard::http {

template <class M>
struct JsonSchemaOf {
  static boost::json::object Get() {
    if constexpr (std::is_same_v<M, bool>) {
      return {{"type", "boolean"}};
    } else if constexpr (std::is_same_v<M, std::string>) {
      return {{"type", "string"}};
    } else if constexpr (std::is_same_v<M, Date>) {
      return {{"type", "string"}, {"format", "date"}};
    } else if constexpr (std::is_same_v<M, Timestamp>) {
      return {{"type", "string"}, {"format", "date-time"}};
    } else if constexpr (std::is_same_v<M, Tier>) {
      return {{"type", "integer"}, {"enum", {1, 2, 3}}};
    } else if constexpr (std::is_enum_v<M>) {
      boost::json::array names;
      for (auto n : EnumTraits<M>::kNames) names.emplace_back(n);
      return {{"type", "string"}, {"enum", std::move(names)}};
    } else {
      return {{"type", "integer"}};  // ints, ids and money in cents
    }
  }
};

template <class X>
struct JsonSchemaOf<std::optional<X>> {
  static boost::json::object Get() {
    boost::json::object inner = JsonSchemaOf<X>::Get();
    boost::json::array types{inner.at("type"), "null"};
    inner["type"] = std::move(types);
    if (inner.contains("enum")) inner["enum"].as_array().push_back(nullptr);
    return inner;
  }
};

// The JSON Schema of an entity as the API shows it (secrets left out).
template <class T>
boost::json::object EntityJsonSchema() {
  boost::json::object props;
  boost::json::array required;
  ForEachColumn<T>([&](const auto& col) {
    if (service::IsSecretColumn(col.name)) return;
    using M = std::remove_cvref_t<decltype(std::declval<T>().*(col.member))>;
    props[col.name] = JsonSchemaOf<M>::Get();
    required.emplace_back(col.name);
  });
  return {{"type", "object"},
          {"properties", std::move(props)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

// What a client may send to create or change T: the fields it may write, none of them required
// (defaults fill the rest); a patch also carries `version`. Unknown fields are refused.
template <class T>
boost::json::object EntityInputJsonSchema(bool patch) {
  boost::json::object props;
  ForEachColumn<T>([&](const auto& col) {
    if (service::IsServerOwnedColumn(col.name)) return;
    using M = std::remove_cvref_t<decltype(std::declval<T>().*(col.member))>;
    boost::json::object schema = JsonSchemaOf<M>::Get();
    // What a write may store (domain/limits.h).
    if (auto limit = TextLimitOf(EntitySchema<T>::kTable, col.name)) {
      schema["maxLength"] = limit->max_chars;
      if (limit->required) schema["minLength"] = 1;
    }
    if constexpr (std::is_same_v<M, Money>) {
      schema["minimum"] = -kMaxMoneyCents;
      schema["maximum"] = kMaxMoneyCents;
    }
    props[col.name] = std::move(schema);
  });
  boost::json::object out{{"type", "object"}, {"additionalProperties", false}};
  if (patch && Versioned<T>) {
    props["version"] = {{"type", "integer"}, {"description", "the version you read"}};
    out["required"] = {"version"};
  }
  out["properties"] = std::move(props);
  return out;
}

// Names of the input components of an entity's schema name.
inline std::string CreateInputName(const std::string& schema) { return schema + "_create"; }
inline std::string PatchInputName(const std::string& schema) { return schema + "_patch"; }

// An operation's id from its method and path: "get_accounts_id_health" for
// GET /api/v1/accounts/{id}/health (letters, digits and underscores only, so it is safe in a URL,
// and unique as the routes are).
std::string OperationId(std::string_view method, std::string_view pattern);

// The whole document for the routes registered so far.
boost::json::object BuildOpenApi(const Router& router);

}  // namespace orchard::http
