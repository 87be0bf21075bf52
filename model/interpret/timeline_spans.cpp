#include "interpret/timeline_spans.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "interpret/attribution.h"
#include "interpret/callback_family.h"
#include "interpret/records.h"

namespace loopscope {
namespace {

SpanStyle familyStyle(CallbackFamily f) { return SpanStyle(uint8_t(SpanStyle::FamilyMainScript) + uint8_t(f)); }
SpanStyle gcStyle(int64_t bits) {
  if (bits & (GcScavenge | GcMinorMarkCompact)) return SpanStyle::GcYoung;
  if (bits & GcMarkSweepCompact) return SpanStyle::GcOld;
  return SpanStyle::GcOther;
}

}  // namespace

namespace {

// Where a lane sorts: a worker's callbacks lane follows its phases lane.
std::tuple<int, int, int> laneOrder(TimelineLane::Kind kind, int slot) {
  using K = TimelineLane::Kind;
  if (kind == K::WorkerCallbacks) return {int(K::WorkerPhases), slot, 1};
  return {int(kind), slot, 0};
}

bool hasSlot(TimelineLane::Kind kind) {
  return kind == TimelineLane::Kind::PoolSlot || kind == TimelineLane::Kind::WorkerPhases ||
         kind == TimelineLane::Kind::WorkerCallbacks;
}

int workerNumber(uint8_t thread) { return int(thread) - int(kFirstWorkerThread) + 1; }

}  // namespace

int TimelineSpans::laneIndex(TimelineLane::Kind kind, int slot) const {
  for (size_t i = 0; i < m_lanes.size(); ++i)
    if (m_lanes[i].kind == kind && (!hasSlot(kind) || m_lanes[i].slot == slot)) return int(i);
  return -1;
}

void TimelineSpans::reset(const Trace* trace) {
  *this = TimelineSpans();
  m_trace = trace;
  auto lane = [&](TimelineLane::Kind kind, const char* name) {
    TimelineLane l;
    l.kind = kind;
    l.name = name;
    m_lanes.push_back(std::move(l));
  };
  lane(TimelineLane::Kind::Phases, "phases");
  lane(TimelineLane::Kind::Callbacks, "callbacks");
  lane(TimelineLane::Kind::Drains, "nextTick / microtasks");
  lane(TimelineLane::Kind::Gc, "GC");
}

int TimelineSpans::ensureLane(TimelineLane::Kind kind, int slot, const std::string& name) {
  int existing = laneIndex(kind, slot);
  if (existing >= 0) return existing;
  const auto order = laneOrder(kind, slot);
  int at = int(m_lanes.size());
  for (size_t i = 0; i < m_lanes.size(); ++i)
    if (laneOrder(m_lanes[i].kind, m_lanes[i].slot) > order) {
      at = int(i);
      break;
    }
  TimelineLane l;
  l.kind = kind;
  l.slot = slot;
  l.name = name;
  m_lanes.insert(m_lanes.begin() + at, std::move(l));
  // Open spans refer to lanes by index, so those at or after the insertion point move down.
  auto shift = [at](OpenSpan& s) {
    if (s.lane >= at) ++s.lane;
  };
  for (auto& stack : m_stacks)
    for (OpenSpan& s : stack) shift(s);
  for (OpenSpan& s : m_gcStack) shift(s);
  for (OpenSpan& s : m_threadPhase) shift(s);
  for (auto& [pid, s] : m_openChildren) shift(s);
  return at;
}

void TimelineSpans::ensurePoolLanes(int slots) {
  slots = std::min<int>(slots, kMaxPoolSlots);
  while (m_poolSlots < slots) {
    ++m_poolSlots;
    ensureLane(TimelineLane::Kind::PoolSlot, m_poolSlots, "pool #" + std::to_string(m_poolSlots));
  }
}

void TimelineSpans::ensureWorkerLanes(int worker) {
  if (laneIndex(TimelineLane::Kind::WorkerPhases, worker) >= 0) return;
  const std::string prefix = "worker #" + std::to_string(worker);
  ensureLane(TimelineLane::Kind::WorkerPhases, worker, prefix + ": phases");
  ensureLane(TimelineLane::Kind::WorkerCallbacks, worker, prefix + ": callbacks");
  m_workers.push_back(worker);
}

void TimelineSpans::addFlow(const TimelineFlow& flow) {
  m_maxFlowSpanMs = std::max(m_maxFlowSpanMs, flow.toMs - flow.fromMs);
  m_flows.push_back(flow);
}

const ChildProcessInfo* TimelineSpans::child(int64_t pid) const {
  for (const ChildProcessInfo& c : m_children)
    if (c.pid == pid) return &c;
  return nullptr;
}

int64_t TimelineSpans::jobKind(int64_t jobId) const {
  auto it = m_jobKind.find(jobId);
  return it == m_jobKind.end() ? -1 : it->second;
}

size_t TimelineSpans::open(int lane, int track, double ms, uint32_t event, SpanStyle style) {
  auto& tracks = m_lanes[size_t(lane)].tracks;
  if (tracks.size() <= size_t(track)) tracks.resize(size_t(track) + 1);
  tracks[size_t(track)].push_back({ms, TimelineSpan::kOpen, event, style});
  return tracks[size_t(track)].size() - 1;
}

void TimelineSpans::close(const OpenSpan& s, double ms) {
  TimelineSpan& span = m_lanes[size_t(s.lane)].tracks[size_t(s.track)][s.index];
  span.endMs = std::max(ms, span.startMs);
  if (s.drainTrack >= 0) {
    int drains = laneIndex(TimelineLane::Kind::Drains);
    TimelineSpan& d = m_lanes[size_t(drains)].tracks[size_t(s.drainTrack)][s.drainIndex];
    d.endMs = std::max(ms, d.startMs);
  }
}

void TimelineSpans::closeFrom(std::vector<OpenSpan>& stack, size_t pos, double ms) {
  for (size_t k = pos; k < stack.size(); ++k) close(stack[k], ms);
  stack.resize(pos);
}

void TimelineSpans::addIteration(const IterationHealth& iteration) {
  const double startMs = msOf(iteration.startNs);
  const double length = double(iteration.endNs - iteration.startNs) / 1e6;
  const double busy = double(iteration.busyNs()) / 1e6;
  m_utilisation.push_back({startMs, 100.0 * iteration.utilisation()});
  m_busy.push_back({startMs, busy});
  m_iterationEnds.push_back(startMs + length);
}

bool TimelineSpans::update() {
  if (!m_trace || m_trace->size() <= m_read) return false;
  const size_t end = m_trace->size();
  for (size_t i = m_read; i < end; ++i) apply(i);
  m_read = end;
  return true;
}

void TimelineSpans::apply(size_t i) {
  const Event& ev = m_trace->events()[i];
  const auto event = uint32_t(i);
  if (ev.kind == EventKind::RunStart) {
    m_originTs = ev.ts;
    m_runStarted = true;
    // A damaged trace may claim any pool size; the engine records 1..127 slots.
    ensurePoolLanes(int(std::clamp<int64_t>(as<record::RunStart>(ev).poolSize, 1, kMaxPoolSlots)));
  }
  const double ms = msOf(ev.ts);
  m_lastMs = std::max(m_lastMs, ms);
  if (auto done = m_iterations.add(ev)) addIteration(*done);
  m_threadLastMs[ev.thread] = ms;
  if (isWorkerThread(ev.thread)) {
    applyWorker(i, ev, ms);
    return;
  }
  std::vector<OpenSpan>& stack = m_stacks[ev.thread];
  const int callbacks = laneIndex(TimelineLane::Kind::Callbacks);
  const int drains = laneIndex(TimelineLane::Kind::Drains);
  auto findInner = [&](EventKind, int64_t key, bool poolDone) -> size_t {
    for (size_t k = stack.size(); k-- > 0;)
      if (stack[k].key == key && stack[k].poolDone == poolDone) return k;
    return size_t(-1);
  };
  switch (ev.kind) {
    case EventKind::PhaseEnter: {
      OpenSpan& phase = m_threadPhase[kMainThread];
      if (m_threadPhaseOpen[kMainThread]) close(phase, ms);  // phases never nest: the exit was lost
      const Phase entered = as<record::PhaseEnter>(ev).phase;
      int lane = laneIndex(TimelineLane::Kind::Phases);
      phase = OpenSpan{lane, 0, open(lane, 0, ms, event, SpanStyle(uint8_t(entered))), int64_t(entered)};
      m_threadPhaseOpen[kMainThread] = true;
      m_mainPhase = entered;
      m_mainPhaseOpen = true;
      break;
    }
    case EventKind::PhaseExit:
      if (m_threadPhaseOpen[kMainThread]) close(m_threadPhase[kMainThread], ms);
      m_threadPhaseOpen[kMainThread] = false;
      m_mainPhaseOpen = false;
      break;
    case EventKind::Iteration:
    case EventKind::LoopEnd: break;  // iterations are followed by m_iterations, below
    case EventKind::RunEnd:
      // A run that ended inside an iteration (process.exit, a crash) still reports it, up to its
      // last phase exit, as iterationHealth() does.
      if (auto last = m_iterations.unfinished()) addIteration(*last);
      break;
    case EventKind::CallbackEnter:
    case EventKind::PoolDone: {
      const bool poolDone = ev.kind == EventKind::PoolDone;
      // A pool job's completion is keyed by its job id, a callback by its async id.
      const int64_t key = poolDone ? as<record::PoolDone>(ev).jobId : as<record::CallbackEnter>(ev).asyncId;
      CallbackFamily family = poolDone ? CallbackFamily::Io : callbackFamily(m_trace->asyncType(key));
      if (key == 1 && !poolDone) family = CallbackFamily::MainScript;
      if (!poolDone && ev.thread == kMainThread) {
        auto worker = m_workerOfResource.find(key);
        if (worker != m_workerOfResource.end()) {
          // A Worker's handle calls back on the main thread for two reasons: a message arrived on
          // one of its ports (any phase but close, where the ports only close), or the worker
          // exited (the WORKER resource itself). Only the delivery is recorded, not the send.
          const int n = worker->second;
          const std::string_view type = m_trace->asyncType(key);
          TimelineFlow flow;
          flow.fromLane = TimelineLane::Kind::WorkerPhases;
          flow.fromSlot = n;
          flow.toLane = TimelineLane::Kind::Callbacks;
          flow.toMs = ms;
          flow.event = event;
          const uint8_t thread = uint8_t(kFirstWorkerThread - 1 + n);
          if (type == "WORKER") {
            flow.kind = TimelineFlow::Kind::WorkerExit;
            flow.fromMs = m_threadLastMs[thread];
            addFlow(flow);
          } else if (!(m_mainPhaseOpen && m_mainPhase == Phase::Close)) {
            flow.kind = TimelineFlow::Kind::WorkerMessage;
            flow.fromMs = ms;
            addFlow(flow);
          }
        }
      }
      OpenSpan s{callbacks, int(stack.size()), 0, key, poolDone};
      s.index = open(callbacks, s.track, ms, event, familyStyle(family));
      const bool internal = !poolDone && isInternalCallback(*m_trace, key);
      m_lanes[size_t(callbacks)].tracks[size_t(s.track)][s.index].internal = internal;
      if (family == CallbackFamily::NextTick || family == CallbackFamily::Microtask) {
        // The drains lane repeats ticks and microtasks on their own so a run of them reads as
        // one "drain" block; depth there counts only drain callbacks.
        int depth = 0;
        for (const OpenSpan& o : stack) depth += o.drainTrack >= 0;
        s.drainTrack = depth;
        s.drainIndex = open(drains, depth, ms, event, familyStyle(family));
        m_lanes[size_t(drains)].tracks[size_t(depth)][s.drainIndex].internal = internal;
      }
      stack.push_back(s);
      break;
    }
    case EventKind::CallbackExit:
    case EventKind::PoolDoneEnd: {
      const bool poolDone = ev.kind == EventKind::PoolDoneEnd;
      const int64_t key = poolDone ? as<record::PoolDoneEnd>(ev).jobId : as<record::CallbackExit>(ev).asyncId;
      size_t pos = findInner(ev.kind, key, poolDone);
      if (pos != size_t(-1)) closeFrom(stack, pos, ms);
      break;
    }
    case EventKind::MicrotaskDrainEnd: {
      // Zero-length ticks are kept apart from the spans so they never break a track's order.
      m_lanes[size_t(drains)].markers.push_back({ms, ms, event, SpanStyle::DrainEnd});
      break;
    }
    case EventKind::PoolSubmit: {
      const auto submit = as<record::PoolSubmit>(ev);
      m_jobKind[submit.jobId] = submit.workKindString;
      break;
    }
    case EventKind::AsyncInit: {
      const int64_t asyncId = as<record::AsyncInit>(ev).asyncId;
      const std::string_view type = m_trace->asyncType(asyncId);
      if (type == "WORKER") {
        m_workerResources.push_back({asyncId, ms, event});
        m_workerOfResource[asyncId] = int(m_workerResources.size());
      } else if (type == "MESSAGEPORT" && !m_workerResources.empty()) {
        // `new Worker()` creates its ports right after the WORKER resource, in the same call.
        m_workerOfResource[asyncId] = int(m_workerResources.size());
      }
      break;
    }
    case EventKind::ChildSpawn: {
      const int lane = ensureLane(TimelineLane::Kind::Children, 0, "child processes");
      // Children that overlap go to separate tracks; a track is reused once its child exited.
      auto& tracks = m_lanes[size_t(lane)].tracks;
      int track = 0;
      while (size_t(track) < tracks.size() && !tracks[size_t(track)].empty() && tracks[size_t(track)].back().open())
        ++track;
      const auto spawn = as<record::ChildSpawn>(ev);
      OpenSpan s{lane, track, 0, spawn.pid, false};
      s.index = open(lane, track, ms, event, SpanStyle::ChildRunning);
      m_openChildren[spawn.pid] = s;
      ChildProcessInfo info;
      info.pid = spawn.pid;
      info.commandString = spawn.commandString;
      m_children.push_back(info);
      break;
    }
    case EventKind::ChildExit: {
      const auto exit = as<record::ChildExit>(ev);
      for (ChildProcessInfo& c : m_children)
        if (c.pid == exit.pid) {
          c.exited = true;
          c.exitCode = exit.exitCode;
          c.signalString = exit.signalString;
        }
      auto open = m_openChildren.find(exit.pid);
      if (open != m_openChildren.end()) {
        const bool failed = exit.exitCode != 0 || !m_trace->str(exit.signalString).empty();
        m_lanes[size_t(open->second.lane)].tracks[size_t(open->second.track)][open->second.index].style =
            failed ? SpanStyle::ChildFailed : SpanStyle::ChildRunning;
        close(open->second, ms);
        m_openChildren.erase(open);
      }
      break;
    }
    case EventKind::IpcMessage: {
      const int lane = ensureLane(TimelineLane::Kind::Children, 0, "child processes");
      const auto message = as<record::IpcMessage>(ev);
      const bool toChild = message.direction == IpcDirection::ToChild;
      m_lanes[size_t(lane)].markers.push_back(
          {ms, ms, event, toChild ? SpanStyle::IpcToChild : SpanStyle::IpcFromChild});
      for (ChildProcessInfo& c : m_children)
        if (c.pid == message.childPid) ++(toChild ? c.ipcToChild : c.ipcFromChild);
      TimelineFlow flow;
      flow.kind = toChild ? TimelineFlow::Kind::IpcToChild : TimelineFlow::Kind::IpcFromChild;
      flow.fromLane = toChild ? TimelineLane::Kind::Callbacks : TimelineLane::Kind::Children;
      flow.toLane = toChild ? TimelineLane::Kind::Children : TimelineLane::Kind::Callbacks;
      flow.fromMs = flow.toMs = ms;
      flow.event = event;
      addFlow(flow);
      break;
    }
    case EventKind::JitOptimized:
    case EventKind::JitDeoptimized: {
      // Before the run starts V8 compiles Node's own bootstrap; those have no place on the run's
      // time axis (the V8 panel still lists them).
      if (!m_runStarted) break;
      const int lane = ensureLane(TimelineLane::Kind::Jit, 0, "V8 JIT");
      SpanStyle style = SpanStyle::JitDeopt;
      if (ev.kind == EventKind::JitOptimized)
        style =
            as<record::JitOptimized>(ev).tier == JitTier::TurboFan ? SpanStyle::JitTurboFan : SpanStyle::JitSparkplug;
      m_lanes[size_t(lane)].markers.push_back({ms, ms, event, style});
      break;
    }
    case EventKind::PoolStart: {
      if (ev.thread == kMainThread || ev.thread == kOtherThread) break;
      ensurePoolLanes(ev.thread);
      int lane = laneIndex(TimelineLane::Kind::PoolSlot, ev.thread);
      OpenSpan s{lane, int(stack.size()), 0, as<record::PoolStart>(ev).jobId, false};
      s.index = open(lane, s.track, ms, event, SpanStyle::PoolJob);
      stack.push_back(s);
      break;
    }
    case EventKind::PoolEnd: {
      size_t pos = findInner(ev.kind, as<record::PoolEnd>(ev).jobId, false);
      if (pos != size_t(-1)) closeFrom(stack, pos, ms);
      break;
    }
    case EventKind::GcBegin: {
      m_gcBeginMs.push_back(ms);
      int lane = laneIndex(TimelineLane::Kind::Gc);
      const int64_t typeBits = as<record::GcBegin>(ev).typeBits;
      OpenSpan s{lane, int(m_gcStack.size()), 0, typeBits, false};
      s.index = open(lane, s.track, ms, event, gcStyle(typeBits));
      m_gcStack.push_back(s);
      break;
    }
    case EventKind::GcEnd: {
      // Begin/end types can differ (a scavenge may finish incremental marking); the innermost
      // open GC is the one ending, and the end's type is what was actually done.
      const auto gc = as<record::GcEnd>(ev);
      if (!m_gcStack.empty()) {
        OpenSpan s = m_gcStack.back();
        m_gcStack.pop_back();
        m_lanes[size_t(s.lane)].tracks[size_t(s.track)][s.index].style = gcStyle(gc.typeBits);
        close(s, ms);
      }
      if (!m_gcBeginMs.empty()) {
        m_gcPause.push_back({m_gcBeginMs.back(), ms - m_gcBeginMs.back()});
        m_gcBeginMs.pop_back();
      }
      constexpr double kMb = 1024.0 * 1024.0;
      m_newSpace.push_back({ms, double(gc.newSpace) / kMb});
      m_oldSpace.push_back({ms, double(gc.oldSpace) / kMb});
      m_largeSpace.push_back({ms, double(gc.largeObjectSpace) / kMb});
      break;
    }
    case EventKind::HeapUsage: {
      // The heap lines start where the program does, not at its first GC.
      constexpr double kMb = 1024.0 * 1024.0;
      const auto usage = as<record::HeapUsage>(ev);
      m_newSpace.push_back({ms, double(usage.newSpace) / kMb});
      m_oldSpace.push_back({ms, double(usage.oldSpace) / kMb});
      m_largeSpace.push_back({ms, double(usage.largeObjectSpace) / kMb});
      break;
    }
    // Nothing to draw for these.
    case EventKind::String:
    case EventKind::Meta:
    case EventKind::RunStart:
    case EventKind::LoopStart:
    case EventKind::FunctionSite:
    case EventKind::TimerScheduled:
    case EventKind::TimerCleared:
    case EventKind::ImmediateScheduled:
    case EventKind::ImmediateCleared:
    case EventKind::TickScheduled:
    case EventKind::MicrotaskQueued:
    case EventKind::PromiseResolve:
    case EventKind::StreamCreated:
    case EventKind::StreamState:
    case EventKind::Console:
    case EventKind::UncaughtError:
    case EventKind::Paused:
    case EventKind::Resumed:
    case EventKind::ShapeCheck:
    case EventKind::HeapSnapshot:
    case EventKind::HeapClass:
    case EventKind::ListenerCount:
    case EventKind::AtomicsWaitStart:
    case EventKind::AtomicsWaitEnd:
    case EventKind::MessagePosted:
    case EventKind::MainScriptBody:
    case EventKind::BuiltinModuleLoad:
    case EventKind::HandleActive:
    case EventKind::HandleClosed:
    case EventKind::KindCount: break;
  }
}

void TimelineSpans::applyWorker(size_t index, const Event& ev, double ms) {
  const auto event = uint32_t(index);
  const uint8_t thread = ev.thread;
  const int n = workerNumber(thread);
  if (laneIndex(TimelineLane::Kind::WorkerPhases, n) < 0) {
    ensureWorkerLanes(n);
    if (size_t(n) <= m_workerResources.size()) {
      // From `new Worker()` to the worker's first record the thread starts, bootstraps Node and
      // waits for its script (which then runs inside its first poll phase).
      const WorkerResource& r = m_workerResources[size_t(n) - 1];
      const int lane = laneIndex(TimelineLane::Kind::WorkerCallbacks, n);
      const size_t at = open(lane, 0, r.createdMs, r.event, SpanStyle::WorkerStartup);
      m_lanes[size_t(lane)].tracks[0][at].endMs = std::max(ms, r.createdMs);
      TimelineFlow flow;
      flow.kind = TimelineFlow::Kind::WorkerStart;
      flow.fromLane = TimelineLane::Kind::Callbacks;
      flow.fromMs = r.createdMs;
      flow.toLane = TimelineLane::Kind::WorkerPhases;
      flow.toSlot = n;
      flow.toMs = ms;
      flow.event = event;
      addFlow(flow);
    }
  }
  std::vector<OpenSpan>& stack = m_stacks[thread];
  switch (ev.kind) {
    case EventKind::PhaseEnter: {
      OpenSpan& phase = m_threadPhase[thread];
      if (m_threadPhaseOpen[thread]) close(phase, ms);
      const Phase entered = as<record::PhaseEnter>(ev).phase;
      const int lane = laneIndex(TimelineLane::Kind::WorkerPhases, n);
      phase = OpenSpan{lane, 0, open(lane, 0, ms, event, SpanStyle(uint8_t(entered))), int64_t(entered)};
      m_threadPhaseOpen[thread] = true;
      break;
    }
    case EventKind::PhaseExit:
      if (m_threadPhaseOpen[thread]) close(m_threadPhase[thread], ms);
      m_threadPhaseOpen[thread] = false;
      break;
    case EventKind::CallbackEnter: {
      // The engine records no callbacks inside workers today; if it does, they land here.
      const int lane = laneIndex(TimelineLane::Kind::WorkerCallbacks, n);
      auto& tracks = m_lanes[size_t(lane)].tracks;
      // Track 0 may hold the start-up span; callbacks start at depth 1 only if it would overlap.
      int track = int(stack.size());
      if (track == 0 && !tracks.empty() && !tracks[0].empty() && tracks[0].back().endMs > ms) track = 1;
      const int64_t asyncId = as<record::CallbackEnter>(ev).asyncId;
      OpenSpan s{lane, track, 0, asyncId, false};
      s.index = open(lane, track, ms, event, familyStyle(callbackFamily(m_trace->asyncType(asyncId))));
      stack.push_back(s);
      break;
    }
    case EventKind::CallbackExit:
      for (size_t k = stack.size(); k-- > 0;)
        if (stack[k].key == as<record::CallbackExit>(ev).asyncId) {
          closeFrom(stack, k, ms);
          break;
        }
      break;
    // Nothing to draw for these.
    case EventKind::String:
    case EventKind::Meta:
    case EventKind::RunStart:
    case EventKind::RunEnd:
    case EventKind::LoopStart:
    case EventKind::LoopEnd:
    case EventKind::Iteration:
    case EventKind::FunctionSite:
    case EventKind::AsyncInit:
    case EventKind::TimerScheduled:
    case EventKind::TimerCleared:
    case EventKind::ImmediateScheduled:
    case EventKind::ImmediateCleared:
    case EventKind::TickScheduled:
    case EventKind::MicrotaskQueued:
    case EventKind::PromiseResolve:
    case EventKind::MicrotaskDrainEnd:
    case EventKind::PoolSubmit:
    case EventKind::PoolStart:
    case EventKind::PoolEnd:
    case EventKind::PoolDone:
    case EventKind::PoolDoneEnd:
    case EventKind::GcBegin:
    case EventKind::GcEnd:
    case EventKind::StreamCreated:
    case EventKind::StreamState:
    case EventKind::Console:
    case EventKind::UncaughtError:
    case EventKind::Paused:
    case EventKind::Resumed:
    case EventKind::ChildSpawn:
    case EventKind::ChildExit:
    case EventKind::IpcMessage:
    case EventKind::JitOptimized:
    case EventKind::JitDeoptimized:
    case EventKind::ShapeCheck:
    case EventKind::HeapSnapshot:
    case EventKind::HeapClass:
    case EventKind::ListenerCount:
    case EventKind::AtomicsWaitStart:
    case EventKind::AtomicsWaitEnd:
    case EventKind::MessagePosted:
    case EventKind::MainScriptBody:
    case EventKind::BuiltinModuleLoad:
    case EventKind::HandleActive:
    case EventKind::HandleClosed:
    case EventKind::HeapUsage:
    case EventKind::KindCount: break;
  }
}

const TimelineSpan* TimelineSpans::markerAt(int lane, double ms, double tolerance) const {
  if (lane < 0 || size_t(lane) >= m_lanes.size()) return nullptr;
  const auto& markers = m_lanes[size_t(lane)].markers;
  auto it = std::lower_bound(markers.begin(), markers.end(), ms - tolerance,
                             [](const TimelineSpan& s, double v) { return s.startMs < v; });
  const TimelineSpan* best = nullptr;
  // Of the markers within reach, the most telling one (a deopt over a compile) and then the
  // nearest.
  for (; it != markers.end() && it->startMs <= ms + tolerance; ++it)
    if (!best || uint8_t(it->style) > uint8_t(best->style) ||
        (it->style == best->style && std::abs(it->startMs - ms) < std::abs(best->startMs - ms)))
      best = &*it;
  return best;
}

const TimelineSpan* TimelineSpans::spanAt(int lane, double ms, double tolerance) const {
  if (lane < 0 || size_t(lane) >= m_lanes.size()) return nullptr;
  const auto& tracks = m_lanes[size_t(lane)].tracks;
  for (size_t t = tracks.size(); t-- > 0;) {
    const auto& spans = tracks[t];
    // First span whose end reaches ms - tolerance; ends are sorted within a track.
    auto it = std::lower_bound(spans.begin(), spans.end(), ms - tolerance,
                               [](const TimelineSpan& s, double v) { return s.endMs < v; });
    if (it != spans.end() && it->startMs <= ms + tolerance) return &*it;
  }
  return nullptr;
}

}  // namespace loopscope
