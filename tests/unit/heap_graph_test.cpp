// Dominators and retained sizes on hand-made heap graphs: no V8 needed.
#include <gtest/gtest.h>

#include "interpret/heap_graph.h"

using namespace loopscope;

namespace {

// root(0) -> cache(1) -> entry(2) -> payload(3)
//         -> other(4) ------------------^        (payload is shared: neither holds it alone)
HeapGraph sharedPayload() {
  HeapGraph g;
  g.root = 0;
  g.selfBytes = {0, 100, 10, 1000, 50};
  g.classNames = {"Cache", "Entry", "Buffer", "Other"};
  g.classOf = {-1, 0, 1, 2, 3};
  g.strongEdges = {{1, 4}, {2}, {3}, {}, {3}};
  return g;
}

TEST(HeapGraph, ASharedObjectIsDominatedByTheRootNotByEitherHolder) {
  std::vector<int> idom = immediateDominators(sharedPayload());
  EXPECT_EQ(idom[1], 0);
  EXPECT_EQ(idom[2], 1);
  EXPECT_EQ(idom[3], 0) << "two paths reach the payload";
  EXPECT_EQ(idom[4], 0);
}

TEST(HeapGraph, RetainedBytesCountWhatOnlyTheClassKeepsAlive) {
  HeapGraph g = sharedPayload();
  int64_t objects = 0, bytes = 0;
  auto byClass = retentionByClass(g, objects, bytes);
  EXPECT_EQ(objects, 4);
  EXPECT_EQ(bytes, 1160);
  EXPECT_EQ(byClass["Cache"].retainedBytes, 110) << "itself and its entry, not the shared payload";
  g.strongEdges[4].clear();  // 'other' lets go: now the cache alone keeps the payload
  byClass = retentionByClass(g, objects, bytes);
  EXPECT_EQ(byClass["Cache"].retainedBytes, 1110);
}

TEST(HeapGraph, AnObjectHeldByAnotherOfItsClassIsNotCountedTwice) {
  HeapGraph g;
  g.root = 0;
  g.selfBytes = {0, 10, 10, 10};
  g.classNames = {"Node"};
  g.classOf = {-1, 0, 0, 0};
  g.strongEdges = {{1}, {2}, {3}, {}};  // a linked list of three
  int64_t objects = 0, bytes = 0;
  auto byClass = retentionByClass(g, objects, bytes);
  EXPECT_EQ(byClass["Node"].retainedBytes, 30) << "the head retains all three, once";
}

TEST(HeapGraph, UnreachableNodesAndBadEdgesRetainNothingAndDoNotCrash) {
  HeapGraph g;
  g.root = 0;
  g.selfBytes = {0, 10, 20};
  g.classNames = {"Thing"};
  g.classOf = {-1, 0, 0};
  g.strongEdges = {{1, 7, -3}, {}, {1}};  // node 2 is garbage; 7 and -3 point nowhere
  std::vector<int> idom = immediateDominators(g);
  EXPECT_EQ(idom[2], -1);
  int64_t objects = 0, bytes = 0;
  auto byClass = retentionByClass(g, objects, bytes);
  EXPECT_EQ(byClass["Thing"].retainedBytes, 10);
}

}  // namespace
