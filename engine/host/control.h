// Live control of a run: step mode (pause before each callback and phase), stop, and the
// --timeout watchdog. Commands arrive as text lines on a file descriptor (docs/control-protocol.md);
// the engine's own threads read them, never the user's event loop.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "trace/events.h"

namespace loopscope::control {

struct Options {
  int controlFd = -1;        // read commands from here (-1: no control channel)
  bool startPaused = false;  // --step: wait for a command before the first callback/phase
  double timeoutSeconds = 0;
  std::function<void()> stopProgram;                         // thread-safe: asks Node to stop (node::Stop)
  std::function<void(const std::string&)> takeHeapSnapshot;  // thread-safe: snapshot on the JS thread
};

void start(const Options& options);
// Ends the watchdog and control threads (they may be blocked; they are detached if so).
void finish();

// Called on the main thread before each phase and each callback. Cheap when not stepping.
void beforePhase(Phase phase);
void beforeCallback(int64_t asyncId);

// Why the program stopped, if the control side stopped it.
bool timedOut();
bool stoppedByCommand();

}  // namespace loopscope::control
