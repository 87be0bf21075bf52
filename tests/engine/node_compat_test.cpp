// loopscope-engine runs programs the way `node FILE` does.
#include <gtest/gtest.h>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

TEST(NodeCompat, CommonJsRequireFilenameAndArgvWork) {
  EngineRun run = runTraced(snippet("modules/main.js"), {}, {"one", "two"});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "hello loopscope\nmain.js\n[\"one\",\"two\"]\ntrue\n");
}

TEST(NodeCompat, BareFileArgumentBehavesLikeNode) {
  EngineRun run = runEngine({snippet("modules/main.js"), "x"});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "hello loopscope\nmain.js\n[\"x\"]\ntrue\n");
}

TEST(NodeCompat, EsmModuleWithTopLevelAwaitRuns) {
  EngineRun run = runTraced(snippet("modules/top_level_await.mjs"));
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "awaited 42 string\n");
}

TEST(NodeCompat, WorkerThreadsRun) {
  EngineRun run = runTraced(snippet("modules/worker.js"));
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "from worker 499500\nworker exit 0\n");
}

TEST(NodeCompat, ChildProcessForkReRunsTheEngineAsNode) {
  EngineRun run = runTraced(snippet("modules/fork.js"));
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "child answered 42\nchild exit 0\n");
}

TEST(NodeCompat, ExitCodeAndStderrPassThrough) {
  auto file = writeSnippet("code.js", "console.error('to stderr');\nprocess.exitCode = 3;\n");
  EngineRun run = runEngine({"run", "--no-trace", file});
  EXPECT_EQ(run.exitCode, 3);
  EXPECT_EQ(run.err, "to stderr\n");
}
