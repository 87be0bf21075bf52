// Bad input gets one clear sentence and a non-zero exit, never an abort or a hang, and what was
// recorded so far stays readable.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness.h"
#include "trace/trace_format.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {
int countLines(const std::string& text, const std::string& prefix) {
  int n = 0;
  for (size_t pos = 0; (pos = text.find(prefix, pos)) != std::string::npos; pos += prefix.size()) ++n;
  return n;
}
}  // namespace

TEST(BadInput, MissingFileSaysSoInOneLine) {
  EngineRun run = runEngine({"run", "/nonexistent/dir/missing.js"});
  EXPECT_NE(run.exitCode, 0);
  EXPECT_LT(run.exitCode, 128) << "no crash";
  EXPECT_NE(run.err.find("missing.js"), std::string::npos);
  EXPECT_NE(run.err.find("no such file"), std::string::npos);
  EXPECT_EQ(countLines(run.err, "\n"), 1) << run.err;
}

TEST(BadInput, UnknownOptionAndBadValuesAreRejectedWithAReason) {
  EngineRun unknown = runEngine({"run", "--frobnicate", snippet("seed_order.js")});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_NE(unknown.err.find("unknown option '--frobnicate'"), std::string::npos) << unknown.err;
  EngineRun badPool = runEngine({"run", "--threadpool-size", "zero", snippet("seed_order.js")});
  EXPECT_EQ(badPool.exitCode, 2);
  EXPECT_NE(badPool.err.find("--threadpool-size"), std::string::npos);
  EngineRun badTimeout = runEngine({"run", "--timeout", "-3", snippet("seed_order.js")});
  EXPECT_EQ(badTimeout.exitCode, 2);
  EXPECT_NE(badTimeout.err.find("--timeout"), std::string::npos);
  EngineRun noValue = runEngine({"run", "--trace"});
  EXPECT_EQ(noValue.exitCode, 2);
  EngineRun noCommand = runEngine({});
  EXPECT_EQ(noCommand.exitCode, 2);
  EXPECT_NE(noCommand.err.find("usage"), std::string::npos);
}

TEST(BadInput, SyntaxErrorIsReportedWithFileLineAndColumn) {
  auto file = writeSnippet("broken.js", "console.log('fine');\nconst x = ;\n");
  EngineRun run = runTraced(file);
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("SyntaxError"), std::string::npos);
  EXPECT_NE(run.err.find("broken.js:2:11"), std::string::npos) << run.err;
  ASSERT_NE(run.trace.trace.runEnd(), nullptr) << "the trace is complete";
  bool recorded = false;
  for (const Event& ev : run.trace.trace.events())
    if (ev.kind == EventKind::UncaughtError) {
      recorded = true;
      EXPECT_EQ(run.trace.trace.str(ev.e()), "SyntaxError");
      EXPECT_EQ(ev.c(), 2);
      EXPECT_EQ(ev.d(), 11);
    }
  EXPECT_TRUE(recorded);
}

TEST(BadInput, RunawayLoopIsStoppedByTimeoutAndTheTraceIsKept) {
  auto file = writeSnippet("spin.js", "console.log('spinning');\nfor (;;) {}\n");
  EngineRun run = runTraced(file, {"--timeout", "1"});
  EXPECT_EQ(run.exitCode, 124);
  EXPECT_NE(run.err.find("--timeout"), std::string::npos) << run.err;
  EXPECT_EQ(run.out, "spinning\n");
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  EXPECT_EQ(EndReason(run.trace.trace.runEnd()->b()), EndReason::Timeout);
  EXPECT_EQ(consoleLines(run.trace.trace), std::vector<std::string>{"spinning"});
}

TEST(BadInput, TimeoutAlsoStopsAProgramWaitingOnALongTimer) {
  auto file = writeSnippet("wait.js", "setInterval(() => {}, 1000);\n");
  EngineRun run = runTraced(file, {"--timeout", "0.5"});
  EXPECT_EQ(run.exitCode, 124);
  EXPECT_EQ(EndReason(run.trace.trace.runEnd()->b()), EndReason::Timeout);
}

TEST(BadInput, ProcessExitKeepsItsCodeAndACompleteTrace) {
  auto file = writeSnippet("exit.js",
                           "setTimeout(() => console.log('never'), 1000);\n"
                           "process.on('exit', (c) => console.log('exit event', c));\n"
                           "process.exit(7);\n");
  EngineRun run = runTraced(file);
  EXPECT_EQ(run.exitCode, 7);
  EXPECT_EQ(run.out, "exit event 7\n");
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  EXPECT_EQ(run.trace.trace.runEnd()->a(), 7);
  EXPECT_EQ(EndReason(run.trace.trace.runEnd()->b()), EndReason::ProcessExit);
}

TEST(BadInput, ProcessAbortLeavesAReadableTraceOfEverythingBefore) {
  auto file = writeSnippet("abort.js",
                           "console.log('before abort');\n"
                           "setTimeout(function aborts() { process.abort(); }, 5);\n");
  EngineRun run = runTraced(file);
  EXPECT_EQ(run.exitCode, 128 + 6) << "SIGABRT, as under node";
  EXPECT_NE(run.trace.status, ReadStatus::NotATrace);
  EXPECT_EQ(consoleLines(run.trace.trace), std::vector<std::string>{"before abort"});
  ASSERT_NE(run.trace.trace.runEnd(), nullptr) << "the crash handler recorded the end";
  EXPECT_EQ(EndReason(run.trace.trace.runEnd()->b()), EndReason::Crashed);
  bool timerRan = false;
  for (const auto& r : callbackRuns(run.trace.trace)) timerRan |= r.name == "aborts";
  EXPECT_TRUE(timerRan);
}

TEST(BadInput, UncaughtErrorInACallbackExitsOneWithItsLocation) {
  auto file = writeSnippet("throws.js", "setTimeout(function boom() {\n  null.x;\n}, 1);\n");
  EngineRun run = runTraced(file);
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.err.find("TypeError"), std::string::npos);
  EXPECT_NE(run.err.find("throws.js:2:"), std::string::npos) << run.err;
}

TEST(BadInput, InfoAndExportRejectAFileThatIsNotATrace) {
  auto file = writeSnippet("not-a-trace.lstrace", "this is plain text, not a trace\n");
  EngineRun info = runEngine({"info", file});
  EXPECT_EQ(info.exitCode, 2);
  EXPECT_NE(info.err.find("not a Loopscope trace"), std::string::npos) << info.err;
  EngineRun exp = runEngine({"export", file, "--chrome", scratchDir() + "/out.json"});
  EXPECT_EQ(exp.exitCode, 2);
  EngineRun missing = runEngine({"info", "/nonexistent/trace.lstrace"});
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.err.find("cannot open"), std::string::npos);
}

TEST(BadInput, TruncatedAndCorruptTracesReadUpToTheDamageAndSaySo) {
  EngineRun run = runTraced(snippet("seed_order.js"));
  ASSERT_EQ(run.trace.status, ReadStatus::Ok);
  std::ifstream in(run.tracePath, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 500u);

  // Cut at every 37th byte: each prefix reads, with fewer events the earlier the cut.
  size_t previous = 0;
  for (size_t cut = 16; cut < bytes.size(); cut += 37) {
    std::string path = scratchDir() + "/cut.lstrace";
    std::ofstream(path, std::ios::binary) << bytes.substr(0, cut);
    TraceFile file = readTraceFile(path);
    ASSERT_EQ(file.status, ReadStatus::Truncated) << "cut at " << cut;
    EXPECT_GE(file.trace.size(), previous);
    previous = file.trace.size();
  }
  EXPECT_GT(previous, run.trace.trace.size() / 2);

  std::string cutPath = scratchDir() + "/cut.lstrace";
  std::ofstream(cutPath, std::ios::binary) << bytes.substr(0, bytes.size() / 2 + 3);
  EngineRun info = runEngine({"info", cutPath});
  EXPECT_EQ(info.exitCode, 3) << "incomplete traces are summarised but flagged";
  EXPECT_NE(info.out.find("events: "), std::string::npos);
  EXPECT_NE(info.err.find("cut short"), std::string::npos) << info.err;

  // Put a byte that is no record kind where a record starts, half-way through the file.
  std::string corrupt = bytes;
  TraceDecoder decoder;
  size_t pos = kTraceHeaderSize;
  Event ev;
  std::string text;
  while (pos < bytes.size() / 2 && decoder.next(bytes, pos, ev, text) == TraceDecoder::Status::Event) {}
  corrupt[pos] = char(0xEE);
  std::string corruptPath = scratchDir() + "/corrupt.lstrace";
  std::ofstream(corruptPath, std::ios::binary) << corrupt;
  EngineRun info2 = runEngine({"info", corruptPath});
  EXPECT_NE(info2.exitCode, 0);
  EXPECT_LT(info2.exitCode, 128);
  EngineRun exp = runEngine({"export", corruptPath, "--csv", scratchDir() + "/out.csv"});
  EXPECT_NE(exp.exitCode, 0);
  EXPECT_LT(exp.exitCode, 128);
}

TEST(BadInput, MaxOldSpaceSizeLimitsTheHeapAndRunningOutKeepsTheTraceOfItsGcs) {
  auto limit =
      writeSnippet("limit.js", "console.log(require('v8').getHeapStatistics().heap_size_limit < 200 * 2 ** 20);\n");
  EngineRun small = runTraced(limit, {"--max-old-space-size", "64"});
  EXPECT_EQ(small.out, "true\n") << small.err;
  EngineRun normal = runTraced(limit);
  EXPECT_EQ(normal.out, "false\n") << "without the option V8's default limit is far above 200 MB";

  auto hog = writeSnippet("hog.js", "const keep = [];\nfor (;;) keep.push(new Array(1e5).fill(1));\n");
  EngineRun oom = runTraced(hog, {"--max-old-space-size", "32"});
  EXPECT_EQ(oom.exitCode, 128 + 6) << "V8 aborts when the heap is full, as under node";
  EXPECT_NE(oom.trace.status, ReadStatus::NotATrace);
  int markSweeps = 0;
  for (const Event& ev : oom.trace.trace.events())
    if (ev.kind == EventKind::GcEnd && (ev.a() & GcMarkSweepCompact)) ++markSweeps;
  EXPECT_GE(markSweeps, 1) << "the full collections before the end are in the trace";
  ASSERT_NE(oom.trace.trace.runEnd(), nullptr);
  EXPECT_EQ(EndReason(oom.trace.trace.runEnd()->b()), EndReason::Crashed);
}
