// Comparing two heap snapshots by constructor, on hand-built records: what grew comes first,
// what did not change is left out, and hostile numbers cannot overflow the sums.
#include <gtest/gtest.h>

#include <limits>

#include "interpret/heap_snapshots.h"
#include "../common/trace_builder.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

HeapSnapshotIndex indexOf(const Trace& trace) {
  HeapSnapshotIndex index;
  for (size_t i = 0; i < trace.size(); ++i) index.add(trace, i);
  return index;
}

TEST(HeapSnapshots, TheConstructorThatGrewMostComesFirstAndUnchangedOnesAreLeftOut) {
  TraceBuilder b;
  int64_t session = b.text("LeakySession"), array = b.text("Array"), map = b.text("Map");
  b.add(EventKind::HeapClass, {1, session, 10, 1000, 5000});
  b.add(EventKind::HeapClass, {1, array, 50, 800, 800});
  b.add(EventKind::HeapClass, {1, map, 3, 300, 300});
  b.add(EventKind::HeapSnapshot, {1, b.text("before"), 63, 2100});
  b.add(EventKind::HeapClass, {2, session, 1010, 101000, 505000});
  b.add(EventKind::HeapClass, {2, array, 60, 960, 960});
  b.add(EventKind::HeapClass, {2, map, 3, 300, 300});
  b.add(EventKind::HeapSnapshot, {2, b.text("after"), 1073, 102260});
  HeapSnapshotIndex index = indexOf(b.trace());
  ASSERT_EQ(index.snapshots().size(), 2u);
  EXPECT_EQ(index.snapshots()[1].label, "after");
  std::vector<ClassDelta> rows = index.compare(1, 2);
  ASSERT_EQ(rows.size(), 2u) << "Map did not change";
  EXPECT_EQ(rows[0].constructorName, "LeakySession");
  EXPECT_EQ(rows[0].objectsDelta(), 1000);
  EXPECT_EQ(rows[0].retainedDelta(), 500000);
  EXPECT_EQ(rows[1].constructorName, "Array");
  EXPECT_TRUE(index.compare(2, 2).empty());
}

TEST(HeapSnapshots, RowsOfOneNameAddUpAndHostileNumbersSaturate) {
  TraceBuilder b;
  int64_t name = b.text("Thing");
  const int64_t huge = std::numeric_limits<int64_t>::max() - 1;
  b.add(EventKind::HeapClass, {1, name, huge, 1, 1});
  b.add(EventKind::HeapClass, {1, name, huge, 2, 2});
  b.add(EventKind::HeapSnapshot, {1, 0, 0, 0});
  HeapSnapshotIndex index = indexOf(b.trace());
  std::vector<ClassDelta> rows = index.compare(0, 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].objectsAfter, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(rows[0].bytesAfter, 3);
}

}  // namespace
