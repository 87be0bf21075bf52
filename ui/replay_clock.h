// How the play head moves during replay: in (a multiple of) the run's own time, or event by event
// ("slow motion") for runs that take a few milliseconds, where even 0.1x is over in a blink.
// Plain arithmetic over a LoopTimeline; the MainWindow drives it from its refresh timer.
#pragma once

#include <QString>

#include <cstddef>
#include <vector>

#include "trace/loop_state.h"

namespace loopscope::ui {

struct ReplaySpeed {
  bool perEvent = true;  // true: `value` events per second; false: `value` x real time
  double value = 5;
  QString label;
};

// The choices offered in the toolbar, slowest first.
const std::vector<ReplaySpeed>& replaySpeeds();
// Index of the speed a first run is played at (slow enough to follow each step).
int defaultReplaySpeedIndex();

// Records that only feed the trace's tables (strings, function sites, metadata) change nothing
// on screen; stepping and slow motion skip them.
bool changesNothingVisible(EventKind kind);

// Slow motion also passes over what only a specialist lane would show (V8 tiering up Node's own
// functions), which would otherwise freeze the dashboard for seconds at a time.
bool passedOverInSlowMotion(EventKind kind);

// The next/previous position of `step` kind, skipping records that change nothing visible.
size_t stepForward(const LoopTimeline& timeline, const Trace& trace, size_t from, LoopTimeline::Step step);
size_t stepBackward(const LoopTimeline& timeline, const Trace& trace, size_t from, LoopTimeline::Step step);

class ReplayClock {
 public:
  void setSpeed(const ReplaySpeed& speed) {
    m_speed = speed;
    m_eventCredit = 0;
  }
  const ReplaySpeed& speed() const { return m_speed; }
  // Starts (or resumes) playing from `position`.
  void restartAt(const Trace& trace, size_t position);
  // The position after `elapsedSeconds` of wall time; at most trace.size().
  size_t advance(const LoopTimeline& timeline, const Trace& trace, size_t position, double elapsedSeconds);

 private:
  ReplaySpeed m_speed;
  double m_playNs = 0;       // real-time modes: the run's clock at the play head
  double m_eventCredit = 0;  // per-event mode: fractional events owed
};

}  // namespace loopscope::ui
