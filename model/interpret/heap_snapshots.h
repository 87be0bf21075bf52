// Heap snapshots a run took (loopscope.heapSnapshot(label) or the app's button), indexed by
// constructor so two of them can be compared: the question behind every leak hunt is "which
// constructor's objects grew between these two moments, and what do they keep alive?".
// Fed in trace order; not thread-safe (one thread feeds and reads it).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "trace/trace.h"

namespace loopscope {

struct HeapSnapshotInfo {
  int64_t number = 0;
  std::string label;
  int64_t objects = 0, bytes = 0;
  size_t eventIndex = 0;  // its HeapSnapshot record (the class rows precede it)
};

// One constructor in two snapshots: objects, self bytes and retained bytes (what its objects
// keep alive, from V8's dominator tree).
struct ClassDelta {
  std::string constructorName;
  int64_t objectsBefore = 0, objectsAfter = 0;
  int64_t bytesBefore = 0, bytesAfter = 0;
  int64_t retainedBefore = 0, retainedAfter = 0;
  int64_t objectsDelta() const { return objectsAfter - objectsBefore; }
  int64_t bytesDelta() const { return bytesAfter - bytesBefore; }
  int64_t retainedDelta() const { return retainedAfter - retainedBefore; }
};

class HeapSnapshotIndex {
 public:
  // Reads one event of the trace; events must come in order, each once.
  void add(const Trace& trace, size_t eventIndex);
  const std::vector<HeapSnapshotInfo>& snapshots() const { return m_snapshots; }
  // Constructors whose objects or self bytes changed from `before` to `after` (snapshot numbers),
  // most grown bytes first (then most grown objects). Empty when they are the same snapshot.
  std::vector<ClassDelta> compare(int64_t before, int64_t after) const;

 private:
  struct ClassTotals {
    int64_t objects = 0, bytes = 0, retained = 0;
  };
  std::vector<HeapSnapshotInfo> m_snapshots;
  std::map<int64_t, std::map<std::string, ClassTotals>> m_classes;  // snapshot -> constructor -> totals
};

}  // namespace loopscope
