// What each constructor's objects keep alive: retained sizes from the dominator tree of a heap
// graph. The engine builds the graph from V8's heap snapshot (engine/host/js_probes.cpp) and
// records the result per constructor; the computation itself needs no V8, so it is tested here
// on hand-made graphs. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace loopscope {

struct HeapGraph {
  int root = 0;
  std::vector<int64_t> selfBytes;  // per node: its own size
  std::vector<int> classOf;        // per node: index into classNames, -1 = not counted
  std::vector<std::string> classNames;
  std::vector<std::vector<int>> strongEdges;  // per node: the nodes it keeps alive (weak edges left out)
  size_t size() const { return selfBytes.size(); }
};

// Each node's immediate dominator (the root's is the root; -1 for nodes the root cannot reach):
// every path from the root to a node passes through its dominators, so freeing the dominator
// frees the node. Cooper, Harvey and Kennedy's iterative algorithm over reverse postorder.
std::vector<int> immediateDominators(const HeapGraph& graph);

struct ClassRetention {
  int64_t objects = 0;
  int64_t selfBytes = 0;
  int64_t retainedBytes = 0;  // what freeing all of them would free (not counted twice when an
                              // object of the class is held by another of the same class)
};

// Per constructor name: objects, self bytes and retained bytes. `objects`/`bytes` receive the
// totals over every counted node.
std::unordered_map<std::string, ClassRetention> retentionByClass(const HeapGraph& graph, int64_t& objects,
                                                                 int64_t& bytes);

}  // namespace loopscope
