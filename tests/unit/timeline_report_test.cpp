// The terminal reports of hand-built traces: `timeline` (iterations, phases, callbacks) and `info`.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "trace/report.h"
#include "../common/text_lines.h"
#include "../common/trace_builder.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

std::string timeline(const Trace& trace, TimelineOptions opts = {}) {
  std::ostringstream out;
  printTimeline(trace, out, opts);
  return out.str();
}

size_t indentOf(const std::string& line) {
  // Lines are "<time right-aligned in 10>  <indent><text>".
  size_t k = 12;
  while (k < line.size() && line[k] == ' ') ++k;
  return k - 12;
}

TEST(Timeline, ListsIterationsPhasesAndCallbacksInTheOrderTheyRan) {
  std::string text = timeline(demoRun().trace());
  auto all = lines(text);
  std::vector<std::string_view> expected = {
      "run start: /tmp/demo.js",
      "main (before the event loop)",
      "main script demo.js",
      "> hello \"world\"",
      "TickObject later demo.js:3:18",
      "iteration 1",
      "poll",
      "fs.read done (pool #1",
      "FSREQCALLBACK onRead demo.js:4:30 (asyncId 7)",
      "> read done",
      "iteration 2",
      "blocked 9.000 ms",
      "iteration 3",
      "timers",
      "Timeout onTimer demo.js:2:12 (asyncId 5)",
      "gc scavenge",
      "run end: exit code 0 (finished)",
  };
  int at = 0;
  for (std::string_view needle : expected) {
    int found = findLine(all, needle, at);
    ASSERT_GE(found, 0) << "missing or out of order: " << needle << "\n" << text;
    at = found + 1;
  }
  EXPECT_NE(text.find("  10.420  "), std::string::npos) << "times are ms since the run started, with 3 decimals\n"
                                                        << text;
  int timer = findLine(all, "Timeout onTimer");
  EXPECT_NE(all[size_t(timer)].find("0.180 ms"), std::string::npos) << "callback duration";
}

TEST(Timeline, NestsConsoleOutputUnderTheCallbackAndCallbacksUnderTheirPhase) {
  auto all = lines(timeline(demoRun().trace()));
  int iteration = findLine(all, "iteration 3");
  int timers = findLine(all, "timers", iteration);
  int timer = findLine(all, "Timeout onTimer", timers);
  int read = findLine(all, "FSREQCALLBACK onRead");
  int output = findLine(all, "> read done");
  ASSERT_GE(iteration, 0);
  ASSERT_GE(timers, 0);
  ASSERT_GE(timer, 0);
  ASSERT_GE(read, 0);
  ASSERT_GE(output, 0);
  EXPECT_LT(indentOf(all[size_t(iteration)]), indentOf(all[size_t(timers)]));
  EXPECT_LT(indentOf(all[size_t(timers)]), indentOf(all[size_t(timer)]));
  EXPECT_LT(indentOf(all[size_t(read)]), indentOf(all[size_t(output)]));
  EXPECT_EQ(all[size_t(output)].substr(12 + indentOf(all[size_t(output)])), "> read done")
      << "the trailing newline is trimmed";
}

TEST(Timeline, SkipsPhasesWhereNothingRanUnlessAllPhasesAreAsked) {
  auto quiet = lines(timeline(demoRun().trace()));
  EXPECT_EQ(findLine(quiet, "idle"), -1);
  EXPECT_EQ(findLine(quiet, "prepare"), -1);
  EXPECT_EQ(findLine(quiet, "check"), -1);
  int poll2 = findLine(quiet, "poll", findLine(quiet, "iteration 2"));
  ASSERT_GE(poll2, 0) << "a poll that blocked more than 1 ms is shown even with no callback";
  EXPECT_NE(quiet[size_t(poll2)].find("timeout 9 ms"), std::string::npos) << quiet[size_t(poll2)];
  int poll3 = findLine(quiet, "poll", findLine(quiet, "iteration 3"));
  EXPECT_EQ(poll3, -1) << "a poll that did not block is not";

  TimelineOptions all;
  all.allPhases = true;
  auto full = lines(timeline(demoRun().trace(), all));
  EXPECT_GE(findLine(full, "idle"), 0);
  EXPECT_GE(findLine(full, "prepare"), 0);
  EXPECT_GE(findLine(full, "check"), 0);
  EXPECT_GE(findLine(full, "pending (after poll)"), 0);
  EXPECT_GE(findLine(full, "poll", findLine(full, "iteration 3")), 0);
  EXPECT_GT(full.size(), quiet.size());
}

TEST(Timeline, StopsAfterMaxLinesAndSaysHowManyWereLeftOut) {
  auto whole = lines(timeline(demoRun().trace()));
  size_t total = whole.size();
  TimelineOptions opts;
  opts.maxLines = 5;
  auto cut = lines(timeline(demoRun().trace(), opts));
  ASSERT_EQ(cut.size(), 6u);
  EXPECT_EQ(cut.back(), "\u2026 " + std::to_string(total - 5) + " more lines");
  EXPECT_EQ(std::vector<std::string>(cut.begin(), cut.begin() + 5),
            std::vector<std::string>(whole.begin(), whole.begin() + 5));
}

TEST(Timeline, ShowsPoolCompletionsGcAndUncaughtErrorsCompactly) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/x.js"), 0});
  b.at(10).add(EventKind::CallbackEnter, {1});
  b.at(20).add(EventKind::GcBegin, {GcMarkSweepCompact});
  b.at(2020).add(EventKind::GcEnd, {GcMarkSweepCompact, 1, 2, 3, 4, 5});
  b.at(3000).add(EventKind::UncaughtError, {b.text("boom"), b.text("/tmp/x.js"), 3, 7, b.text("TypeError")});
  b.at(3010).add(EventKind::CallbackExit, {1});
  b.at(3100).add(EventKind::RunEnd, {1, int64_t(EndReason::ProcessExit), 0});
  auto all = lines(timeline(b.trace()));
  int gc = findLine(all, "gc mark-sweep-compact  2.000 ms");
  ASSERT_GE(gc, 0);
  EXPECT_GE(findLine(all, "uncaught TypeError: boom (at x.js:3:7)", gc), 0);
  EXPECT_GE(findLine(all, "run end: exit code 1 (process-exit)"), 0);
}

TEST(Timeline, SaysWhenTheRunWasCutShort) {
  auto all = lines(timeline(demoRun(false).trace()));
  ASSERT_FALSE(all.empty());
  EXPECT_NE(all.back().find("run end: missing (the run was cut short)"), std::string::npos);
}

std::string info(const TraceFile& file) {
  std::ostringstream out;
  printInfo(file, out);
  return out.str();
}

TEST(Info, CountsEveryEventIncludingStringRecords) {
  TraceFile file;
  TraceBuilder b = demoRun();
  file.trace = b.trace();
  file.bytes = b.file().size();
  std::string text = info(file);
  auto all = lines(text);
  int events = findLine(all, "events: ");
  ASSERT_GE(events, 0) << text;
  EXPECT_EQ(all[size_t(events)], "events: " + std::to_string(b.size()));
  EXPECT_NE(text.find("loop iterations: 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("callbacks: 4\n"), std::string::npos) << text;
  EXPECT_GE(findLine(all, "callback-enter"), 0) << "one line per kind";
  EXPECT_GE(findLine(all, "file size: " + std::to_string(file.bytes) + " bytes"), 0) << text;
}

TEST(Info, PrintsVersionsPoolSizePidAndHowTheRunEnded) {
  TraceFile file;
  file.trace = demoRun().trace();
  std::string text = info(file);
  EXPECT_NE(text.find("node.version: 18.20.4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("file: /tmp/demo.js\n"), std::string::npos) << text;
  EXPECT_NE(text.find("thread-pool size: 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("pid: 4242\n"), std::string::npos) << text;
  EXPECT_NE(text.find("exit code: 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("end reason: finished\n"), std::string::npos) << text;
  EXPECT_NE(text.find("duration: 11.000 ms"), std::string::npos) << text;
}

TEST(Info, SaysTheRunEndIsMissingWhenTheRunWasCutShort) {
  TraceFile file;
  file.trace = demoRun(false).trace();
  std::string text = info(file);
  EXPECT_NE(text.find("run end: missing (the run was cut short)"), std::string::npos) << text;
}

// ---------------------------------------------------------------------------------------------

}  // namespace

namespace {

TEST(Timeline, CallbacksThatNeverExitDoNotMakeTheOutputQuadratic) {
  // A damaged trace: 20,000 callback enters with no exits. Indenting each line by its depth
  // would print 20,000 * 20,000 spaces (400 MB); the listing stays linear in the trace.
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, 0, 0});
  for (int64_t id = 2; id < 20002; ++id) b.add(EventKind::CallbackEnter, {id});
  std::ostringstream out;
  printTimeline(b.trace(), out);
  std::string text = out.str();
  EXPECT_LT(text.size(), size_t(20002) * 200) << "bytes per line stay bounded";
  EXPECT_NE(text.find("[depth 20000]"), std::string::npos) << "the depth is still told";
}

}  // namespace
