// V8's own optimization and deoptimization reports (--trace-opt, --trace-deopt and Sparkplug's
// batch-compilation trace) turned into events. V8 writes them through its CodeTracer, which the
// flag --redirect-code-traces-to points at a private file (V8 accepts only regular files; this one
// has no name, see temp_files.h), so they never reach the program's stdout. The CodeTracer opens, appends and closes
// that file for each report; an engine thread waits on inotify and reads each report within microseconds, and records
// it then (V8's reports carry no time of their own).
#pragma once

#include <string>

namespace loopscope::jitprobe {

// Creates the file and starts the reader; returns the V8 flags to set, or "" on failure.
std::string start();
// Reads what is left and stops the reader (before the recorder stops).
void stop();

}  // namespace loopscope::jitprobe
