// Records events from any thread into the trace file without locks on the recording threads.
//
// Each recording thread owns a single-producer ring; one writer thread drains all rings every
// couple of milliseconds while events arrive (less often, up to 16 ms, while none do), puts the
// batch in time order, encodes it (trace_format.h) and appends it to the file. So the file grows
// while the program runs and a crash loses at most the last few milliseconds (and not even those
// when the fatal-signal path calls flushForCrash()).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "events.h"

namespace loopscope::recorder {

// Opens `path` (truncating it) and starts the writer thread. On failure returns a sentence.
std::string start(const std::string& path);
// Drains everything recorded so far, closes the file and stops the writer thread.
void stop();
bool active();
// The calling thread will record a lot (the JavaScript thread): give it a large ring. Call it
// before the thread records anything.
void startBusyThread();

// Nanoseconds since start() on the steady clock.
uint64_t now();

// Appends one event from the calling thread. Never blocks unless the thread's ring is full
// (the writer is behind by a quarter million events), in which case it waits for room rather
// than drop anything.
void record(EventKind kind, uint8_t thread, int64_t a = 0, int64_t b = 0, int64_t c = 0, int64_t d = 0, int64_t e = 0,
            int64_t f = 0);

// The id of `text`, recording a String event the first time it is seen.
int64_t intern(std::string_view text);
// A new id for text that is unlikely to repeat (console output): no lookup, always recorded.
int64_t freshString(std::string_view text);

// Asks the writer to write out what it has now (used before waiting in step mode).
void flushSoon();
// Whether the calling thread has recorded before (a signal handler must not allocate a ring).
bool ringReadyOnThisThread();
// For fatal-signal handlers: async-signal-safe; waits (up to ~0.5 s) until the writer has put
// everything recorded so far into the file.
void flushForCrash();

// Figures for the benchmark and `info`.
uint64_t eventsRecorded();
uint64_t bytesWritten();

}  // namespace loopscope::recorder
