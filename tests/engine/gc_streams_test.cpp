// V8 garbage collections and stream buffers.
#include <gtest/gtest.h>

#include "harness.h"

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
