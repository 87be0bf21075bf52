// The engine runs programs as node does and records them.
#include <gtest/gtest.h>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

TEST(EngineRuns, HelloWorldPrintsLikeNodeAndRecordsARunWithVersions) {
  auto file = writeSnippet("hello.js", "console.log('hello', 1 + 1);\n");
  EngineRun run = runTraced(file);
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "hello 2\n");
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  EXPECT_EQ(run.trace.trace.meta("node.version"), "18.20.4");
  EXPECT_EQ(run.trace.trace.meta("uv.version"), "1.44.2");
  EXPECT_EQ(run.trace.trace.meta("v8.version").rfind("10.2", 0), 0u);
  ASSERT_NE(run.trace.trace.runEnd(), nullptr);
  EXPECT_EQ(run.trace.trace.runEnd()->a(), 0);
  EXPECT_EQ(consoleLines(run.trace.trace), std::vector<std::string>{"hello 2"});
}
