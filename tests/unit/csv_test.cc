// The CSV reader on the inputs real exports bring: RFC 4180 quoting, line breaks inside quotes,
// CRLF, a byte order mark, other delimiters, invalid UTF-8 and broken rows — each broken row
// reported with its line and column, and the rows after it still read.
#include "ingest/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace orchard::ingest {
namespace {

struct Read {
  std::vector<CsvRecord> records;
  std::vector<CsvProblem> problems;
  char delimiter = 0;
};

Read ReadAll(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  Read out;
  out.delimiter = reader.delimiter();
  for (;;) {
    CsvRecord record;
    CsvProblem problem;
    auto status = reader.Next(&record, &problem);
    EXPECT_TRUE(status);
    if (!status || *status == CsvReader::Status::kEnd) break;
    if (*status == CsvReader::Status::kRecord) {
      out.records.push_back(record);
    } else {
      out.problems.push_back(problem);
    }
  }
  return out;
}

using Fields = std::vector<std::string>;

TEST(CsvReaderTest, QuotedFieldsHoldDelimitersQuotesAndLineBreaks) {
  auto r = ReadAll(
      "Id,Name,Description\r\n"
      "001,\"Acme, Inc.\",\"Said \"\"hello\"\"\"\r\n"
      "002,Globex,\"two\r\nlines\"\r\n"
      "003,,\"\"\r\n");
  ASSERT_TRUE(r.problems.empty());
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_EQ(r.records[1].fields, (Fields{"001", "Acme, Inc.", "Said \"hello\""}));
  EXPECT_EQ(r.records[2].fields, (Fields{"002", "Globex", "two\r\nlines"}));
  EXPECT_EQ(r.records[3].fields, (Fields{"003", "", ""}));
  // Record 4 starts on line 5: record 3's quoted line break counts.
  EXPECT_EQ(r.records[3].line, 5);
  EXPECT_EQ(r.records[3].number, 4);
}

// An import's progress and its estimate of the rows a file holds come from the bytes of the
// records read, not of the 64 KB reads ahead of them.
TEST(CsvReaderTest, BytesReadAreThoseOfTheRecordsRead) {
  std::string text = "Id,Name\n";
  for (int i = 0; i < 20000; ++i) text += std::to_string(100000 + i) + ",Account\n";
  std::istringstream in(text);
  CsvReader reader(in, {});
  CsvRecord record;
  CsvProblem problem;
  auto status = reader.Next(&record, &problem);  // the header
  ASSERT_TRUE(status && *status == CsvReader::Status::kRecord);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(reader.Next(&record, &problem));
  EXPECT_EQ(reader.bytes_read(), 8 + 1000 * 15);
  while (*reader.Next(&record, &problem) != CsvReader::Status::kEnd) {
  }
  EXPECT_EQ(reader.bytes_read(), static_cast<int64_t>(text.size()));
}

TEST(CsvReaderTest, LineEndsOfEveryKindAByteOrderMarkAndBlankLines) {
  auto r = ReadAll("\xEF\xBB\xBFName,City\nA,Paris\rB,Oslo\r\n\r\nC,Rome");
  ASSERT_TRUE(r.problems.empty());
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_EQ(r.records[0].fields, (Fields{"Name", "City"})) << "the BOM is not part of the name";
  EXPECT_EQ(r.records[2].fields, (Fields{"B", "Oslo"}));
  EXPECT_EQ(r.records[3].fields, (Fields{"C", "Rome"})) << "no line end after the last record";
  EXPECT_EQ(r.records[3].line, 5);
}

TEST(CsvReaderTest, TheDelimiterIsSniffedOrGiven) {
  EXPECT_EQ(ReadAll("Name;Amount;Date\nA;1.234,50;01.02.2026\n").delimiter, ';');
  auto semi = ReadAll("Name;Amount\nA;\"1,5\"\n");
  EXPECT_EQ(semi.records[1].fields, (Fields{"A", "1,5"}));
  auto tab = ReadAll("Name\tCity\tNote\nA\tParis\tx, y\n");
  EXPECT_EQ(tab.delimiter, '\t');
  EXPECT_EQ(tab.records[1].fields, (Fields{"A", "Paris", "x, y"}));
  EXPECT_EQ(ReadAll("Name\n\"a;b,c\"\n").delimiter, ',') << "inside quotes does not count";
  CsvOptions given;
  given.delimiter = '|';
  EXPECT_EQ(ReadAll("a|b,c\n", given).records[0].fields, (Fields{"a", "b,c"}));
}

TEST(CsvReaderTest, ABrokenRecordIsReportedWhereItIsAndTheNextOnesAreRead) {
  auto r = ReadAll(
      "Id,Name\n"
      "1,Acme\n"
      "2,Glo\"bex\n"
      "3,\"Initech\"x\n"
      "4,\xC3\x28\n"
      "5,Umbrella\n"
      "6,\"never closed\n"
      "7,Hooli\n");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[1].fields, (Fields{"1", "Acme"}));
  EXPECT_EQ(r.records[2].fields, (Fields{"5", "Umbrella"}));
  ASSERT_EQ(r.problems.size(), 4u);
  EXPECT_EQ(r.problems[0].line, 3);
  EXPECT_EQ(r.problems[0].column, 2);
  EXPECT_NE(r.problems[0].reason.find("a quote inside a field"), std::string::npos);
  EXPECT_EQ(r.problems[1].line, 4);
  EXPECT_NE(r.problems[1].reason.find("text after a closing quote"), std::string::npos);
  EXPECT_EQ(r.problems[2].line, 5);
  EXPECT_EQ(r.problems[2].column, 2);
  EXPECT_NE(r.problems[2].reason.find("invalid UTF-8 at byte 1"), std::string::npos);
  // The open quote swallows the rest of the input: one problem, named by the line its record
  // starts on.
  EXPECT_NE(r.problems[3].reason.find("not closed before the end"), std::string::npos);
  EXPECT_EQ(r.problems[3].line, 7);
}

TEST(CsvReaderTest, LimitsKeepMemoryBounded) {
  CsvOptions small;
  small.max_field_bytes = 8;
  small.max_fields = 3;
  auto r = ReadAll("a,b\n123456789,x\na,b,c,d\nok,fine\n", small);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].fields, (Fields{"ok", "fine"}));
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_NE(r.problems[0].reason.find("longer than 8 bytes"), std::string::npos);
  EXPECT_EQ(r.problems[1].column, 4);
}

// A field is read in runs of bytes, not byte by byte: the limit holds at a run's end exactly,
// quoted or not.
TEST(CsvReaderTest, TheFieldLimitHoldsToTheByte) {
  CsvOptions small;
  small.max_field_bytes = 8;
  auto r = ReadAll("a,b\n12345678,\"1234\"\"567\"\n\"123456789\",x\nok,\"a\nb\"\n", small);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[1].fields, (Fields{"12345678", "1234\"567"}));
  EXPECT_EQ(r.records[2].fields, (Fields{"ok", "a\nb"}));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].reason.find("longer than 8 bytes"), std::string::npos);
  EXPECT_EQ(r.problems[0].line, 3);
}

TEST(CsvReaderTest, StreamsPastItsBuffer) {
  // 20,000 records (about 600 kB, nine times the buffer), a quoted line break in each.
  std::string text = "Id,Note\n";
  for (int i = 0; i < 20000; ++i) text += std::to_string(i) + ",\"line one\nline two\"\n";
  auto r = ReadAll(text);
  ASSERT_TRUE(r.problems.empty());
  ASSERT_EQ(r.records.size(), 20001u);
  EXPECT_EQ(r.records.back().fields, (Fields{"19999", "line one\nline two"}));
  EXPECT_EQ(r.records.back().line, 2 + 2 * 19999);
}

TEST(CsvReaderTest, Utf8IsCheckedByTheRules) {
  EXPECT_FALSE(FirstInvalidUtf8("plain ascii"));
  EXPECT_FALSE(FirstInvalidUtf8("1.234,50 \xE2\x82\xAC, Zürich, 東京, \xF0\x9F\x8D\x8E"));
  EXPECT_EQ(FirstInvalidUtf8("ab\x80"), 2u);            // a lone continuation byte
  EXPECT_EQ(FirstInvalidUtf8("\xC0\xAF"), 0u);          // an overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("x\xED\xA0\x80"), 1u);     // a UTF-16 surrogate
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("ok\xE2\x82"), 2u);        // cut short
}

}  // namespace
}  // namespace orchard::ingest
