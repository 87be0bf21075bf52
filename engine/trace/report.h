// Text reports of a recorded run for a terminal: a summary (`info`) and a readable timeline of
// iterations, phases and callbacks (`timeline`). Both read a finished or cut-short Trace and never
// modify it; any thread may call them as long as no other thread appends to the Trace meanwhile.
#pragma once

#include <cstddef>
#include <ostream>
#include <vector>

#include "trace.h"

namespace loopscope {

// Prints what the run was (versions, file, pool size, pid), how it ended, and how many events of
// each kind it recorded, with the file's size per event.
void printInfo(const TraceFile& file, std::ostream& out);

struct TimelineOptions {
  bool allPhases = false;  // also list phases in which nothing ran (and loop start/end)
  size_t maxLines = 0;     // 0 = unlimited; otherwise stop there and say how many lines were left
};

// Prints iteration -> phase -> callback lines with times in ms since the run started, the
// callbacks' durations, their console output, GC, thread-pool completions and uncaught errors.
void printTimeline(const Trace& trace, std::ostream& out, const TimelineOptions& opts = {});

// Where each span that opens in the trace closes, so that every reader nests spans the same way.
// Spans: PhaseEnter, CallbackEnter, PoolDone, GcBegin and PoolStart (paired per thread, on a
// stack), Iteration (closed by the next Iteration or by LoopEnd) and LoopStart (closed by LoopEnd).
// For an opening event at index i the result holds the index of the event that closes it, or
// kSpanUnclosed if the trace ends first; every other index holds kNotASpan.
// A closing record that skips inner spans (a callback whose exit was never recorded) closes them
// too, at its own time, so spans always nest properly.
constexpr size_t kNotASpan = size_t(-1);
constexpr size_t kSpanUnclosed = size_t(-2);
std::vector<size_t> matchSpans(const Trace& trace);

}  // namespace loopscope
