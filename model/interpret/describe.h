// One sentence per recorded event, for the app's Events table and anything else that lists
// events for a person. Every kind has its sentence (describe.cpp visits every alternative of
// Record, so a new kind without one does not compile).
//
// Any thread, as long as no other thread appends to the Trace meanwhile.
#pragma once

#include <cstdint>
#include <string>

#include "trace/trace.h"

namespace loopscope {

// What the event says, with names resolved through the trace's tables. `poolWorkKind` is the
// work-kind string of the job a PoolStart/PoolEnd/PoolDone/PoolDoneEnd refers to (those records
// carry only the job id; see PoolJobIndex), or -1 when it is not known.
std::string describeEvent(const Trace& trace, const Event& ev, int64_t poolWorkKind = -1);

// "Timeout onTimer (snippet.js:3:12) (async id 5)", "main script" for id 1.
std::string callbackText(const Trace& trace, int64_t asyncId);

// The thread that recorded an event as people read it: "main", "pool #3", "worker 2", "other".
std::string threadName(uint8_t thread);

// Bookkeeping records (strings, function sites, metadata) fill the trace's tables; they are not
// something that happened in the program, so event lists leave them out.
bool isBookkeeping(EventKind kind);

}  // namespace loopscope
