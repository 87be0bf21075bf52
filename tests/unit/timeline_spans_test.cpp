// The timeline's lanes built from a hand-built trace, without any painting: which lane each span
// goes to, how spans nest and close, and the series under the lanes.
#include <gtest/gtest.h>

#include "interpret/timeline_spans.h"
#include "../common/trace_builder.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

const TimelineLane& lane(const TimelineSpans& spans, TimelineLane::Kind kind, int slot = 0) {
  int index = spans.laneIndex(kind, slot);
  EXPECT_GE(index, 0);
  return spans.lanes()[size_t(std::max(index, 0))];
}

TimelineSpans spansOf(const Trace& trace) {
  TimelineSpans spans;
  spans.reset(&trace);
  spans.update();
  return spans;
}

TEST(TimelineSpans, EachPhaseOfEachIterationIsAClosedSpanInThePhasesLane) {
  Trace trace = demoRun().trace();
  TimelineSpans spans = spansOf(trace);
  const TimelineLane& phases = lane(spans, TimelineLane::Kind::Phases);
  ASSERT_FALSE(phases.tracks.empty());
  int polls = 0;
  for (const TimelineSpan& s : phases.tracks[0]) {
    EXPECT_FALSE(s.open());
    if (s.style == SpanStyle(uint8_t(SpanStyle::PhaseMain) + uint8_t(Phase::Poll))) ++polls;
  }
  EXPECT_EQ(polls, 3) << "one poll per iteration of the demo run";
}

TEST(TimelineSpans, ACallbackInsideAnotherGoesToADeeperTrackAndThePoolJobToItsSlot) {
  Trace trace = demoRun().trace();
  TimelineSpans spans = spansOf(trace);
  const TimelineLane& callbacks = lane(spans, TimelineLane::Kind::Callbacks);
  ASSERT_GE(callbacks.tracks.size(), 1u);
  // The read completion (PoolDone) holds the onRead callback: two tracks.
  EXPECT_GE(callbacks.tracks.size(), 2u);
  const TimelineLane& slot1 = lane(spans, TimelineLane::Kind::PoolSlot, 1);
  ASSERT_FALSE(slot1.tracks.empty());
  ASSERT_EQ(slot1.tracks[0].size(), 1u);
  EXPECT_EQ(slot1.tracks[0][0].style, SpanStyle::PoolJob);
  EXPECT_NEAR(slot1.tracks[0][0].startMs, 0.450, 1e-9);
  EXPECT_NEAR(slot1.tracks[0][0].endMs, 0.900, 1e-9);
}

TEST(TimelineSpans, ARunCutShortLeavesItsLastSpansOpen) {
  Trace trace = demoRun(false).trace(40);  // stops in the middle of iteration 1's poll
  TimelineSpans spans = spansOf(trace);
  const TimelineLane& phases = lane(spans, TimelineLane::Kind::Phases);
  ASSERT_FALSE(phases.tracks.empty());
  EXPECT_TRUE(phases.tracks[0].back().open());
}

TEST(TimelineSpans, HeapSeriesFollowsEachGcEnd) {
  Trace trace = demoRun().trace();
  TimelineSpans spans = spansOf(trace);
  ASSERT_EQ(spans.oldSpaceMb().size(), 1u);
  EXPECT_DOUBLE_EQ(spans.oldSpaceMb()[0].value, 4.0);
  EXPECT_DOUBLE_EQ(spans.newSpaceMb()[0].value, 1.0);
}

}  // namespace
