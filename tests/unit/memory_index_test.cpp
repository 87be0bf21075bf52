// The Memory tab's index (model/interpret/memory_index.h) on hand-written traces.
#include <gtest/gtest.h>

#include "../common/trace_builder.h"
#include "interpret/memory_index.h"

using namespace loopscope;
using loopscope::test::TraceBuilder;

TEST(MemoryIndex, EachCollectionIsPairedWithTheInnermostOpenBeginAndItsPauseMeasured) {
  TraceBuilder b;
  b.at(1'000).add(EventKind::GcBegin, {GcMarkSweepCompact});
  b.at(1'200).add(EventKind::GcBegin, {GcScavenge});
  b.at(1'500).add(EventKind::GcEnd, {GcScavenge, 1, 2, 3, 4, 5});
  b.at(3'000).add(EventKind::GcEnd, {GcMarkSweepCompact, 1, 2, 3, 4, 5});
  b.at(4'000).add(EventKind::GcEnd, {GcScavenge, 1, 2, 3, 4, 5});  // its begin was lost: no pause
  const Trace trace = b.trace();
  MemoryIndex index;
  index.update(trace);
  ASSERT_EQ(index.gcs().size(), 3u);
  EXPECT_EQ(index.gcs()[0].typeBits, GcScavenge);
  EXPECT_EQ(index.gcs()[0].pauseNs, 300'000u);
  EXPECT_EQ(index.gcs()[1].typeBits, GcMarkSweepCompact);
  EXPECT_EQ(index.gcs()[1].pauseNs, 2'000'000u);
  EXPECT_EQ(index.gcs()[2].pauseNs, 0u);
  EXPECT_EQ(index.gcs()[2].endIndex, trace.size() - 1);
}

TEST(MemoryIndex, ListenerGrowthKeepsEachEmitterAndEventAtItsHighestCountUpToThePosition) {
  TraceBuilder b;
  const int64_t emitter = b.text("EventEmitter"), data = b.text("data"), end = b.text("end");
  b.at(10).add(EventKind::ListenerCount, {1, data, 3, emitter});
  b.at(20).add(EventKind::ListenerCount, {1, end, 2, emitter});
  b.at(30).add(EventKind::ListenerCount, {1, data, 12, emitter});
  const Trace trace = b.trace();
  MemoryIndex index;
  index.update(trace);  // fed again below: it reads each event once
  index.update(trace);
  const std::vector<ListenerGrowth> all = index.listenerGrowth(trace, trace.size());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].event, "data");
  EXPECT_EQ(all[0].highest, 12) << "highest first";
  EXPECT_EQ(all[0].emitter, "EventEmitter #1");
  EXPECT_EQ(all[1].event, "end");
  const size_t beforeLast = trace.size() - 1;
  EXPECT_EQ(index.listenerRecordsBefore(beforeLast), 2u);
  const std::vector<ListenerGrowth> earlier = index.listenerGrowth(trace, beforeLast);
  ASSERT_EQ(earlier.size(), 2u);
  EXPECT_EQ(earlier[0].highest, 3) << "before the last record 'data' had 3 listeners";
}
