#include "interpret/origins.h"

#include <unordered_map>
#include <unordered_set>

#include "interpret/attribution.h"

namespace loopscope {

bool createsAsyncResource(EventKind kind) {
  return kind == EventKind::AsyncInit || kind == EventKind::TimerScheduled || kind == EventKind::ImmediateScheduled ||
         kind == EventKind::TickScheduled || kind == EventKind::MicrotaskQueued;
}

void OriginIndex::add(const Trace& trace, size_t eventIndex) {
  const Event& ev = trace.events()[eventIndex];
  // The first record is the creation; a timer scheduled again (refresh) keeps its origin.
  if (createsAsyncResource(ev.kind)) m_createdAt.emplace(callbackOf(ev), eventIndex);
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

std::vector<OriginStep> findOriginChain(const Trace& trace, int64_t asyncId) {
  // The steps and their ids from the trace's table (no creation records known yet)...
  std::vector<OriginStep> steps = OriginIndex().chain(trace, asyncId);
  if (steps.empty()) return steps;
  // ... then one pass for where each was created and first ran.
  std::unordered_map<int64_t, size_t> stepOfId;
  for (size_t k = 0; k < steps.size(); ++k) stepOfId.emplace(steps[k].asyncId, k);
  auto stepOf = [&](int64_t id) -> OriginStep* {
    auto it = stepOfId.find(id);
    return it == stepOfId.end() ? nullptr : &steps[it->second];
  };
  // The main script has no creation record: the pass may end early only without it.
  size_t missing = 2 * steps.size() - (steps.back().asyncId == 1 ? 1 : 0);
  const std::vector<Event>& events = trace.events();
  for (size_t i = 0; i < events.size() && missing > 0; ++i) {
    const Event& ev = events[i];
    const bool creates = createsAsyncResource(ev.kind);
    if (!creates && ev.kind != EventKind::CallbackEnter) continue;
    OriginStep* step = stepOf(callbackOf(ev));
    if (!step) continue;
    if (creates && !step->createdKnown) {
      step->createdAt = i;
      step->createdKnown = true;
      --missing;
    } else if (!creates && !step->ranKnown) {
      step->ranAt = i;
      step->ranKnown = true;
      --missing;
    }
  }
  return steps;
}

}  // namespace loopscope
