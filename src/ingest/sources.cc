#include "ingest/sources.h"

namespace orchard::ingest {

namespace {

// The request's object and mapping, checked: an error names the option that is wrong.
struct Checked {
  std::optional<ImportObject> object;
  std::optional<CsvMap> map;
};

Result<Checked> Check(const ImportRequest& request) {
  Checked c;
  if (request.source == "hubspot") {
    std::string o = request.object.value_or("");
    if (o == "companies") c.object = ImportObject::kAccounts;
    if (o == "contacts") c.object = ImportObject::kContacts;
    if (o == "deals") c.object = ImportObject::kOpportunities;
    if (!c.object) {
      return FailField("object", "HubSpot imports companies, contacts or deals; got \"" + o + "\"");
    }
  } else if (request.source == "csv" && request.object == "users") {
    if (!request.map_json) {
      return FailField("map", "a CSV import needs a mapping file naming its columns");
    }
    ORCHARD_TRY(auto map, ParseUserMap(*request.map_json));
    (void)map;
  } else if (request.source == "csv") {
    if (!request.object) {
      return FailField("object",
                       "name what the file holds: accounts, contacts, opportunities or "
                       "contract_lines");
    }
    auto object = ParseObject(*request.object);
    if (!object) return FailField("object", object.error().message);
    c.object = *object;
    if (!request.map_json) {
      return FailField("map", "a CSV import needs a mapping file naming its columns");
    }
    auto map = ParseCsvMap(*request.map_json, *c.object);
    if (!map) return FailField("map", map.error().message);
    c.map = std::move(*map);
    if (c.map->uses_external_id && !request.source_name && !c.map->source) {
      return FailField("source",
                       "external_id keys need the name of the system they come from: "
                       "the mapping's \"source\" or --source-name");
    }
  } else if (request.source != "salesforce") {
    return FailField("source", "salesforce, hubspot or csv; got \"" + request.source + "\"");
  }
  return c;
}

}  // namespace

Status CheckImportRequest(const ImportRequest& request) {
  ORCHARD_CHECK(Check(request));
  return Ok();
}

Result<ImportSummary> RunImport(store::Database& db, const Clock& clock,
                                const ImportRequest& request, ImportOptions options) {
  options.source = request.source;
  ORCHARD_TRY(Checked checked, Check(request));
  std::optional<ImportObject> object = checked.object;
  std::optional<CsvMap> map = std::move(checked.map);
  options.create_users = request.create_users;
  if (map) {
    options.external_source = request.source_name.value_or(map->source.value_or(""));
    options.unassigned_account = map->unassigned_account;
  }
  if (request.source == "csv" && request.object == "users") {
    ORCHARD_TRY(auto users, ParseUserMap(*request.map_json));
    if (request.source_name) users.source = request.source_name;
    return ImportUsers(db, clock, request.path, users, options);
  }
  ORCHARD_TRY(auto importer, Importer::Start(db, clock, std::move(options)));
  if (request.source == "salesforce") {
    ORCHARD_CHECK(ImportSalesforce(*importer, request.path));
  } else if (request.source == "hubspot") {
    ORCHARD_CHECK(ImportHubspot(*importer, *object, request.path, request.date_format));
  } else {
    ORCHARD_CHECK(ImportMappedCsv(*importer, *object, request.path, *map));
  }
  return importer->Finish();
}

}  // namespace orchard::ingest
