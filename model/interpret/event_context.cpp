#include "interpret/event_context.h"

#include "interpret/records.h"

namespace loopscope {

std::optional<Phase> EventContext::add(const Event& ev) {
  if (ev.kind == EventKind::PoolSubmit) {
    const auto submit = as<record::PoolSubmit>(ev);
    m_jobKind[submit.jobId] = submit.workKindString;
  }
  if (ev.thread != kMainThread) return std::nullopt;
  std::optional<Phase> phase = m_open;
  if (ev.kind == EventKind::PhaseEnter) {
    phase = m_open = as<record::PhaseEnter>(ev).phase;
  } else if (ev.kind == EventKind::PhaseExit) {
    phase = as<record::PhaseExit>(ev).phase;
    m_open.reset();
  } else if (ev.kind == EventKind::LoopStart) {
    phase = m_open = std::nullopt;
  } else if (ev.kind == EventKind::LoopEnd) {
    m_open.reset();
  }
  return phase;
}

int64_t EventContext::jobKind(int64_t jobId) const {
  auto it = m_jobKind.find(jobId);
  return it == m_jobKind.end() ? -1 : it->second;
}

}  // namespace loopscope
