// Export of a recorded run as CSV for spreadsheets and scripts: one row per event (String and
// FunctionSite records are folded into the rows that use them). Any thread may call it as long as
// no other thread appends to the Trace meanwhile.
//
// Columns: time_us,thread,kind,phase,iteration,async_id,async_type,trigger_async_id,name,file,
// line,column,value,detail,internal. time_us is the trace's own clock (us since the recorder started, as
// the Chrome export's ts), so rows line up with both. phase and iteration are the loop's at that
// moment (phase "main" outside uv_run). value is the kind's main figure (a timer's delay in ms,
// a poll's timeout or blocked ms, a callback's or pool job's duration in us, used heap bytes
// after GC, buffered amount of a stream); detail its text (console output, work kind, end
// reason, ...); internal is "true" for a row about one of Node's own callbacks (see
// interpret/attribution.h), "false" for the program's, empty for rows about no callback. Fields are quoted as RFC 4180
// says; rows end with "\n"; text is UTF-8, with invalid bytes replaced by U+FFFD.
#pragma once

#include <ostream>

#include "trace.h"

namespace loopscope {

void exportCsv(const Trace& trace, std::ostream& out);

}  // namespace loopscope
