#include "ingest/products_import.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>

#include "core/text.h"
#include "domain/limits.h"
#include "ingest/csv.h"
#include "ingest/formats.h"
#include "ingest/text.h"
#include "service/entity_hooks.h"
#include "store/store.h"

namespace orchard::ingest {

namespace {

// Levenshtein distance, or limit + 1 once it is over limit.
size_t EditDistance(std::string_view a, std::string_view b, size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return std::min(row[b.size()], limit + 1);
}

constexpr size_t kNearEdits = 2;

}  // namespace

Status ProductCatalogue::Load(store::Database& db) {
  return db.Query("SELECT id, sku, name FROM products ORDER BY id", {},
                  [&](const store::Row& r) -> Status {
                    ORCHARD_TRY(int64_t id, r.GetInt(0));
                    Add(id, std::string(r.GetText(1)), std::string(r.GetText(2)), false);
                    return Ok();
                  });
}

void ProductCatalogue::Add(int64_t id, const std::string& sku, const std::string& name,
                           bool added) {
  entries_.push_back(Entry{id, sku, name, Folded(sku), Folded(name), added});
  by_sku_.emplace(sku, entries_.size() - 1);
  if (!name.empty()) by_name_.emplace(name, entries_.size() - 1);
  memo_.clear();
}

ProductMatch ProductCatalogue::Find(std::string_view text) {
  std::string key(text);
  if (auto m = memo_.find(key); m != memo_.end()) return m->second;
  ProductMatch out;
  auto exact = by_sku_.find(key);
  if (exact == by_sku_.end()) exact = by_name_.find(key);
  if (exact != by_sku_.end() && exact != by_name_.end()) {
    out.id = entries_[exact->second].id;
    out.added = entries_[exact->second].added;
    return memo_[key] = out;
  }
  std::string folded = Folded(text);
  std::vector<size_t> same, near;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (!folded.empty() && (e.folded_sku == folded || e.folded_name == folded)) {
      same.push_back(i);
    } else if (folded.size() >= 4 &&
               std::min(EditDistance(folded, e.folded_name, kNearEdits),
                        EditDistance(folded, e.folded_sku, kNearEdits)) <= kNearEdits) {
      near.push_back(i);
    }
  }
  auto shown = [&](size_t i) {
    const Entry& e = entries_[i];
    return "\"" + (e.name.empty() ? e.sku : e.name) + "\" (" + e.sku + ")";
  };
  if (same.size() == 1) {
    out.id = entries_[same[0]].id;
    out.added = entries_[same[0]].added;
    out.note = "product \"" + key + "\" is not in the catalogue as written: linked to " +
               shown(same[0]) + ", the same ignoring case, spaces and punctuation";
  } else if (same.size() > 1) {
    out.note = "product \"" + key + "\" matches " + shown(same[0]) + " and " + shown(same[1]) +
               " ignoring case, spaces and punctuation: not linked by guess";
  } else if (near.size() == 1) {
    out.note = "product \"" + key + "\" is not in the catalogue; the likely match is " +
               shown(near[0]) + " (not linked: it differs by more than case and punctuation)";
  }
  return memo_[key] = out;
}

// The Importer's product of a row (import.h): by code, else by name, else the near miss reported.
// A contract line's unknown product is added to the catalogue (each row using it counts in the
// warning); an opportunity's is left empty.
Result<std::optional<ProductId>> Importer::FindProduct(const ImportRow& row, bool add) {
  if (!catalogue_) {
    ORCHARD_CHECK(WaitForWriter());
    catalogue_ = std::make_unique<ProductCatalogue>();
    ORCHARD_CHECK(catalogue_->Load(db_));
  }
  const std::string& code = row.Get(Field::kProduct);
  const std::string& name = row.Get(Field::kProductName);
  std::string sku = !code.empty() ? code : !name.empty() || !add ? name : "IMPORTED";
  if (sku.empty()) return std::optional<ProductId>();
  ProductMatch match = catalogue_->Find(sku);
  if (!match.id && !code.empty() && !name.empty()) {
    ProductMatch by_name = catalogue_->Find(name);
    if (by_name.id || match.note.empty()) match = std::move(by_name);
  }
  std::pair<size_t, int64_t> at{summary_.files.size(), row.line};
  const bool again = catalogue_->last_row == at;
  catalogue_->last_row = at;
  if (!match.note.empty() && !again) Warn(match.note);
  std::string added = "product " + sku + " was not in the catalogue: added, with no list price";
  if (match.id) {
    if (match.added && !again) Warn(added);
    return std::optional<ProductId>(ProductId(*match.id));
  }
  if (!add) {
    if (again) return std::optional<ProductId>();
    Warn("product \"" + sku + "\" is not in the catalogue: the opportunity has no product");
    return std::optional<ProductId>();
  }
  Product p;
  p.sku = sku;
  p.name = !name.empty() ? name : (sku == "IMPORTED" ? std::string("Imported contract") : sku);
  p.family = "Imported";
  p.list_price = Money::FromCents(0);
  ORCHARD_CHECK(WaitForWriter());
  store::Store store(db_);
  ORCHARD_TRY(p, store.Insert(p));
  catalogue_->Add(p.id.value, p.sku, p.name, true);
  Warn(added);
  return std::optional<ProductId>(p.id);
}

// ---- a product catalogue file ------------------------------------------------------------------

namespace {

enum class ProductField { kName, kCode, kSeries, kListPrice };

struct ProductColumn {
  ProductField field;
  MoneyFormat money;
};

std::optional<ProductField> ProductFieldOf(std::string_view name) {
  if (name == "name") return ProductField::kName;
  if (name == "code") return ProductField::kCode;
  if (name == "series") return ProductField::kSeries;
  if (name == "list_price") return ProductField::kListPrice;
  return std::nullopt;
}

// The file's columns by their names: the mapping's, else the usual names.
using ProductMap = std::map<std::string, ProductColumn>;

Result<std::optional<ProductMap>> ParseProductsMap(const std::optional<std::string>& json_text) {
  namespace json = boost::json;
  if (!json_text) return std::optional<ProductMap>();
  auto fail = [](const std::string& why) { return Fail(ErrorCode::kInvalidArgument, why); };
  boost::system::error_code ec;
  json::value doc = json::parse(*json_text, ec);
  const json::value* columns =
      ec || !doc.is_object() ? nullptr : doc.as_object().if_contains("columns");
  if (!columns || !columns->is_object()) {
    return fail("the mapping needs \"columns\": {\"the file's column\": \"name\"}");
  }
  ProductMap map;
  for (const auto& kv : columns->as_object()) {
    std::string column(kv.key());
    std::string target;
    ProductColumn c{ProductField::kName, MoneyFormat{}};
    if (kv.value().is_string()) {
      target = std::string(kv.value().get_string());
    } else if (const json::object* o = kv.value().if_object()) {
      if (const auto* f = o->if_contains("field"); f && f->is_string()) {
        target = std::string(f->get_string());
      }
      if (const auto* m = o->if_contains("money_format"); m && m->is_string()) {
        auto f = MoneyFormat::FromExample(m->get_string());
        if (!f) return fail("column \"" + column + "\": " + f.error().message);
        c.money = *f;
      }
    }
    auto field = ProductFieldOf(target);
    if (!field) {
      return fail("column \"" + column + "\": \"" + target +
                  "\" is not a field of products; they are name, code, series, list_price");
    }
    c.field = *field;
    map[column] = c;
  }
  return std::optional<ProductMap>(std::move(map));
}

std::optional<ProductField> UsualColumn(std::string_view header) {
  std::string f = Folded(header);
  if (f == "name" || f == "product" || f == "productname") return ProductField::kName;
  if (f == "code" || f == "sku" || f == "productcode") return ProductField::kCode;
  if (f == "series" || f == "family" || f == "productfamily") return ProductField::kSeries;
  if (f == "listprice" || f == "price" || f == "unitprice") return ProductField::kListPrice;
  return std::nullopt;
}

// One row of the file, read: a product to upsert, or the reason it is rejected (and its column).
struct ProductRow {
  Product product;
  bool has_price = false, has_series = false;
};

// The rule of each of the file's columns (none: not read), from the mapping or the usual names.
Result<std::vector<std::optional<ProductColumn>>> ProductColumnsOf(
    const std::vector<std::string>& header, const std::optional<ProductMap>& map,
    const std::string& path) {
  std::vector<std::optional<ProductColumn>> columns;
  bool named = false;
  std::string missing;
  std::map<std::string, bool> seen;
  for (const auto& h : header) {
    std::optional<ProductColumn> c;
    if (map) {
      if (auto it = map->find(std::string(Trim(h))); it != map->end()) {
        c = it->second;
        seen[it->first] = true;
      }
    } else if (auto f = UsualColumn(h)) {
      c = ProductColumn{*f, MoneyFormat{}};
    }
    named = named || (c && (c->field == ProductField::kName || c->field == ProductField::kCode));
    columns.push_back(c);
  }
  if (map) {
    for (const auto& [column, c] : *map) {
      if (!seen[column]) missing += (missing.empty() ? "\"" : ", \"") + column + "\"";
    }
  }
  if (!missing.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                path + ": the mapping names " + missing + ", which the file does not have");
  }
  if (!named) {
    return Fail(ErrorCode::kInvalidArgument,
                path +
                    ": a products file needs a name or code column (name, product, code, sku, "
                    "product code), or a mapping naming one");
  }
  return columns;
}

// The rows into the catalogue, in one transaction (a dry run's rolled back): matched by code,
// else (a row without one) by name; each change in the change log, the import audited once.
Status UpsertProducts(store::Database& db, const Clock& clock,
                      std::vector<std::pair<int64_t, ProductRow>>& rows,
                      const ImportOptions& options, ImportSummary& summary, FileSummary& file) {
  store::Store store(db);
  Timestamp now = clock.Now();
  ORCHARD_CHECK(db.Begin());
  Status done = [&]() -> Status {
    std::map<std::string, int64_t> by_sku, by_name;
    ORCHARD_CHECK(db.Query("SELECT id, sku, name FROM products ORDER BY id", {},
                           [&](const store::Row& row) -> Status {
                             ORCHARD_TRY(int64_t id, row.GetInt(0));
                             by_sku.emplace(std::string(row.GetText(1)), id);
                             by_name.emplace(std::string(row.GetText(2)), id);
                             return Ok();
                           }));
    for (auto& [line, r] : rows) {
      std::optional<int64_t> id;
      if (auto it = by_sku.find(r.product.sku); !r.product.sku.empty() && it != by_sku.end()) {
        id = it->second;
      } else if (auto n = by_name.find(r.product.name);
                 r.product.sku.empty() && n != by_name.end()) {
        id = n->second;
      }
      Product after;
      Product before;
      if (id) {
        ORCHARD_TRY(before, store.Get<Product>(ProductId(*id)));
        after = before;
        if (!r.product.name.empty()) after.name = r.product.name;
      } else {
        after = r.product;
        if (after.sku.empty()) after.sku = after.name;
        if (after.name.empty()) after.name = after.sku;
      }
      if (r.has_series) after.family = r.product.family;
      if (r.has_price) after.list_price = r.product.list_price;
      if (auto checked = ValidateFields(after); !checked) {
        ++file.rejected;
        summary.rejections.push_back(Rejection{file.file, line, 0, "", checked.error().message});
        continue;
      }
      if (id && store::ToSqlValues(after) == store::ToSqlValues(before)) {
        ++file.unchanged;
        continue;
      }
      if (id) {
        ORCHARD_CHECK(store.Update(after));
        ++file.updated;
      } else {
        ORCHARD_TRY(after, store.Insert(after));
        by_sku.emplace(after.sku, after.id.value);
        by_name.emplace(after.name, after.id.value);
        ++file.inserted;
      }
      ORCHARD_CHECK(service::RecordChange(db, "products", after.id.value, now, 0));
    }
    summary.files.push_back(file);
    summary.rows = file.rows;
    summary.inserted = file.inserted;
    summary.updated = file.updated;
    summary.unchanged = file.unchanged;
    summary.rejected = file.rejected;
    if (file.inserted + file.updated == 0) return Ok();
    AuditEntry e;  // one for the import, as every import writes (import_rows.cc)
    if (options.actor) e.actor_id = *options.actor;
    e.at = now;
    e.entity = "imports";
    e.action = AuditAction::kCreate;
    ImportSummary brief = summary;
    brief.rejections.clear();
    e.after_json = brief.ToJson();
    ORCHARD_CHECK(store.Insert(e));
    return Ok();
  }();
  if (!done || options.dry_run) {
    (void)db.Rollback();
    return done;
  }
  ORCHARD_CHECK(db.Commit());
  if (!summary.rejections.empty() && !options.report_path.empty()) {
    std::ofstream report(options.report_path, std::ios::out | std::ios::trunc);
    report << "file,line,column,column_name,reason\n";
    for (const auto& r : summary.rejections) {
      report << CsvField(r.file) << ',' << r.line << ',' << r.column << ','
             << CsvField(r.column_name) << ',' << CsvField(r.reason) << '\n';
    }
    if (report) summary.report_path = options.report_path;
  }
  return Ok();
}

}  // namespace

Status CheckProductsMap(const std::optional<std::string>& map_json) {
  ORCHARD_CHECK(ParseProductsMap(map_json));
  return Ok();
}

Result<ImportSummary> ImportProducts(store::Database& db, const Clock& clock,
                                     const std::string& path,
                                     const std::optional<std::string>& map_json,
                                     const ImportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  ORCHARD_TRY(auto map, ParseProductsMap(map_json));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read " + path);
  ImportSummary summary;
  summary.source = options.source;
  summary.dry_run = options.dry_run;
  FileSummary file;
  file.file = path;
  if (!options.hide_dir.empty() && path.starts_with(options.hide_dir + "/")) {
    file.file.erase(0, options.hide_dir.size() + 1);  // an upload's own folder
  }
  file.object = "products";
  CsvReader reader(in, CsvOptions{});
  CsvRecord record;
  CsvProblem problem;
  std::vector<std::string> header;
  std::vector<std::optional<ProductColumn>> columns;
  auto reject = [&](int64_t line, int64_t column, std::string reason) {
    ++file.rejected;
    std::string name = column >= 1 && static_cast<size_t>(column) <= header.size()
                           ? header[static_cast<size_t>(column) - 1]
                           : "";
    if (summary.rejections.size() < ImportSummary::kKeptRejections) {
      summary.rejections.push_back(Rejection{path, line, column, name, std::move(reason)});
    }
  };
  std::vector<std::pair<int64_t, ProductRow>> rows;  // by line
  while (true) {
    ORCHARD_TRY(auto status, reader.Next(&record, &problem));
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kProblem) {
      if (header.empty()) return Fail(ErrorCode::kInvalidArgument, path + ": " + problem.reason);
      ++file.rows;
      reject(problem.line, problem.column, problem.reason);
      continue;
    }
    if (header.empty()) {
      header = record.fields;
      ORCHARD_TRY(columns, ProductColumnsOf(header, map, path));
      continue;
    }
    ++file.rows;
    ProductRow r;
    std::optional<std::pair<int64_t, std::string>> bad;
    for (size_t i = 0; i < record.fields.size() && i < columns.size() && !bad; ++i) {
      if (!columns[i]) continue;
      std::string text(Trim(record.fields[i]));
      switch (columns[i]->field) {
        case ProductField::kName:
          r.product.name = text;
          break;
        case ProductField::kCode:
          r.product.sku = text;
          break;
        case ProductField::kSeries:
          r.product.family = text;
          r.has_series = true;
          break;
        case ProductField::kListPrice: {
          if (text.empty()) break;
          auto m = ParseMoney(text, columns[i]->money);
          if (!m) {
            bad = std::make_pair(static_cast<int64_t>(i + 1), "list_price: " + m.error().message);
            break;
          }
          r.product.list_price = *m;
          r.has_price = true;
          break;
        }
      }
    }
    if (!bad && r.product.sku.empty() && r.product.name.empty()) {
      bad = std::make_pair(int64_t{0}, std::string("a product needs a code or a name"));
    }
    if (bad) {
      reject(record.line, bad->first, bad->second);
      continue;
    }
    rows.emplace_back(record.line, std::move(r));
  }
  if (header.empty()) return Fail(ErrorCode::kInvalidArgument, path + " is empty");
  ORCHARD_CHECK(UpsertProducts(db, clock, rows, options, summary, file));
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace orchard::ingest
