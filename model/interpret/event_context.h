// What a list of events shows beside each event that the record alone does not say: the
// main-loop phase it happened in, and for a pool record the kind of work its job does (the job's
// PoolSubmit names it). Read once, in trace order, as the trace grows (the Events table).
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "trace/events.h"

namespace loopscope {

class EventContext {
 public:
  // Reads the next event; returns the main-loop phase it belongs to: the phase it enters or
  // leaves, or the one open when it happened ("main" before the loop starts). None for other
  // threads and for what happens between phases once the loop runs.
  std::optional<Phase> add(const Event& ev);
  // The work-kind string of a pool job, -1 when its submission was not seen.
  int64_t jobKind(int64_t jobId) const;

 private:
  std::optional<Phase> m_open = Phase::Main;
  std::unordered_map<int64_t, int64_t> m_jobKind;  // pool job id -> work-kind string id
};

}  // namespace loopscope
