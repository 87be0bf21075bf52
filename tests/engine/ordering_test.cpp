// The seed's orderings, recorded from the real engine: console order and the phase each
// callback ran in.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

const CallbackRun* find(const std::vector<CallbackRun>& runs, const std::string& name) {
  for (const auto& r : runs)
    if (r.name == name) return &r;
  return nullptr;
}

}  // namespace

TEST(Ordering, SyncThenNextTickThenPromiseThenTimerAndImmediate) {
  EngineRun run = runTraced(snippet("seed_order.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  auto lines = consoleLines(run.trace.trace);
  ASSERT_GE(lines.size(), 6u);
  std::vector<std::string> firstFour(lines.begin(), lines.begin() + 4);
  EXPECT_EQ(firstFour, (std::vector<std::string>{"sync 1", "sync 2", "nextTick", "promise"}));

  auto runs = callbackRuns(run.trace.trace);
  const CallbackRun* tick = find(runs, "tick");
  ASSERT_TRUE(tick);
  EXPECT_EQ(tick->phase, "main") << "ticks after the main script run before the loop starts";
  EXPECT_EQ(tick->type, "TickObject");
  EXPECT_EQ(tick->line, 6) << "the tick's function is defined on line 6";
  // The promise reaction (promise callbacks carry no site) runs next, still before the loop.
  const CallbackRun* promise = nullptr;
  for (const auto& r : runs)
    if (r.type == "PROMISE" && r.index > tick->index && !promise) promise = &r;
  ASSERT_TRUE(promise);
  EXPECT_EQ(promise->phase, "main");
  const CallbackRun* timeout = find(runs, "timeout");
  ASSERT_TRUE(timeout);
  EXPECT_LT(promise->index, timeout->index);
}

TEST(Ordering, InsideAnIoCallbackSetImmediateRunsBeforeSetTimeout) {
  EngineRun run = runTraced(snippet("io_order.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(consoleLines(run.trace.trace), (std::vector<std::string>{"immediate", "timeout"}));
  auto runs = callbackRuns(run.trace.trace);
  const CallbackRun* immediate = find(runs, "immediateInIo");
  const CallbackRun* timeout = find(runs, "timeoutInIo");
  ASSERT_TRUE(immediate && timeout);
  // The I/O callback is the one that scheduled the immediate.
  const CallbackRun* read = nullptr;
  for (const auto& r : runs)
    if (r.asyncId == run.trace.trace.async(immediate->asyncId)->trigger) read = &r;
  ASSERT_TRUE(read);
  EXPECT_EQ(read->type, "FSREQCALLBACK");
  EXPECT_EQ(read->name, "readFile") << "named after the API the user called";
  EXPECT_EQ(read->line, 4) << "and located at the user's call";
  EXPECT_EQ(read->phase, "poll");
  EXPECT_EQ(immediate->phase, "check");
  EXPECT_EQ(immediate->iteration, read->iteration) << "check comes right after poll";
  EXPECT_EQ(timeout->phase, "timers");
  EXPECT_EQ(timeout->iteration, read->iteration + 1) << "timers come round on the next iteration";
}

TEST(Ordering, TicksAndMicrotasksDrainAfterEveryTimerAndImmediateCallback) {
  EngineRun run = runTraced(snippet("drain_per_callback.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(consoleLines(run.trace.trace),
            (std::vector<std::string>{"timeout 1", "tick 1", "promise 1", "timeout 2", "tick 2", "immediate 1",
                                      "promise 2", "immediate 2"}));
  auto runs = callbackRuns(run.trace.trace);
  const CallbackRun* first = find(runs, "first");
  const CallbackRun* tick1 = find(runs, "tickAfterFirst");
  const CallbackRun* promise1 = find(runs, "promiseAfterFirst");
  const CallbackRun* second = find(runs, "second");
  ASSERT_TRUE(first && tick1 && second);
  EXPECT_EQ(tick1->phase, "timers") << "the tick ran inside the timers phase, between two timers";
  EXPECT_LT(first->index, tick1->index);
  EXPECT_LT(tick1->index, second->index);
  // The promise reaction has no named site (promises are not located), so check by order of
  // PROMISE-type callbacks: one runs between the two timers.
  bool promiseBetween = false;
  for (const auto& r : runs) {
    if (r.type == "PROMISE" && r.index > tick1->index && r.index < second->index) promiseBetween = true;
  }
  EXPECT_TRUE(promiseBetween || (promise1 && promise1->index < second->index));
  // A microtask drain ends between the two timer callbacks.
  bool drainBetween = false;
  const auto& events = run.trace.trace.events();
  for (size_t i = first->index; i < second->index; ++i)
    if (events[i].kind == EventKind::MicrotaskDrainEnd) drainBetween = true;
  EXPECT_TRUE(drainBetween);
}

TEST(Phases, TimersImmediatesFsCallbacksAndSocketCloseRunInTheirPhases) {
  EngineRun run = runTraced(snippet("phases.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  auto runs = callbackRuns(run.trace.trace);
  auto phaseOf = [&](const std::string& name) {
    const CallbackRun* r = find(runs, name);
    return r ? r->phase : "(did not run)";
  };
  EXPECT_EQ(phaseOf("onTimer"), "timers");
  EXPECT_EQ(phaseOf("onImmediate"), "check");
  EXPECT_EQ(phaseOf("stat"), "poll") << "fs.stat's callback, named after the call";
  // A socket's 'close' is emitted from the handle's close callback: the close phase.
  bool closeCallback = false;
  for (const auto& r : runs)
    if (r.phase == "close" && r.type == "TCPWRAP") closeCallback = true;
  EXPECT_TRUE(closeCallback) << "a TCPWRAP callback runs in the close phase";
}

TEST(Phases, EveryIterationRecordsTheSixPhasesInLibuvOrder) {
  EngineRun run = runTraced(snippet("io_order.js"));
  ASSERT_EQ(run.trace.status, ReadStatus::Ok);
  std::vector<Phase> order;
  int iterations = 0;
  for (const Event& ev : run.trace.trace.events()) {
    if (ev.kind == EventKind::Iteration) {
      if (iterations++ > 0) {
        std::vector<Phase> expected{Phase::Timers, Phase::Pending, Phase::Idle,  Phase::Prepare,
                                    Phase::Poll,   Phase::Pending, Phase::Check, Phase::Close};
        EXPECT_EQ(order, expected) << "iteration " << iterations - 1;
      }
      order.clear();
    }
    if (ev.kind == EventKind::PhaseEnter) order.push_back(Phase(ev.a()));
  }
  EXPECT_GE(iterations, 2);
}

TEST(Timers, ScheduledClearedAndRepeatingTimersAreRecorded) {
  EngineRun run = runTraced(snippet("timers.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const Trace& trace = run.trace.trace;
  int scheduled = 0, cleared = 0, immediatesCleared = 0, repeating = 0;
  for (const Event& ev : trace.events()) {
    if (ev.kind == EventKind::TimerScheduled) {
      const FunctionSiteInfo* site = trace.site(ev.c());
      if (site && (site->name == "neverRuns" || site->name == "runsOnce" || site->name == "repeats")) {
        ++scheduled;
        if (ev.e()) ++repeating;
        if (site->name == "neverRuns") { EXPECT_EQ(ev.d(), 50) << "delay"; }
      }
    }
    if (ev.kind == EventKind::TimerCleared) ++cleared;
    if (ev.kind == EventKind::ImmediateCleared) ++immediatesCleared;
  }
  EXPECT_EQ(scheduled, 3);
  EXPECT_EQ(repeating, 1);
  EXPECT_EQ(cleared, 2) << "clearTimeout and clearInterval";
  EXPECT_EQ(immediatesCleared, 1);
  auto runs = callbackRuns(trace);
  EXPECT_EQ(std::count_if(runs.begin(), runs.end(), [](auto& r) { return r.name == "repeats"; }), 2);
  EXPECT_EQ(find(runs, "neverRuns"), nullptr);
}
