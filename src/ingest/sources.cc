#include "ingest/sources.h"

#include "ingest/products_import.h"
#include "ingest/salesforce_signals.h"

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
                       "name what the file holds: accounts, contacts, opportunities, "
                       "contract_lines, products or users");
    }
    if (*request.object == "products") {  // a catalogue: products_import.h
      auto checked = CheckProductsMap(request.map_json);
      if (!checked) return FailField("map", checked.error().message);
      return c;
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
  if (request.source == "csv" && request.object == "products") {
    return ImportProducts(db, clock, request.path, request.map_json, options);
  }
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
  // Salesforce's Product2 files first: the catalogue the contracts and line items link to.
  std::vector<ImportSummary> catalogues;
  if (request.source == "salesforce") {
    ImportOptions own = options;
    own.report_path.clear();  // its rejected rows are in the summary; the report is the rest's
    for (const auto& file : SalesforceProductFiles(request.path)) {
      ORCHARD_TRY(auto products, ImportProducts(db, clock, file, std::nullopt, own));
      catalogues.push_back(std::move(products));
    }
  }
  const ImportOptions signals_options = options;
  ORCHARD_TRY(auto importer, Importer::Start(db, clock, std::move(options)));
  if (request.source == "salesforce") {
    ORCHARD_CHECK(ImportSalesforce(*importer, request.path));
    ORCHARD_TRY(ImportSummary summary, importer->Finish());
    // What health and depth read (Task, Case, Orchard's custom objects), once the accounts and
    // contacts they link to are in; a dry run wrote none of those, so it does not read them.
    ImportSummary signals;
    if (!summary.dry_run) {
      ORCHARD_TRY(signals, ImportSalesforceSignals(db, clock, request.path, signals_options));
    }
    for (auto it = catalogues.rbegin(); it != catalogues.rend(); ++it) {
      summary.files.insert(summary.files.begin(), it->files.begin(), it->files.end());
      summary.rows += it->rows;
      summary.inserted += it->inserted;
      summary.updated += it->updated;
      summary.unchanged += it->unchanged;
      summary.rejected += it->rejected;
      summary.rejections.insert(summary.rejections.end(), it->rejections.begin(),
                                it->rejections.end());
    }
    summary.files.insert(summary.files.end(), signals.files.begin(), signals.files.end());
    summary.rows += signals.rows;
    summary.inserted += signals.inserted;
    summary.unchanged += signals.unchanged;
    summary.seconds += signals.seconds;
    return summary;
  } else if (request.source == "hubspot") {
    ORCHARD_CHECK(ImportHubspot(*importer, *object, request.path, request.date_format));
  } else {
    ORCHARD_CHECK(ImportMappedCsv(*importer, *object, request.path, *map));
  }
  return importer->Finish();
}

}  // namespace orchard::ingest
