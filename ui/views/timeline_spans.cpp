#include "timeline_spans.h"

#include <algorithm>

#include "phase_colors.h"

namespace loopscope::ui {
namespace {

SpanStyle familyStyle(CallbackFamily f) { return SpanStyle(uint8_t(SpanStyle::FamilyMainScript) + uint8_t(f)); }
SpanStyle gcStyle(int64_t bits) {
  if (bits & (GcScavenge | GcMinorMarkCompact)) return SpanStyle::GcYoung;
  if (bits & GcMarkSweepCompact) return SpanStyle::GcOld;
  return SpanStyle::GcOther;
}

}  // namespace

int TimelineSpans::laneIndex(TimelineLane::Kind kind, int slot) const {
  for (size_t i = 0; i < m_lanes.size(); ++i)
    if (m_lanes[i].kind == kind && (kind != TimelineLane::Kind::PoolSlot || m_lanes[i].slot == slot))
      return int(i);
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

void TimelineSpans::ensurePoolLanes(int slots) {
  slots = std::min<int>(slots, kMaxPoolSlots);
  while (m_poolSlots < slots) {
    ++m_poolSlots;
    TimelineLane l;
    l.kind = TimelineLane::Kind::PoolSlot;
    l.slot = m_poolSlots;
    l.name = "pool #" + std::to_string(m_poolSlots);
    // Pool lanes go before the GC lane, which stays last. Open spans refer to lanes by index, so
    // those at or after the insertion point move down by one.
    int at = int(m_lanes.size()) - 1;
    m_lanes.insert(m_lanes.begin() + at, std::move(l));
    auto shift = [at](std::vector<OpenSpan>& stack) {
      for (OpenSpan& s : stack)
        if (s.lane >= at) ++s.lane;
    };
    for (auto& stack : m_stacks) shift(stack);
    shift(m_gcStack);
  }
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

void TimelineSpans::finishIteration(double endMs) {
  if (m_iterationStartMs < 0) return;
  double length = endMs - m_iterationStartMs;
  double busy = length > 0 ? std::clamp(1.0 - m_iterationBlockedMs / length, 0.0, 1.0) : 1.0;
  m_utilisation.push_back({m_iterationStartMs, busy * 100.0});
  m_iterationStartMs = -1;
  m_iterationBlockedMs = 0;
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
    ensurePoolLanes(int(ev.a()));
  }
  const double ms = msOf(ev.ts);
  m_lastMs = std::max(m_lastMs, ms);
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
      if (m_phaseOpen) close(m_phase, ms);  // phases never nest: the exit was lost
      int lane = laneIndex(TimelineLane::Kind::Phases);
      m_phase = OpenSpan{lane, 0, open(lane, 0, ms, event, SpanStyle(uint8_t(ev.a()))), ev.a()};
      m_phaseOpen = true;
      break;
    }
    case EventKind::PhaseExit:
      if (m_phaseOpen) close(m_phase, ms);
      m_phaseOpen = false;
      if (Phase(ev.a()) == Phase::Poll) m_iterationBlockedMs += double(ev.b()) / 1e6;
      break;
    case EventKind::Iteration:
      finishIteration(ms);
      m_iterationStartMs = ms;
      break;
    case EventKind::LoopEnd:
      finishIteration(ms);
      break;
    case EventKind::CallbackEnter:
    case EventKind::PoolDone: {
      const bool poolDone = ev.kind == EventKind::PoolDone;
      CallbackFamily family = poolDone ? CallbackFamily::Io : callbackFamily(m_trace->asyncType(ev.a()));
      if (ev.a() == 1 && !poolDone) family = CallbackFamily::MainScript;
      OpenSpan s{callbacks, int(stack.size()), 0, ev.a(), poolDone};
      s.index = open(callbacks, s.track, ms, event, familyStyle(family));
      if (family == CallbackFamily::NextTick || family == CallbackFamily::Microtask) {
        // The drains lane repeats ticks and microtasks on their own so a run of them reads as
        // one "drain" block; depth there counts only drain callbacks.
        int depth = 0;
        for (const OpenSpan& o : stack) depth += o.drainTrack >= 0;
        s.drainTrack = depth;
        s.drainIndex = open(drains, depth, ms, event, familyStyle(family));
      }
      stack.push_back(s);
      break;
    }
    case EventKind::CallbackExit:
    case EventKind::PoolDoneEnd: {
      size_t pos = findInner(ev.kind, ev.a(), ev.kind == EventKind::PoolDoneEnd);
      if (pos != size_t(-1)) closeFrom(stack, pos, ms);
      break;
    }
    case EventKind::MicrotaskDrainEnd: {
      // Zero-length ticks are kept apart from the spans so they never break a track's order.
      m_lanes[size_t(drains)].markers.push_back({ms, ms, event, SpanStyle::DrainEnd});
      break;
    }
    case EventKind::PoolSubmit: m_jobKind[ev.a()] = ev.b(); break;
    case EventKind::PoolStart: {
      if (ev.thread == kMainThread || ev.thread == kOtherThread) break;
      ensurePoolLanes(ev.thread);
      int lane = laneIndex(TimelineLane::Kind::PoolSlot, ev.thread);
      OpenSpan s{lane, int(stack.size()), 0, ev.a(), false};
      s.index = open(lane, s.track, ms, event, SpanStyle::PoolJob);
      stack.push_back(s);
      break;
    }
    case EventKind::PoolEnd: {
      size_t pos = findInner(ev.kind, ev.a(), false);
      if (pos != size_t(-1)) closeFrom(stack, pos, ms);
      break;
    }
    case EventKind::GcBegin: {
      int lane = laneIndex(TimelineLane::Kind::Gc);
      OpenSpan s{lane, int(m_gcStack.size()), 0, ev.a(), false};
      s.index = open(lane, s.track, ms, event, gcStyle(ev.a()));
      m_gcStack.push_back(s);
      break;
    }
    case EventKind::GcEnd: {
      // Begin/end types can differ (a scavenge may finish incremental marking); the innermost
      // open GC is the one ending, and the end's type is what was actually done.
      if (!m_gcStack.empty()) {
        OpenSpan s = m_gcStack.back();
        m_gcStack.pop_back();
        m_lanes[size_t(s.lane)].tracks[size_t(s.track)][s.index].style = gcStyle(ev.a());
        close(s, ms);
      }
      m_newSpace.push_back({ms, double(ev.b()) / (1024.0 * 1024.0)});
      m_oldSpace.push_back({ms, double(ev.c()) / (1024.0 * 1024.0)});
      break;
    }
    default: break;
  }
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

}  // namespace loopscope::ui
