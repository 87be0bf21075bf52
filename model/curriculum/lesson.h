// Lessons as data (lessons/README.md is the format): read a lessons folder into structs that the
// checker (`loopscope-engine lessons check`) and the app's lesson browser share. No Qt, no Node.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::lessons {

struct Snippet {
  std::string file;  // name inside the lesson folder, e.g. "order.js"
  std::string path;  // full path
  enum class Expectation { Missing, Exact, Orders, Patterns };
  Expectation expectation = Expectation::Missing;
  std::vector<std::vector<std::string>> outputs;  // Exact: one; Orders: each allowed output
  std::vector<std::string> patterns;              // Patterns: one regex per stdout line
  std::vector<std::string> args;                  // from X.args
  std::vector<std::string> options;               // from X.options
  std::vector<std::string> ignoredExpectations;   // other expectation files that lost
};

struct QuizChoice {
  std::string text;
  bool right = false;
};

struct QuizItem {
  enum class Kind { Predict, Choice };
  Kind kind = Kind::Choice;
  std::string snippet;   // Predict: the snippet's file name
  std::string question;  // Markdown
  std::vector<QuizChoice> choices;
  std::string explanation;
};

struct Lesson {
  std::string id;   // the folder name, e.g. "01-event-loop-phases"
  std::string dir;  // full path of the folder
  std::string title;
  double order = 0;
  std::string track;
  std::vector<std::string> covers;
  bool exercise = false;
  std::string text;  // the Markdown after the front matter
  std::vector<Snippet> snippets;
  std::vector<QuizItem> quiz;
  std::vector<std::string> problems;  // what is malformed, as "file: what is wrong"
};

// The lesson tracks, in the order the app lists them.
const std::vector<std::string>& tracks();

// Reads one lesson folder. Problems are collected, never thrown.
Lesson loadLesson(const std::string& dir);
// Reads every NN-slug folder under `root`, sorted by order then folder name.
std::vector<Lesson> loadLessons(const std::string& root);

// The `loopscope-engine run` options a lesson's X.options may set: --threadpool-size N (1..127),
// --timeout SECONDS (above 0, at most kMaxLessonTimeoutSeconds), --max-old-space-size MB
// (16..16384) and the flags in kAllowedLessonFlags. A lesson folder may come from a stranger, so
// everything else — options that name paths (--trace, --export-chrome, --export-csv), --control,
// --step, unknown words — is refused: the result is then empty and *problem says why (else
// *problem is cleared). Any thread.
constexpr double kMaxLessonTimeoutSeconds = 600;
// Flags (options without a value) a lesson may set. Empty today: of the engine's flags, --step
// would wait forever for commands nobody sends and --no-trace would leave nothing to show. A flag
// is added here only after asking what a hostile lesson could do with it.
inline constexpr std::array<std::string_view, 0> kAllowedLessonFlags{};
std::vector<std::string> safeRunOptions(const std::vector<std::string>& words, std::string* problem);

// Splits text into lines at \n (dropping a \r before it) and drops empty lines at the end.
std::vector<std::string> outputLines(const std::string& text);

}  // namespace loopscope::lessons
