// The importers on real databases (SQLite and PostgreSQL), with the real exports in
// ../shared/data: Salesforce's lwc-recipes data tree and HubSpot's sample import files, plus
// Bulk API and mapped CSVs written here to cover what those lack.
#include <gtest/gtest.h>

#include <httplib.h>

#include <boost/json.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "ingest/import.h"
#include "ingest/salesforce_export.h"
#include "ingest/sources.h"
#include "store/migrate.h"
#include "store/store.h"
#include "support/process.h"
#include "support/test_database.h"

namespace orchard::ingest {
namespace {

using testing::Backend;
namespace fs = std::filesystem;

// ../shared/data beside the checkout (CI puts it there).
std::string SharedData(const std::string& rest) {
  return std::string(ORCHARD_SOURCE_DIR) + "/../shared/data/" + rest;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

ImportRequest Req(std::string source, std::string path,
                  std::optional<std::string> object = std::nullopt,
                  std::optional<std::string> map = std::nullopt) {
  ImportRequest r;
  r.source = std::move(source);
  r.path = std::move(path);
  r.object = std::move(object);
  r.map_json = std::move(map);
  return r;
}

ImportOptions Opts(bool dry_run, std::string report = "", int batch = 5000) {
  ImportOptions o;
  o.dry_run = dry_run;
  o.report_path = std::move(report);
  o.batch_rows = batch;
  return o;
}

class ImportTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { ORCHARD_OPEN_MIGRATED_TEST_DATABASE(test_db_, GetParam(), false, db_); }

  ImportSummary Import(const ImportRequest& request, ImportOptions options = {}) {
    auto s = RunImport(*db_, clock_, request, std::move(options));
    EXPECT_TRUE(s) << s.error().message;
    return s.value_or(ImportSummary{});
  }

  int64_t Count(const std::string& sql) { return testing::QueryCount(*db_, sql); }

  // The rows of a query as "a|b|c" lines, in its order.
  std::vector<std::string> Rows(const std::string& sql) { return testing::QueryRows(*db_, sql); }

  testing::TestDatabase test_db_;
  std::unique_ptr<store::Database> db_;
  FixedClock clock_{*Timestamp::Parse("2026-06-15 09:00:00")};
  testing::TempDir dir_;
};

TEST_P(ImportTest, SalesforceDataTreeImportsEveryRecordWithItsLinks) {
  std::string folder = SharedData("salesforce/lwc-recipes");
  ImportSummary s = Import(Req("salesforce", folder));
  ASSERT_EQ(s.files.size(), 3u);
  EXPECT_EQ(s.files[0].object, "accounts");
  EXPECT_EQ(s.files[0].inserted, 10);
  EXPECT_EQ(s.files[1].object, "contacts");
  EXPECT_EQ(s.files[1].inserted, 6);
  EXPECT_EQ(s.files[2].object, "opportunities");
  EXPECT_EQ(s.files[2].inserted, 20);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts"), 6);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities"), 20);

  // Every @ref resolved to the account the file names: read the expectation from the files.
  auto accounts = boost::json::parse(ReadFile(folder + "/Accounts.json")).at("records").as_array();
  std::map<std::string, std::string> name_of_ref;
  for (const auto& a : accounts) {
    name_of_ref["@" + std::string(a.at("attributes").at("referenceId").as_string())] =
        std::string(a.at("Name").as_string());
  }
  auto opps = boost::json::parse(ReadFile(folder + "/Opportunities.json")).at("records").as_array();
  std::vector<std::string> expected;
  for (const auto& o : opps) {
    expected.push_back(std::string(o.at("Name").as_string()) + "|" +
                       name_of_ref.at(std::string(o.at("AccountId").as_string())));
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Rows("SELECT o.name, a.name FROM opportunities o JOIN accounts a ON a.id = "
                 "o.account_id ORDER BY o.name, a.name"),
            expected);
  EXPECT_EQ(
      Rows("SELECT c.first_name, c.last_name, a.name FROM contacts c JOIN accounts a ON "
           "a.id = c.account_id WHERE c.last_name IN ('Taylor', 'Jones') ORDER BY 2"),
      (std::vector<std::string>{"Michael|Jones|Madison Investments", "Amy|Taylor|Alpha Dynamics"}));
  // Salesforce's stages in Orchard's: Needs Analysis, Value Proposition, Id. Decision Makers and
  // Perception Analysis are discovery.
  EXPECT_EQ(
      Rows("SELECT stage, COUNT(*) FROM opportunities GROUP BY stage ORDER BY stage"),
      (std::vector<std::string>{"closed_lost|1", "closed_won|2", "discovery|8", "negotiation|2",
                                "proposal|2", "prospecting|2", "qualification|3"}));
  EXPECT_EQ(Rows("SELECT amount_cents, close_date FROM opportunities WHERE name = 'Cloud "
                 "Platform Expansion'"),
            (std::vector<std::string>{"12500000|2025-06-30"}));
  EXPECT_EQ(Count("SELECT employees FROM accounts WHERE name = 'Alpha Dynamics'"), 12345);
  // Fields Orchard has no place for are said, not silently dropped.
  EXPECT_TRUE(s.warnings.contains("Accounts.json: field Phone has no Orchard field; not imported"));

  // The same export again changes nothing: no row, no version, no change-log entry.
  int64_t log = Count("SELECT COUNT(*) FROM change_log");
  ImportSummary again = Import(Req("salesforce", folder + "/data-plan.json"));
  EXPECT_EQ(again.unchanged, 36);
  EXPECT_EQ(again.inserted + again.updated + again.rejected, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log"), log);
  EXPECT_EQ(Count("SELECT MAX(version) FROM opportunities"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'imports'"), 1);
}

TEST_P(ImportTest, SalesforceBulkCsvsLinkWhateverTheirOrder) {
  std::string d = dir_.path() + "/bulk";
  fs::create_directory(d);
  // Given in no useful order: line items, contacts and contracts before the accounts they
  // need; an account whose parent comes later in its file; a contact reporting to a later one.
  WriteFile(d + "/OpportunityLineItem.csv",
            "Id,OpportunityId,ProductCode,Product2.Name,Quantity,UnitPrice,TotalPrice,"
            "ServiceDate\n"
            "00k1,0061,SEATS,Seats,10,1200,12000,2026-02-01\n"
            "00k2,0062,SEATS,Seats,5,1200,,\n"
            "00k3,0061,SUPPORT,Premium support,1,,3000.50,\n");
  WriteFile(d + "/Contact.csv",
            "ID,ACCOUNTID,FirstName,LastName,Email,Title,ReportsToId\n"
            "0031,0012,Ada,Lovelace,ada@example.com,CTO,0032\n"
            "0032,0012,Grace,Hopper,grace@example.com,CEO,\n"
            "0033,0019,Nobody,Here,no@example.com,,\n");
  WriteFile(d + "/Account.csv",
            "Id,Name,Industry,BillingCountry,NumberOfEmployees,ParentId,Type\n"
            "0011,\"Initech, Ltd\",Software,US,120,0012,Customer - Direct\n"
            "0012,Initrode,Software,DE,4500,,Customer - Direct\n");
  WriteFile(d + "/Opportunity.csv",
            "Id,AccountId,Name,Type,StageName,Amount,CloseDate,CreatedDate\n"
            "0061,0011,Initech seats,New Customer,Closed Won,15000.50,2026-01-20,"
            "2025-11-02T10:00:00.000+0000\n"
            "0062,0011,Initech more seats,Existing Customer - Upgrade,Verbal Commit,6000,"
            "2026-09-30,2026-03-01T10:00:00.000+0000\n");
  WriteFile(d + "/Contract.csv",
            "Id,AccountId,StartDate,EndDate,ContractTerm,ARR__c,ProductCode,Status\n"
            "8001,0012,2025-07-01,,12,48000,PLATFORM,Activated\n");
  ImportSummary s = Import(Req("salesforce", d));
  ASSERT_EQ(s.files.size(), 5u);
  EXPECT_EQ(s.files[0].object, "accounts");
  EXPECT_EQ(s.files[1].object, "contacts");
  EXPECT_EQ(s.files[2].object, "opportunities");
  EXPECT_EQ(s.files[3].object, "contract_lines");  // Contract before OpportunityLineItem
  EXPECT_TRUE(s.files[3].file.ends_with("Contract.csv"));
  EXPECT_EQ(s.inserted, 2 + 2 + 2 + 1 + 2);
  EXPECT_EQ(s.skipped, 1);  // the line item of the open opportunity
  ASSERT_EQ(s.rejected, 1);
  EXPECT_EQ(s.rejections[0].line, 4);
  EXPECT_EQ(s.rejections[0].column_name, "ACCOUNTID");
  EXPECT_NE(s.rejections[0].reason.find("account 0019 is not in Orchard"), std::string::npos);

  EXPECT_EQ(Rows("SELECT a.name, p.name FROM accounts a JOIN accounts p ON p.id = a.parent_id"),
            (std::vector<std::string>{"Initech, Ltd|Initrode"}));
  EXPECT_EQ(Rows("SELECT c.first_name, m.first_name FROM contacts c JOIN contacts m ON m.id = "
                 "c.reports_to_id"),
            (std::vector<std::string>{"Ada|Grace"}));
  EXPECT_EQ(Rows("SELECT name, type, stage, amount_cents, created_on FROM opportunities ORDER BY "
                 "salesforce_id"),
            (std::vector<std::string>{"Initech seats|new_business|closed_won|1500050|2025-11-02",
                                      "Initech more seats|upsell|prospecting|600000|2026-03-01"}));
  EXPECT_TRUE(
      s.warnings.contains("stage \"Verbal Commit\" is not a standard value: kept as prospecting"));
  // Contracts: ARR__c, the end from the term; line items of the won opportunity: a year from
  // the service date (or the close date), the total or quantity × price.
  EXPECT_EQ(Rows("SELECT l.salesforce_id, a.name, p.sku, l.arr_cents, l.start_date, l.end_date "
                 "FROM contract_lines l JOIN accounts a ON a.id = l.account_id JOIN products p "
                 "ON p.id = l.product_id ORDER BY l.salesforce_id"),
            (std::vector<std::string>{"00k1|Initech, Ltd|SEATS|1200000|2026-02-01|2027-01-31",
                                      "00k3|Initech, Ltd|SUPPORT|300050|2026-01-20|2027-01-19",
                                      "8001|Initrode|PLATFORM|4800000|2025-07-01|2026-06-30"}));
  EXPECT_EQ(Rows("SELECT name FROM products WHERE sku = 'SUPPORT'"),
            (std::vector<std::string>{"Premium support"}));

  // Again: nothing changes. Then an edited row updates just that row, with a new version.
  ImportSummary again = Import(Req("salesforce", d));
  EXPECT_EQ(again.inserted + again.updated, 0);
  EXPECT_EQ(again.unchanged, 9);
  WriteFile(d + "/Account.csv",
            "Id,Name,Industry,BillingCountry,NumberOfEmployees,ParentId\n"
            "0011,\"Initech, Ltd\",Software,US,150,0012\n"
            "0012,Initrode,Software,DE,4500,\n");
  int64_t before = Count("SELECT version FROM accounts WHERE salesforce_id = '0011'");
  ImportSummary edited = Import(Req("salesforce", d + "/Account.csv"));
  EXPECT_EQ(edited.updated, 1);
  EXPECT_EQ(edited.unchanged, 1);
  int64_t version = Count("SELECT version FROM accounts WHERE salesforce_id = '0011'");
  EXPECT_EQ(version, before + 1);
  ImportSummary edited_again = Import(Req("salesforce", d + "/Account.csv"));
  EXPECT_EQ(edited_again.unchanged, 2);
  EXPECT_EQ(Count("SELECT employees FROM accounts WHERE salesforce_id = '0011'"), 150);
  EXPECT_EQ(Count("SELECT version FROM accounts WHERE salesforce_id = '0011'"), version);
  EXPECT_EQ(Count("SELECT version FROM accounts WHERE salesforce_id = '0012'"), 1);
}

TEST_P(ImportTest, HubspotSampleExportsImportWithTheirAssociations) {
  std::string h = SharedData("hubspot-templates/");
  ImportSummary companies = Import(Req("hubspot", h + "companies.csv", "companies"));
  EXPECT_EQ(companies.inserted, 1);
  ImportSummary contacts = Import(Req("hubspot", h + "contacts_sample_import-1.csv", "contacts"));
  // Three contacts name company 1; the other eight have no company, and Orchard keeps contacts
  // under accounts: each is reported with its line and the association column.
  EXPECT_EQ(contacts.inserted, 3);
  ASSERT_EQ(contacts.rejected, 8);
  std::vector<int64_t> lines;
  for (const auto& r : contacts.rejections) {
    lines.push_back(r.line);
    EXPECT_EQ(r.column, 13);
    EXPECT_EQ(r.column_name, "company_id");
  }
  EXPECT_EQ(lines, (std::vector<int64_t>{3, 5, 7, 8, 9, 10, 11, 12}));
  ImportSummary deals = Import(Req("hubspot", h + "Sample_Deal_Import-1.csv", "deals"));
  EXPECT_EQ(deals.inserted, 1);
  EXPECT_EQ(Rows("SELECT a.name, a.hubspot_id FROM accounts a"),
            (std::vector<std::string>{"HubSpot|1"}));
  EXPECT_EQ(Rows("SELECT c.first_name, c.hubspot_id, a.name FROM contacts c JOIN accounts a ON "
                 "a.id = c.account_id ORDER BY c.id"),
            (std::vector<std::string>{"Leslie|1|HubSpot", "April|3|HubSpot", "Tom|5|HubSpot"}));
  EXPECT_EQ(Rows("SELECT o.name, o.stage, o.type, o.amount_cents, o.close_date, a.name FROM "
                 "opportunities o JOIN accounts a ON a.id = o.account_id"),
            (std::vector<std::string>{
                "Sample Deal Name|qualification|new_business|1000000|2002-01-16|HubSpot"}));
  // The deal file has no deal id: it matches on its name within the company, so a second run
  // changes nothing either.
  ImportSummary again = Import(Req("hubspot", h + "Sample_Deal_Import-1.csv", "deals"));
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities"), 1);
}

TEST_P(ImportTest, MappedCsvReadsFormatsAndReportsEveryRejectedRow) {
  std::string csv = dir_.path() + "/deals.csv";
  // European money and dates, ';' delimited, a picklist in the team's own words, and bad rows.
  WriteFile(csv,
            "Kunde;Deal;Phase;Betrag;Abschluss\r\n"
            "ACME;ACME renewal;Gewonnen;1.234,50 €;31.12.2026\r\n"
            "ACME;ACME upsell;Offen;\"12.000,00 €\";15.01.2027\r\n"
            "ACME;Bad date;Offen;10,00 €;2026-13-01\r\n"
            "ACME;Bad stage;Vielleicht;10,00 €;01.01.2027\r\n"
            "Nobody;Orphan;Offen;10,00 €;01.01.2027\r\n"
            "ACME;\"Line\nbreak\";Verloren;5,00 €;02.01.2027\r\n");
  std::string map = R"({
    "columns": {
      "Kunde": "account.name",
      "Deal": "name",
      "Phase": {"field": "stage", "values": {"Gewonnen": "closed_won", "Offen": "proposal",
                                              "Verloren": "closed_lost"}},
      "Betrag": {"field": "amount", "money_format": "1.234,50"},
      "Abschluss": {"field": "close_date", "date_format": "DD.MM.YYYY"}
    }})";
  Account acme;
  acme.name = "ACME";
  store::Store store(*db_);
  ASSERT_TRUE(store.Insert(acme));
  std::string report = dir_.path() + "/rejected.csv";

  // A dry run checks and reports, and writes nothing.
  ImportSummary dry = Import(Req("csv", csv, "opportunities", map), Opts(true));
  EXPECT_TRUE(dry.dry_run);
  EXPECT_EQ(dry.inserted, 2);
  EXPECT_EQ(dry.rejected, 4);  // the line break read, but a name is one line (domain/limits.h)
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log"), 0);

  ImportSummary s = Import(Req("csv", csv, "opportunities", map), Opts(false, report));
  EXPECT_EQ(s.inserted, 2);
  ASSERT_EQ(s.rejected, 4);
  EXPECT_EQ(Rows("SELECT name, stage, amount_cents, close_date FROM opportunities ORDER BY id"),
            (std::vector<std::string>{"ACME renewal|closed_won|123450|2026-12-31",
                                      "ACME upsell|proposal|1200000|2027-01-15"}));
  // The report is CSV itself: reasons with quotes or commas are quoted.
  EXPECT_EQ(ReadFile(report),
            "file,line,column,column_name,reason\n" + csv +
                ",4,5,Abschluss,\"close_date must be a date like DD.MM.YYYY; got "
                "\"\"2026-13-01\"\"\"\n" +
                csv +
                ",5,3,Phase,\"stage \"\"Vielleicht\"\" is not a known value and the mapping "
                "does not translate it\"\n" +
                csv +
                ",6,1,Kunde,\"account Nobody is not in Orchard: import it first, or fix the "
                "link\"\n" +
                csv + ",7,2,Deal,name: must be one line\n");

  // Twice: nothing changes (the rows match on their name within the account).
  ImportSummary again = Import(Req("csv", csv, "opportunities", map));
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(again.inserted + again.updated, 0);
}

TEST_P(ImportTest, AMappingThatDoesNotFitIsRefusedNamingWhy) {
  std::string csv = dir_.path() + "/a.csv";
  WriteFile(csv, "Name,Size\nA,1\n");
  auto run = [&](const std::string& map) {
    auto s = RunImport(*db_, clock_, Req("csv", csv, "accounts", map), {});
    EXPECT_FALSE(s);
    return s ? std::string() : s.error().message;
  };
  EXPECT_NE(run(R"({"columns": {"Name": "nmae"}})").find("\"nmae\" is not a field of accounts"),
            std::string::npos);
  EXPECT_NE(run(R"({"columns": {"Name": "name", "Employees": "employees"}})")
                .find("the mapping names \"Employees\", which the file does not have; its "
                      "columns are Name, Size"),
            std::string::npos);
  EXPECT_NE(run(R"({"columns": {"Name": "name"}, "delim": ";"})").find("unknown key \"delim\""),
            std::string::npos);
  EXPECT_NE(run("{\"columns\": ").find("not valid JSON"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 0);
}

TEST_P(ImportTest, InvalidUtf8AndBrokenRecordsAreRejectedNotCrashedOn) {
  std::string csv = dir_.path() + "/a.csv";
  WriteFile(csv, "Id,Name\n1,Good\n2,Bad \xC3\x28 name\n3,\"unterminated\n");
  ImportSummary s = Import(
      Req("csv", csv, "accounts", R"({"columns": {"Id": "salesforce_id", "Name": "name"}})"));
  EXPECT_EQ(s.inserted, 1);
  ASSERT_EQ(s.rejected, 2);
  EXPECT_EQ(s.rejections[0].line, 3);
  EXPECT_EQ(s.rejections[0].column, 2);
  EXPECT_EQ(s.rejections[0].column_name, "Name");
  EXPECT_NE(s.rejections[0].reason.find("invalid UTF-8"), std::string::npos);
  EXPECT_EQ(s.rejections[1].line, 4);
  EXPECT_NE(s.rejections[1].reason.find("not closed"), std::string::npos);
}

TEST_P(ImportTest, AnImportStoppedMidwayLeavesWholeBatchesAndARerunCompletesIt) {
  std::string csv = dir_.path() + "/a.csv";
  std::string text = "Id,Name\n";
  for (int i = 1; i <= 25; ++i)
    text += "id" + std::to_string(i) + ",Account " + std::to_string(i) + "\n";
  WriteFile(csv, text);
  auto map = ParseCsvMap(R"({"columns": {"Id": "salesforce_id", "Name": "name"}})",
                         ImportObject::kAccounts);
  ASSERT_TRUE(map);
  {
    // The process dies after two batches of ten and part of a third: no Finish.
    // Into an empty table an import is one transaction (import_first_load_test): here, batch by
    // batch.
    ImportOptions o = Opts(false, "", 10);
    o.first_load = false;
    auto im = Importer::Start(*db_, clock_, o);
    ASSERT_TRUE(im);
    ASSERT_TRUE((*im)->BeginFile(csv, ImportObject::kAccounts));
    for (int i = 1; i <= 25; ++i) {
      ImportRow row;
      row.key = Ref{KeySystem::kSalesforce, "id" + std::to_string(i)};
      row.Set(Field::kName, "Account " + std::to_string(i));
      ASSERT_TRUE((*im)->Add(std::move(row)));
    }
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 20);
  ImportSummary rerun = Import(
      Req("csv", csv, "accounts", R"({"columns": {"Id": "salesforce_id", "Name": "name"}})"));
  EXPECT_EQ(rerun.unchanged, 20);
  EXPECT_EQ(rerun.inserted, 5);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT salesforce_id) FROM accounts"), 25);
}

// Salesforce-compatible files of every object in `db`, written to folder (Account.csv, …).
void ExportAll(store::Database& db, const std::string& folder) {
  fs::create_directories(folder);
  for (ImportObject o : kImportObjects) {
    std::ofstream out(folder + "/" + std::string(SalesforceObjectName(o)) + ".csv",
                      std::ios::binary);
    auto rows = ExportSalesforce(db, o, out);
    ASSERT_TRUE(rows) << rows.error().message;
  }
}

TEST_P(ImportTest, TheSalesforceExportRoundTripsThroughTheImporterUnchanged) {
  // A book from Salesforce, plus rows that began in Orchard (no Salesforce ids), with owners,
  // a parent, a manager, text that needs quoting, and every stage and type.
  ASSERT_EQ(Import(Req("salesforce", SharedData("salesforce/lwc-recipes"))).rejected, 0);
  store::Store store(*db_);
  User amy;
  amy.email = "amy@x.example";
  amy.role = Role::kAm;
  amy.id = store.Insert(amy)->id;
  Account parent;
  parent.name = "Globex \"Holdings\", Inc.";
  parent.owner_id = amy.id;
  parent.employees = 12000;
  parent.industry = "Energy";
  parent = *store.Insert(parent);
  Account child = parent;
  child.id = AccountId();
  child.name = "Globex \"Europe\"; EU, West";  // names are one line (domain/limits.h)
  child.parent_id = parent.id;
  child = *store.Insert(child);
  Contact boss;
  boss.account_id = child.id;
  boss.last_name = "Boss";
  boss = *store.Insert(boss);
  Contact report = boss;
  report.id = ContactId();
  report.first_name = "Re";
  report.last_name = "Port";
  report.email = "re@globex.example";
  report.reports_to_id = boss.id;
  report.relationship_owner_id = amy.id;
  ASSERT_TRUE(store.Insert(report));
  int n = 0;
  for (auto stage :
       {OpportunityStage::kProspecting, OpportunityStage::kQualification,
        OpportunityStage::kDiscovery, OpportunityStage::kProposal, OpportunityStage::kNegotiation,
        OpportunityStage::kClosedWon, OpportunityStage::kClosedLost}) {
    Opportunity o;
    o.account_id = child.id;
    o.name = "Deal " + std::to_string(++n);
    o.stage = stage;
    o.type = static_cast<OpportunityType>(n % 4);
    o.amount = Money::FromCents(n * 100'001 - 5);
    o.created_on = *Date::Parse("2026-01-0" + std::to_string(n));
    o.close_date = *Date::Parse("2026-09-1" + std::to_string(n));
    if (stage == OpportunityStage::kClosedLost) o.lost_reason = "Price, and timing";
    o.owner_id = amy.id;
    ASSERT_TRUE(store.Insert(o));
  }
  Product p;
  p.sku = "ORC-PLAT";
  p = *store.Insert(p);
  ContractLine line;
  line.account_id = parent.id;
  line.product_id = p.id;
  line.arr = Money::FromCents(4'800'050);
  line.start_date = *Date::Parse("2026-01-01");
  line.end_date = *Date::Parse("2026-12-31");
  ASSERT_TRUE(store.Insert(line));
  line.start_date = *Date::Parse("2027-01-01");
  line.end_date.reset();
  ASSERT_TRUE(store.Insert(line));

  std::string first = dir_.path() + "/first";
  ExportAll(*db_, first);
  EXPECT_NE(ReadFile(first + "/Account.csv").find("\"Globex \"\"Holdings\"\", Inc.\""),
            std::string::npos);
  EXPECT_NE(ReadFile(first + "/Opportunity.csv").find("Negotiation/Review"), std::string::npos);

  // Into the same book: nothing changes.
  int64_t log = Count("SELECT COUNT(*) FROM change_log");
  ImportSummary same = Import(Req("salesforce", first));
  EXPECT_EQ(same.rejected, 0);
  EXPECT_EQ(same.inserted + same.updated, 0);
  EXPECT_EQ(same.unchanged, 10 + 2 + 6 + 2 + 20 + 7 + 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_log"), log);

  // Into an empty book (with the same people): the same files come back out, byte for byte.
  testing::TestDatabase other_db;
  ORCHARD_OPEN_TEST_DATABASE(other_db, GetParam(), false);
  auto other = store::OpenDatabase(other_db.url());
  ASSERT_TRUE(other);
  ASSERT_TRUE(store::Migrate(**other));
  User amy_again = amy;
  amy_again.id = UserId();
  ASSERT_TRUE(store::Store(**other).Insert(amy_again));
  auto moved = RunImport(**other, clock_, Req("salesforce", first), {});
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->rejected, 0);
  EXPECT_EQ(moved->inserted, 49);
  std::string second = dir_.path() + "/second";
  ExportAll(**other, second);
  for (ImportObject o : kImportObjects) {
    std::string name = "/" + std::string(SalesforceObjectName(o)) + ".csv";
    EXPECT_EQ(ReadFile(second + name), ReadFile(first + name)) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportTest,
                         ::testing::Values(Backend::kSqliteMemory, Backend::kPostgres),
                         testing::BackendName);

TEST(ImportCliTest, HelpAndUsageErrorsNameWhatIsWrong) {
  auto help = testing::RunOrchard({"import", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* sub : {"salesforce", "hubspot", "csv"}) {
    EXPECT_NE(help.out.find(sub), std::string::npos) << sub;
  }
  auto csv_help = testing::RunOrchard({"import", "csv", "--help"});
  for (const char* flag : {"--object", "--map", "--dry-run", "--report", "--batch", "--db"}) {
    EXPECT_NE(csv_help.out.find(flag), std::string::npos) << flag;
  }
  testing::TempDir dir;
  std::string db = "sqlite:" + dir.path() + "/book.db";
  std::string file = dir.path() + "/f.csv";
  WriteFile(file, "Name\nA\n");
  auto wrong_object =
      testing::RunOrchard({"import", "hubspot", "--db", db, "--object", "tickets", file});
  EXPECT_EQ(wrong_object.exit_code, 2);
  EXPECT_NE(wrong_object.err.find("tickets"), std::string::npos) << wrong_object.err;
  auto no_map = testing::RunOrchard({"import", "csv", "--db", db, "--object", "accounts", "--map",
                                     dir.path() + "/none.json", file});
  EXPECT_EQ(no_map.exit_code, 2);
  EXPECT_NE(no_map.err.find("--map"), std::string::npos) << no_map.err;
  auto missing = testing::RunOrchard({"import", "salesforce", "--db", db, dir.path() + "/nope"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
  // A dry run from the command line writes nothing, and says so in its summary.
  std::string map = dir.path() + "/map.json";
  WriteFile(map, R"({"columns": {"Name": "name"}})");
  auto dry = testing::RunOrchard(
      {"import", "csv", "--db", db, "--object", "accounts", "--map", map, "--dry-run", file});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  auto summary = boost::json::parse(dry.out).as_object();
  EXPECT_EQ(summary.at("dry_run").as_bool(), true);
  EXPECT_EQ(summary.at("inserted").as_int64(), 1);
  auto reader = store::OpenDatabase(db);
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->QueryInt("SELECT COUNT(*) FROM accounts")->value_or(-1), 0);
}

TEST(ImportCliTest, TheSalesforceExportCommandWritesFilesTheImportReadsBackUnchanged) {
  testing::TempDir dir;
  std::string db = "sqlite:" + dir.path() + "/book.db";
  auto imported = testing::RunOrchard(
      {"import", "salesforce", "--db", db, SharedData("salesforce/lwc-recipes")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  std::string out = dir.path() + "/out";
  std::filesystem::create_directory(out);
  for (auto [object, file] : {std::pair{"accounts", "Account"},
                              {"contacts", "Contact"},
                              {"opportunities", "Opportunity"},
                              {"contract_lines", "Contract"}}) {
    auto r = testing::RunOrchard({"export", "--db", db, "--object", object, "--format",
                                  "salesforce", "--out", out + "/" + file + ".csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(ReadFile(out + "/Account.csv").substr(0, 47),
            "Id,Name,ParentId,Industry,BillingCountry,Number");
  // A URL with its option names the same file (it was looked for as "book.db?synchronous=…").
  auto with_option =
      testing::RunOrchard({"export", "--db", db + "?synchronous=normal", "--object", "accounts",
                           "--format", "salesforce", "--out", dir.path() + "/again.csv"});
  EXPECT_EQ(with_option.exit_code, 0) << with_option.err;
  auto again = testing::RunOrchard({"import", "salesforce", "--db", db, out});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto summary = boost::json::parse(again.out).as_object();
  EXPECT_EQ(summary.at("unchanged").as_int64(), 36);
  EXPECT_EQ(summary.at("inserted").as_int64() + summary.at("updated").as_int64(), 0);
  auto wrong = testing::RunOrchard(
      {"export", "--db", db, "--object", "divisions", "--format", "salesforce"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(
      wrong.err.find("accounts, contacts, opportunities, contract_lines, activities, tickets"),
      std::string::npos);
}

// The command as a user runs it: killed mid-import, then run again.
TEST(ImportCliTest, KilledMidImportThenRunAgainCompletesWithoutDuplicates) {
  testing::TempDir dir;
  std::string csv = dir.path() + "/accounts.csv";
  {
    std::ofstream out(csv);
    out << "Id,Name,NumberOfEmployees\n";
    for (int i = 0; i < 300000; ++i)
      out << "001" << i << ",Account " << i << "," << i % 5000 << "\n";
  }
  std::string db = "sqlite:" + dir.path() + "/book.db";
  ASSERT_EQ(testing::RunOrchard({"migrate", "--db", db}).exit_code, 0);
  {
    testing::BackgroundProcess import({"import", "salesforce", "--db", db, "--batch", "2000", csv});
    // Kill it once some batches are in, without a chance to clean up.
    auto reader = store::OpenDatabase(db);
    ASSERT_TRUE(reader);
    for (int i = 0; i < 400; ++i) {
      auto n = (*reader)->QueryInt("SELECT COUNT(*) FROM accounts");
      if (n && n->value_or(0) > 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    import.Stop(SIGKILL, 5000);
  }
  auto reader = store::OpenDatabase(db);
  ASSERT_TRUE(reader);
  auto partial = (*reader)->QueryInt("SELECT COUNT(*) FROM accounts");
  ASSERT_TRUE(partial);
  // The kill landed mid-run: some batches in, not all of them.
  ASSERT_GT(partial->value_or(0), 0) << "the import had written nothing when it was killed";
  ASSERT_LT(partial->value_or(0), 300000) << "the import had finished before it was killed";
  EXPECT_EQ(partial->value_or(0) % 2000, 0) << "only whole batches are ever written";
  auto done = testing::RunOrchard({"import", "salesforce", "--db", db, csv});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  auto summary = boost::json::parse(done.out).as_object();
  EXPECT_EQ(summary.at("rows").as_int64(), 300000);
  EXPECT_EQ(summary.at("unchanged").as_int64(), partial->value_or(0));
  EXPECT_EQ(summary.at("inserted").as_int64(), 300000 - partial->value_or(0));
  EXPECT_EQ((*reader)->QueryInt("SELECT COUNT(DISTINCT salesforce_id) FROM accounts")->value_or(0),
            300000);
  auto check = (*reader)->Query("PRAGMA integrity_check", {}, [](const store::Row& r) -> Status {
    EXPECT_EQ(r.GetText(0), "ok");
    return Ok();
  });
  EXPECT_TRUE(check);
}

}  // namespace
}  // namespace orchard::ingest

namespace orchard::ingest {
namespace {

int PortFrom(const std::string& line) {
  auto at = line.find("http://127.0.0.1:");
  return at == std::string::npos ? 0 : std::atoi(line.c_str() + at + 17);
}

// The API as the web UI uses it: an admin posts a file, follows the job to its end, downloads
// the rejected rows; the server's book shows the imported accounts; others may not import.
TEST(ImportApiTest, AnUploadedFileImportsInTheBackgroundWithProgressAndReport) {
  testing::TempDir dir;
  std::string db = "sqlite:" + dir.path() + "/book.db";
  for (auto [email, role] : {std::pair{"admin@x.example", "admin"}, {"amy@x.example", "am"}}) {
    auto added = testing::RunOrchard(
        {"user", "add", "--db", db, "--email", email, "--role", role, "--create"}, {},
        "a long enough secret\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
  }
  testing::BackgroundProcess server(
      {"serve", "--db", db, "--listen", "127.0.0.1:0", "--no-access-log"});
  std::string line = server.WaitForLine("serving", 30'000);
  ASSERT_FALSE(line.empty()) << server.ReadStderr();
  httplib::Client client("127.0.0.1", PortFrom(line));
  auto session = [&](const std::string& email) {
    auto login = client.Post("/api/v1/auth/login",
                             R"({"email":")" + email + R"(","password":"a long enough secret"})",
                             "application/json");
    EXPECT_TRUE(login && login->status == 200);
    std::string cookie = login->get_header_value("Set-Cookie");
    return httplib::Headers{
        {"Cookie", cookie.substr(0, cookie.find(';'))},
        {"X-CSRF-Token",
         std::string(boost::json::parse(login->body).at("csrf_token").as_string())}};
  };
  httplib::Headers admin = session("admin@x.example");
  std::string companies = ReadFile(SharedData("hubspot-templates/companies.csv"));
  std::string contacts = ReadFile(SharedData("hubspot-templates/contacts_sample_import-1.csv"));

  // Only admins import.
  auto refused = client.Post("/api/v1/imports?source=hubspot&object=companies",
                             session("amy@x.example"), companies, "text/csv");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  // A request that cannot work is refused at once, naming the parameter.
  auto bad =
      client.Post("/api/v1/imports?source=hubspot&object=tickets", admin, companies, "text/csv");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("companies, contacts or deals"), std::string::npos);

  auto wait = [&](const std::string& location) {
    boost::json::object job;
    for (int i = 0; i < 300; ++i) {
      auto res = client.Get(location, admin);
      EXPECT_TRUE(res && res->status == 200);
      job = boost::json::parse(res->body).as_object();
      if (job.at("status") != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return job;
  };
  auto started = client.Post("/api/v1/imports?source=hubspot&object=companies&file_name=c.csv",
                             admin, companies, "text/csv");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  auto job = wait(started->get_header_value("Location"));
  ASSERT_EQ(job.at("status"), "done") << boost::json::serialize(job);
  EXPECT_EQ(job.at("summary").at("inserted").as_int64(), 1);
  EXPECT_EQ(job.at("progress").at("rows").as_int64(), 1);

  // The JSON envelope works too; the rejected rows come back as CSV, named by the upload.
  boost::json::object envelope{{"source", "hubspot"},
                               {"object", "contacts"},
                               {"file_name", "contacts.csv"},
                               {"content", contacts}};
  started =
      client.Post("/api/v1/imports", admin, boost::json::serialize(envelope), "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  job = wait(started->get_header_value("Location"));
  ASSERT_EQ(job.at("status"), "done") << boost::json::serialize(job);
  EXPECT_EQ(job.at("summary").at("inserted").as_int64(), 3);
  EXPECT_EQ(job.at("summary").at("rejected").as_int64(), 8);
  auto report = client.Get(std::string(job.at("rejected_url").as_string()), admin);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(report->body.substr(0, report->body.find('\n', 40) + 1),
            "file,line,column,column_name,reason\n"
            "contacts.csv,3,13,company_id,no account: Orchard keeps contacts under accounts\n");

  // A mapping that does not fit the file fails the job, naming the column and the upload.
  started = client.Post("/api/v1/imports?source=csv&object=accounts&file_name=c.csv&map=" +
                            httplib::detail::encode_query_param(R"({"columns": {"Nme": "name"}})"),
                        admin, companies, "text/csv");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  job = wait(started->get_header_value("Location"));
  EXPECT_EQ(job.at("status"), "failed");
  EXPECT_TRUE(std::string(job.at("error").as_string())
                  .starts_with("c.csv: the mapping names \"Nme\", which the file does not have"))
      << job.at("error");

  // The server's book follows the import: the company has a health answer within seconds.
  auto dbh = store::OpenDatabase(db);
  ASSERT_TRUE(dbh);
  auto id = (*dbh)->QueryInt("SELECT id FROM accounts WHERE hubspot_id = '1'");
  ASSERT_TRUE(id && *id);
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    auto res = client.Get("/api/v1/accounts/" + std::to_string(**id) + "/health", admin);
    status = res ? res->status : 0;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 200);
}

}  // namespace
}  // namespace orchard::ingest
