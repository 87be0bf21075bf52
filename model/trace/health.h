// Loop health, computed from the exact phase and callback records: how busy each iteration
// was, and warnings for what keeps the loop from turning (a long callback or synchronous
// stretch; a recursive nextTick/microtask chain that starves the phases). Time the engine spent
// paused in live step mode is nobody's, and Node loading its own built-in modules (and its
// module loader around the main module's code) is Node's: warnings leave both out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trace.h"

namespace loopscope {

struct IterationHealth {
  int64_t iteration = 0;
  uint64_t startNs = 0, endNs = 0;
  uint64_t blockedNs = 0;  // time poll spent waiting in epoll: the loop was idle
  // Time the engine stood still in live step mode, waiting for the user: neither work nor idle
  // time of the program, so it counts for nothing.
  uint64_t pausedNs = 0;
  // The iteration's length without the paused time.
  uint64_t runNs() const {
    uint64_t span = endNs > startNs ? endNs - startNs : 0;
    return span - std::min(pausedNs, span);
  }
  // Share of the iteration spent running (not waiting in poll), 0..1.
  double utilisation() const {
    uint64_t span = runNs();
    return span ? 1.0 - double(std::min(blockedNs, span)) / double(span) : 0.0;
  }
  // Busy time: how long an event arriving at the start of the iteration could have waited.
  uint64_t busyNs() const { return runNs() - std::min(blockedNs, runNs()); }
};

// Follows the main loop's iterations as events arrive (the app's timeline, live) or all at once
// (iterationHealth): one arithmetic for both. An iteration runs from its Iteration record to the
// next one, or to the loop's end; a run that stops inside one reports it up to its last phase.
class IterationHealthTracker {
 public:
  // Feeds one event of the main thread (others are ignored). Returns the iteration this event
  // finished, if it finished one.
  std::optional<IterationHealth> add(const Event& ev);
  // The iteration in progress, up to its last phase exit (for a run cut short inside it).
  std::optional<IterationHealth> unfinished() const;

 private:
  std::optional<IterationHealth> finish(uint64_t endNs);
  std::optional<IterationHealth> m_open;
  std::optional<uint64_t> m_pausedSince;  // live step mode: when the engine stopped to wait
};

struct HealthWarning {
  enum class Kind { BlockedLoop, Starvation };
  Kind kind = Kind::BlockedLoop;
  size_t eventIndex = 0;  // where it starts
  uint64_t startNs = 0, durationNs = 0;
  int64_t asyncId = 0;    // the offending callback (the one most often run, for a chain)
  int64_t callbacks = 1;  // chain length for starvation
  std::string label;      // "name file:line:col" of the offending callback
  int line = 0;
  std::string message;  // one sentence for people
};

struct HealthOptions {
  uint64_t blockedThresholdNs = 50'000'000;  // a callback this long blocks the loop (50 ms)
  // A nextTick/microtask chain this long (or longer than the blocked threshold) starves it.
  int64_t starvationCallbacks = 10'000;
};

std::vector<IterationHealth> iterationHealth(const Trace& trace);
std::vector<HealthWarning> findHealthWarnings(const Trace& trace, const HealthOptions& options = {});

}  // namespace loopscope
