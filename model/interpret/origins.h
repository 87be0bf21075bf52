// "Why did this run?": the chain of callbacks that led to one — the moment and line where it was
// scheduled, the callback that scheduled it, and so on back to the main script — from each
// resource's creation record and its triggerAsyncId. Fed in trace order; one thread.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace/trace.h"

namespace loopscope {

struct OriginStep {
  int64_t asyncId = 0;
  size_t createdAt = 0;       // index of the record that created it (where to put the play head)
  bool createdKnown = false;  // false for the main script and resources created before recording
  std::string type;           // "Timeout", "TickObject", "PROMISE", "main", ...
  std::string label;          // "onTimer snippet.js:3:12" ("" if the function is not known)
  size_t ranAt = 0;           // index of its first CallbackEnter (findOriginChain only)
  bool ranKnown = false;      // false if it has not run (yet) or for OriginIndex::chain
};

class OriginIndex {
 public:
  // Reads one event of the trace; events must come in order, each once.
  void add(const Trace& trace, size_t eventIndex);
  // The callback itself first, then what scheduled it, back to the main script (asyncId 1) or to
  // the first resource whose creator is not known. At most kMaxDepth steps: a damaged trace
  // cannot loop it.
  std::vector<OriginStep> chain(const Trace& trace, int64_t asyncId) const;
  static constexpr size_t kMaxDepth = 64;

 private:
  std::unordered_map<int64_t, size_t> m_createdAt;  // asyncId -> its first creation record
};

// The same chain without an index kept beside the trace: the triggers come from the trace's
// table of async resources, and one pass over the events finds where each step was created and
// where it first ran. For a view that asks when the user selects a callback (a few milliseconds on
// ten million events) rather than paying memory for every resource of a long run.
std::vector<OriginStep> findOriginChain(const Trace& trace, int64_t asyncId);

// Whether a record creates an async resource (AsyncInit, TimerScheduled, ...): OriginStep::createdAt.
bool createsAsyncResource(EventKind kind);

}  // namespace loopscope
