// Callbacks grouped by who queued them (timers, immediates, nextTick, promises, I/O, close): each
// family runs in one place of the loop. Pure functions; any thread.
#pragma once

#include <string_view>

#include "trace/events.h"

namespace loopscope {

enum class CallbackFamily { MainScript, Timer, Immediate, NextTick, Microtask, Io, Close, Other };

// "Timeout", "Immediate", "TickObject", "PROMISE", "Microtask", "FSREQCALLBACK", ... -> family.
CallbackFamily callbackFamily(std::string_view asyncType);
// The phase a family's callbacks run in (nextTick and microtasks run between callbacks of any
// phase; they return Phase::Main).
Phase homePhase(CallbackFamily family);

}  // namespace loopscope
