#include "curriculum/output_pattern.h"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

namespace loopscope {
namespace {

// RE2 compiles a pattern into an automaton within this budget; a pattern that needs more is
// refused rather than allowed to take the machine's memory.
constexpr int64_t kMaxPatternMemory = int64_t(8) << 20;
// A lessons check compares a few hundred lines; more distinct patterns than this in one thread
// means someone is feeding us garbage, so the cache starts over rather than grow.
constexpr size_t kMaxCachedPatterns = 512;

// How deeply groups nest, counted without compiling: RE2 parses with its own stack, but the
// depth is also what a shared lesson would use to make every later step slow.
int groupNesting(std::string_view pattern) {
  int depth = 0, deepest = 0;
  bool inClass = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;  // an escaped character is never a group or a class boundary
      continue;
    }
    if (inClass) {
      if (c == ']') inClass = false;
      continue;
    }
    if (c == '[') {
      inClass = true;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // "[]...]" holds a ']'
    } else if (c == '(') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ')') {
      --depth;
    }
  }
  return deepest;
}

struct Compiled {
  std::unique_ptr<RE2> re;
  std::string problem;
};

const Compiled& compile(std::string_view pattern) {
  thread_local std::unordered_map<std::string, Compiled> cache;
  auto found = cache.find(std::string(pattern));
  if (found != cache.end()) return found->second;
  if (cache.size() >= kMaxCachedPatterns) cache.clear();
  Compiled& c = cache[std::string(pattern)];
  if (pattern.size() > kMaxOutputPatternBytes) {
    c.problem = "the pattern is " + std::to_string(pattern.size()) + " characters long; at most " +
                std::to_string(kMaxOutputPatternBytes) + " are allowed";
    return c;
  }
  if (int depth = groupNesting(pattern); depth > kMaxOutputPatternNesting) {
    c.problem = "the pattern nests groups " + std::to_string(depth) + " deep; at most " +
                std::to_string(kMaxOutputPatternNesting) + " levels are allowed";
    return c;
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kMaxPatternMemory);
  // Anchored here, not by RE2::FullMatch, so that `a|b` means `^(?:a|b)$` as the README says.
  std::string anchored = "^(?:" + std::string(pattern) + ")$";
  c.re = std::make_unique<RE2>(anchored, options);
  if (!c.re->ok()) {
    std::string why = c.re->error();
    if (auto at = why.find(": "); at != std::string::npos) why = why.substr(0, at);
    c.problem = "it is not a regular expression this checker understands (" + why +
                "); use the common part of JavaScript and RE2 syntax: no backreferences, "
                "no lookahead or lookbehind";
    c.re.reset();
  }
  return c;
}

}  // namespace

std::string outputPatternProblem(std::string_view pattern) { return compile(pattern).problem; }

bool outputLineMatches(std::string_view pattern, std::string_view line, std::string* error) {
  const Compiled& c = compile(pattern);
  if (!c.re) {
    if (error) *error = c.problem;
    return false;
  }
  if (error) error->clear();
  return RE2::FullMatch(re2::StringPiece(line.data(), line.size()), *c.re);
}

}  // namespace loopscope
