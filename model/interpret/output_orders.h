// Which output lines of a snippet keep their place in every observed run, and which do not
// (Run ×N, `run --perturb`): a line is timing-dependent when some other line comes before it in
// one observed order and after it in another, or when it is missing from an observed order.
// Every other line is fixed by the event loop's rules — as far as the runs seen can tell.
#pragma once

#include <string>
#include <vector>

namespace loopscope {

enum class LinePlacement {
  FixedByRules,     // before and after the same lines in every observed order
  TimingDependent,  // swaps places with some line between two orders, or is not always there
};

// `orders` are the distinct outputs seen, each a list of lines. Repeated lines are told apart by
// their occurrence: the second "tick" of one order is the second "tick" of another. Returns, for
// each order, the placement of each of its lines (same shape as `orders`). Takes time
// proportional to orders² × lines.
std::vector<std::vector<LinePlacement>> classifyOutputLines(const std::vector<std::vector<std::string>>& orders);

}  // namespace loopscope
