#include "health.h"

#include "interpret/attribution.h"
#include "interpret/records.h"

#include <algorithm>
#include <map>

namespace loopscope {
namespace {

std::string ms(uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", double(ns) / 1e6);
  return buf;
}

bool isQueueDrainType(std::string_view type) {
  return type == "TickObject" || type == "PROMISE" || type == "Microtask";
}

int lineOf(const Trace& trace, int64_t asyncId) {
  const AsyncInfo* info = trace.async(asyncId);
  const FunctionSiteInfo* site = info ? trace.site(info->site) : nullptr;
  return site ? site->line : 0;
}

}  // namespace

std::optional<IterationHealth> IterationHealthTracker::finish(uint64_t endNs) {
  if (!m_open) return std::nullopt;
  IterationHealth done = *m_open;
  done.endNs = std::max(endNs, done.startNs);
  m_open.reset();
  return done;
}

std::optional<IterationHealth> IterationHealthTracker::add(const Event& ev) {
  if (ev.thread != kMainThread) return std::nullopt;
  switch (ev.kind) {
    case EventKind::Iteration: {
      auto done = finish(ev.ts);
      m_open = IterationHealth{as<record::Iteration>(ev).number, ev.ts, ev.ts, 0};
      return done;
    }
    case EventKind::PhaseExit: {
      if (!m_open) break;
      auto exit = as<record::PhaseExit>(ev);
      // Time poll spent waiting in epoll was idle time, not loop work.
      if (exit.phase == Phase::Poll)
        m_open->blockedNs += uint64_t(std::max<int64_t>(0, exit.blockedNs));
      else
        m_open->endNs = ev.ts;
      break;
    }
    case EventKind::LoopEnd: return finish(ev.ts);
    case EventKind::Paused: m_pausedSince = ev.ts; break;
    case EventKind::Resumed:
      if (m_pausedSince && m_open && ev.ts > *m_pausedSince) m_open->pausedNs += ev.ts - *m_pausedSince;
      m_pausedSince.reset();
      break;
    default: break;
  }
  return std::nullopt;
}

std::optional<IterationHealth> IterationHealthTracker::unfinished() const { return m_open; }

std::vector<IterationHealth> iterationHealth(const Trace& trace) {
  std::vector<IterationHealth> out;
  IterationHealthTracker tracker;
  for (const Event& ev : trace.events())
    if (auto done = tracker.add(ev)) out.push_back(*done);
  if (auto last = tracker.unfinished()) out.push_back(*last);
  return out;
}

std::vector<HealthWarning> findHealthWarnings(const Trace& trace, const HealthOptions& options) {
  std::vector<HealthWarning> warnings;
  const auto& events = trace.events();
  // Main-thread callbacks in progress: the index of each CallbackEnter and the excluded time so
  // far when it started.
  struct Open {
    size_t enter;
    uint64_t excludedBefore;
  };
  std::vector<Open> open;
  // Time so far that is not the program's: paused in live step mode (Paused .. Resumed), and
  // Node compiling and running one of its own built-in modules on first use (BuiltinModuleLoad;
  // a `node` with a start-up snapshot has most of them ready).
  uint64_t excludedNs = 0;
  std::optional<uint64_t> pausedSince;
  int loadDepth = 0;
  uint64_t loadSince = 0;
  // The main module's own code inside the main script (MainScriptBody records): Node's loader
  // work around it is the engine's start-up, not the learner's code blocking the loop.
  struct Body {
    bool seen = false;
    std::optional<size_t> openAt;  // index of the start record while the code runs
    uint64_t excludedBefore = 0;
    size_t first = 0;
    uint64_t ns = 0;  // its run time so far, without excluded time
  } body;
  auto closeBody = [&](uint64_t ts) {
    if (!body.openAt) return;
    const uint64_t startTs = events[*body.openAt].ts;
    const uint64_t length = ts > startTs ? ts - startTs : 0;
    body.ns += length - std::min(length, excludedNs - body.excludedBefore);
    body.openAt.reset();
  };

  // The current chain of nextTick/microtask callbacks run back to back at the top level.
  struct Chain {
    size_t first = 0;
    uint64_t startNs = 0, endNs = 0;
    int64_t count = 0;
    std::map<int64_t, int64_t> bySite;  // site id -> runs, to name the culprit
    int64_t anyAsyncId = 0;
    uint64_t excludedBefore = 0;  // excludedNs when the chain started
  } chain;
  auto closeChain = [&] {
    // The chain's own time: its length without the pauses inside it (saturating: a damaged
    // trace may put them anywhere).
    const uint64_t length = chain.endNs > chain.startNs ? chain.endNs - chain.startNs : 0;
    const uint64_t chainNs = length - std::min(length, excludedNs - chain.excludedBefore);
    if (chain.count > 0 && (chain.count >= options.starvationCallbacks || chainNs >= options.blockedThresholdNs)) {
      HealthWarning w;
      w.kind = HealthWarning::Kind::Starvation;
      w.eventIndex = chain.first;
      w.startNs = chain.startNs;
      w.durationNs = chainNs;
      w.callbacks = chain.count;
      w.asyncId = chain.anyAsyncId;
      auto top = std::max_element(chain.bySite.begin(), chain.bySite.end(),
                                  [](auto& a, auto& b) { return a.second < b.second; });
      if (top != chain.bySite.end()) {
        for (size_t i = chain.first; i < events.size(); ++i) {
          const AsyncInfo* info = trace.async(events[i].a());
          if (events[i].kind == EventKind::CallbackEnter && info && info->site == top->first) {
            w.asyncId = events[i].a();
            break;
          }
        }
      }
      w.label = trace.callbackLabel(w.asyncId);
      w.line = lineOf(trace, w.asyncId);
      w.message = std::to_string(chain.count) + " nextTick/microtask callbacks ran back to back for " +
                  ms(w.durationNs) + " without letting the loop reach its next phase" +
                  (w.label.empty() ? "" : " (mostly " + w.label + ")") +
                  ": a recursive process.nextTick or promise chain starves I/O and timers";
      warnings.push_back(std::move(w));
    }
    chain = Chain{};
  };

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (ev.thread != kMainThread) continue;
    switch (ev.kind) {
      case EventKind::CallbackEnter:
        if (open.empty()) {
          std::string_view type = trace.asyncType(ev.a());
          if (isQueueDrainType(type)) {
            if (chain.count == 0) {
              chain.first = i;
              chain.startNs = ev.ts;
              chain.excludedBefore = excludedNs;
            }
            ++chain.count;
            // The culprit named is the learner's code: Node's own ticks (a console.log's
            // afterWriteTick) run inside such chains but never start them.
            const AsyncInfo* info = trace.async(ev.a());
            if (info && !isInternalCallback(trace, ev.a())) {
              ++chain.bySite[info->site];
              chain.anyAsyncId = ev.a();
            }
          } else {
            closeChain();
          }
        }
        open.push_back({i, excludedNs});
        break;
      case EventKind::MainScriptBody:
        if (as<record::MainScriptBody>(ev).starts) {
          if (!body.seen) body.first = i;
          body.seen = true;
          body.openAt = i;
          body.excludedBefore = excludedNs;
        } else {
          closeBody(ev.ts);
        }
        break;
      case EventKind::BuiltinModuleLoad:
        if (as<record::BuiltinModuleLoad>(ev).starts) {
          if (loadDepth++ == 0) loadSince = ev.ts;
        } else if (loadDepth > 0 && --loadDepth == 0 && ev.ts > loadSince) {
          excludedNs += ev.ts - loadSince;
        }
        break;
      case EventKind::Paused: pausedSince = ev.ts; break;
      case EventKind::Resumed:
        if (pausedSince && ev.ts > *pausedSince) excludedNs += ev.ts - *pausedSince;
        pausedSince.reset();
        break;
      case EventKind::CallbackExit: {
        if (open.empty()) break;
        if (open.size() == 1 && loadDepth > 0) {
          // A module whose loading threw never recorded its end: it ended with the callback.
          if (ev.ts > loadSince) excludedNs += ev.ts - loadSince;
          loadDepth = 0;
        }
        const Open started = open.back();
        const size_t enter = started.enter;
        open.pop_back();
        if (!open.empty()) break;
        if (chain.count > 0) chain.endNs = ev.ts;
        const uint64_t length = ev.ts > events[enter].ts ? ev.ts - events[enter].ts : 0;
        uint64_t took = length - std::min(length, excludedNs - started.excludedBefore);
        size_t from = enter;
        const bool nodesWorkLeftOut = took < length || (events[enter].a() == 1 && body.seen);
        if (events[enter].a() == 1 && body.seen) {
          // Only the main module's own code counts (a body that threw ends with the script).
          closeBody(ev.ts);
          took = body.ns;
          from = body.first;
          body = Body{};
        }
        if (took >= options.blockedThresholdNs) {
          HealthWarning w;
          w.kind = HealthWarning::Kind::BlockedLoop;
          w.eventIndex = from;
          w.startNs = events[from].ts;
          w.durationNs = took;
          w.asyncId = events[enter].a();
          w.label = w.asyncId == 1 ? "main script" : trace.callbackLabel(w.asyncId);
          w.line = lineOf(trace, w.asyncId);
          std::string what = w.asyncId == 1 ? "the main script"
                                            : std::string(trace.asyncType(w.asyncId)) + " callback" +
                                                  (w.label.empty() ? "" : " " + w.label);
          if (events[enter].a() == 1 && from != enter) what = "the main script's own code";
          w.message = what + " ran for " + ms(took) +
                      " without yielding: nothing else could run meanwhile (blocked loop)" +
                      (nodesWorkLeftOut ? "; Node's own start-up work is not counted" : "");
          warnings.push_back(std::move(w));
        }
        break;
      }
      case EventKind::PhaseEnter:
      case EventKind::Iteration:
      case EventKind::LoopEnd: closeChain(); break;
      default: break;
    }
  }
  closeChain();
  std::sort(warnings.begin(), warnings.end(),
            [](const HealthWarning& a, const HealthWarning& b) { return a.startNs < b.startNs; });
  return warnings;
}

}  // namespace loopscope
