// loopscope-engine without a subcommand takes Node's command line (issue 8 §3): -e, -p, -, and
// Node's own options before the file, as `node` does; `run` hands Node's options through too.
#include <gtest/gtest.h>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

TEST(NodeFlags, EvalRunsCodeLikeNodeDashE) {
  EngineRun run = runEngine({"-e", "console.log('sum', 1 + 1); process.exitCode = 4;"});
  EXPECT_EQ(run.out, "sum 2\n");
  EXPECT_EQ(run.exitCode, 4) << run.err;
}

TEST(NodeFlags, PrintEvaluatesAndPrintsLikeNodeDashP) {
  EngineRun run = runEngine({"-p", "[6 * 7, typeof require]"});
  EXPECT_EQ(run.out, "[ 42, 'function' ]\n");
  EXPECT_EQ(run.exitCode, 0) << run.err;
}

TEST(NodeFlags, DashReadsTheProgramFromStandardInput) {
  EngineRun run = runEngine({"-"}, 60, "console.log('from stdin', process.argv.length);\n");
  EXPECT_EQ(run.out, "from stdin 2\n") << "argv is [execPath, '-'], as under node";
  EXPECT_EQ(run.exitCode, 0) << run.err;
}

TEST(NodeFlags, NodeOptionsBeforeTheFileAreAccepted) {
  auto file = writeSnippet("flags.js",
                           "console.log(typeof gc, process.execArgv.join(' '));\n"
                           "console.log(typeof require('internal/options').getOptionValue);\n"
                           "Promise.reject(new Error('ignored under warn'));\n"
                           "setTimeout(() => console.log('still alive'), 5);\n");
  EngineRun run = runEngine(
      {"--expose-gc", "--expose-internals", "--unhandled-rejections=warn", "--no-warnings", "--stack-size=900", file});
  EXPECT_EQ(run.out,
            "function --expose-gc --expose-internals --unhandled-rejections=warn --no-warnings "
            "--stack-size=900\nfunction\nstill alive\n");
  EXPECT_EQ(run.exitCode, 0);
  EXPECT_EQ(run.err, "") << "--no-warnings silences the rejection warning";
}

TEST(NodeFlags, ChildRunningExecPathWithEvalGetsNode) {
  auto file = writeSnippet("child.js",
                           "const { execFileSync } = require('child_process');\n"
                           "const out = execFileSync(process.execPath, ['-p', 'process.versions.node']);\n"
                           "console.log('child says', String(out).trim());\n");
  EngineRun untraced = runEngine({file});
  EXPECT_EQ(untraced.out, "child says 18.20.4\n") << untraced.err;
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.out, "child says 18.20.4\n") << traced.err;
  EXPECT_EQ(traced.exitCode, 0);
}

TEST(NodeFlags, BadNodeOptionIsRefusedAsNodeRefusesIt) {
  EngineRun run = runEngine({"--frobnicate", "whatever.js"});
  EXPECT_EQ(run.exitCode, 9) << "Node's exit code for an invalid command line";
  EXPECT_EQ(run.err, std::string(LOOPSCOPE_ENGINE) + ": bad option: --frobnicate\n");
  EXPECT_EQ(run.out, "");
}

TEST(NodeFlags, RunHandsLongNodeOptionsToNodeTraced) {
  auto file = writeSnippet("gc.js", "console.log(typeof gc, process.execArgv.join(' '));\n");
  EngineRun run = runTraced(file, {"--expose-gc", "--node-options", "--no-warnings --title=\"a b\""});
  EXPECT_EQ(run.out, "function --expose-gc --no-warnings --title=a b\n") << run.err;
  EXPECT_EQ(run.exitCode, 0);
  ASSERT_NE(run.trace.trace.runEnd(), nullptr) << "the run was recorded";
}

TEST(NodeFlags, RunRefusesOptionsNeitherItNorNodeKnowsWithASentence) {
  auto file = writeSnippet("x.js", "console.log('never');\n");
  EngineRun unknown = runEngine({"run", "--no-trace", "--frobnicate", file});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_NE(unknown.err.find("unknown option '--frobnicate'"), std::string::npos) << unknown.err;
  EngineRun eval = runEngine({"run", "-e", "1"});
  EXPECT_EQ(eval.exitCode, 2);
  EXPECT_NE(eval.err.find("without 'run'"), std::string::npos) << eval.err;
  EngineRun quote = runEngine({"run", "--node-options", "\"--title=x", file});
  EXPECT_EQ(quote.exitCode, 2);
  EXPECT_NE(quote.err.find("never closed"), std::string::npos) << quote.err;
}
