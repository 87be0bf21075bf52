#include "lesson.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace loopscope::lessons {
namespace fs = std::filesystem;
namespace {

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
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
  if (fs::exists(expected)) {
    s.expectation = Snippet::Expectation::Exact;
    s.outputs.push_back(outputLines(readFile(expected)));
  } else if (fs::exists(orders)) {
    s.expectation = Snippet::Expectation::Orders;
    std::string block;
    for (const std::string& line : [&] {
           std::vector<std::string> all;
           std::stringstream ss(readFile(orders));
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
  } else if (fs::exists(patterns)) {
    s.expectation = Snippet::Expectation::Patterns;
    s.patterns = outputLines(readFile(patterns));
    for (size_t i = 0; i < s.patterns.size(); ++i) {
      try {
        std::regex check(s.patterns[i], std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        problems.push_back(patterns.filename().string() + ": line " + std::to_string(i + 1) +
                           " is not a valid regular expression (" + e.what() + ")");
      }
    }
  } else {
    problems.push_back(s.file + ": no expected output (add " + base + ".expected, " + base +
                       ".orders or " + base + ".expect)");
  }
  int found = fs::exists(expected) + fs::exists(orders) + fs::exists(patterns);
  if (found > 1) s.ignoredExpectations.push_back(base + ": several expectation files; only the first in the order .expected, .orders, .expect is used");
  if (fs::exists(dir / (base + ".args"))) s.args = words(readFile(dir / (base + ".args")));
  if (fs::exists(dir / (base + ".options"))) s.options = words(readFile(dir / (base + ".options")));
}

void readQuiz(Lesson& lesson, const fs::path& path) {
  std::stringstream ss(readFile(path));
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

const std::vector<std::string>& tracks() {
  static const std::vector<std::string> all{"Event loop", "Thread pool", "V8",
                                            "Streams and buffers", "Parallelism",
                                            "Modules and processes", "Interview questions",
                                            "Exercises"};
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
  if (!fs::exists(md)) {
    lesson.problems.push_back("lesson.md: missing");
    return lesson;
  }
  std::stringstream ss(readFile(md));
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
    if (key == "title") lesson.title = value;
    else if (key == "track") lesson.track = value;
    else if (key == "covers") lesson.covers = splitList(value, ',');
    else if (key == "snippets") snippetList = value;
    else if (key == "exercise") lesson.exercise = value == "true";
    else if (key == "order") {
      try {
        size_t used = 0;
        lesson.order = std::stod(value, &used);
        hasOrder = used == value.size();
      } catch (...) {
      }
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
    lesson.problems.push_back("lesson.md: 'track: " + lesson.track + "' is not one of the tracks (Event loop, Thread pool, V8, Streams and buffers, Parallelism, Modules and processes, Interview questions, Exercises)");

  std::vector<std::string> files;
  if (!snippetList.empty()) {
    files = splitList(snippetList, ',');
  } else {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      std::string name = entry.path().filename().string(), ext = entry.path().extension().string();
      if (ext != ".js" && ext != ".mjs") continue;
      if (lesson.exercise && (name == "starter.js" || name == "solution.js" || name == "check.js")) continue;
      files.push_back(name);
    }
    std::sort(files.begin(), files.end());
  }
  for (const std::string& file : files) {
    Snippet s;
    s.file = file;
    s.path = (dir / file).string();
    if (!fs::exists(s.path)) {
      lesson.problems.push_back("lesson.md: snippet '" + file + "' does not exist");
      continue;
    }
    readExpectation(s, dir, lesson.problems);
    lesson.snippets.push_back(std::move(s));
  }
  if (lesson.exercise)
    for (const char* required : {"starter.js", "hint.md", "solution.js", "check.js"})
      if (!fs::exists(dir / required))
        lesson.problems.push_back(std::string(required) + ": missing (an exercise needs starter.js, hint.md, solution.js and check.js)");
  if (fs::exists(dir / "quiz.md")) readQuiz(lesson, dir / "quiz.md");
  return lesson;
}

std::vector<Lesson> loadLessons(const std::string& root) {
  std::vector<Lesson> out;
  static const std::regex folderName("^[0-9]{2,}-[a-z0-9-]+$");
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (!entry.is_directory()) continue;
    std::string name = entry.path().filename().string();
    if (std::regex_match(name, folderName)) out.push_back(loadLesson(entry.path().string()));
  }
  std::sort(out.begin(), out.end(), [](const Lesson& a, const Lesson& b) {
    return a.order != b.order ? a.order < b.order : a.id < b.id;
  });
  return out;
}

}  // namespace loopscope::lessons
