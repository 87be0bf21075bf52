// Export of a recorded run as Chrome Trace Event JSON, the format Perfetto (ui.perfetto.dev) and
// chrome://tracing open. Any thread may call it as long as no other thread appends to the Trace
// meanwhile.
//
// What it writes (pid 1; times in microseconds since the run started):
//   tid 1 "main: event loop": "X" slices for iterations (cat "iteration"), the libuv phases (cat
//       "phase", named timers|pending|idle|prepare|poll|check|close), callbacks nested in them
//       (cat "callback"; args type, asyncId, triggerAsyncId, phase, file, line, column), pool
//       completions (cat "threadpool.done") and GC (cat "gc", named by gcTypeName);
//   tid 1+k "uv threadpool #k": the pool jobs of slot k (cat "threadpool", named by work kind);
//   tid 256 "other threads": what other threads recorded;
//   flow arrows (cat "threadpool.flow") from each job's submit to its completion; counters
//   "heap", "threadpool backlog" and "stream N"; instant events for queueing, microtasks,
//   stream back-pressure, console output and uncaught errors.
// Spans a cut-short run left open end at the last recorded event.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "trace.h"

namespace loopscope {

void exportChrome(const Trace& trace, std::ostream& out);

}  // namespace loopscope
