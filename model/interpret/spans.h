// Span pairing: which record closes each record that opens a span, worked out once for every
// reader (the exports, the terminal timeline, the app's timeline lanes) so that all of them nest
// spans the same way. Any thread, as long as no other thread appends to the Trace meanwhile.
#pragma once

#include <cstddef>
#include <vector>

#include "trace/trace.h"

namespace loopscope {

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
