// Lesson folders are shared between strangers: their expected-output patterns are matched in
// linear time and bounded, their .options may not name files, and no file in them is read
// without bound. The hostile lesson folders are tests/data/hostile/lessons (written by
// tests/data/hostile/make_hostile_lessons.py).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../common/source_folder.h"
#include "curriculum/lesson.h"
#include "curriculum/output_pattern.h"

using namespace loopscope;
namespace fs = std::filesystem;

namespace {

fs::path sourceFolder() { return test::sourceFolderOf(__FILE__); }
const fs::path kHostileLessons = sourceFolder().parent_path() / "data" / "hostile" / "lessons";

const lessons::Lesson* byId(const std::vector<lessons::Lesson>& all, const std::string& id) {
  for (const auto& l : all)
    if (l.id == id) return &l;
  return nullptr;
}

bool mentions(const std::vector<std::string>& problems, const std::string& words) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(words) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

// A scratch lesson folder with the given files.
struct ScratchLesson {
  fs::path root = fs::temp_directory_path() / ("output-pattern-test-" + std::to_string(getpid()));
  fs::path dir = root / "01-scratch";
  ScratchLesson() {
    fs::remove_all(root);
    fs::create_directories(dir);
    write("lesson.md", "---\ntitle: Scratch\norder: 1\ntrack: Event loop\ncovers: x\n---\nText.\n");
    write("a.js", "console.log('a');\n");
    write("a.expected", "a\n");
  }
  ~ScratchLesson() { fs::remove_all(root); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir / name, std::ios::binary) << text; }
  lessons::Lesson load() const { return lessons::loadLesson(dir.string()); }
};

}  // namespace

// --- the matcher -------------------------------------------------------------------------------

TEST(OutputPattern, LessonPatternsMatchTheLinesTheyDescribe) {
  std::string error;
  const std::string timers = R"(timers: asked for 10 ms, got (2\d\d|3\d\d) ms)";
  EXPECT_TRUE(outputLineMatches(timers, "timers: asked for 10 ms, got 250 ms", &error)) << error;
  EXPECT_FALSE(outputLineMatches(timers, "timers: asked for 10 ms, got 1000 ms", &error));
  EXPECT_TRUE(
      outputLineMatches(R"(/health latencies \(ms\):( \d+){8})", "/health latencies (ms): 1 2 3 4 5 6 7 800", &error));
  EXPECT_TRUE(outputLineMatches("", "", &error)) << "an empty line matches only an empty line";
  EXPECT_FALSE(outputLineMatches("", "x", &error));
}

TEST(OutputPattern, PatternMustMatchTheWholeLine) {
  std::string error;
  EXPECT_FALSE(outputLineMatches("a|b", "ab", &error)) << "anchored as ^(?:a|b)$";
  EXPECT_TRUE(outputLineMatches("a|b", "b", &error));
  EXPECT_FALSE(outputLineMatches(R"(\d+)", "12 apples", &error));
}

TEST(OutputPattern, TwentyThousandNestedParenthesesIsAClearErrorNotACrash) {
  std::string pattern = std::string(20000, '(') + "a" + std::string(20000, ')');
  std::string error;
  EXPECT_FALSE(outputLineMatches(pattern, "a", &error));
  EXPECT_NE(error.find("characters long"), std::string::npos) << error;
  std::string deep = std::string(40, '(') + "a" + std::string(40, ')');
  EXPECT_FALSE(outputLineMatches(deep, "a", &error));
  EXPECT_NE(error.find("nests groups 40 deep"), std::string::npos) << error;
}

TEST(OutputPattern, AlternationStarOverAHundredThousandCharactersIsLinear) {
  std::string line;
  for (int i = 0; i < 50000; ++i) line += "ab";
  std::string error;
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(outputLineMatches("(a|b)*", line, &error)) << error;
  EXPECT_FALSE(outputLineMatches("(a|b)*c", line, &error));
  EXPECT_TRUE(outputLineMatches("(a*)*b(a|b)*", line, &error)) << "classic backtracking bait";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(OutputPattern, BackreferenceAndLookaheadAreRefusedWithASentence) {
  for (const char* pattern : {R"((a)\1)", "a(?=b)", "(a"}) {
    std::string error;
    EXPECT_FALSE(outputLineMatches(pattern, "aa", &error)) << pattern;
    EXPECT_NE(error.find("not a regular expression this checker understands"), std::string::npos) << error;
    EXPECT_EQ(outputPatternProblem(pattern), error);
  }
  EXPECT_EQ(outputPatternProblem(R"(took \d+ ms)"), "");
}

TEST(OutputPattern, RepetitionThatWouldBlowUpTheAutomatonIsRefused) {
  std::string error;
  EXPECT_FALSE(outputLineMatches("((a{1000}){1000}){1000}", "a", &error));
  EXPECT_FALSE(error.empty());
}

// --- the loader --------------------------------------------------------------------------------

TEST(LessonLoader, HostileFoldersLoadWithProblemsAndTheGoodOneStillLoads) {
  auto start = std::chrono::steady_clock::now();
  auto all = lessons::loadLessons(kHostileLessons.string());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ASSERT_EQ(all.size(), 4u) << kHostileLessons;

  const auto* nested = byId(all, "01-nested-groups");
  ASSERT_NE(nested, nullptr);
  EXPECT_TRUE(mentions(nested->problems, "nested.expect: line 1 cannot be used")) << joined(nested->problems);

  const auto* alternation = byId(all, "02-alternation");
  ASSERT_NE(alternation, nullptr);
  EXPECT_TRUE(alternation->problems.empty()) << joined(alternation->problems);
  std::string longLine;
  for (int i = 0; i < 50000; ++i) longLine += "ab";
  std::string error;
  EXPECT_TRUE(outputLineMatches(alternation->snippets.at(0).patterns.at(0), longLine, &error));

  const auto* options = byId(all, "03-options-path");
  ASSERT_NE(options, nullptr);
  EXPECT_TRUE(mentions(options->problems, "write.options (in 03-options-path): '--trace' is not allowed"))
      << joined(options->problems);
  EXPECT_TRUE(options->snippets.at(0).options.empty()) << "the path never reaches the engine";

  const auto* good = byId(all, "04-good");
  ASSERT_NE(good, nullptr);
  EXPECT_TRUE(good->problems.empty()) << joined(good->problems);
  EXPECT_TRUE(outputLineMatches(good->snippets.at(0).patterns.at(0), "took 12 ms", &error));
}

TEST(LessonLoader, OptionsThatNamePathsOrDescriptorsAreRefused) {
  for (const char* line :
       {"--trace /home/someone/.bashrc", "--export-csv out.csv", "--export-chrome x.json", "--control 3", "--step",
        "--frobnicate", "--threadpool-size 1 --trace x", "--threadpool-size 500", "--timeout 0", "--timeout nan",
        "--max-old-space-size 1", "--threadpool-size"}) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string w; in >> w;) words.push_back(w);
    std::string problem;
    auto options = lessons::safeRunOptions(words, &problem);
    EXPECT_TRUE(options.empty()) << line;
    EXPECT_FALSE(problem.empty()) << line;
  }
  std::string problem = "stale";
  auto fine =
      lessons::safeRunOptions({"--threadpool-size", "1", "--timeout", "5", "--max-old-space-size", "64"}, &problem);
  EXPECT_EQ(fine.size(), 6u);
  EXPECT_EQ(problem, "");
}

TEST(LessonLoader, OptionsFileNamingAPathIsReportedWithTheLessonFile) {
  ScratchLesson lesson;
  lesson.write("a.options", "--export-csv /home/someone/important.csv\n");
  auto loaded = lesson.load();
  EXPECT_TRUE(mentions(loaded.problems, "a.options (in 01-scratch): '--export-csv' is not allowed"))
      << joined(loaded.problems);
  ASSERT_EQ(loaded.snippets.size(), 1u);
  EXPECT_TRUE(loaded.snippets[0].options.empty());
}

TEST(LessonLoader, GigabyteLessonTextIsNotRead) {
  ScratchLesson lesson;
  fs::resize_file(lesson.dir / "a.expected", uintmax_t(1) << 30);  // sparse: no disk used
  auto start = std::chrono::steady_clock::now();
  auto loaded = lesson.load();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_TRUE(mentions(loaded.problems, "a.expected: is 1073741824 bytes")) << joined(loaded.problems);
}

TEST(LessonLoader, FifoInPlaceOfLessonTextDoesNotBlock) {
  ScratchLesson lesson;
  fs::remove(lesson.dir / "lesson.md");
  ASSERT_EQ(::mkfifo((lesson.dir / "lesson.md").c_str(), 0600), 0);
  auto loaded = lesson.load();  // would wait forever for a writer if it opened the FIFO
  EXPECT_TRUE(mentions(loaded.problems, "lesson.md: is not a regular file")) << joined(loaded.problems);
}

TEST(LessonLoader, SnippetNamedOutsideTheLessonFolderIsRefused) {
  ScratchLesson lesson;
  lesson.write("lesson.md",
               "---\ntitle: S\norder: 1\ntrack: Event loop\ncovers: x\nsnippets: ../../../etc/passwd, a.js\n---\n");
  auto loaded = lesson.load();
  EXPECT_TRUE(mentions(loaded.problems, "is not a file name in the lesson folder")) << joined(loaded.problems);
  ASSERT_EQ(loaded.snippets.size(), 1u);
  EXPECT_EQ(loaded.snippets[0].file, "a.js");
}

TEST(LessonLoader, OrderThatIsNotAFiniteNumberIsAProblem) {
  for (const char* order : {"nan", "inf", "1e999", "3x", ""}) {
    ScratchLesson lesson;
    lesson.write("lesson.md", std::string("---\ntitle: S\norder: ") + order + "\ntrack: Event loop\ncovers: x\n---\n");
    auto loaded = lesson.load();
    EXPECT_TRUE(mentions(loaded.problems, "is not a number") || mentions(loaded.problems, "missing 'order:'"))
        << order << ": " << joined(loaded.problems);
    EXPECT_EQ(loaded.order, 0) << order;
  }
}

TEST(LessonLoader, EveryBuiltInLessonLoadsWithoutProblemsAndItsPatternsCompile) {
  fs::path builtIn = sourceFolder().parent_path().parent_path() / "lessons";
  auto all = lessons::loadLessons(builtIn.string());
  ASSERT_GE(all.size(), 20u) << builtIn;
  for (const auto& lesson : all) {
    EXPECT_TRUE(lesson.problems.empty()) << lesson.id << ":\n" << joined(lesson.problems);
    for (const auto& snippet : lesson.snippets)
      for (const auto& pattern : snippet.patterns) EXPECT_EQ(outputPatternProblem(pattern), "") << pattern;
  }
}
