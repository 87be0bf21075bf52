// Matching a lesson's `.expect` line (a regular expression) against one line of a snippet's
// output, in time linear in the line whatever the pattern: RE2, which never backtracks, instead
// of std::regex, whose recursion crashed on deeply nested patterns and on `(a|b)*` over long
// lines. Patterns come from lesson folders that strangers share, so they are bounded too.
// No Qt, no Node. Any thread may call these (compiled patterns are cached per thread).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace loopscope {

// Longer patterns, or deeper groups, are refused with a sentence: a line of expected output
// never needs them, and RE2's memory grows with the pattern.
constexpr size_t kMaxOutputPatternBytes = 2000;
constexpr int kMaxOutputPatternNesting = 16;

// "" when `pattern` can be used, else one sentence saying what is wrong with it.
std::string outputPatternProblem(std::string_view pattern);

// Whether `line` matches `pattern` entirely (as `^(?:pattern)$`). The syntax is the common part
// of ECMAScript and RE2 (lessons/README.md §3): no backreferences and no lookaround. A pattern
// that cannot be used matches nothing and, if `error` is given, sets it to the sentence.
bool outputLineMatches(std::string_view pattern, std::string_view line, std::string* error);

}  // namespace loopscope
