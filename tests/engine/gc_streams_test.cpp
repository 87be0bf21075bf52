// V8 garbage collections and stream buffers.
#include <gtest/gtest.h>

#include "harness.h"
#include "interpret/records.h"
#include "trace/loop_state.h"

using namespace loopscope;
using namespace loopscope::test;

TEST(Gc, AllocationChurnCausesScavengesWithHeapSizes) {
  EngineRun run = runTraced(snippet("gc_churn.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  int scavenges = 0, begins = 0, ends = 0;
  for (const Event& ev : run.trace.trace.events()) {
    if (ev.kind == EventKind::GcBegin) ++begins;
    if (ev.kind == EventKind::GcEnd) {
      ++ends;
      if (ev.a() & GcScavenge) {
        ++scavenges;
        EXPECT_GT(ev.c(), 0) << "old space size is recorded";
      }
    }
  }
  EXPECT_GE(scavenges, 5);
  EXPECT_EQ(begins, ends);
}

TEST(Gc, TheHeapIsRecordedBeforeTheFirstGcAndV8sHeapLimitIsNamed) {
  EngineRun run = runTraced(writeSnippet("heap.js", "console.log(1 + 1);\n"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const Trace& trace = run.trace.trace;
  const Event* usage = nullptr;
  bool gcBefore = false;
  for (const Event& ev : trace.events()) {
    if (ev.kind == EventKind::GcEnd && !usage) gcBefore = true;
    if (ev.kind == EventKind::HeapUsage) {
      EXPECT_EQ(usage, nullptr) << "recorded once";
      usage = &ev;
    }
  }
  ASSERT_NE(usage, nullptr);
  EXPECT_FALSE(gcBefore) << "it comes before any GC of the program";
  EXPECT_EQ(usage->thread, kMainThread);
  const auto heap = as<record::HeapUsage>(*usage);
  EXPECT_GT(heap.oldSpace, 1'000'000) << "Node's own objects are in old space from the start";
  EXPECT_GT(heap.codeSpace, 0);
  // The dashboard reads it: the heap is not empty at the first event after it.
  LoopTimeline timeline(trace);
  const size_t after = size_t(usage - trace.events().data()) + 1;
  EXPECT_EQ(timeline.stateAt(after).heap.oldSpace, heap.oldSpace);
  const double limit = std::stod(trace.meta("v8.heap_size_limit"));
  EXPECT_GT(limit, 100.0 * 1024 * 1024) << "V8's heap limit, in bytes";
}

TEST(Streams, BackpressureShowsWriteFalseThenDrainWithBufferedAgainstHighWaterMark) {
  EngineRun run = runTraced(snippet("backpressure.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  int writeFalse = 0, drains = 0, finishes = 0;
  bool sawFull = false;
  for (const Event& ev : run.trace.trace.events()) {
    if (ev.kind != EventKind::StreamState) continue;
    EXPECT_EQ(ev.d(), 16) << "highWaterMark";
    switch (StreamEvent(ev.b())) {
      case StreamEvent::WriteFalse:
        ++writeFalse;
        if (ev.c() >= 16) sawFull = true;
        break;
      case StreamEvent::Drain: ++drains; break;
      case StreamEvent::Finish: ++finishes; break;
      default: break;
    }
  }
  EXPECT_GE(writeFalse, 1);
  EXPECT_EQ(drains, writeFalse) << "every write() that returned false is followed by a drain";
  EXPECT_TRUE(sawFull) << "buffered >= highWaterMark when write() returned false";
  EXPECT_EQ(finishes, 1);
}
