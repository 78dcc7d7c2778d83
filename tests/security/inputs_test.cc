// Input the service refuses (issue "Trust", items 5 and 6) and stored data it still reads: money
// out of bounds (|cents| ≤ 10^15), text with control characters, blank names and text past each
// field's limit (domain/limits.h), required dates missing — each a 422 naming the field, through
// the API and the importer alike — and contract lines of 2^62 cents planted by SQL, which every
// read of the book survives without a 500 or a negative ARR.
#include <gmock/gmock.h>

#include <chrono>
#include <thread>

#include "engine/dashboard_table.h"
#include "security/harness.h"

namespace orchard::security {
namespace {

using InputsTest = SecurityTest;
using ::testing::HasSubstr;

std::string Id(int64_t id) { return std::to_string(id); }

// Every member named *_cents anywhere in `v`, with where it was found.
void CollectCents(const json::value& v, const std::string& path,
                  std::vector<std::pair<std::string, int64_t>>& out) {
  if (v.is_object()) {
    for (const auto& [k, member] : v.as_object()) {
      std::string here = path + "." + std::string(k);
      if (std::string_view(k).ends_with("_cents") && member.is_int64()) {
        out.emplace_back(here, member.as_int64());
      }
      CollectCents(member, here, out);
    }
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.as_array().size(); ++i) {
      CollectCents(v.as_array()[i], path + "[" + std::to_string(i) + "]", out);
    }
  }
}

TEST_P(InputsTest, MoneyPastTheBoundIsRefusedNamingTheField) {
  const int64_t lines = Count("SELECT COUNT(*) FROM contract_lines");
  auto post_line = [&](int64_t cents) {
    json::object body{{"product_id", product_.value},
                      {"arr_cents", cents},
                      {"start_date", "2026-01-01"},
                      {"end_date", "2026-12-31"}};
    return As("ann").Post("/api/v1/accounts/" + Id(ann_account_.value) + "/contract-lines",
                          json::serialize(body), "application/json");
  };
  auto huge = post_line(int64_t{1} << 62);
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 422) << huge->body;
  EXPECT_EQ(ErrorField(huge), "arr_cents");
  EXPECT_THAT(huge->body, HasSubstr("10^15"));
  auto just_over = post_line(1'000'000'000'000'001);
  ASSERT_TRUE(just_over);
  EXPECT_EQ(just_over->status, 422) << just_over->body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM contract_lines"), lines);
  auto at_bound = post_line(1'000'000'000'000'000);
  ASSERT_TRUE(at_bound);
  EXPECT_EQ(at_bound->status, 201) << at_bound->body;

  json::object opp{{"name", "Big"},
                   {"amount_cents", int64_t{1} << 62},
                   {"created_on", "2026-06-01"},
                   {"close_date", "2026-09-30"},
                   {"type", "upsell"},
                   {"stage", "prospecting"}};
  auto big_opp = As("ann").Post("/api/v1/accounts/" + Id(ann_account_.value) + "/opportunities",
                                json::serialize(opp), "application/json");
  ASSERT_TRUE(big_opp);
  EXPECT_EQ(big_opp->status, 422) << big_opp->body;
  EXPECT_EQ(ErrorField(big_opp), "amount_cents");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities"), 0);

  json::object price{{"list_price_cents", -(int64_t{1} << 62)}};
  auto bad_price = As("admin").Patch("/api/v1/products/" + Id(product_.value),
                                     json::serialize(price), "application/json");
  ASSERT_TRUE(bad_price);
  EXPECT_EQ(bad_price->status, 422) << bad_price->body;
  EXPECT_EQ(ErrorField(bad_price), "list_price_cents");
  EXPECT_EQ(Count("SELECT list_price_cents FROM products"), 10'000);

  json::object cell{{"division_id", ann_division_.value},
                    {"product_id", product_.value},
                    {"status", "open"},
                    {"potential_cents", int64_t{1} << 62}};
  auto big_cell = As("ann").Post("/api/v1/plans/" + Id(ann_plan_.value) + "/whitespace-cells",
                                 json::serialize(cell), "application/json");
  ASSERT_TRUE(big_cell);
  EXPECT_EQ(big_cell->status, 422) << big_cell->body;
  EXPECT_EQ(ErrorField(big_cell), "potential_cents");
}

// Lines a bug or another tool stored past the bound: every read of the book still answers, and
// no ARR or total comes out negative.
TEST_P(InputsTest, StoredHugeAmountsStillRead) {
  std::string sql;
  for (AccountId account : {ann_account_, bob_account_}) {
    for (int i = 0; i < 3; ++i) {
      sql +=
          "INSERT INTO contract_lines (account_id, product_id, arr_cents, start_date, "
          "end_date) VALUES (" +
          Id(account.value) + ", " + Id(product_.value) + ", 4611686018427387904, " +
          "'2025-01-01', '2026-12-31');\n";
    }
  }
  sql +=
      "INSERT INTO whitespace_cells (plan_id, division_id, product_id, status, "
      "potential_cents, potential_source, adoption_bp) VALUES (" +
      Id(ann_plan_.value) + ", " + Id(ann_division_.value) + ", " + Id(product_.value) +
      ", 'open', 4611686018427387904, 'entered', 0);\n";
  for (int i = 0; i < 3; ++i) {
    sql +=
        "INSERT INTO opportunities (account_id, name, type, stage, amount_cents, created_on, "
        "close_date, version) VALUES (" +
        Id(ann_account_.value) + ", 'Huge " + std::to_string(i) +
        "', 'upsell', 'prospecting', 4611686018427387904, '2026-06-01', '2026-09-30', 1);\n";
  }
  Exec(sql);
  Restart();

  auto check = [&](const std::string& path) -> json::value {
    SCOPED_TRACE(path);
    auto res = As("ann").Get(path);
    EXPECT_TRUE(res);
    if (!res) return nullptr;
    EXPECT_EQ(res->status, 200) << res->body.substr(0, 500);
    std::vector<std::pair<std::string, int64_t>> cents;
    CollectCents(Json(res), "", cents);
    for (const auto& [where, value] : cents) EXPECT_GE(value, 0) << where;
    return Json(res);
  };
  auto list = check("/api/v1/accounts");
  ASSERT_TRUE(list.is_object());
  EXPECT_EQ(list.at("items").as_array().size(), 2u);
  check("/api/v1/accounts?sort=-name");
  check("/api/v1/accounts?tier=1");
  check("/api/v1/accounts/" + Id(ann_account_.value));
  check("/api/v1/accounts/" + Id(ann_account_.value) + "/health");
  check("/api/v1/plans/" + Id(ann_plan_.value) + "/whitespace");
  check("/api/v1/metrics/retention");
  check("/api/v1/metrics/retention?group_by=am");
  for (const engine::DashboardEntry& entry : engine::DashboardTable()) {
    check("/api/v1/dashboards/" + std::string(entry.name));
  }
  auto kpis = check("/api/v1/dashboards/kpis");
  const json::value* strip = kpis.is_object() ? kpis.as_object().if_contains("kpis") : nullptr;
  ASSERT_TRUE(strip != nullptr && strip->is_object());
  EXPECT_GT(strip->at("book_arr_cents").as_int64(), 0);
}

TEST_P(InputsTest, TextIsRefusedForControlCharactersBlankNamesAndLength) {
  auto patch = [&](json::object body) {
    body["version"] = 1;
    return As("ann").Patch("/api/v1/accounts/" + Id(ann_account_.value), json::serialize(body),
                           "application/json");
  };
  for (std::string bad :
       {std::string("Con\0toso", 8), std::string("Con\ttoso"), std::string("Contoso\nGroup"),
        std::string("   "), std::string(""), std::string(201, 'x'), std::string(5000, 'x')}) {
    SCOPED_TRACE(bad.size());
    auto res = patch({{"name", bad}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << res->body;
    EXPECT_EQ(ErrorField(res), "name");
  }
  // Bytes that are not UTF-8 cannot be read as JSON at all: 400 (domain/limits.h refuses them
  // where they can arrive, as in an import).
  auto not_utf8 = patch({{"name", "Bad \xff UTF-8"}});
  ASSERT_TRUE(not_utf8);
  EXPECT_EQ(not_utf8->status, 400) << not_utf8->body;
  EXPECT_EQ(Count("SELECT version FROM accounts WHERE id = " + Id(ann_account_.value)), 1);
  // Two hundred characters are fine, counted as characters (ä is two bytes).
  std::string longest;
  for (int i = 0; i < 200; ++i) longest += "ä";
  auto ok = patch({{"name", longest}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;

  // Multi-line text keeps its newlines and tabs; a single-line field of the same row does not.
  auto activity = [&](const std::string& subject, const std::string& body) {
    json::object a{{"kind", "meeting"},
                   {"occurred_at", "2026-06-10T10:00:00Z"},
                   {"subject", subject},
                   {"body", body}};
    return As("ann").Post("/api/v1/accounts/" + Id(ann_account_.value) + "/activities",
                          json::serialize(a), "application/json");
  };
  auto multi = activity("QBR", "Agenda:\n\t1. Renewal\r\n\t2. Expansion");
  ASSERT_TRUE(multi);
  EXPECT_EQ(multi->status, 201) << multi->body;
  auto nul = activity("QBR", std::string("Agenda\0", 7));
  ASSERT_TRUE(nul);
  EXPECT_EQ(nul->status, 422) << nul->body;
  EXPECT_EQ(ErrorField(nul), "body");
  auto subject = activity("QBR\nnotes", "fine");
  ASSERT_TRUE(subject);
  EXPECT_EQ(subject->status, 422) << subject->body;
  EXPECT_EQ(ErrorField(subject), "subject");
  auto long_body = activity("QBR", std::string(100'001, 'x'));
  ASSERT_TRUE(long_body);
  EXPECT_EQ(long_body->status, 422) << long_body->body;
  EXPECT_EQ(ErrorField(long_body), "body");
  EXPECT_THAT(long_body->body, HasSubstr("100000"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM activities"), 1);

  // Other entities take the same table: a contact's e-mail, a division's blank name.
  json::object contact{{"first_name", "Dana"}, {"email", std::string(321, 'd') + "@x.example"}};
  auto c = As("ann").Post("/api/v1/accounts/" + Id(ann_account_.value) + "/contacts",
                          json::serialize(contact), "application/json");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, 422) << c->body;
  EXPECT_EQ(ErrorField(c), "email");
  json::object division{{"name", " \t "}};
  auto d = As("ann").Post("/api/v1/accounts/" + Id(ann_account_.value) + "/divisions",
                          json::serialize(division), "application/json");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, 422) << d->body;
  EXPECT_EQ(ErrorField(d), "name");
}

TEST_P(InputsTest, RequiredDatesAreRequired) {
  auto post = [&](json::object body) {
    return As("ann").Post("/api/v1/accounts/" + Id(ann_account_.value) + "/opportunities",
                          json::serialize(body), "application/json");
  };
  // A closed deal needs its close date; an open one may have none yet (issue 21).
  auto no_close =
      post({{"name", "Renewal"}, {"created_on", "2026-06-01"}, {"stage", "closed_won"}});
  ASSERT_TRUE(no_close);
  EXPECT_EQ(no_close->status, 422) << no_close->body;
  EXPECT_EQ(ErrorField(no_close), "close_date");
  auto no_created = post({{"name", "Renewal"}, {"close_date", "2026-09-30"}});
  ASSERT_TRUE(no_created);
  EXPECT_EQ(no_created->status, 422) << no_created->body;
  EXPECT_EQ(ErrorField(no_created), "created_on");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities"), 0);
  auto both =
      post({{"name", "Renewal"}, {"created_on", "2026-06-01"}, {"close_date", "2026-09-30"}});
  ASSERT_TRUE(both);
  EXPECT_EQ(both->status, 201) << both->body;
  auto open = post({{"name", "Open, no date yet"}, {"created_on", "2026-06-01"}});
  ASSERT_TRUE(open);
  EXPECT_EQ(open->status, 201) << open->body;
  EXPECT_TRUE(json::parse(open->body).at("close_date").is_null()) << open->body;

  json::object nps{{"score", 9}};
  auto n = As("ann").Post("/api/v1/accounts/" + Id(ann_account_.value) + "/nps-responses",
                          json::serialize(nps), "application/json");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->status, 422) << n->body;
  EXPECT_EQ(ErrorField(n), "responded_on");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM opportunities WHERE created_on < '1971-01-01' OR "
                  "close_date < '1971-01-01'"),
            0);
}

// The importer applies the same table: a rejected row names the column, the others go in.
TEST_P(InputsTest, TheImporterRejectsTheSameTextNamingTheColumn) {
  std::string csv = "Company,Sector\n";
  csv += "Good Co,Retail\n";
  csv += "\"Bad\x01 Co\",Retail\n";
  csv += "Long Co," + std::string(150, 's') + "\n";
  csv += std::string(201, 'n') + ",Retail\n";
  json::object envelope{
      {"source", "csv"},
      {"object", "accounts"},
      {"file_name", "accounts.csv"},
      {"map", json::object{{"columns", json::object{{"Company", "name"}, {"Sector", "industry"}}}}},
      {"content", csv}};
  auto started = As("admin").Post("/api/v1/imports", json::serialize(envelope), "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  json::object job;
  for (int i = 0; i < 500; ++i) {
    auto res = As("admin").Get(started->get_header_value("Location"));
    ASSERT_TRUE(res && res->status == 200);
    job = json::parse(res->body).as_object();
    if (job.at("status") != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(job.at("status"), "done") << json::serialize(job);
  EXPECT_EQ(job.at("summary").at("inserted").as_int64(), 1) << json::serialize(job);
  const auto& rejected = job.at("summary").at("rejected_rows").as_array();
  ASSERT_EQ(rejected.size(), 3u) << json::serialize(job);
  EXPECT_EQ(rejected[0].at("column_name"), "Company");
  EXPECT_EQ(rejected[1].at("column_name"), "Sector");
  EXPECT_EQ(rejected[2].at("column_name"), "Company");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts"), 3);
}

ORCHARD_SECURITY_SUITE(InputsTest);

}  // namespace
}  // namespace orchard::security
