#include "interpret/output_orders.h"

#include <gtest/gtest.h>

using loopscope::classifyOutputLines;
using loopscope::LinePlacement;
using Orders = std::vector<std::vector<std::string>>;

namespace {
constexpr LinePlacement kFixed = LinePlacement::FixedByRules;
constexpr LinePlacement kTiming = LinePlacement::TimingDependent;
}  // namespace

TEST(OutputOrderClassification, OneObservedOrderHasEveryLineFixed) {
  auto placements = classifyOutputLines(Orders{{"sync", "tick", "promise", "timeout"}});
  ASSERT_EQ(placements.size(), 1u);
  EXPECT_EQ(placements[0], (std::vector<LinePlacement>{kFixed, kFixed, kFixed, kFixed}));
}

TEST(OutputOrderClassification, TheTimeoutImmediateRaceIsTimingDependentWhileTheLinesBeforeItAreFixed) {
  auto placements = classifyOutputLines(
      Orders{{"sync", "tick", "promise", "timeout", "immediate"}, {"sync", "tick", "promise", "immediate", "timeout"}});
  ASSERT_EQ(placements.size(), 2u);
  EXPECT_EQ(placements[0], (std::vector<LinePlacement>{kFixed, kFixed, kFixed, kTiming, kTiming}));
  EXPECT_EQ(placements[1], (std::vector<LinePlacement>{kFixed, kFixed, kFixed, kTiming, kTiming}));
}

TEST(OutputOrderClassification, ALineThatMovesPastSeveralOthersMakesEachOfThemTimingDependent) {
  // "late" comes first in one order and last in the other: it swapped with a, b and c, while
  // "end" stays after everything in both.
  auto placements = classifyOutputLines(Orders{{"late", "a", "b", "c", "end"}, {"a", "b", "c", "late", "end"}});
  EXPECT_EQ(placements[0], (std::vector<LinePlacement>{kTiming, kTiming, kTiming, kTiming, kFixed}));
  EXPECT_EQ(placements[1], (std::vector<LinePlacement>{kTiming, kTiming, kTiming, kTiming, kFixed}));
}

TEST(OutputOrderClassification, ALineIsTimingDependentInEveryOrderOnceAnyTwoOrdersDisagreeOnIt) {
  // Orders 0 and 2 agree on x before y; order 1 swaps them: x and y are timing-dependent in all.
  auto placements = classifyOutputLines(Orders{{"x", "y", "z"}, {"y", "x", "z"}, {"x", "y", "z", "w"}});
  EXPECT_EQ(placements[0], (std::vector<LinePlacement>{kTiming, kTiming, kFixed}));
  EXPECT_EQ(placements[1], (std::vector<LinePlacement>{kTiming, kTiming, kFixed}));
  // "w" is printed in only one of the orders.
  EXPECT_EQ(placements[2], (std::vector<LinePlacement>{kTiming, kTiming, kFixed, kTiming}));
}

TEST(OutputOrderClassification, RepeatedLinesAreToldApartByTheirOccurrence) {
  // The second "tick" moves past "timer"; the first one stays in front of everything.
  auto placements = classifyOutputLines(Orders{{"tick", "tick", "timer"}, {"tick", "timer", "tick"}});
  EXPECT_EQ(placements[0], (std::vector<LinePlacement>{kFixed, kTiming, kTiming}));
  EXPECT_EQ(placements[1], (std::vector<LinePlacement>{kFixed, kTiming, kTiming}));
}

TEST(OutputOrderClassification, NoOrdersAndEmptyOrdersGiveNoLines) {
  EXPECT_TRUE(classifyOutputLines(Orders{}).empty());
  auto placements = classifyOutputLines(Orders{{}, {"only"}});
  ASSERT_EQ(placements.size(), 2u);
  EXPECT_TRUE(placements[0].empty());
  EXPECT_EQ(placements[1], (std::vector<LinePlacement>{kTiming}));
}
