// LoopState reconstruction on synthetic traces: seeking equals replaying from the start.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "trace/loop_state.h"

using namespace loopscope;

namespace {

Event ev(EventKind kind, uint64_t ts, int64_t a = 0, int64_t b = 0, int64_t c = 0, int64_t d = 0, int64_t e = 0,
         uint8_t thread = 0) {
  Event x;
  x.kind = kind;
  x.ts = ts;
  x.thread = thread;
  x.f = {a, b, c, d, e, 0};
  return x;
}

// A synthetic run: each iteration schedules an immediate and a tick, runs them, and a pool job.
Trace syntheticTrace(size_t iterations) {
  Trace t;
  uint64_t ts = 0;
  t.append(ev(EventKind::RunStart, ts, 4, 1, 0, 0));
  t.append(ev(EventKind::LoopStart, ++ts));
  int64_t id = 10;
  for (size_t i = 1; i <= iterations; ++i) {
    t.append(ev(EventKind::Iteration, ++ts, int64_t(i)));
    t.append(ev(EventKind::PhaseEnter, ++ts, int64_t(Phase::Poll), 0));
    t.append(ev(EventKind::PoolSubmit, ++ts, int64_t(i), 0, 0));
    t.append(ev(EventKind::PoolStart, ++ts, int64_t(i), 0, 0, 0, 0, uint8_t(1 + i % 4)));
    t.append(ev(EventKind::ImmediateScheduled, ++ts, ++id, 1, 0));
    t.append(ev(EventKind::TickScheduled, ++ts, id + 1, 1, 0));
    t.append(ev(EventKind::PoolEnd, ++ts, int64_t(i), 0, 0, 0, 0, uint8_t(1 + i % 4)));
    t.append(ev(EventKind::PhaseExit, ++ts, int64_t(Phase::Poll), 100));
    t.append(ev(EventKind::PhaseEnter, ++ts, int64_t(Phase::Check)));
    t.append(ev(EventKind::CallbackEnter, ++ts, id));
    t.append(ev(EventKind::CallbackExit, ++ts, id));
    t.append(ev(EventKind::CallbackEnter, ++ts, id + 1));
    t.append(ev(EventKind::CallbackExit, ++ts, id + 1));
    t.append(ev(EventKind::GcEnd, ++ts, GcScavenge, int64_t(i) * 8, 1000, 0, 0, 0));
    t.append(ev(EventKind::PhaseExit, ++ts, int64_t(Phase::Check)));
    ++id;
  }
  t.append(ev(EventKind::LoopEnd, ++ts));
  t.append(ev(EventKind::RunEnd, ++ts, 0, 0, 0));
  return t;
}

}  // namespace

TEST(LoopState, RandomSeeksInALargeTraceEqualASequentialReplay) {
  Trace trace = syntheticTrace(70000);  // about a million events
  auto t0 = std::chrono::steady_clock::now();
  LoopTimeline timeline(trace);
  double indexSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::mt19937_64 rng(42);
  std::vector<size_t> positions;
  for (int i = 0; i < 200; ++i) positions.push_back(rng() % (trace.size() + 1));
  std::sort(positions.begin(), positions.end());
  // Sequential replay from zero, compared with each seek.
  LoopStateBuilder builder(trace);
  LoopState sequential;
  size_t applied = 0;
  double worstSeekMs = 0;
  for (size_t p : positions) {
    for (; applied < p; ++applied) {
      builder.index(applied);
      builder.apply(sequential, applied);
    }
    auto s0 = std::chrono::steady_clock::now();
    LoopState seeked = timeline.stateAt(p);
    worstSeekMs =
        std::max(worstSeekMs, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s0).count());
    ASSERT_EQ(loopStateJson(seeked), loopStateJson(sequential)) << "position " << p;
  }
  // Printed, not asserted: times on shared machines are noise.
  std::printf("indexed %zu events in %.2f s; slowest of 200 seeks %.3f ms\n", trace.size(), indexSeconds, worstSeekMs);
}

TEST(LoopState, TimersRunInDueOrderAndAnIntervalIsRequeuedAfterItRuns) {
  Trace t;
  t.append(ev(EventKind::RunStart, 0, 4));
  t.append(ev(EventKind::TimerScheduled, 1'000'000, 5, 1, 0, 10, 0));  // due at 11 ms
  t.append(ev(EventKind::TimerScheduled, 2'000'000, 6, 1, 0, 2, 1));   // interval, due at 4 ms
  LoopTimeline timeline(t);
  LoopState s = timeline.stateAt(t.size());
  ASSERT_EQ(s.timers.size(), 2u);
  EXPECT_EQ(s.timers[0].asyncId, 6) << "due first";
  t.append(ev(EventKind::CallbackEnter, 4'000'000, 6));
  t.append(ev(EventKind::CallbackExit, 4'500'000, 6));
  timeline.extend();
  s = timeline.stateAt(t.size());
  ASSERT_EQ(s.timers.size(), 2u) << "the interval is back in the list";
  EXPECT_EQ(s.timers[0].asyncId, 6);
  EXPECT_EQ(s.timers[0].dueNs, 6'000'000u) << "one delay after its run started";
  t.append(ev(EventKind::TimerCleared, 5'000'000, 6));
  timeline.extend();
  EXPECT_EQ(timeline.stateAt(t.size()).timers.size(), 1u);
}

TEST(LoopState, TheHeapBeforeTheFirstGcIsShownAndAGcReplacesItWithoutCountingTheReadingAsOne) {
  Trace t;
  t.append(ev(EventKind::RunStart, 0, 4));
  t.append(ev(EventKind::HeapUsage, 10, 100, 2'000, 300, 40, 5));
  LoopTimeline timeline(t);
  LoopState s = timeline.stateAt(t.size());
  EXPECT_EQ(s.heap.newSpace, 100);
  EXPECT_EQ(s.heap.oldSpace, 2'000);
  EXPECT_EQ(s.heap.codeSpace, 300);
  EXPECT_EQ(s.heap.mapSpace, 40);
  EXPECT_EQ(s.heap.largeObjectSpace, 5);
  EXPECT_EQ(s.heap.scavenges + s.heap.markSweeps, 0) << "a reading is not a GC";
  EXPECT_EQ(timeline.stateAt(1).heap.oldSpace, 0) << "nothing known before the reading";
  t.append(ev(EventKind::GcBegin, 20, GcScavenge));
  t.append(ev(EventKind::GcEnd, 30, GcScavenge, 50, 2'100, 300, 40));  // large objects: none now
  timeline.extend();
  s = timeline.stateAt(t.size());
  EXPECT_EQ(s.heap.newSpace, 50);
  EXPECT_EQ(s.heap.largeObjectSpace, 0);
  EXPECT_EQ(s.heap.scavenges, 1);
}

TEST(LoopState, PromiseReactionsAreQueuedWhenTheirParentSettles) {
  Trace t;
  t.append(ev(EventKind::String, 0, 1), "PROMISE");
  t.append(ev(EventKind::RunStart, 0, 4));
  t.append(ev(EventKind::AsyncInit, 1, 20, 1, 1, 0));   // parent, not settled yet
  t.append(ev(EventKind::AsyncInit, 2, 21, 20, 1, 0));  // then() on it
  LoopTimeline timeline(t);
  EXPECT_TRUE(timeline.stateAt(t.size()).microtasks.empty()) << "waiting for the parent";
  t.append(ev(EventKind::PromiseResolve, 3, 20));
  t.append(ev(EventKind::AsyncInit, 4, 22, 20, 1, 0));  // then() on a settled promise
  timeline.extend();
  LoopState s = timeline.stateAt(t.size());
  ASSERT_EQ(s.microtasks.size(), 2u);
  EXPECT_EQ(s.microtasks[0].asyncId, 21);
  EXPECT_EQ(s.microtasks[1].asyncId, 22);
  t.append(ev(EventKind::CallbackEnter, 5, 21));
  t.append(ev(EventKind::CallbackExit, 6, 21));
  t.append(ev(EventKind::MicrotaskDrainEnd, 7));
  timeline.extend();
  EXPECT_TRUE(timeline.stateAt(t.size()).microtasks.empty());
  EXPECT_EQ(timeline.stateAt(t.size() - 2).microtasks.size(), 1u) << "21 ran, 22 still queued";
}

namespace {

// 100,000 timers of one delay scheduled by the main script, then run one by one: the shape of
// a snippet that took 53 s and 800 MB to open when every checkpoint copied every waiting timer
// and each run timer was erased from the front of a vector.
Trace manyPendingTimers(int64_t count) {
  Trace t;
  uint64_t ts = 0;
  t.append(ev(EventKind::RunStart, ts, 4, 1, 0, 0));
  t.append(ev(EventKind::CallbackEnter, ++ts, 1));
  for (int64_t id = 10; id < 10 + count; ++id) t.append(ev(EventKind::TimerScheduled, ++ts, id, 1, 0, 1000, 0));
  t.append(ev(EventKind::CallbackExit, ++ts, 1));
  t.append(ev(EventKind::LoopStart, ++ts));
  t.append(ev(EventKind::PhaseEnter, ++ts, int64_t(Phase::Timers)));
  ts = 1'000'000'000;  // a second later, all of them are due; they run in scheduling order
  for (int64_t id = 10; id < 10 + count; ++id) {
    t.append(ev(EventKind::CallbackEnter, ++ts, id));
    t.append(ev(EventKind::CallbackExit, ++ts, id));
  }
  t.append(ev(EventKind::PhaseExit, ++ts, int64_t(Phase::Timers)));
  t.append(ev(EventKind::LoopEnd, ++ts));
  return t;
}

}  // namespace

TEST(LoopState, CheckpointsStayProportionalToTheTraceWithAHundredThousandPendingTimers) {
  Trace trace = manyPendingTimers(100000);
  LoopTimeline timeline(trace);
  EXPECT_LE(timeline.checkpointEntries(), 2 * trace.size())
      << "a checkpoint of a big state is taken only after as many events as it holds";
  // Seeking still equals replaying.
  LoopStateBuilder builder(trace);
  LoopState sequential;
  std::vector<size_t> positions = {100005, 150000, 250000, trace.size()};
  size_t applied = 0;
  for (size_t p : positions) {
    for (; applied < p; ++applied) {
      builder.index(applied);
      builder.apply(sequential, applied);
    }
    EXPECT_EQ(loopStateJson(timeline.stateAt(p)), loopStateJson(sequential)) << "position " << p;
  }
  EXPECT_EQ(timeline.stateAt(100005).timers.size(), 100000u);
  EXPECT_TRUE(timeline.stateAt(trace.size()).timers.empty());
}

TEST(LoopState, AHugeOrNegativePoolSizeInTheTraceIsClampedNotAllocated) {
  for (int64_t size : {int64_t(1) << 40, int64_t(-5), int64_t(0)}) {
    Trace t;
    t.append(ev(EventKind::RunStart, 0, size, 1, 0, 0));
    LoopTimeline timeline(t);
    LoopState s = timeline.stateAt(1);
    EXPECT_GE(s.pool.size, 1);
    EXPECT_LE(s.pool.size, int(kMaxPoolSlots));
    EXPECT_EQ(s.pool.slots.size(), size_t(s.pool.size));
  }
}

TEST(LoopState, SteppingByPhaseVisitsEveryBoundaryOnceInBothDirectionsAndReachesTheMainScript) {
  Trace t = syntheticTrace(3);
  // The synthetic run has no main-script callback: add one at the front the way the engine does.
  Trace withMain;
  withMain.append(ev(EventKind::RunStart, 0, 4, 1, 0, 0));
  withMain.append(ev(EventKind::CallbackEnter, 0, 1));
  withMain.append(ev(EventKind::CallbackExit, 0, 1));
  for (size_t i = 1; i < t.size(); ++i) withMain.append(t.events()[i]);
  LoopTimeline timeline(withMain);
  for (auto step : {LoopTimeline::Step::Phase, LoopTimeline::Step::Iteration, LoopTimeline::Step::Callback}) {
    std::vector<size_t> forward, backward;
    for (size_t p = 0, q; (q = timeline.next(p, step)) != p; p = q) forward.push_back(q);
    for (size_t p = withMain.size(), q; (q = timeline.previous(p, step)) != p; p = q) backward.push_back(q);
    std::reverse(backward.begin(), backward.end());
    EXPECT_EQ(forward, backward) << "step " << int(step);
    EXPECT_FALSE(forward.empty());
  }
  // Back by phase ends at the main script, not at the first loop phase.
  size_t first = timeline.next(0, LoopTimeline::Step::Phase);
  EXPECT_EQ(timeline.stateAt(first).current->asyncId, 1);
  // Each iteration boundary shows that iteration's first phase, not the previous one's last.
  for (size_t p = 0, q; (q = timeline.next(p, LoopTimeline::Step::Iteration)) != p; p = q) {
    LoopState s = timeline.stateAt(q);
    EXPECT_EQ(s.phase, Phase::Poll) << "iteration " << s.iteration;
  }
}
