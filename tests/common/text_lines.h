// Reading a report line by line in tests.
#pragma once

#include <algorithm>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::test {

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) result.push_back(line);
  return result;
}

// Index of the first line at or after `from` that contains `needle`, or -1.
inline int findLine(const std::vector<std::string>& all, std::string_view needle, int from = 0) {
  for (size_t k = size_t(std::max(from, 0)); k < all.size(); ++k)
    if (all[k].find(needle) != std::string::npos) return int(k);
  return -1;
}

}  // namespace loopscope::test
