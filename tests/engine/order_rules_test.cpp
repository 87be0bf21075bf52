// "Predict, then see where you were wrong" on interview question Q3 (lesson 22) run on the real
// engine: each classic wrong prediction is answered with the rule that decided the order.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness.h"
#include "interpret/order_rules.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

const std::string kQ3 = std::string(LOOPSCOPE_SNIPPETS) + "/../../lessons/22-interview-q3-execution-order/answer.js";

std::vector<std::string> printed(const Trace& trace) {
  std::vector<std::string> lines;
  for (const PrintedLine& p : printedLines(trace)) lines.push_back(p.text);
  return lines;
}

size_t indexStarting(const std::vector<std::string>& lines, const std::string& prefix) {
  auto it = std::find_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
  EXPECT_NE(it, lines.end()) << prefix;
  return size_t(it - lines.begin());
}

class OrderRulesQ3 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_run = new EngineRun(runTraced(kQ3));
    ASSERT_EQ(s_run->exitCode, 0) << s_run->err;
  }
  static void TearDownTestSuite() { delete s_run; }
  const Trace& trace() const { return s_run->trace.trace; }
  static EngineRun* s_run;
};
EngineRun* OrderRulesQ3::s_run = nullptr;

TEST_F(OrderRulesQ3, TheRightAnswerHasNothingToExplain) {
  OrderExplanation x = explainFirstDifference(trace(), printed(trace()));
  EXPECT_EQ(x.rule, OrderRule::SameOrder);
}

TEST_F(OrderRulesQ3, PromiseBeforeNextTickIsAnsweredByTheNextTickRule) {
  std::vector<std::string> guess = printed(trace());
  std::swap(guess[indexStarting(guess, "top: nextTick")], guess[indexStarting(guess, "top: promise")]);
  OrderExplanation x = explainFirstDifference(trace(), guess);
  EXPECT_EQ(x.rule, OrderRule::NextTickBeforePromises) << x.sentence;
  EXPECT_EQ(x.actual.rfind("top: nextTick", 0), 0u);
  // The play head goes to the callback that printed the engine's line: the nextTick callback.
  const Event& enter = trace().events()[x.playHead];
  EXPECT_EQ(enter.kind, EventKind::CallbackEnter);
  EXPECT_EQ(trace().asyncType(enter.a()), "TickObject");
}

TEST_F(OrderRulesQ3, TimeoutBeforeImmediateInsideIoIsAnsweredByTheCheckPhaseRule) {
  std::vector<std::string> guess = printed(trace());
  std::swap(guess[indexStarting(guess, "io:  setImmediate")], guess[indexStarting(guess, "io:  setTimeout")]);
  OrderExplanation x = explainFirstDifference(trace(), guess);
  EXPECT_EQ(x.rule, OrderRule::CheckBeforeTimersAfterIo) << x.sentence;
}

TEST_F(OrderRulesQ3, ImmediateBeforeTimeoutAtTopLevelIsAnsweredByThisEnginesStartUp) {
  std::vector<std::string> guess = printed(trace());
  std::swap(guess[indexStarting(guess, "top: setTimeout")], guess[indexStarting(guess, "top: setImmediate")]);
  OrderExplanation x = explainFirstDifference(trace(), guess);
  EXPECT_EQ(x.rule, OrderRule::TopLevelTimeoutFirst) << x.sentence;
}

TEST_F(OrderRulesQ3, SynchronousLineLaterThanACallbackIsAnsweredBySynchronousFirst) {
  std::vector<std::string> guess = printed(trace());
  std::rotate(guess.begin(), guess.begin() + 1, guess.begin() + 3);  // "top: synchronous" moved down
  OrderExplanation x = explainFirstDifference(trace(), guess);
  EXPECT_EQ(x.rule, OrderRule::SynchronousFirst) << x.sentence;
  EXPECT_EQ(x.line, 0u);
}

TEST_F(OrderRulesQ3, ALineThatWasNeverPrintedIsSaidSo) {
  std::vector<std::string> guess = printed(trace());
  guess.insert(guess.begin() + 1, "top: something else");
  OrderExplanation x = explainFirstDifference(trace(), guess);
  EXPECT_EQ(x.rule, OrderRule::NeverPrinted);
  EXPECT_EQ(x.line, 1u);
}

}  // namespace
