#include "lessons_check.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "curriculum/lesson.h"
#include "curriculum/output_pattern.h"

namespace loopscope {
namespace {

using lessons::Lesson;
using lessons::Snippet;

struct Captured {
  int exitCode = -1;  // 128 + signal if killed
  std::string out, err;
  bool timedOut = false;
};

// Runs a program in `cwd`, capturing stdout and stderr; kills it after `timeoutSeconds`.
Captured runCapture(const std::vector<std::string>& argv, const std::string& cwd, int timeoutSeconds) {
  Captured c;
  int outPipe[2], errPipe[2];
  if (pipe(outPipe) || pipe(errPipe)) {
    c.err = "cannot create a pipe";
    return c;
  }
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(126);
    dup2(outPipe[1], 1);
    dup2(errPipe[1], 2);
    close(outPipe[0]);
    close(errPipe[0]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(outPipe[1]);
  close(errPipe[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
  pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
  int open = 2;
  char buf[4096];
  while (open > 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      c.timedOut = true;
      break;
    }
    if (::poll(fds, 2, 100) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else {
        (i == 0 ? c.out : c.err).append(buf, size_t(n));
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  waitpid(pid, &status, 0);
  c.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return c;
}

std::string lastLine(const std::string& text) {
  auto lines = lessons::outputLines(text);
  return lines.empty() ? "" : lines.back();
}

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

// Compares stdout with one expected output; "" if equal, else the first difference.
std::string differenceFrom(const std::vector<std::string>& got, const std::vector<std::string>& want) {
  for (size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    if (i >= got.size())
      return "line " + std::to_string(i + 1) + ": expected " + inQuotes(want[i]) + ", but the output ended";
    if (i >= want.size()) return "line " + std::to_string(i + 1) + ": unexpected extra line " + inQuotes(got[i]);
    if (got[i] != want[i])
      return "line " + std::to_string(i + 1) + ": expected " + inQuotes(want[i]) + ", got " + inQuotes(got[i]);
  }
  return "";
}

std::string checkOutput(const Snippet& s, const std::string& stdoutText) {
  auto got = lessons::outputLines(stdoutText);
  switch (s.expectation) {
    case Snippet::Expectation::Exact: return differenceFrom(got, s.outputs[0]);
    case Snippet::Expectation::Orders: {
      std::string first;
      for (const auto& allowed : s.outputs) {
        std::string diff = differenceFrom(got, allowed);
        if (diff.empty()) return "";
        if (first.empty()) first = diff;
      }
      return "matches none of the " + std::to_string(s.outputs.size()) + " allowed orders (first: " + first + ")";
    }
    case Snippet::Expectation::Patterns: {
      if (got.size() != s.patterns.size())
        return "expected " + std::to_string(s.patterns.size()) + " lines, got " + std::to_string(got.size());
      for (size_t i = 0; i < got.size(); ++i) {
        // RE2 (lessons/output_pattern.h): linear in the line whatever the pattern, so a stranger's
        // lesson cannot make the check run away.
        std::string error;
        if (outputLineMatches(s.patterns[i], got[i], &error)) continue;
        if (!error.empty()) return "line " + std::to_string(i + 1) + " of the .expect file cannot be used: " + error;
        return "line " + std::to_string(i + 1) + ": " + inQuotes(got[i]) + " does not match /" + s.patterns[i] + "/";
      }
      return "";
    }
    case Snippet::Expectation::Missing: return "no expected output";
  }
  return "";
}

// Lessons are read by learners who have never seen the documents the lessons were written from
// (a source text, a project specification). A sentence such as "the seed says..." points them at
// something they cannot open, so the check rejects that wording wherever a learner can meet it:
// lesson text, quiz, hint, snippets, their helpers and expected outputs.
struct UnseenReference {
  std::string where;  // "lesson-id/relative/path:line"
  std::string phrase;
};

bool isWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// True if `phrase` occurs in `line` (both lower-case) not glued to a longer word: "seed", "seed's"
// and "seeds" count, "seedling" or "reseed" do not.
bool containsWord(const std::string& line, const std::string& phrase) {
  for (size_t at = line.find(phrase); at != std::string::npos; at = line.find(phrase, at + 1)) {
    size_t end = at + phrase.size();
    if (end < line.size() && line[end] == 's') ++end;
    bool startsWord = at == 0 || !isWordChar(phrase[0]) || !isWordChar(line[at - 1]);
    bool endsWord = end >= line.size() || !isWordChar(line[end]);
    if (startsWord && endsWord) return true;
  }
  return false;
}

std::vector<UnseenReference> findUnseenDocumentReferences(const Lesson& lesson) {
  namespace fs = std::filesystem;
  // "specification" alone is fine when it names a public standard ("the ECMAScript
  // specification"); these forms only ever point at a document of this project.
  static const std::vector<std::string> phrases = {
      "seed", "the curriculum", "curriculum text", "the specification", "the spec", "'s specification"};
  static const std::vector<std::string> textExtensions = {".md",  ".js",       ".mjs",    ".cjs",   ".json",
                                                          ".txt", ".expected", ".orders", ".expect"};
  constexpr std::uintmax_t largestFileRead = 1 << 20;  // lesson files are small; skip anything odd
  std::vector<UnseenReference> found;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(lesson.dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (it.depth() > 8) it.disable_recursion_pending();
    std::error_code fileError;
    if (!it->is_regular_file(fileError) || it->file_size(fileError) > largestFileRead || fileError) continue;
    std::string extension = it->path().extension().string();
    if (std::find(textExtensions.begin(), textExtensions.end(), extension) != textExtensions.end())
      files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::string line;
    for (int lineNumber = 1; std::getline(in, line); ++lineNumber) {
      std::transform(line.begin(), line.end(), line.begin(), [](unsigned char c) { return char(std::tolower(c)); });
      for (const std::string& phrase : phrases) {
        if (!containsWord(line, phrase)) continue;
        found.push_back(
            {lesson.id + "/" + fs::relative(file, lesson.dir, ec).generic_string() + ":" + std::to_string(lineNumber),
             phrase});
        break;  // one report per line is enough to find it
      }
    }
  }
  return found;
}

// The `.js` files in an exercise's `wrong/` folder, as paths relative to the lesson folder, sorted.
std::vector<std::string> wrongSolutions(const std::string& lessonDir) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  fs::path folder = fs::path(lessonDir) / "wrong";
  if (!fs::is_directory(folder, ec)) return files;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fileError;
    if (it->is_regular_file(fileError) && it->path().extension() == ".js")
      files.push_back("wrong/" + it->path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int lessonsCheck(const std::string& root, const std::string& engine) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(root)) {
    std::fprintf(stderr, "loopscope-engine: '%s' is not a folder of lessons\n", root.c_str());
    return 2;
  }
  std::vector<Lesson> all = lessons::loadLessons(root);
  if (all.empty()) {
    std::fprintf(stderr, "loopscope-engine: no lesson folders (NN-slug) in '%s'\n", root.c_str());
    return 2;
  }
  int passed = 0, failed = 0;
  auto fail = [&](const std::string& where, const std::string& why) {
    std::printf("FAIL %s: %s\n", where.c_str(), why.c_str());
    std::fflush(stdout);
    ++failed;
  };
  for (const Lesson& lesson : all) {
    for (const std::string& problem : lesson.problems)
      fail(lesson.id + "/" + problem.substr(0, problem.find(':')), problem.substr(problem.find(':') + 2));
    // A predict item is graded by comparing the learner's answer with the snippet's exact output;
    // patterns (.expect) say what may vary, not what to answer, so they cannot grade it.
    for (const lessons::QuizItem& item : lesson.quiz) {
      if (item.kind != lessons::QuizItem::Kind::Predict) continue;
      for (const Snippet& s : lesson.snippets)
        if (s.file == item.snippet && s.expectation == Snippet::Expectation::Patterns)
          fail(lesson.id + "/quiz.md",
               "'## predict: " + item.snippet +
                   "' cannot be graded: that snippet's output is only matched by patterns (" +
                   item.snippet.substr(0, item.snippet.rfind('.')) +
                   ".expect); give it an exact .expected or .orders file, or predict another snippet");
    }
    for (const UnseenReference& ref : findUnseenDocumentReferences(lesson))
      fail(ref.where, "'" + ref.phrase +
                          "' refers to a document learners have never seen; say what Node does and cite "
                          "Node's documentation (nodejs.org/api/...) or its source files instead");
    for (const Snippet& s : lesson.snippets) {
      for (const auto& warning : s.ignoredExpectations)
        std::fprintf(stderr, "warning: %s/%s\n", lesson.id.c_str(), warning.c_str());
      if (s.expectation == Snippet::Expectation::Missing) continue;  // already reported
      // Traced, as the app runs them: the instrumentation must not change what a program prints.
      std::vector<std::string> argv{engine, "run", "--timeout", "30"};
      argv.insert(argv.end(), s.options.begin(), s.options.end());
      argv.push_back(s.file);
      argv.insert(argv.end(), s.args.begin(), s.args.end());
      Captured c = runCapture(argv, lesson.dir, 60);
      std::string where = lesson.id + "/" + s.file;
      if (c.timedOut)
        fail(where, "did not end within 60 s");
      else if (c.exitCode != 0)
        fail(where,
             "exited with code " + std::to_string(c.exitCode) + (c.err.empty() ? "" : " (" + lastLine(c.err) + ")"));
      else if (std::string diff = checkOutput(s, c.out); !diff.empty())
        fail(where, diff);
      else
        ++passed;
    }
    if (lesson.exercise && fs::exists(fs::path(lesson.dir) / "check.js")) {
      Captured solution = runCapture({engine, "check.js", "solution.js"}, lesson.dir, 120);
      std::string where = lesson.id + "/solution.js";
      if (solution.timedOut)
        fail(where, "the checker did not end within 120 s");
      else if (solution.exitCode != 0)
        fail(where, "the reference solution fails its checker (exit code " + std::to_string(solution.exitCode) +
                        "): " + lastLine(solution.out.empty() ? solution.err : solution.out));
      else
        ++passed;
      Captured starter = runCapture({engine, "check.js", "starter.js"}, lesson.dir, 120);
      where = lesson.id + "/starter.js";
      if (starter.timedOut)
        fail(where, "the checker did not end within 120 s");
      else if (starter.exitCode == 0)
        fail(where, "the starter passes its checker; it should leave work to do");
      else if (lessons::outputLines(starter.out).empty())
        fail(where, "the checker rejects the starter without saying what is wrong");
      else
        ++passed;
      // Wrong solutions kept next to the exercise (cheating, subtly wrong, leaking) pin what the
      // checker must catch: each must be rejected, with a line telling the learner why.
      for (const std::string& wrongFile : wrongSolutions(lesson.dir)) {
        Captured wrong = runCapture({engine, "check.js", wrongFile}, lesson.dir, 120);
        where = lesson.id + "/" + wrongFile;
        if (wrong.timedOut)
          fail(where, "the checker did not end within 120 s");
        else if (wrong.exitCode == 0)
          fail(where, "the checker accepts this wrong solution: " + lastLine(wrong.out));
        else if (lessons::outputLines(wrong.out).empty())
          fail(where, "the checker rejects this wrong solution without saying what is wrong");
        else
          ++passed;
      }
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace loopscope
