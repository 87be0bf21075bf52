// libFuzzer target: the lesson loader and the output matcher, fed what a shared lesson folder
// could hold. The input is split at lines that are exactly "=====" into: a pattern and an output
// line for the matcher, then lesson.md, a snippet's .expect, its .options and quiz.md, which are
// written into a private scratch lesson folder and loaded.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "curriculum/lesson.h"
#include "curriculum/output_pattern.h"

using namespace loopscope;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> sections(std::string_view input) {
  std::vector<std::string> out(1);
  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('\n', start);
    std::string_view line = input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (line == "=====")
      out.emplace_back();
    else
      out.back().append(line).append(end == std::string_view::npos ? "" : "\n");
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

const fs::path& scratch() {
  static const fs::path dir = [] {
    char name[] = "/tmp/loopscope-fuzz-lessons-XXXXXX";
    fs::path root = ::mkdtemp(name);
    return root / "01-fuzzed";
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts = sections(input);
  parts.resize(6);
  std::string pattern = parts[0], line = parts[1];
  if (!pattern.empty() && pattern.back() == '\n') pattern.pop_back();
  if (!line.empty() && line.back() == '\n') line.pop_back();
  std::string error;
  (void)outputLineMatches(pattern, line, &error);
  (void)outputPatternProblem(pattern);

  const fs::path& dir = scratch();
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto write = [&](const char* name, const std::string& text) { std::ofstream(dir / name, std::ios::binary) << text; };
  write("lesson.md", parts[2]);
  write("a.js", "console.log('a');\n");
  write("a.expect", parts[3]);
  write("a.options", parts[4]);
  write("quiz.md", parts[5]);
  lessons::Lesson lesson = lessons::loadLesson(dir.string());
  for (const auto& snippet : lesson.snippets)
    for (const auto& p : snippet.patterns) (void)outputLineMatches(p, line, &error);
  (void)lessons::safeRunOptions(lessons::outputLines(parts[4]), &error);
  return 0;
}
