// `loopscope-engine lessons check`: malformed lessons are reported with file and reason, the
// others still run, and the summary line counts both.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness.h"

using namespace loopscope::test;
namespace fs = std::filesystem;

namespace {
void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}
}  // namespace

TEST(LessonsCheck, MalformedLessonIsReportedAndTheOthersStillRun) {
  fs::path root = scratchDir();
  write(root / "01-good" / "lesson.md",
        "---\ntitle: Good\norder: 1\ntrack: Event loop\ncovers: event-loop-phases\n---\nText.\n");
  write(root / "01-good" / "order.js", "setImmediate(() => console.log('b'));\nconsole.log('a');\n");
  write(root / "01-good" / "order.expected", "a\nb\n");
  write(root / "02-no-title" / "lesson.md", "---\norder: 2\ntrack: Nowhere\ncovers: x\n---\n");
  write(root / "03-wrong-output" / "lesson.md", "---\ntitle: Wrong\norder: 3\ntrack: V8\ncovers: y\n---\n");
  write(root / "03-wrong-output" / "say.js", "console.log('actual');\n");
  write(root / "03-wrong-output" / "say.expected", "expected\n");
  write(root / "04-regex" / "lesson.md", "---\ntitle: Regex\norder: 4\ntrack: V8\ncovers: z\n---\n");
  write(root / "04-regex" / "t.js", "console.log('took', 12.5, 'ms');\n");
  write(root / "04-regex" / "t.expect", "took [0-9.]+ ms\n");

  EngineRun run = runEngine({"lessons", "check", root.string()});
  EXPECT_EQ(run.exitCode, 1);
  EXPECT_NE(run.out.find("FAIL 02-no-title/lesson.md: missing 'title:'"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("FAIL 02-no-title/lesson.md: 'track: Nowhere' is not one of the tracks"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("FAIL 03-wrong-output/say.js: line 1: expected 'expected', got 'actual'"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("2 passed, 3 failed"), std::string::npos) << run.out;
}

TEST(LessonsCheck, AllowedOrdersAcceptAnyListedOutput) {
  fs::path root = scratchDir();
  write(root / "01-race" / "lesson.md", "---\ntitle: Race\norder: 1\ntrack: Event loop\ncovers: race\n---\n");
  write(root / "01-race" / "race.js",
        "setTimeout(() => console.log('timeout'), 0);\nsetImmediate(() => console.log('immediate'));\n");
  write(root / "01-race" / "race.orders", "timeout\nimmediate\n--- or ---\nimmediate\ntimeout\n");
  EngineRun run = runEngine({"lessons", "check", root.string()});
  EXPECT_EQ(run.exitCode, 0) << run.out;
  EXPECT_NE(run.out.find("1 passed, 0 failed"), std::string::npos);
}

// Learners never saw the documents the lessons were written from, so "the seed says..." must be
// caught wherever a learner reads it — lesson text and snippet comments alike — with file and line.
// A public standard's specification is a citation, not such a reference, and passes.
TEST(LessonsCheck, WordingAboutUnseenDocumentsFailsWithFileAndLine) {
  fs::path root = scratchDir();
  write(root / "01-words" / "lesson.md",
        "---\ntitle: Words\norder: 1\ntrack: Event loop\ncovers: words\n---\n"
        "Promises follow the ECMAScript specification.\n"
        "The seed's diagram is wrong here.\n");
  write(root / "01-words" / "say.js", "console.log('a');\n// As in the Seed, we log once.\n");
  write(root / "01-words" / "say.expected", "a\n");
  EngineRun run = runEngine({"lessons", "check", root.string()});
  EXPECT_EQ(run.exitCode, 1) << run.out;
  EXPECT_NE(run.out.find("FAIL 01-words/lesson.md:8: 'seed' refers to a document learners have never seen"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("FAIL 01-words/say.js:2: 'seed'"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("lesson.md:7"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 passed, 2 failed"), std::string::npos) << run.out;
}

// An exercise's wrong/ folder holds solutions its checker must reject: one it accepts is reported
// by name, one it rejects counts as passed.
TEST(LessonsCheck, WrongSolutionTheCheckerAcceptsIsReported) {
  fs::path root = scratchDir();
  fs::path ex = root / "01-exercise";
  write(ex / "lesson.md", "---\ntitle: Ex\norder: 1\ntrack: Exercises\ncovers: ex\nexercise: true\n---\nText.\n");
  write(ex / "hint.md", "Hint.\n");
  // The checker only asks for `module.exports.answer === 42`: a file exporting 42 passes, whatever it is.
  write(ex / "check.js",
        "const a = require(require('path').resolve(process.argv[2])).answer;\n"
        "if (a !== 42) { console.log('answer must be 42, got ' + a); process.exit(1); }\n"
        "console.log('passed');\n");
  write(ex / "solution.js", "module.exports = { answer: 6 * 7 };\n");
  write(ex / "starter.js", "module.exports = { answer: 0 };\n");
  write(ex / "wrong" / "caught.js", "module.exports = { answer: 41 };\n");
  write(ex / "wrong" / "slips-through.js", "module.exports = { answer: 42 }; // hard-coded: the checker cannot tell\n");
  EngineRun run = runEngine({"lessons", "check", root.string()});
  EXPECT_EQ(run.exitCode, 1) << run.out;
  EXPECT_NE(run.out.find("FAIL 01-exercise/wrong/slips-through.js: the checker accepts this wrong solution: passed"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("wrong/caught.js"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("3 passed, 1 failed"), std::string::npos) << run.out;
}

// "Predict the output" is graded against the snippet's exact output: a snippet checked only by
// patterns cannot grade an answer, so naming one in a predict item is reported.
TEST(LessonsCheck, PredictItemOnPatternCheckedSnippetIsReported) {
  fs::path root = scratchDir();
  write(root / "01-quiz" / "lesson.md", "---\ntitle: Quiz\norder: 1\ntrack: Event loop\ncovers: quiz\n---\nText.\n");
  write(root / "01-quiz" / "t.js", "console.log('took', Date.now() % 7, 'ms');\n");
  write(root / "01-quiz" / "t.expect", "took \\d ms\n");
  write(root / "01-quiz" / "quiz.md", "## predict: t.js\nHow long does it take?\n");
  EngineRun run = runEngine({"lessons", "check", root.string()});
  EXPECT_EQ(run.exitCode, 1) << run.out;
  EXPECT_NE(run.out.find("FAIL 01-quiz/quiz.md: '## predict: t.js' cannot be graded"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 passed, 1 failed"), std::string::npos) << run.out;
}
