// The one interface through which the window talks to every view of the recording on screen.
// Views hold no state of their own beyond what they were last shown: the window tells each one
// which recording is on screen, when it grew, and the moment at the play head — the position and
// the LoopState (model/trace/loop_state.h) there, computed once for all of them.
#pragma once

#include <cstddef>

#include "trace/loop_state.h"

namespace loopscope {
class KeepAliveIndex;
}

namespace loopscope::ui {

// The recording on screen, as the views may read it. Every pointer outlives the views' use of
// it until the next showRecording(); all are null when nothing is recorded.
struct RecordingSource {
  const Trace* trace = nullptr;
  const LoopTimeline* timeline = nullptr;
  const KeepAliveIndex* keepAlive = nullptr;
};

class RecordingView {
 public:
  virtual ~RecordingView() = default;
  // Another recording is on screen; views that index the trace start over.
  virtual void showRecording(const RecordingSource&) {}
  // The recording on screen grew (a live run); views that index the trace read the new events.
  virtual void recordingGrew() {}
  // The play head is at `position` (events shown: the first `position`); `state` is the loop
  // there.
  virtual void showMoment(size_t position, const LoopState& state) = 0;
};

// A view that draws only the loop's state at the play head (the dashboard's wheel, queues, pool,
// heap and streams).
class StateView : public RecordingView {
 public:
  virtual void showState(const LoopState& state) = 0;
  void showMoment(size_t, const LoopState& state) final { showState(state); }
};

}  // namespace loopscope::ui
