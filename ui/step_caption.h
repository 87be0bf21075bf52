// The play head's moment in words. The transport bar's label says it while a teacher steps
// through a replay, and the exported replay videos (video_export.h) caption every frame with the
// same words, so a slide reads exactly like the app. GUI thread or any.
#pragma once

#include <QString>

#include <cstddef>

#include "trace/loop_state.h"

namespace loopscope::ui {

// Where the run is: "iteration 2 · check phase", "main script", "before the run", "run ended"
// (with " · paused" in live step mode).
QString playheadPlace(const LoopState& state);

// How far the play head is: "event 12 / 40 · 3.2 ms". Times count from the run's start record,
// as the timeline's axis does. `total` is the recording's size.
QString playheadCounter(const Trace& trace, const LoopState& state, size_t total);

// The transport bar's label: the counter and the place,
// "event 12 / 40 · 3.2 ms · iteration 2 · check phase".
QString playheadLabel(const Trace& trace, const LoopState& state, size_t total);

// The API that queued a callback, as the snippet spells it: "setImmediate", "setTimeout",
// "setInterval", "process.nextTick", "promise reaction", "queueMicrotask", "I/O callback", ...
QString callbackApi(const QueueEntry& entry);

// The running callback: "setImmediate callback immediateFromIo from line 28", or for Node's own
// "process.nextTick callback afterWriteTick (Node's own code, writable:485)"; "" when none runs.
QString runningCallbackText(const LoopState& state);

// One step of a replay: "iteration 1 · check phase — setImmediate callback immediateFromIo from
// line 28", or the place alone when no callback runs.
QString stepCaption(const LoopState& state);

}  // namespace loopscope::ui
