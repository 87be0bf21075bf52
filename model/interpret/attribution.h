// Whose code a callback is: the learner's program, or Node's own (its `node:` and internal
// modules, and the engine's probe). Node's internal callbacks are real and stay in every trace
// and export, flagged; the views hide them by default so that a console.log does not bury the
// learner's own callbacks under `afterWriteTick` ones. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "trace/trace.h"

namespace loopscope {

// "node:internal/streams/writable", "node:events", "internal/timers", the probe's file: Node's own.
bool isInternalScript(std::string_view script);

// Whether the function behind an async resource is defined in Node's own code. A resource whose
// function is not known (a promise reaction without a recorded site, an fs request) is not
// internal: what is not known is never hidden. The main script (id 1) is the learner's.
bool isInternalCallback(const Trace& trace, int64_t asyncId);

// The async resource a record is about (the callback that runs, is scheduled or is created), or 0
// for records about no callback (phases, GC, pool slots, ...).
int64_t callbackOf(const Event& ev);

// Whether a record is about one of Node's own callbacks (see isInternalCallback).
bool isInternalEvent(const Trace& trace, const Event& ev);

}  // namespace loopscope
