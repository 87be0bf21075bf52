#include "replay_clock.h"

#include <algorithm>

namespace loopscope::ui {

const std::vector<ReplaySpeed>& replaySpeeds() {
  static const std::vector<ReplaySpeed> speeds = {
      {true, 1, QStringLiteral("1 event/s")},           {true, 3, QStringLiteral("3 events/s")},
      {true, 8, QStringLiteral("8 events/s")},          {true, 20, QStringLiteral("20 events/s")},
      {true, 60, QStringLiteral("60 events/s")},        {false, 0.1, QStringLiteral("0.1× real time")},
      {false, 0.25, QStringLiteral("0.25× real time")}, {false, 0.5, QStringLiteral("0.5× real time")},
      {false, 1, QStringLiteral("1× real time")},       {false, 2, QStringLiteral("2× real time")},
      {false, 5, QStringLiteral("5× real time")},       {false, 10, QStringLiteral("10× real time")},
  };
  return speeds;
}

int defaultReplaySpeedIndex() { return 2; }

bool changesNothingVisible(EventKind kind) {
  return kind == EventKind::String || kind == EventKind::FunctionSite || kind == EventKind::Meta;
}

bool passedOverInSlowMotion(EventKind kind) { return changesNothingVisible(kind) || kind == EventKind::JitOptimized; }

size_t stepForward(const LoopTimeline& timeline, const Trace& trace, size_t from, LoopTimeline::Step step) {
  size_t at = from;
  for (;;) {
    size_t next = timeline.next(at, step);
    if (next == at) return at;
    at = next;
    // `at` is one past the event just applied.
    if (!changesNothingVisible(trace.events()[at - 1].kind)) return at;
  }
}

size_t stepBackward(const LoopTimeline& timeline, const Trace& trace, size_t from, LoopTimeline::Step step) {
  size_t at = from;
  for (;;) {
    size_t previous = timeline.previous(at, step);
    if (previous == at) return at;
    at = previous;
    if (at == 0 || !changesNothingVisible(trace.events()[at - 1].kind)) return at;
  }
}

void ReplayClock::restartAt(const Trace& trace, size_t position) {
  m_eventCredit = 0;
  const auto& events = trace.events();
  m_playNs = position == 0 || events.empty() ? 0.0 : double(events[std::min(position, events.size()) - 1].ts);
}

size_t ReplayClock::advance(const LoopTimeline& timeline, const Trace& trace, size_t position, double elapsedSeconds) {
  const size_t end = trace.size();
  if (position >= end) return end;
  if (m_speed.perEvent) {
    m_eventCredit += elapsedSeconds * m_speed.value;
    while (m_eventCredit >= 1 && position < end) {
      m_eventCredit -= 1;
      size_t next = stepForward(timeline, trace, position, LoopTimeline::Step::Event);
      while (next < end && next > position && passedOverInSlowMotion(trace.events()[next - 1].kind))
        next = stepForward(timeline, trace, next, LoopTimeline::Step::Event);
      if (next == position) return end;
      position = next;
    }
    return position;
  }
  m_playNs += elapsedSeconds * 1e9 * m_speed.value;
  // positionAtTime gives the first event at or after the time: the events before it have happened.
  size_t target = timeline.positionAtTime(uint64_t(m_playNs) + 1);
  return std::clamp(target, position, end);
}

}  // namespace loopscope::ui
