#include "interpret/memory_index.h"

#include <algorithm>
#include <map>

#include "interpret/records.h"

namespace loopscope {

void MemoryIndex::update(const Trace& trace) {
  const auto& events = trace.events();
  for (; m_indexed < events.size(); ++m_indexed) {
    const Event& ev = events[m_indexed];
    if (ev.kind == EventKind::HeapClass || ev.kind == EventKind::HeapSnapshot) {
      m_heap.add(trace, m_indexed);
    } else if (ev.kind == EventKind::ListenerCount) {
      m_listenerEvents.push_back(m_indexed);
    } else if (ev.kind == EventKind::GcBegin) {
      m_gcOpen.push_back(ev.ts);
    } else if (ev.kind == EventKind::GcEnd) {
      // The innermost open collection is the one ending (a scavenge may finish incremental marking).
      const uint64_t begin = m_gcOpen.empty() ? ev.ts : m_gcOpen.back();
      if (!m_gcOpen.empty()) m_gcOpen.pop_back();
      m_gcs.push_back({m_indexed, as<record::GcEnd>(ev).typeBits, ev.ts - std::min(begin, ev.ts)});
    }
  }
}

size_t MemoryIndex::listenerRecordsBefore(size_t position) const {
  return size_t(std::lower_bound(m_listenerEvents.begin(), m_listenerEvents.end(), position) -
                m_listenerEvents.begin());
}

std::vector<ListenerGrowth> MemoryIndex::listenerGrowth(const Trace& trace, size_t position) const {
  std::map<std::pair<int64_t, int64_t>, ListenerGrowth> highest;  // (emitter, event string) -> growth
  const size_t count = listenerRecordsBefore(position);
  for (size_t k = 0; k < count; ++k) {
    const auto listeners = as<record::ListenerCount>(trace.events()[m_listenerEvents[k]]);
    ListenerGrowth& g = highest[{listeners.emitterId, listeners.eventNameString}];
    if (listeners.count >= g.highest) {
      g.emitterId = listeners.emitterId;
      g.emitter = std::string(trace.str(listeners.constructorString)) + " #" + std::to_string(listeners.emitterId);
      g.event = std::string(trace.str(listeners.eventNameString));
      g.highest = listeners.count;
      g.eventIndex = m_listenerEvents[k];
    }
  }
  std::vector<ListenerGrowth> grown;
  for (auto& [key, g] : highest) grown.push_back(g);
  std::stable_sort(grown.begin(), grown.end(),
                   [](const ListenerGrowth& x, const ListenerGrowth& y) { return x.highest > y.highest; });
  return grown;
}

}  // namespace loopscope
