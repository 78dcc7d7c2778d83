// What a user sees when an import checks and explains itself, on SQLite and PostgreSQL: money
// read as cents (and a column that looks 100x off), a wrong picklist target refused with the
// mapping, `orchard import csv --help`, warnings counting their rows and the picklist values
// read by a guess, the create date of deals without one, and products by code, name and near
// miss.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include "ingest/import.h"
#include "ingest/sources.h"
#include "store/migrate.h"
#include "store/store.h"
#include "support/process.h"
#include "support/test_database.h"

namespace orchard::ingest {
namespace {

using testing::Backend;
namespace fs = std::filesystem;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

ImportRequest Csv(std::string object, std::string path, std::optional<std::string> map) {
  ImportRequest r;
  r.source = "csv";
  r.object = std::move(object);
  r.path = std::move(path);
  r.map_json = std::move(map);
  return r;
}

// A file's modification time set to noon of a day.
void Touch(const std::string& path, const std::string& day) {
  auto at = std::chrono::sys_seconds(
      std::chrono::seconds(Timestamp::At(*Date::Parse(day), 12).unix_seconds()));
  fs::last_write_time(path, std::chrono::file_clock::from_sys(at));
}

class ImportCheckTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ORCHARD_OPEN_MIGRATED_TEST_DATABASE(test_db_, GetParam(), false, db_);
    std::string accounts = dir_.path() + "/accounts.csv";
    WriteFile(accounts, "Name\nAcme\nGlobex\n");
    Import(Csv("accounts", accounts, R"({"columns": {"Name": "name"}})"));
  }

  ImportSummary Import(const ImportRequest& request, ImportOptions options = {}) {
    auto s = RunImport(*db_, clock_, request, std::move(options));
    EXPECT_TRUE(s) << s.error().message;
    return s.value_or(ImportSummary{});
  }

  std::vector<std::string> Rows(const std::string& sql) { return testing::QueryRows(*db_, sql); }

  // The warnings of a summary that mention `part`, with their row counts.
  static std::map<std::string, int64_t> Warnings(const ImportSummary& s, const std::string& part) {
    std::map<std::string, int64_t> out;
    for (const auto& [message, rows] : s.warnings) {
      if (message.find(part) != std::string::npos) out[message] = rows;
    }
    return out;
  }

  std::string Path(const std::string& name) { return dir_.path() + "/" + name; }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::Database> db_;
  FixedClock clock_{*Timestamp::Parse("2026-06-15 09:00:00")};
  testing::TempDir dir_;
};

constexpr const char* kDealsMap = R"({"columns": {
  "Account": "account.name", "Deal": "name", "Close": "close_date", "Stage": "stage",
  "amount_cents": {"field": "amount", "money_format": "cents"}}})";

TEST_P(ImportCheckTest, CentsAreStoredAsCentsAndAColumnThatLooks100xOffIsCountedByRow) {
  std::string deals = Path("deals.csv");
  WriteFile(deals,
            "Account,Deal,Close,Stage,amount_cents\n"
            "Acme,Renewal 2026,2026-03-01,closed_won,123450\n"
            "Globex,Expansion,2026-04-01,closed_won,\"1,000,000\"\n");
  ImportSummary s = Import(Csv("opportunities", deals, kDealsMap));
  EXPECT_EQ(s.inserted, 2);
  EXPECT_EQ(Rows("SELECT name, amount_cents FROM opportunities ORDER BY name"),
            (std::vector<std::string>{"Expansion|1000000", "Renewal 2026|123450"}));
  EXPECT_TRUE(Warnings(s, "cents").empty());

  // Cents with decimals are not cents: the row is rejected, saying so.
  WriteFile(deals, "Account,Deal,Close,Stage,amount_cents\nAcme,Odd,2026-03-01,closed_won,12.5\n");
  s = Import(Csv("opportunities", deals, kDealsMap));
  ASSERT_EQ(s.rejections.size(), 1u);
  EXPECT_EQ(s.rejections[0].reason, "amount: \"12.5\" is not a whole number of cents");

  // The same column mapped without the format: stored as read, and every row is counted.
  std::string arr = Path("arr.csv");
  WriteFile(arr,
            "Account,Deal,Close,arr_cents\n"
            "Acme,A,2026-03-01,5000000\nAcme,B,2026-03-01,7000000\nGlobex,C,2026-03-01,\n"
            "Globex,D,2026-03-01,100\n");
  s = Import(Csv("opportunities", arr,
                 R"({"columns": {"Account": "account.name", "Deal": "name",
                     "Close": "close_date", "arr_cents": "amount"}})"));
  EXPECT_EQ(s.inserted, 4);
  EXPECT_EQ(Warnings(s, "cents"),
            (std::map<std::string, int64_t>{
                {"column \"arr_cents\" is named in cents but mapped to amount without "
                 "\"money_format\": \"cents\": its values were read as whole currency units, "
                 "100x too much",
                 3}}));

  // A column not named so, whose values are implausible for one deal: those rows counted.
  std::string big = Path("big.csv");
  WriteFile(big,
            "Account,Deal,Close,Value\n"
            "Acme,E,2026-03-01,25000000\nAcme,F,2026-03-01,48000\nGlobex,G,2026-03-01,"
            "10000000.00\n");
  s = Import(Csv("opportunities", big,
                 R"({"columns": {"Account": "account.name", "Deal": "name",
                     "Close": "close_date", "Value": "amount"}})"));
  EXPECT_EQ(Warnings(s, "10,000,000"),
            (std::map<std::string, int64_t>{
                {"column \"Value\": amount of 10,000,000 or more in one row; if the column is "
                 "in cents, map it with \"money_format\": \"cents\"",
                 2}}));
}

TEST_P(ImportCheckTest, AWrongPicklistTargetIsOneErrorBeforeAnyRow) {
  std::string deals = Path("many.csv");
  std::string text = "Account,Deal,Close,Phase\n";
  for (int i = 0; i < 500; ++i) {
    text += "Acme,Deal " + std::to_string(i) + ",2026-03-01," + (i % 2 ? "Won" : "Offen") + "\n";
  }
  WriteFile(deals, text);
  std::string map = R"({"columns": {"Account": "account.name", "Deal": "name",
      "Close": "close_date",
      "Phase": {"field": "stage", "values": {"Won": "won", "Offen": "open", "Lost": "closed_lost"}}}})";
  auto s = RunImport(*db_, clock_, Csv("opportunities", deals, map), {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message,
            "map: column \"Phase\": the values table maps \"Offen\": \"open\", \"Won\": \"won\", "
            "which stage does not take; stage takes prospecting, qualification, discovery, "
            "proposal, negotiation, closed_won, closed_lost");
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM opportunities"), std::vector<std::string>{"0"});
  // The request check (the API's, before an upload is stored) says the same.
  EXPECT_FALSE(CheckImportRequest(Csv("opportunities", deals, map)));

  // Every picklist is checked so: a contact's stance too.
  auto contacts =
      RunImport(*db_, clock_,
                Csv("contacts", deals,
                    R"({"columns": {"Phase": {"field": "stance", "values": {"Fan": "fan"}}}})"),
                {});
  ASSERT_FALSE(contacts);
  EXPECT_EQ(contacts.error().message,
            "map: column \"Phase\": the values table maps \"Fan\": \"fan\", which stance does "
            "not take; stance takes champion, supporter, neutral, detractor, blocker");
}

TEST_P(ImportCheckTest, PicklistValuesReadByAGuessAreReportedWithTheirRows) {
  std::string deals = Path("guess.csv");
  WriteFile(deals,
            "Account,Deal,Close,Stage\n"
            "Acme,A,2026-03-01,Closed/Won\nAcme,B,2026-03-01,Closed/Won\n"
            "Acme,C,2026-03-01,Closed/Won\nAcme,D,2026-03-01,closed won\n"
            "Acme,E,2026-03-01,closed won\nAcme,F,2026-03-01,Closed Won\n"
            "Acme,G,2026-03-01,closed_lost\nAcme,H,2026-03-01,Prospecting\n");
  ImportSummary s = Import(Csv("opportunities", deals,
                               R"({"columns": {"Account": "account.name", "Deal": "name",
                                   "Close": "close_date", "Stage": "stage"}})"));
  EXPECT_EQ(s.inserted, 8);
  EXPECT_EQ(
      Warnings(s, "guess"),
      (std::map<std::string, int64_t>{
          {"stage \"Closed/Won\" was read as closed_won (a guess: case, spaces and punctuation "
           "ignored)",
           3},
          {"stage \"closed won\" was read as closed_won (a guess: case, spaces and punctuation "
           "ignored)",
           2}}));
  EXPECT_EQ(Rows("SELECT stage, COUNT(*) FROM opportunities GROUP BY stage ORDER BY stage"),
            (std::vector<std::string>{"closed_lost|1", "closed_won|6", "prospecting|1"}));

  // A values table's keys in another case, and a contact's stance spelt as a label.
  std::string contacts = Path("contacts.csv");
  WriteFile(contacts,
            "Account,Email,Haltung\nAcme,a@acme.test,FAN\nAcme,b@acme.test,Fan\n"
            "Acme,c@acme.test,Detractor\n");
  s = Import(Csv("contacts", contacts,
                 R"({"columns": {"Account": "account.name", "Email": "email",
                     "Haltung": {"field": "stance", "values": {"Fan": "champion"}}}})"));
  EXPECT_EQ(s.inserted, 2);
  EXPECT_EQ(Warnings(s, "guess"),
            (std::map<std::string, int64_t>{
                {"stance \"FAN\" was read as champion (a guess: case, spaces and punctuation "
                 "ignored)",
                 1}}));
  EXPECT_EQ(s.rejected, 1);  // "Detractor" is not in the table, which is strict
  WriteFile(contacts, "Account,Email,Stance\nAcme,d@acme.test,Detractor\n");
  s = Import(Csv("contacts", contacts,
                 R"({"columns": {"Account": "account.name", "Email": "email",
                     "Stance": "stance"}})"));
  EXPECT_EQ(Warnings(s, "guess"),
            (std::map<std::string, int64_t>{
                {"stance \"Detractor\" was read as detractor (a guess: case, spaces and "
                 "punctuation ignored)",
                 1}}));
  EXPECT_EQ(Rows("SELECT stance FROM contacts WHERE email = 'd@acme.test'"),
            std::vector<std::string>{"detractor"});
}

TEST_P(ImportCheckTest, ADealWithoutACreateDateTakesItsCloseDateOrTheFilesDate) {
  std::string deals = Path("dates.csv");
  WriteFile(deals,
            "Account,Deal,Close,Created\n"
            "Acme,Won last year,2025-06-30,\nAcme,Closes later,2026-12-31,\n"
            "Acme,Has one,2026-12-31,2026-01-05\n");
  Touch(deals, "2026-02-10");
  std::string map = R"({"columns": {"Account": "account.name", "Deal": "name",
      "Close": "close_date", "Created": "created_on"}})";
  std::string no_created = R"({"columns": {"Account": "account.name", "Deal": "name",
      "Close": "close_date"}})";
  Import(Csv("opportunities", deals, map));
  EXPECT_EQ(Rows("SELECT name, created_on FROM opportunities ORDER BY name"),
            (std::vector<std::string>{"Closes later|2026-02-10", "Has one|2026-01-05",
                                      "Won last year|2025-06-30"}));

  // --as-of (ImportOptions::as_of) stands for the file's date.
  std::string more = Path("more.csv");
  WriteFile(more, "Account,Deal,Close\nGlobex,Open one,2027-01-31\n");
  ImportOptions options;
  options.as_of = *Date::Parse("2026-05-01");
  Import(Csv("opportunities", more, no_created), options);
  EXPECT_EQ(Rows("SELECT created_on FROM opportunities WHERE name = 'Open one'"),
            std::vector<std::string>{"2026-05-01"});
}

TEST_P(ImportCheckTest, ProductsImportAndLinkByCodeNameAndFoldedName) {
  std::string catalogue = Path("products.csv");
  WriteFile(catalogue,
            "Product Name,Product Code,Series,List Price\n"
            "GTX Pro,GTX-PRO,GTX,\"1,200.00\"\nGTX Basic,GTX-BASIC,GTX,$400\n"
            "Widget,,Other,10\n,,Other,5\n");
  ImportSummary s = Import(Csv("products", catalogue, std::nullopt));
  EXPECT_EQ(s.inserted, 3);
  ASSERT_EQ(s.rejections.size(), 1u);
  EXPECT_EQ(s.rejections[0].reason, "a product needs a code or a name");
  EXPECT_EQ(Rows("SELECT sku, name, family, list_price_cents FROM products ORDER BY sku"),
            (std::vector<std::string>{"GTX-BASIC|GTX Basic|GTX|40000", "GTX-PRO|GTX Pro|GTX|120000",
                                      "Widget|Widget|Other|1000"}));
  // Again: nothing changes; a new price updates the one product.
  s = Import(Csv("products", catalogue, std::nullopt));
  EXPECT_EQ(s.unchanged, 3);
  WriteFile(catalogue, "code,price\nGTX-PRO,1300\n");
  s = Import(Csv("products", catalogue, std::nullopt));
  EXPECT_EQ(s.updated, 1);
  EXPECT_EQ(Rows("SELECT list_price_cents FROM products WHERE sku = 'GTX-PRO'"),
            std::vector<std::string>{"130000"});

  // Opportunities link by code, by name, by a name that folds to one product; a near miss is
  // named, not linked.
  std::string deals = Path("deals.csv");
  WriteFile(deals,
            "Account,Deal,Close,Product\n"
            "Acme,A,2026-03-01,GTX-PRO\nAcme,B,2026-03-01,GTX Basic\nAcme,C,2026-03-01,GTXPro\n"
            "Acme,D,2026-03-01,GTXPro\nAcme,E,2026-03-01,GTX Bsic\n");
  s = Import(Csv("opportunities", deals,
                 R"({"columns": {"Account": "account.name", "Deal": "name",
                     "Close": "close_date", "Product": "product"}})"));
  EXPECT_EQ(s.inserted, 5);
  EXPECT_EQ(
      Rows("SELECT o.name, COALESCE(p.sku, '-') FROM opportunities o LEFT JOIN products p "
           "ON p.id = o.product_id ORDER BY o.name"),
      (std::vector<std::string>{"A|GTX-PRO", "B|GTX-BASIC", "C|GTX-PRO", "D|GTX-PRO", "E|-"}));
  EXPECT_EQ(
      Warnings(s, "product"),
      (std::map<std::string, int64_t>{
          {"product \"GTXPro\" is not in the catalogue as written: linked to \"GTX Pro\" "
           "(GTX-PRO), the same ignoring case, spaces and punctuation",
           2},
          {"product \"GTX Bsic\" is not in the catalogue; the likely match is \"GTX Basic\" "
           "(GTX-BASIC) (not linked: it differs by more than case and punctuation)",
           1},
          {"product \"GTX Bsic\" is not in the catalogue: the opportunity has no product", 1}}));

  // Contract lines: a folded name links; an unknown product is added once, and the warning
  // counts every row that uses it.
  std::string lines = Path("lines.csv");
  WriteFile(
      lines,
      "Account,Product,ARR,Start\nAcme,gtx pro,100,2026-01-01\n"
      "Acme,Basic,200,2026-01-01\nGlobex,Basic,300,2026-01-01\nGlobex,Basic,300,2026-02-01\n");
  s = Import(Csv("contract_lines", lines,
                 R"({"columns": {"Account": "account.name", "Product": "product",
                     "ARR": "arr", "Start": "start_date"}})"));
  EXPECT_EQ(s.inserted, 4);
  EXPECT_EQ(Warnings(s, "added"),
            (std::map<std::string, int64_t>{
                {"product Basic was not in the catalogue: added, with no list price", 3}}));
  EXPECT_EQ(Rows("SELECT p.sku, COUNT(*) FROM contract_lines l JOIN products p ON p.id = "
                 "l.product_id GROUP BY p.sku ORDER BY p.sku"),
            (std::vector<std::string>{"Basic|3", "GTX-PRO|1"}));
}

TEST_P(ImportCheckTest, SalesforceProduct2FilesAreTheCatalogueTheContractsLinkTo) {
  std::string folder = Path("sf");
  fs::create_directories(folder);
  WriteFile(folder + "/Product2.csv",
            "Id,Name,ProductCode,Family,IsActive\n01t1,GTX Pro,GTX-PRO,GTX,true\n"
            "01t2,GTX Basic,GTX-BASIC,GTX,true\n");
  WriteFile(folder + "/Account.csv", "Id,Name\n001A,Initech\n");
  WriteFile(folder + "/Contract.csv",
            "Id,AccountId,StartDate,EndDate,ARR__c,ProductCode\n"
            "800A,001A,2026-01-01,2026-12-31,12000,GTX-PRO\n");
  ImportSummary s = Import([&] {
    ImportRequest r;
    r.source = "salesforce";
    r.path = folder;
    return r;
  }());
  ASSERT_EQ(s.files.size(), 3u);
  EXPECT_EQ(s.files[0].object, "products");
  EXPECT_EQ(s.files[0].inserted, 2);
  EXPECT_EQ(s.files[1].object, "accounts");
  EXPECT_EQ(s.files[1].inserted, 1);
  EXPECT_TRUE(Warnings(s, "added").empty());
  EXPECT_EQ(Rows("SELECT a.name, p.name, p.family, l.arr_cents FROM contract_lines l "
                 "JOIN accounts a ON a.id = l.account_id JOIN products p ON p.id = l.product_id"),
            std::vector<std::string>{"Initech|GTX Pro|GTX|1200000"});
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportCheckTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kPostgres),
                         testing::BackendName);

TEST(ImportCheckCliTest, CsvHelpListsEveryFieldAndThePicklistValues) {
  auto help = testing::RunOrchard({"import", "csv", "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  for (const char* line :
       {"accounts: name, industry, region, employees, owner, lifecycle_stage, strategic",
        "contacts: first_name, last_name, email, title, owner, buying_role, stance, influence, "
        "status",
        "opportunities: name, type, stage, amount, close_date, created_on, owner, lost_reason, "
        "product",
        "contract_lines: product, product_name, arr, start_date, end_date",
        "products: name, code, series, list_price",
        "stage: prospecting, qualification, discovery, proposal, negotiation, closed_won, "
        "closed_lost",
        "stance: champion, supporter, neutral, detractor, blocker",
        "lifecycle_stage: onboarding, adopting, expanding, renewing, at_risk, churned",
        "status: active, departed", "tier_override: 1, 2, 3", "growth_potential: high, medium, low",
        "users: name, email, external_id, manager", "account.external_id",
        "1234,50, cents (whole cents)", "natural key"}) {
    EXPECT_NE(help.out.find(line), std::string::npos) << line << "\n" << help.out;
  }
}

TEST(ImportCheckCliTest, ProductsFileAndAsOfFromTheCommandLine) {
  testing::TempDir dir;
  std::string db = "sqlite:" + dir.path() + "/book.db";
  std::string products = dir.path() + "/products.csv";
  WriteFile(products, "name,code,series,list price\nGTX Pro,GTX-PRO,GTX,1200\n");
  auto run = testing::RunOrchard({"import", "csv", "--object", "products", "--db", db, products});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto summary = boost::json::parse(run.out).as_object();
  EXPECT_EQ(summary.at("inserted").as_int64(), 1);
  EXPECT_EQ(summary.at("files").as_array()[0].at("object").as_string(), "products");

  // --as-of: the create date of a deal without one that closes later.
  std::string accounts = dir.path() + "/accounts.csv", deals = dir.path() + "/deals.csv";
  std::string accounts_map = dir.path() + "/accounts.json", deals_map = dir.path() + "/deals.json";
  WriteFile(accounts, "Name\nAcme\n");
  WriteFile(accounts_map, R"({"columns": {"Name": "name"}})");
  WriteFile(deals, "Account,Deal,Close\nAcme,Open one,2027-01-31\n");
  WriteFile(deals_map,
            R"({"columns": {"Account": "account.name", "Deal": "name", "Close": "close_date"}})");
  ASSERT_EQ(testing::RunOrchard({"import", "csv", "--object", "accounts", "--map", accounts_map,
                                 "--db", db, accounts})
                .exit_code,
            0);
  run = testing::RunOrchard({"import", "csv", "--object", "opportunities", "--map", deals_map,
                             "--as-of", "2026-05-01", "--db", db, deals});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto book = store::OpenDatabase(db);
  ASSERT_TRUE(book);
  store::SqlValue name[] = {std::string("Open one")};
  std::string created;
  ASSERT_TRUE((*book)->Query("SELECT created_on FROM opportunities WHERE name = ?", name,
                             [&](const store::Row& r) -> Status {
                               created = std::string(r.GetText(0));
                               return Ok();
                             }));
  EXPECT_EQ(created, "2026-05-01");

  auto bad = testing::RunOrchard({"import", "csv", "--object", "opportunities", "--db", db,
                                  "--as-of", "2026-13-01", products});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--as-of"), std::string::npos) << bad.err;
  auto no_map =
      testing::RunOrchard({"import", "csv", "--object", "opportunities", "--db", db, products});
  EXPECT_NE(no_map.exit_code, 0);
  EXPECT_NE(no_map.err.find("a CSV import needs a mapping file"), std::string::npos) << no_map.err;
}

}  // namespace
}  // namespace orchard::ingest
