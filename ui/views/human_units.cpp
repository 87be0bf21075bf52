#include "human_units.h"

#include <cmath>

namespace loopscope::ui {

QString qstr(const std::string& s) { return QString::fromStdString(s); }
QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString humanBytes(int64_t bytes) {
  double v = double(bytes < 0 ? -bytes : bytes);
  const char* sign = bytes < 0 ? "-" : "";
  if (v < 1024) return QStringLiteral("%1%2 B").arg(QLatin1String(sign)).arg(qint64(v));
  if (v < 1024.0 * 1024) return QStringLiteral("%1%2 KB").arg(QLatin1String(sign)).arg(v / 1024, 0, 'f', v < 10240 ? 1 : 0);
  if (v < 1024.0 * 1024 * 1024)
    return QStringLiteral("%1%2 MB").arg(QLatin1String(sign)).arg(v / 1048576.0, 0, 'f', v < 10485760.0 ? 1 : 0);
  return QStringLiteral("%1%2 GB").arg(QLatin1String(sign)).arg(v / 1073741824.0, 0, 'f', 2);
}

QString humanDuration(int64_t ns) {
  double v = double(ns);
  if (std::abs(v) < 1e3) return QStringLiteral("%1 ns").arg(ns);
  if (std::abs(v) < 1e6) return QStringLiteral("%1 µs").arg(v / 1e3, 0, 'f', std::abs(v) < 1e4 ? 1 : 0);
  if (std::abs(v) < 1e9) return QStringLiteral("%1 ms").arg(v / 1e6, 0, 'f', std::abs(v) < 1e7 ? 1 : 0);
  return QStringLiteral("%1 s").arg(v / 1e9, 0, 'f', 2);
}

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
