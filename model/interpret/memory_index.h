// What the Memory tab shows, indexed once as the trace grows: the heap snapshots by constructor,
// each garbage collection with its pause, and the emitters whose listener counts grew. The app
// only lays these out; the tests read them without a window.
// Fed in trace order; not thread-safe (one thread feeds and reads it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "interpret/heap_snapshots.h"
#include "trace/trace.h"

namespace loopscope {

// One collection: where it ended, what V8 did (GcType bits) and how long JavaScript waited.
struct GcPause {
  size_t endIndex = 0;
  int64_t typeBits = 0;
  uint64_t pauseNs = 0;
};

// One (emitter, event) pair at its highest listener count so far.
struct ListenerGrowth {
  int64_t emitterId = 0;
  std::string emitter;  // "EventEmitter #1", "Socket #3"
  std::string event;
  int64_t highest = 0;
  size_t eventIndex = 0;  // where it reached the highest count
};

class MemoryIndex {
 public:
  // Reads the events appended to `trace` since the last call (a new trace: a new index).
  void update(const Trace& trace);
  const HeapSnapshotIndex& heap() const { return m_heap; }
  // In the order they ended.
  const std::vector<GcPause>& gcs() const { return m_gcs; }
  // Within the first `position` events: each (emitter, event) pair at its highest count, highest
  // first.
  std::vector<ListenerGrowth> listenerGrowth(const Trace& trace, size_t position) const;
  // How many ListenerCount records lie within the first `position` events (a cheap change test).
  size_t listenerRecordsBefore(size_t position) const;

 private:
  size_t m_indexed = 0;
  HeapSnapshotIndex m_heap;
  std::vector<GcPause> m_gcs;
  std::vector<uint64_t> m_gcOpen;        // begin timestamps of collections not yet ended
  std::vector<size_t> m_listenerEvents;  // ListenerCount records
};

}  // namespace loopscope
