// An import beside live writes (issue "Trust", item 10): the import hands out ids ahead of
// writing its rows, and a server creating rows in the same tables meanwhile must neither take
// those ids nor make the import fail.
#include <gmock/gmock.h>

#include "ingest/import.h"
#include "security/harness.h"
#include "store/store.h"

namespace orchard::security {
namespace {

using ImportBesideLiveWritesTest = SecurityTest;

TEST_P(ImportBesideLiveWritesTest, BothTheImportAndTheLiveWritesComplete) {
  auto db = store::OpenDatabase(url_);
  ASSERT_TRUE(db) << db.error().message;
  ingest::ImportOptions options;
  options.batch_rows = 10;  // many batches, so live writes land between them
  auto im = ingest::Importer::Start(**db, clock_, options);
  ASSERT_TRUE(im) << im.error().message;
  httplib::Client live = As("admin");
  int live_created = 0;
  auto create_live = [&](const std::string& what, const json::object& body) {
    auto res = live.Post("/api/v1/" + what, json::serialize(body), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    ++live_created;
  };
  constexpr int kAccounts = 120;
  ASSERT_TRUE((*im)->BeginFile("accounts.csv", ingest::ImportObject::kAccounts));
  for (int i = 1; i <= kAccounts; ++i) {
    ingest::ImportRow row;
    row.key = ingest::Ref{ingest::KeySystem::kSalesforce, "acc" + std::to_string(i)};
    row.Set(ingest::Field::kName, "Imported " + std::to_string(i));
    auto added = (*im)->Add(std::move(row));
    ASSERT_TRUE(added) << "row " << i << ": " << added.error().message;
    if (i % 7 == 0) create_live("accounts", {{"name", "Live " + std::to_string(i)}});
  }
  // Contacts link to the accounts imported above, by their keys, across batches.
  ASSERT_TRUE((*im)->BeginFile("contacts.csv", ingest::ImportObject::kContacts));
  for (int i = 1; i <= kAccounts; ++i) {
    ingest::ImportRow row;
    row.key = ingest::Ref{ingest::KeySystem::kSalesforce, "con" + std::to_string(i)};
    row.account = ingest::Ref{ingest::KeySystem::kSalesforce, "acc" + std::to_string(i)};
    row.Set(ingest::Field::kFirstName, "Pat");
    row.Set(ingest::Field::kLastName, std::to_string(i));
    row.Set(ingest::Field::kEmail, "pat" + std::to_string(i) + "@imported.example");
    auto added = (*im)->Add(std::move(row));
    ASSERT_TRUE(added) << "contact " << i << ": " << added.error().message;
    if (i % 9 == 0) {
      create_live("contacts", {{"account_id", ann_account_.value},
                               {"first_name", "Live"},
                               {"last_name", std::to_string(i)},
                               {"email", "live" + std::to_string(i) + "@contoso.example"}});
    }
  }
  auto summary = (*im)->Finish();
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->inserted, 2 * kAccounts);
  EXPECT_EQ(summary->rejected, 0);
  im->reset();

  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE name LIKE 'Imported %'"), kAccounts);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts WHERE name LIKE 'Live %'"), kAccounts / 7);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts WHERE first_name = 'Live'"), kAccounts / 9);
  // Every imported contact hangs from the account imported with its key.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM contacts c JOIN accounts a ON a.id = c.account_id "
                  "WHERE c.first_name = 'Pat' AND a.salesforce_id = 'acc' || c.last_name"),
            kAccounts);
  EXPECT_GT(live_created, 0);
  // Live writes after the import still work, and the ids stay unique.
  create_live("accounts", {{"name", "Live after"}});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 2 + kAccounts + kAccounts / 7 + 1);
}

ORCHARD_SECURITY_SUITE(ImportBesideLiveWritesTest);

}  // namespace
}  // namespace orchard::security
