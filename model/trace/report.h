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

}  // namespace loopscope
