// Numbers as a person reads them on screen: "1.5 MB", "3.2 ms", "in 3 ms". GUI thread or any.
#pragma once

#include <QString>
#include <cstdint>
#include <string>

#include "trace/loop_state.h"

namespace loopscope::ui {

QString humanBytes(int64_t bytes);
// A duration in ns as "850 ns", "42 µs", "3.2 ms", "1.25 s".
QString humanDuration(int64_t ns);
// "in 3 ms" while a timer is not yet due, "due" once it is (or "due 2 ms ago" when it is late:
// a late timer is itself a lesson about blocking callbacks).
QString timerDueText(uint64_t dueNs, uint64_t nowNs);
// "onTimer" or, when the function has no name, what queued it ("Timeout").
QString entryTitle(const QueueEntry& entry);
// "snippet.js:7" (or ":7" without a file, "" when the line is unknown).
QString entryWhere(const QueueEntry& entry);
// When an event happened, as the timeline's axis counts: "123.456 ms" since the run's start
// record, or "start-up" for what Node did before it (V8 compiling Node's own bootstrap).
QString runTimeText(const Trace& trace, uint64_t ts);
QString qstr(const std::string& s);
QString qstr(std::string_view s);

}  // namespace loopscope::ui
