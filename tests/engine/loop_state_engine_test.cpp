// LoopState rebuilt from real engine runs: queue contents and order at chosen moments.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness.h"
#include "trace/loop_state.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

std::vector<std::string> labels(const CallbackQueue& queue) {
  std::vector<std::string> out;
  for (const auto& e : queue) out.push_back(e.label.empty() ? e.type : e.label);
  return out;
}

// Position just before the main script's CallbackExit: everything it scheduled is queued.
size_t endOfMainScript(const Trace& trace) {
  const auto& events = trace.events();
  for (size_t i = 0; i < events.size(); ++i)
    if (events[i].kind == EventKind::CallbackExit && events[i].a() == 1) return i;
  return 0;
}

}  // namespace

TEST(LoopStateFromEngine, AtTheEndOfTheMainScriptEachQueueHoldsWhatItScheduled) {
  EngineRun run = runTraced(snippet("seed_order.js"));
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  const Trace& trace = run.trace.trace;
  LoopTimeline timeline(trace);
  LoopState s = timeline.stateAt(endOfMainScript(trace));
  ASSERT_TRUE(s.current);
  EXPECT_EQ(s.current->asyncId, 1) << "the main script is running";
  EXPECT_EQ(s.phase, Phase::Main);
  EXPECT_FALSE(s.inLoop);
  EXPECT_EQ(labels(s.timers), std::vector<std::string>{"timeout"});
  EXPECT_EQ(labels(s.immediates), std::vector<std::string>{"immediate"});
  ASSERT_FALSE(s.nextTicks.empty());
  EXPECT_EQ(s.nextTicks.back().label, "tick");
  EXPECT_EQ(s.nextTicks.back().line, 6);
  ASSERT_EQ(s.microtasks.size(), 1u) << "one promise reaction is queued";
  EXPECT_EQ(s.microtasks[0].type, "PROMISE");
  EXPECT_EQ(s.timers[0].delayMs, 1) << "setTimeout(0) is a 1 ms timer in Node";

  std::string json = loopStateJson(s);
  for (const char* key : {"\"phase\"", "\"iteration\"", "\"current\"", "\"timers\"",
                          "\"immediates\"", "\"nextTick\"", "\"microtasks\"",
                          "\"pool\"", "\"slots\"", "\"backlog\"", "\"new_space\"", "\"old_space\"",
                          "\"streams\""})
    EXPECT_NE(json.find(key), std::string::npos) << key;
}

TEST(LoopStateFromEngine, InsideTheIoCallbackTheImmediateIsQueuedAheadOfTheNextTimersPhase) {
  EngineRun run = runTraced(snippet("io_order.js"));
  const Trace& trace = run.trace.trace;
  LoopTimeline timeline(trace);
  // The moment the immediate starts: we are in check, and the timer is still waiting.
  std::optional<size_t> before = timeline.beforeFirstCallbackOnLine(6);
  ASSERT_TRUE(before) << "the immediate's function is on line 6";
  LoopState s = timeline.stateAt(*before + 1);
  EXPECT_EQ(s.phase, Phase::Check);
  ASSERT_TRUE(s.current);
  EXPECT_EQ(s.current->label, "immediateInIo");
  EXPECT_EQ(labels(s.timers), std::vector<std::string>{"timeoutInIo"});
}

TEST(LoopStateFromEngine, FifthPbkdf2JobWaitsInTheBacklogWhileFourSlotsAreBusy) {
  EngineRun run = runTraced(snippet("pbkdf2_five.js"), {"--threadpool-size", "4"});
  const Trace& trace = run.trace.trace;
  LoopTimeline timeline(trace);
  // Once four jobs have started and all five were submitted (the pool threads may start the
  // first four before the main script submits the fifth, or after): the fifth cannot start
  // before one of the 150 000-iteration hashes ends.
  size_t starts = 0, submits = 0, fourthStart = 0, fifthSubmit = 0;
  for (size_t i = 0; i < trace.size(); ++i) {
    const Event& ev = trace.events()[i];
    if (ev.kind == EventKind::PoolStart && ++starts == 4) fourthStart = i + 1;
    if (ev.kind == EventKind::PoolSubmit && trace.str(ev.b()) == "crypto.pbkdf2" && ++submits == 5) fifthSubmit = i + 1;
  }
  ASSERT_GT(fourthStart, 0u);
  ASSERT_GT(fifthSubmit, 0u);
  size_t position = std::max(fourthStart, fifthSubmit);
  LoopState s = timeline.stateAt(position);
  EXPECT_EQ(s.pool.size, 4);
  int busy = 0;
  for (const auto& slot : s.pool.slots) busy += slot.has_value();
  EXPECT_EQ(busy, 4);
  ASSERT_EQ(s.pool.backlog.size(), 1u);
  EXPECT_EQ(s.pool.backlog[0].kind, "crypto.pbkdf2");
}

TEST(LoopStateFromEngine, SteppingBackThenForwardGivesIdenticalStates) {
  EngineRun run = runTraced(snippet("drain_per_callback.js"));
  const Trace& trace = run.trace.trace;
  LoopTimeline sparse(trace, 64);
  LoopTimeline dense(trace, 1);
  for (size_t p = 0; p <= trace.size(); ++p)
    ASSERT_EQ(loopStateJson(sparse.stateAt(p)), loopStateJson(dense.stateAt(p))) << "position " << p;
  // Walk back by callback, then forward again: the same positions and states.
  std::vector<size_t> back;
  for (size_t p = trace.size(); ;) {
    size_t q = sparse.previous(p, LoopTimeline::Step::Callback);
    if (q == p) break;
    back.push_back(q);
    p = q;
  }
  ASSERT_GE(back.size(), 8u);
  for (size_t i = back.size() - 1; i > 0; --i)
    EXPECT_EQ(sparse.next(back[i], LoopTimeline::Step::Callback), back[i - 1]);
}
