// What every view that draws one moment of a run implements. Views hold no state of their own
// beyond what they were last shown: the MainWindow rebuilds a LoopState (model/trace/loop_state.h)
// for the play-head position and hands it to each view.
#pragma once

#include "trace/loop_state.h"

namespace loopscope::ui {

class StateView {
 public:
  virtual ~StateView() = default;
  virtual void showState(const LoopState& state) = 0;
};

}  // namespace loopscope::ui
