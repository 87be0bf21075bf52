#include "lesson.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "curriculum/output_pattern.h"

namespace loopscope::lessons {
namespace fs = std::filesystem;
namespace {

// Lesson folders are shared between strangers, so nothing in one may make the loader (which runs
// when the app starts) read without bound, block, or wander outside the folder.
constexpr uintmax_t kMaxTextFileBytes = 1 << 20;  // lesson.md, quiz.md, expected outputs
constexpr uintmax_t kMaxOneLineFileBytes = 4096;  // X.args, X.options
constexpr size_t kMaxSnippetsPerLesson = 64;
constexpr size_t kMaxLessonsPerFolder = 1000;

// Reads a lesson file of at most `limit` bytes. Anything else — a folder, a FIFO that would
// block, a device, a larger file — is a problem for that lesson, and reads as "".
std::string readFile(const fs::path& path, std::vector<std::string>* problems = nullptr,
                     uintmax_t limit = kMaxTextFileBytes) {
  std::error_code ec;
  auto complain = [&](const std::string& what) {
    if (problems) problems->push_back(path.filename().string() + ": " + what);
    return std::string();
  };
  if (!fs::is_regular_file(path, ec)) return complain("is not a regular file, so it was not read");
  uintmax_t size = fs::file_size(path, ec);
  if (ec) return complain("cannot be read (" + ec.message() + ")");
  if (size > limit)
    return complain("is " + std::to_string(size) + " bytes; a lesson file of this kind may hold at most " +
                    std::to_string(limit) + " bytes, so it was not read");
  std::ifstream in(path, std::ios::binary);
  std::string text(size_t(size), '\0');
  in.read(text.data(), std::streamsize(size));
  text.resize(size_t(in.gcount()));  // a file that shrank meanwhile
  return text;
}

// fs::exists without an error code throws on a folder it may not look into.
bool present(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

// A snippet named in `snippets:` must be a plain file name in the lesson folder.
bool isPlainFileName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
}

// A lesson folder's name: two or more digits, '-', then lower-case letters, digits and hyphens.
bool isLessonFolderName(const std::string& name) {
  size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
  if (digits < 2 || digits + 1 >= name.size() || name[digits] != '-') return false;
  for (size_t i = digits + 1; i < name.size(); ++i) {
    char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> splitList(const std::string& value, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(value);
  for (std::string item; std::getline(ss, item, sep);)
    if (!trim(item).empty()) out.push_back(trim(item));
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string w; ss >> w;) out.push_back(w);
  return out;
}

void readExpectation(Snippet& s, const fs::path& dir, std::vector<std::string>& problems) {
  std::string base = fs::path(s.file).stem();
  fs::path expected = dir / (base + ".expected"), orders = dir / (base + ".orders"),
           patterns = dir / (base + ".expect");
  // The first that exists wins: .expected, then .orders, then .expect (lessons/README.md §3).
  if (present(expected)) {
    s.expectation = Snippet::Expectation::Exact;
    s.outputs.push_back(outputLines(readFile(expected, &problems)));
  } else if (present(orders)) {
    s.expectation = Snippet::Expectation::Orders;
    std::string block;
    for (const std::string& line : [&] {
           std::vector<std::string> all;
           std::stringstream ss(readFile(orders, &problems));
           for (std::string l; std::getline(ss, l);) all.push_back(l);
           return all;
         }()) {
      if (trim(line) == "--- or ---") {
        s.outputs.push_back(outputLines(block));
        block.clear();
      } else {
        block += line + "\n";
      }
    }
    s.outputs.push_back(outputLines(block));
    if (s.outputs.size() < 2)
      problems.push_back(orders.filename().string() + ": lists one output only; use " + base + ".expected");
  } else if (present(patterns)) {
    s.expectation = Snippet::Expectation::Patterns;
    s.patterns = outputLines(readFile(patterns, &problems));
    for (size_t i = 0; i < s.patterns.size(); ++i)
      if (std::string why = outputPatternProblem(s.patterns[i]); !why.empty())
        problems.push_back(patterns.filename().string() + ": line " + std::to_string(i + 1) +
                           " cannot be used: " + why);
  } else {
    problems.push_back(s.file + ": no expected output (add " + base + ".expected, " + base + ".orders or " + base +
                       ".expect)");
  }
  int found = present(expected) + present(orders) + present(patterns);
  if (found > 1)
    s.ignoredExpectations.push_back(
        base + ": several expectation files; only the first in the order .expected, .orders, .expect is used");
  if (present(dir / (base + ".args")))
    s.args = words(readFile(dir / (base + ".args"), &problems, kMaxOneLineFileBytes));
  if (present(dir / (base + ".options"))) {
    fs::path optionsFile = dir / (base + ".options");
    std::string why;
    s.options = safeRunOptions(words(readFile(optionsFile, &problems, kMaxOneLineFileBytes)), &why);
    if (!why.empty())
      problems.push_back(optionsFile.filename().string() + " (in " + dir.filename().string() + "): " + why +
                         "; the snippet runs without its options");
  }
}

void readQuiz(Lesson& lesson, const fs::path& path) {
  std::stringstream ss(readFile(path, &lesson.problems));
  QuizItem* item = nullptr;
  bool inExplanation = false;
  for (std::string line; std::getline(ss, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("## ", 0) == 0) {
      std::string heading = trim(line.substr(3));
      lesson.quiz.emplace_back();
      item = &lesson.quiz.back();
      inExplanation = false;
      if (heading.rfind("predict:", 0) == 0) {
        item->kind = QuizItem::Kind::Predict;
        item->snippet = trim(heading.substr(8));
      } else if (heading == "choice") {
        item->kind = QuizItem::Kind::Choice;
      } else {
        lesson.problems.push_back("quiz.md: unknown item '## " + heading + "' (use '## predict: FILE' or '## choice')");
        lesson.quiz.pop_back();
        item = nullptr;
      }
      continue;
    }
    if (!item) continue;
    if (line.rfind("- [ ] ", 0) == 0 || line.rfind("- [x] ", 0) == 0 || line.rfind("- [X] ", 0) == 0) {
      item->choices.push_back({line.substr(6), line[3] != ' '});
      continue;
    }
    if (line.rfind("Explanation:", 0) == 0) {
      inExplanation = true;
      item->explanation = trim(line.substr(12));
      continue;
    }
    std::string& target = inExplanation ? item->explanation : item->question;
    if (!item->choices.empty() && !inExplanation) continue;  // text between options and explanation
    if (!target.empty() || !trim(line).empty()) target += (target.empty() ? "" : "\n") + line;
  }
  for (const QuizItem& q : lesson.quiz) {
    if (q.kind == QuizItem::Kind::Choice) {
      bool anyRight = std::any_of(q.choices.begin(), q.choices.end(), [](auto& c) { return c.right; });
      if (q.choices.size() < 2 || !anyRight)
        lesson.problems.push_back("quiz.md: a choice item needs at least two options and one marked right ('- [x] ')");
    } else {
      auto it = std::find_if(lesson.snippets.begin(), lesson.snippets.end(),
                             [&](const Snippet& s) { return s.file == q.snippet; });
      if (it == lesson.snippets.end())
        lesson.problems.push_back("quiz.md: '## predict: " + q.snippet + "' names no snippet of this lesson");
    }
  }
}

}  // namespace

std::vector<std::string> safeRunOptions(const std::vector<std::string>& words, std::string* problem) {
  std::vector<std::string> out;
  auto refuse = [&](const std::string& why) {
    if (problem) *problem = why;
    return std::vector<std::string>();
  };
  auto whole = [](const std::string& text, long lo, long hi) {
    char* end = nullptr;
    long v = std::strtol(text.c_str(), &end, 10);
    return !text.empty() && *end == '\0' && v >= lo && v <= hi;
  };
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& option = words[i];
    if (std::find(kAllowedLessonFlags.begin(), kAllowedLessonFlags.end(), option) != kAllowedLessonFlags.end()) {
      out.push_back(option);
      continue;
    }
    bool valued = option == "--threadpool-size" || option == "--timeout" || option == "--max-old-space-size";
    if (!valued)
      return refuse("'" + option + "' is not allowed in a lesson's options (only --threadpool-size N, " +
                    "--timeout SECONDS and --max-old-space-size MB are; a lesson never names files or " +
                    "descriptors)");
    if (i + 1 >= words.size()) return refuse(option + " needs a value");
    const std::string& value = words[++i];
    bool ok = true;
    if (option == "--threadpool-size")
      ok = whole(value, 1, 127);
    else if (option == "--max-old-space-size")
      ok = whole(value, 16, 16384);
    else {
      char* end = nullptr;
      double seconds = std::strtod(value.c_str(), &end);
      ok = !value.empty() && *end == '\0' && seconds > 0 && seconds <= kMaxLessonTimeoutSeconds;
    }
    if (!ok)
      return refuse("'" + option + " " + value + "' is out of range (" +
                    (option == "--threadpool-size" ? std::string("1..127 threads")
                     : option == "--max-old-space-size"
                         ? std::string("16..16384 MB")
                         : "above 0 and at most " + std::to_string(int(kMaxLessonTimeoutSeconds)) + " seconds") +
                    ")");
    out.push_back(option);
    out.push_back(value);
  }
  if (problem) problem->clear();
  return out;
}

const std::vector<std::string>& tracks() {
  static const std::vector<std::string> all{"Event loop",          "Thread pool", "V8",
                                            "Streams and buffers", "Parallelism", "Modules and processes",
                                            "Interview questions", "Exercises"};
  return all;
}

std::vector<std::string> outputLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
      line.clear();
    } else {
      line.push_back(c);
    }
  }
  if (!line.empty()) lines.push_back(line);
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

Lesson loadLesson(const std::string& dirPath) {
  Lesson lesson;
  fs::path dir(dirPath);
  lesson.dir = dir.string();
  lesson.id = dir.filename().string();
  fs::path md = dir / "lesson.md";
  if (!present(md)) {
    lesson.problems.push_back("lesson.md: missing");
    return lesson;
  }
  std::stringstream ss(readFile(md, &lesson.problems));
  std::string line;
  std::getline(ss, line);
  if (trim(line) != "---") {
    lesson.problems.push_back("lesson.md: does not start with a front-matter block ('---' on the first line)");
    return lesson;
  }
  bool closed = false;
  std::string snippetList;
  bool hasOrder = false;
  while (std::getline(ss, line)) {
    if (trim(line) == "---") {
      closed = true;
      break;
    }
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string::npos) {
      lesson.problems.push_back("lesson.md: front-matter line '" + trim(line) + "' is not 'key: value'");
      continue;
    }
    std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    if (key == "title")
      lesson.title = value;
    else if (key == "track")
      lesson.track = value;
    else if (key == "covers")
      lesson.covers = splitList(value, ',');
    else if (key == "snippets")
      snippetList = value;
    else if (key == "exercise")
      lesson.exercise = value == "true";
    else if (key == "order") {
      // strtod, not stod: no exceptions, and "nan" or "inf" would break the sort by order.
      char* end = nullptr;
      double order = value.empty() ? 0 : std::strtod(value.c_str(), &end);
      hasOrder = !value.empty() && end && *end == '\0' && std::isfinite(order);
      if (hasOrder) lesson.order = order;
      if (!hasOrder) lesson.problems.push_back("lesson.md: 'order: " + value + "' is not a number");
      hasOrder = true;
    }
  }
  if (!closed) lesson.problems.push_back("lesson.md: the front-matter block is not closed by a '---' line");
  std::stringstream rest;
  rest << ss.rdbuf();
  lesson.text = rest.str();
  if (lesson.title.empty()) lesson.problems.push_back("lesson.md: missing 'title:' in the front matter");
  if (!hasOrder) lesson.problems.push_back("lesson.md: missing 'order:' in the front matter");
  if (lesson.covers.empty()) lesson.problems.push_back("lesson.md: missing 'covers:' in the front matter");
  if (std::find(tracks().begin(), tracks().end(), lesson.track) == tracks().end())
    lesson.problems.push_back("lesson.md: 'track: " + lesson.track +
                              "' is not one of the tracks (Event loop, Thread pool, V8, Streams and buffers, "
                              "Parallelism, Modules and processes, Interview questions, Exercises)");

  std::vector<std::string> files;
  if (!snippetList.empty()) {
    files = splitList(snippetList, ',');
  } else {
    std::error_code listError;
    for (const auto& entry : fs::directory_iterator(dir, listError)) {
      std::error_code typeError;
      if (!entry.is_regular_file(typeError)) continue;
      std::string name = entry.path().filename().string(), ext = entry.path().extension().string();
      if (ext != ".js" && ext != ".mjs") continue;
      if (lesson.exercise && (name == "starter.js" || name == "solution.js" || name == "check.js")) continue;
      files.push_back(name);
    }
    std::sort(files.begin(), files.end());
  }
  if (files.size() > kMaxSnippetsPerLesson) {
    lesson.problems.push_back("lesson.md: " + std::to_string(files.size()) + " snippets; only the first " +
                              std::to_string(kMaxSnippetsPerLesson) + " are used");
    files.resize(kMaxSnippetsPerLesson);
  }
  for (const std::string& file : files) {
    Snippet s;
    s.file = file;
    s.path = (dir / file).string();
    if (!isPlainFileName(file)) {
      lesson.problems.push_back("lesson.md: snippet '" + file + "' is not a file name in the lesson folder");
      continue;
    }
    if (!present(s.path)) {
      lesson.problems.push_back("lesson.md: snippet '" + file + "' does not exist");
      continue;
    }
    readExpectation(s, dir, lesson.problems);
    lesson.snippets.push_back(std::move(s));
  }
  if (lesson.exercise)
    for (const char* required : {"starter.js", "hint.md", "solution.js", "check.js"})
      if (!present(dir / required))
        lesson.problems.push_back(std::string(required) +
                                  ": missing (an exercise needs starter.js, hint.md, solution.js and check.js)");
  if (present(dir / "quiz.md")) readQuiz(lesson, dir / "quiz.md");
  return lesson;
}

std::vector<Lesson> loadLessons(const std::string& root) {
  std::vector<Lesson> out;
  std::error_code ec;
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    std::error_code typeError;
    if (!entry.is_directory(typeError)) continue;
    if (isLessonFolderName(entry.path().filename().string())) folders.push_back(entry.path());
  }
  // Loaded in name order so that the cut below is the same on every machine.
  std::sort(folders.begin(), folders.end());
  if (folders.size() > kMaxLessonsPerFolder) folders.resize(kMaxLessonsPerFolder);
  for (const fs::path& folder : folders) out.push_back(loadLesson(folder.string()));
  std::sort(out.begin(), out.end(),
            [](const Lesson& a, const Lesson& b) { return a.order != b.order ? a.order < b.order : a.id < b.id; });
  return out;
}

}  // namespace loopscope::lessons
