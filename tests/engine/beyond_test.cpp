// Beyond one loop: worker loops, child processes, V8's JIT, hidden classes, memory, loop health.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "harness.h"
#include "trace/health.h"
#include "trace/loop_state.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {
std::string chromeExport(const EngineRun& run) {
  std::string out = scratchDir() + "/trace.json";
  EngineRun exp = runEngine({"export", run.tracePath, "--chrome", out});
  std::ifstream in(out);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST(Workers, EachWorkerLoopRecordsItsOwnPhasesOnItsOwnThread) {
  EngineRun run = runTraced(snippet("modules/worker.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  int workerIterations = 0, workerPhases = 0, mainIterations = 0;
  for (const Event& ev : run.trace.trace.events()) {
    if (ev.kind == EventKind::Iteration) (isWorkerThread(ev.thread) ? workerIterations : mainIterations)++;
    if (ev.kind == EventKind::PhaseEnter && isWorkerThread(ev.thread)) ++workerPhases;
  }
  EXPECT_GE(workerIterations, 1);
  EXPECT_GE(workerPhases, 8);
  EXPECT_GE(mainIterations, 1);
  std::string json = chromeExport(run);
  EXPECT_NE(json.find("\"name\":\"worker #1: event loop\""), std::string::npos);
}

TEST(Workers, AWorkersCallbacksAreRecordedOnItsThreadInItsOwnPhases) {
  EngineRun run = runTraced(snippet("worker_timers.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "main got done\n");
  const Trace& trace = run.trace.trace;
  std::map<uint8_t, Phase> phaseOf;  // the phase each thread's loop is in
  std::map<std::string, std::pair<uint8_t, Phase>> ranOn;
  for (const Event& ev : trace.events()) {
    if (ev.kind == EventKind::PhaseEnter) phaseOf[ev.thread] = Phase(ev.a());
    if (ev.kind == EventKind::CallbackEnter) {
      const AsyncInfo* info = trace.async(ev.a());
      const FunctionSiteInfo* site = info ? trace.site(info->site) : nullptr;
      if (site) ranOn[site->name] = {ev.thread, phaseOf.count(ev.thread) ? phaseOf[ev.thread] : Phase::Main};
    }
  }
  ASSERT_TRUE(ranOn.count("workerTimer"));
  ASSERT_TRUE(ranOn.count("workerImmediate"));
  EXPECT_TRUE(isWorkerThread(ranOn["workerTimer"].first));
  EXPECT_EQ(ranOn["workerTimer"].second, Phase::Timers);
  EXPECT_EQ(ranOn["workerImmediate"].first, ranOn["workerTimer"].first);
  EXPECT_EQ(ranOn["workerImmediate"].second, Phase::Check);
  EXPECT_EQ(trace.asyncType(1), "main");
  // The Worker's postMessage('done') is recorded on its thread, addressed to the main thread,
  // and the export draws it as an arrow.
  bool posted = false;
  for (const Event& ev : trace.events())
    if (ev.kind == EventKind::MessagePosted && isWorkerThread(ev.thread) && ev.a() == kMainThread && ev.b() == 6)
      posted = true;
  EXPECT_TRUE(posted) << "'\"done\"' is 6 bytes of JSON";
  std::string json = chromeExport(run);
  EXPECT_NE(json.find("\"ph\":\"f\",\"cat\":\"worker.message\",\"name\":\"postMessage\""), std::string::npos)
      << json.substr(0, 300);
  // The main thread's queues never show the Worker's callbacks.
  LoopTimeline timeline(trace);
  for (size_t p = 0; p <= trace.size(); p += 7)
    for (const auto& e : timeline.stateAt(p).timers) EXPECT_NE(e.label, "workerTimer");
}

TEST(ChildProcesses, ForkIsRecordedWithPidIpcMessagesAndExitCode) {
  EngineRun run = runTraced(snippet("modules/fork.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  int64_t pid = 0;
  int toChild = 0, fromChild = 0, exits = 0;
  for (const Event& ev : run.trace.trace.events()) {
    if (ev.kind == EventKind::ChildSpawn) pid = ev.a();
    if (ev.kind == EventKind::IpcMessage) (IpcDirection(ev.b()) == IpcDirection::ToChild ? toChild : fromChild)++;
    if (ev.kind == EventKind::ChildExit) {
      ++exits;
      EXPECT_EQ(ev.a(), pid);
      EXPECT_EQ(ev.b(), 0);
    }
  }
  EXPECT_GT(pid, 0);
  EXPECT_EQ(toChild, 1);
  EXPECT_EQ(fromChild, 1);
  EXPECT_EQ(exits, 1);
  EXPECT_NE(chromeExport(run).find("\"cat\":\"child\""), std::string::npos);
}

TEST(Jit, HotFunctionIsOptimizedByTurboFanThenDeoptimizedWithV8sReason) {
  EngineRun run = runTraced(snippet("deopt.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "xy\n") << "V8's traces never reach the program's stdout";
  const Trace& trace = run.trace.trace;
  bool optimized = false, deoptimized = false;
  for (const Event& ev : trace.events()) {
    if (ev.kind == EventKind::JitOptimized && trace.str(ev.a()) == "add" && JitTier(ev.b()) == JitTier::TurboFan)
      optimized = true;
    if (ev.kind == EventKind::JitDeoptimized && trace.str(ev.a()) == "add") {
      EXPECT_TRUE(optimized) << "deoptimized after being optimized";
      EXPECT_FALSE(trace.str(ev.b()).empty()) << "V8's reason";
      deoptimized = true;
    }
  }
  EXPECT_TRUE(optimized);
  EXPECT_TRUE(deoptimized);
  std::string json = chromeExport(run);
  EXPECT_NE(json.find("\"cat\":\"v8.jit\",\"name\":\"deoptimized add\""), std::string::npos);
  EXPECT_NE(json.find("\"name\":\"optimized add (TurboFan)\""), std::string::npos);
}

TEST(Memory, HiddenClassesHeapSnapshotsAndListenerGrowthAreRecorded) {
  EngineRun run = runTraced(snippet("memory.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "true false\n5000\n");
  const Trace& trace = run.trace.trace;
  std::map<std::string, int64_t> shapes;
  std::map<int64_t, int64_t> entriesPerSnapshot;
  int64_t entrySelfBytes = 0, entryRetainedBytes = 0;
  int64_t highestListeners = 0;
  for (const Event& ev : trace.events()) {
    if (ev.kind == EventKind::ShapeCheck) shapes[std::string(trace.str(ev.a()))] = ev.b();
    if (ev.kind == EventKind::HeapClass && trace.str(ev.b()) == "CacheEntry") {
      entriesPerSnapshot[ev.a()] = ev.c();
      entrySelfBytes = ev.d();
      entryRetainedBytes = ev.e();
    }
    if (ev.kind == EventKind::ListenerCount && trace.str(ev.b()) == "tick")
      highestListeners = std::max(highestListeners, ev.c());
  }
  EXPECT_EQ(shapes["same order"], 1);
  EXPECT_EQ(shapes["other order"], 0);
  EXPECT_EQ(entriesPerSnapshot[1], 0) << "no CacheEntry before";
  EXPECT_GE(entriesPerSnapshot[2], 5000) << "the cache's entries after";
  // Each entry also keeps its own string ('v' + id) alive: retained exceeds self.
  EXPECT_GT(entryRetainedBytes, entrySelfBytes);
  EXPECT_GE(entryRetainedBytes - entrySelfBytes, 5000 * 16) << "at least a small string per entry";
  EXPECT_EQ(highestListeners, 5);
}

TEST(LoopHealth, LongCallbackAndNextTickStarvationAreFlaggedWithTheirLines) {
  EngineRun run = runTraced(snippet("blocking.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  auto warnings = findHealthWarnings(run.trace.trace);
  bool blocked = false, starved = false;
  for (const auto& w : warnings) {
    if (w.kind == HealthWarning::Kind::BlockedLoop && w.line == 2) {
      blocked = true;
      EXPECT_GE(w.durationNs, 100'000'000u);
    }
    if (w.kind == HealthWarning::Kind::Starvation && w.line == 8) {
      starved = true;
      EXPECT_GE(w.callbacks, 10000);
    }
  }
  EXPECT_TRUE(blocked);
  EXPECT_TRUE(starved);
  auto iterations = iterationHealth(run.trace.trace);
  ASSERT_FALSE(iterations.empty());
  double busiest = 0;
  for (const auto& it : iterations) busiest = std::max(busiest, it.utilisation());
  EXPECT_GT(busiest, 0.9) << "the iteration with the busy timer was almost all work";
  std::string json = chromeExport(run);
  EXPECT_NE(json.find("\"cat\":\"health\",\"name\":\"blocked loop\""), std::string::npos);
  EXPECT_NE(json.find("\"cat\":\"health\",\"name\":\"starvation\""), std::string::npos);
}

TEST(Workers, AtomicsWaitOnTheMainThreadIsABlockedSpanEndedByTheWorkersNotify) {
  EngineRun run = runTraced(snippet("atomics.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "main thread woke up: ok 1\n");
  const Event* start = nullptr;
  const Event* end = nullptr;
  for (const Event& ev : run.trace.trace.events()) {
    if (ev.kind == EventKind::AtomicsWaitStart) start = &ev;
    if (ev.kind == EventKind::AtomicsWaitEnd) end = &ev;
  }
  ASSERT_TRUE(start && end);
  EXPECT_EQ(start->c(), 5'000'000) << "the 5 s timeout, in microseconds";
  EXPECT_EQ(AtomicsWaitResult(end->a()), AtomicsWaitResult::Woken);
  EXPECT_GE(end->ts - start->ts, 40'000'000u) << "blocked until the worker's 50 ms timer";
  LoopTimeline timeline(run.trace.trace);
  size_t during = size_t(start - run.trace.trace.events().data()) + 1;
  EXPECT_TRUE(timeline.stateAt(during).atomicsWaiting);
  EXPECT_NE(chromeExport(run).find("\"name\":\"Atomics.wait (blocked)\""), std::string::npos);
}
