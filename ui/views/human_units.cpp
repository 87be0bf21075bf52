#include "human_units.h"

#include <cmath>

#include "interpret/units.h"

namespace loopscope::ui {

QString qstr(const std::string& s) { return QString::fromStdString(s); }
QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString humanBytes(int64_t bytes) { return qstr(bytesText(bytes)); }

QString humanDuration(int64_t ns) { return qstr(durationText(ns)); }

QString timerDueText(uint64_t dueNs, uint64_t nowNs) {
  if (dueNs > nowNs) {
    // Whole milliseconds, rounded up: Node's timers have millisecond resolution, and "in 0 ms"
    // for a timer that is not due yet would read as a contradiction.
    auto ms = int64_t((dueNs - nowNs + 999'999) / 1'000'000);
    return QStringLiteral("in %1 ms").arg(ms);
  }
  uint64_t late = nowNs - dueNs;
  if (late < 1'000'000) return QStringLiteral("due");
  return QStringLiteral("due %1 ago").arg(humanDuration(int64_t(late)));
}

QString entryTitle(const QueueEntry& entry) {
  if (!entry.label.empty()) return qstr(entry.label);
  if (entry.type == "main" || entry.asyncId == 1) return QStringLiteral("main script");
  if (!entry.type.empty()) return qstr(entry.type);
  return QStringLiteral("(anonymous)");
}

QString entryWhere(const QueueEntry& entry) {
  if (entry.line <= 0) return {};
  return QStringLiteral("%1:%2").arg(qstr(entry.file)).arg(entry.line);
}

QString runTimeText(const Trace& trace, uint64_t ts) {
  const Event* start = trace.runStart();
  if (!start || ts < start->ts) return QStringLiteral("start-up");
  return QStringLiteral("%1 ms").arg(double(ts - start->ts) / 1e6, 0, 'f', 3);
}

}  // namespace loopscope::ui
