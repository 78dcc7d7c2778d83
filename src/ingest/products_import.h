// Products in imports: the catalogue that contract lines and opportunities link to by code or
// name (with near misses reported), and a product catalogue file imported on its own
// (`orchard import csv --object products`: name, code, series, list price).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "ingest/import.h"
#include "store/database.h"

namespace orchard::ingest {

// What a product code or name found in the catalogue.
struct ProductMatch {
  std::optional<int64_t> id;  // linked: by code or name, or by the one folded match
  bool added = false;         // a product this import added to the catalogue
  std::string note;           // a guess or a near miss, for the summary (empty: exact or none)
};

// The products by code (SKU) and name. A text that is neither is linked to the one product whose
// code or name folds to the same (case, spaces and punctuation ignored: "GTXPro" → "GTX Pro"),
// and said so; else, when one product's folded name is within two edits, named as the likely
// match but not linked.
class ProductCatalogue {
 public:
  Status Load(store::Database& db);
  void Add(int64_t id, const std::string& sku, const std::string& name, bool added);
  ProductMatch Find(std::string_view text);
  // The row last looked up, as (file number, line): a row is looked up twice (its natural key,
  // then its fields) and its warnings are said once.
  std::pair<size_t, int64_t> last_row{0, -1};

 private:
  struct Entry {
    int64_t id;
    std::string sku, name, folded_sku, folded_name;
    bool added;
  };
  std::vector<Entry> entries_;
  std::unordered_map<std::string, size_t> by_sku_, by_name_;
  std::unordered_map<std::string, ProductMatch> memo_;  // by text: a file names few products
};

// `orchard import csv --object products FILE [--map M]`: upserts products by code, else by name.
// Without a mapping, columns named name/product, code/sku/product code, series/family/product
// family and list price/price/unit price are read. A mapping's columns name those fields
// ("name", "code", "series", "list_price", with a money_format).
Result<ImportSummary> ImportProducts(store::Database& db, const Clock& clock,
                                     const std::string& path,
                                     const std::optional<std::string>& map_json,
                                     const ImportOptions& options);
// The mapping checked alone (for the API's request check).
Status CheckProductsMap(const std::optional<std::string>& map_json);

}  // namespace orchard::ingest
