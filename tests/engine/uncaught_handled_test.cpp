// A top-level throw that a process.on('uncaughtException') listener handles does not end the
// program under Node: the loop runs on, pending timers fire, 'exit' is emitted, and the exit code
// is the one the program sets. The engine must do the same, traced and untraced, and must not
// claim on stderr that the program stopped.
#include <gtest/gtest.h>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

// Reference output, as Debian's node 18.20.4 prints it for this program (exit code 7).
constexpr const char kHandledTopLevelThrow[] =
    "process.on('uncaughtException', (e) => {\n"
    "  console.log('caught', e.message);\n"
    "  process.exitCode = 7;\n"
    "});\n"
    "setTimeout(() => console.log('timer fired'), 10);\n"
    "process.on('exit', (code) => console.log('exit', code));\n"
    "throw new Error('boom');\n";
constexpr const char kHandledOutput[] = "caught boom\ntimer fired\nexit 7\n";

}  // namespace

TEST(UncaughtHandled, HandledTopLevelThrowKeepsTheLoopRunningUntraced) {
  auto file = writeSnippet("handled.js", kHandledTopLevelThrow);
  EngineRun run = runEngine({file});
  EXPECT_EQ(run.out, kHandledOutput);
  EXPECT_EQ(run.exitCode, 7) << run.err;
  EXPECT_EQ(run.err, "");
}

TEST(UncaughtHandled, HandledTopLevelThrowKeepsTheLoopRunningTraced) {
  auto file = writeSnippet("handled.js", kHandledTopLevelThrow);
  EngineRun run = runTraced(file);
  EXPECT_EQ(run.out, kHandledOutput);
  EXPECT_EQ(run.exitCode, 7) << run.err;
  ASSERT_NE(run.trace.trace.runEnd(), nullptr);
  EXPECT_EQ(run.trace.trace.runEnd()->a(), 7);
  EXPECT_EQ(consoleLines(run.trace.trace), (std::vector<std::string>{"caught boom", "timer fired", "exit 7"}));
}

TEST(UncaughtHandled, HandledErrorInACallbackAddsNoEngineLineToStderrTraced) {
  auto file = writeSnippet("handled_later.js",
                           "process.on('uncaughtException', (e) => console.log('handled', e.message));\n"
                           "setTimeout(() => { throw new TypeError('late'); }, 1);\n"
                           "setTimeout(() => console.log('still running'), 20);\n");
  EngineRun run = runTraced(file);
  EXPECT_EQ(run.exitCode, 0);
  EXPECT_EQ(run.out, "handled late\nstill running\n");
  EXPECT_EQ(run.err, "") << "Node prints nothing for a handled error";
  bool recorded = false;
  for (const Event& ev : run.trace.trace.events()) recorded |= ev.kind == EventKind::UncaughtError;
  EXPECT_TRUE(recorded) << "the handled error is still in the trace";
}

TEST(UncaughtHandled, UnhandledTopLevelThrowStillEndsTheRunWithExitOneAndSaysSo) {
  auto file = writeSnippet("unhandled.js",
                           "setTimeout(() => console.log('never'), 10);\n"
                           "throw new RangeError('nobody catches this');\n");
  EngineRun untraced = runEngine({file});
  EXPECT_EQ(untraced.exitCode, 1);
  EXPECT_EQ(untraced.out, "");
  EXPECT_NE(untraced.err.find("RangeError: nobody catches this"), std::string::npos) << untraced.err;
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.exitCode, 1);
  EXPECT_EQ(traced.out, "");
  EXPECT_NE(traced.err.find("loopscope-engine: the program stopped on an uncaught RangeError"), std::string::npos)
      << traced.err;
}

TEST(UncaughtHandled, UncaughtErrorFollowedByExitCodeZeroAddsNoEngineLineTraced) {
  // Node prints the error, then the 'exit' listener's exit code stands: 0 (from Node's own
  // test-process-beforeexit-throw-exit.js).
  auto file = writeSnippet("beforeexit_throw.js",
                           "process.on('exit', () => { process.exitCode = 0; });\n"
                           "process.on('beforeExit', () => { throw new Error('late'); });\n");
  EngineRun untraced = runEngine({file});
  EXPECT_EQ(untraced.exitCode, 0);
  EXPECT_NE(untraced.err.find("Error: late"), std::string::npos) << untraced.err;
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.exitCode, 0);
  EXPECT_NE(traced.err.find("Error: late"), std::string::npos) << traced.err;
  EXPECT_EQ(traced.err.find("loopscope-engine:"), std::string::npos) << traced.err;
}
