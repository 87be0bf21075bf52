#include "interpret/origins.h"

#include <unordered_set>

#include "interpret/attribution.h"

namespace loopscope {

void OriginIndex::add(const Trace& trace, size_t eventIndex) {
  const Event& ev = trace.events()[eventIndex];
  const bool creates = ev.kind == EventKind::AsyncInit || ev.kind == EventKind::TimerScheduled ||
                       ev.kind == EventKind::ImmediateScheduled || ev.kind == EventKind::TickScheduled ||
                       ev.kind == EventKind::MicrotaskQueued;
  // The first record is the creation; a timer scheduled again (refresh) keeps its origin.
  if (creates) m_createdAt.emplace(callbackOf(ev), eventIndex);
}

std::vector<OriginStep> OriginIndex::chain(const Trace& trace, int64_t asyncId) const {
  std::vector<OriginStep> steps;
  std::unordered_set<int64_t> seen;
  for (int64_t id = asyncId; id != 0 && steps.size() < kMaxDepth && seen.insert(id).second;) {
    OriginStep step;
    step.asyncId = id;
    step.type = std::string(trace.asyncType(id));
    step.label = id == 1 ? std::string("main script") : trace.callbackLabel(id);
    if (auto it = m_createdAt.find(id); it != m_createdAt.end()) {
      step.createdAt = it->second;
      step.createdKnown = true;
    }
    steps.push_back(std::move(step));
    if (id == 1) break;  // the main script: where every chain on the main thread begins
    const AsyncInfo* info = trace.async(id);
    id = info ? info->trigger : 0;
  }
  return steps;
}

}  // namespace loopscope
