// The CSV export of hand-built traces: header, one row per event, quoting, valid UTF-8.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "trace/csv_export.h"
#include "../common/trace_builder.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

// RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    std::string& field = rows.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else if (c != '\r') {
      field += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

std::vector<std::vector<std::string>> csv(const Trace& trace) {
  std::ostringstream out;
  exportCsv(trace, out);
  return parseCsv(out.str());
}

TEST(CsvExport, HasTheHeaderAndOneRowPerEventExceptStringsAndSites) {
  Trace trace = demoRun().trace();
  auto rows = csv(trace);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"time_us", "thread", "kind", "phase", "iteration", "async_id",
                                               "async_type", "trigger_async_id", "name", "file", "line", "column",
                                               "value", "detail", "internal"}));
  size_t expected = 0;
  for (const Event& ev : trace.events())
    if (ev.kind != EventKind::String && ev.kind != EventKind::FunctionSite) ++expected;
  EXPECT_EQ(rows.size() - 1, expected);
  for (const auto& row : rows) EXPECT_EQ(row.size(), 15u);
}

TEST(CsvExport, RowsCarryPhaseIterationAsyncAndSource) {
  auto rows = csv(demoRun().trace());
  const std::vector<std::string>* timer = nullptr;
  const std::vector<std::string>* main = nullptr;
  const std::vector<std::string>* pool = nullptr;
  for (const auto& row : rows) {
    if (row[2] == "callback-enter" && row[5] == "5") timer = &row;
    if (row[2] == "callback-enter" && row[5] == "1") main = &row;
    if (row[2] == "pool-start") pool = &row;
  }
  ASSERT_NE(timer, nullptr);
  EXPECT_EQ((*timer)[0], "10420.000");
  EXPECT_EQ((*timer)[1], "main");
  EXPECT_EQ((*timer)[3], "timers");
  EXPECT_EQ((*timer)[4], "3");
  EXPECT_EQ((*timer)[6], "Timeout");
  EXPECT_EQ((*timer)[7], "1");
  EXPECT_EQ((*timer)[8], "onTimer");
  EXPECT_EQ((*timer)[9], "/tmp/demo.js");
  EXPECT_EQ((*timer)[10], "2");
  EXPECT_EQ((*timer)[11], "12");
  EXPECT_EQ((*timer)[14], "false") << "the program's own callback";
  ASSERT_NE(main, nullptr);
  EXPECT_EQ((*main)[3], "main");
  EXPECT_EQ((*main)[6], "main");
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ((*pool)[1], "pool 1");
  EXPECT_EQ((*pool)[13], "fs.read");
  EXPECT_EQ((*pool)[5], "7") << "the request behind the job";
}

TEST(CsvExport, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  b.at(10).add(EventKind::Console, {1, b.text("a,b \"c\"\nd\n")});
  std::ostringstream out;
  exportCsv(b.trace(), out);
  EXPECT_NE(out.str().find("\"a,b \"\"c\"\"\nd\""), std::string::npos) << out.str();
  auto rows = parseCsv(out.str());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2][2], "console");
  EXPECT_EQ(rows[2][13], "a,b \"c\"\nd");
}

TEST(CsvExport, ReplacesBytesThatAreNotUtf8SoStrictReadersAcceptTheFile) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  // A lone surrogate written by JavaScript arrives as CESU-8 bytes.
  b.at(10).add(EventKind::Console, {1, b.text("bad \xed\xa0\x80 good \xc3\xa9\n")});
  auto rows = csv(b.trace());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2][13], "bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD good \xc3\xa9");
}

TEST(CsvExport, FlagsNodesOwnCallbacksInTheInternalColumnAndKeepsThem) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  b.add(EventKind::FunctionSite, {1, b.text("afterWriteTick"), b.text("node:internal/streams/writable"), 485, 3});
  b.add(EventKind::FunctionSite, {2, b.text("onTick"), b.text("/tmp/x.js"), 4, 17});
  b.at(10).add(EventKind::TickScheduled, {7, 1, 1});
  b.at(11).add(EventKind::TickScheduled, {8, 1, 2});
  b.at(12).add(EventKind::PhaseEnter, {int64_t(Phase::Poll), 0});
  auto rows = csv(b.trace());
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[2][8], "afterWriteTick");
  EXPECT_EQ(rows[2][14], "true");
  EXPECT_EQ(rows[3][8], "onTick");
  EXPECT_EQ(rows[3][14], "false");
  EXPECT_EQ(rows[4][14], "") << "a phase is about no callback";
}

// ---------------------------------------------------------------------------------------------

}  // namespace
