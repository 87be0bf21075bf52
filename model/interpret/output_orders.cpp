#include "output_orders.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>

namespace loopscope {

namespace {

// Each order as ids: one id per (text, occurrence of that text within the order).
std::vector<std::vector<int>> lineIds(const std::vector<std::vector<std::string>>& orders, int& idCount) {
  std::unordered_map<std::string, std::vector<int>> idsByText;  // text → id of its k-th occurrence
  std::vector<std::vector<int>> result;
  result.reserve(orders.size());
  idCount = 0;
  for (const auto& order : orders) {
    std::unordered_map<std::string_view, size_t> seen;  // occurrences so far in this order
    std::vector<int>& ids = result.emplace_back();
    ids.reserve(order.size());
    for (const std::string& line : order) {
      const size_t occurrence = seen[line]++;
      std::vector<int>& byOccurrence = idsByText[line];
      while (byOccurrence.size() <= occurrence) byOccurrence.push_back(idCount++);
      ids.push_back(byOccurrence[occurrence]);
    }
  }
  return result;
}

// Marks each line of `x` that is missing from `y` or whose place relative to another line of
// both differs in `y`. `positionInY` maps ids to positions in y (-1: absent).
void markDifferences(const std::vector<int>& x, const std::vector<int>& positionInY,
                     std::vector<bool>& timingDependent) {
  std::vector<int> shared;  // ids of x that y has too, in x's order
  for (int id : x) {
    if (positionInY[size_t(id)] < 0)
      timingDependent[size_t(id)] = true;
    else
      shared.push_back(id);
  }
  // A line is out of place when a line before it in x comes after it in y (a larger position
  // before it) or a line after it in x comes before it in y (a smaller position after it).
  const size_t n = shared.size();
  std::vector<int> suffixMin(n + 1, std::numeric_limits<int>::max());
  for (size_t i = n; i-- > 0;) suffixMin[i] = std::min(suffixMin[i + 1], positionInY[size_t(shared[i])]);
  int prefixMax = -1;
  for (size_t i = 0; i < n; ++i) {
    const int position = positionInY[size_t(shared[i])];
    if (prefixMax > position || suffixMin[i + 1] < position) timingDependent[size_t(shared[i])] = true;
    prefixMax = std::max(prefixMax, position);
  }
}

}  // namespace

std::vector<std::vector<LinePlacement>> classifyOutputLines(const std::vector<std::vector<std::string>>& orders) {
  int idCount = 0;
  const std::vector<std::vector<int>> ids = lineIds(orders, idCount);
  std::vector<bool> timingDependent(size_t(idCount), false);
  std::vector<int> positionInY(size_t(idCount), -1);
  for (size_t y = 0; y < ids.size(); ++y) {
    for (size_t i = 0; i < ids[y].size(); ++i) positionInY[size_t(ids[y][i])] = int(i);
    for (size_t x = 0; x < ids.size(); ++x)
      if (x != y) markDifferences(ids[x], positionInY, timingDependent);
    for (int id : ids[y]) positionInY[size_t(id)] = -1;
  }
  std::vector<std::vector<LinePlacement>> placements;
  placements.reserve(ids.size());
  for (const auto& order : ids) {
    auto& marks = placements.emplace_back();
    marks.reserve(order.size());
    for (int id : order)
      marks.push_back(timingDependent[size_t(id)] ? LinePlacement::TimingDependent : LinePlacement::FixedByRules);
  }
  return placements;
}

}  // namespace loopscope
