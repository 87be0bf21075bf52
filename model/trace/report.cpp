#include "report.h"

#include "health.h"
#include "interpret/records.h"
#include "interpret/spans.h"
#include "interpret/units.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>
#include <unordered_map>

namespace loopscope {
namespace {

// "%.3f" of a nanosecond count as milliseconds; doubles are exact enough for display.
std::string millis(double ns) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f", ns / 1e6);
  return buf;
}

std::string bytesText(uint64_t bytes) {
  char buf[48];
  if (bytes >= (uint64_t(1) << 20))
    std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / double(1 << 20));
  else if (bytes >= 1024)
    std::snprintf(buf, sizeof buf, "%.1f KiB", double(bytes) / 1024.0);
  else
    std::snprintf(buf, sizeof buf, "%" PRIu64 " bytes", bytes);
  return buf;
}

std::string_view baseName(std::string_view path) {
  auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The common fatal signals by name; others print as a number only.
std::string_view signalName(int64_t sig) {
  switch (sig) {
    case 1: return "SIGHUP";
    case 2: return "SIGINT";
    case 3: return "SIGQUIT";
    case 4: return "SIGILL";
    case 5: return "SIGTRAP";
    case 6: return "SIGABRT";
    case 7: return "SIGBUS";
    case 8: return "SIGFPE";
    case 9: return "SIGKILL";
    case 11: return "SIGSEGV";
    case 13: return "SIGPIPE";
    case 15: return "SIGTERM";
    default: return "";
  }
}

std::string runEndText(const record::RunEnd& end) {
  std::string text =
      "run end: exit code " + std::to_string(end.exitCode) + " (" + std::string(endReasonName(end.reason)) + ")";
  if (end.signal != 0) {
    text += ", signal " + std::to_string(end.signal);
    if (auto name = signalName(end.signal); !name.empty()) text += " (" + std::string(name) + ")";
  }
  return text;
}

uint64_t lastTimestamp(const std::vector<Event>& evs) {
  uint64_t last = 0;
  for (const Event& ev : evs) last = std::max(last, ev.ts);
  return last;
}

// The file the run executed: RunStart names it; the Meta record is the fallback for traces
// whose RunStart was lost.
std::string runFile(const Trace& trace) {
  if (const Event* start = trace.runStart()) {
    std::string_view file = trace.str(as<record::RunStart>(*start).fileString);
    if (!file.empty()) return std::string(file);
  }
  return trace.meta("file");
}

}  // namespace

void printInfo(const TraceFile& file, std::ostream& out) {
  const Trace& trace = file.trace;
  const std::vector<Event>& evs = trace.events();
  if (file.status != ReadStatus::Ok && !file.problem.empty()) out << "note: " << file.problem << "\n";

  for (const Event& ev : evs) {
    if (ev.kind != EventKind::Meta) continue;
    auto entry = as<record::Meta>(ev);
    out << trace.str(entry.keyString) << ": " << trace.str(entry.valueString) << "\n";
  }

  const Event* start = trace.runStart();
  if (start) {
    auto run = as<record::RunStart>(*start);
    std::string fileName(trace.str(run.fileString));
    if (!fileName.empty() && fileName != trace.meta("file")) out << "file: " << fileName << "\n";
    out << "thread-pool size: " << run.poolSize << "\n";
    out << "pid: " << run.pid << "\n";
    if (run.wallClockMs > 0) {
      std::time_t seconds = std::time_t(run.wallClockMs / 1000);
      std::tm utc{};
      if (gmtime_r(&seconds, &utc)) {
        char when[64];
        std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &utc);
        char millisPart[8];
        std::snprintf(millisPart, sizeof millisPart, ".%03d", int(run.wallClockMs % 1000));
        out << "started: " << when << millisPart << " UTC\n";
      }
    }
  } else {
    out << "run start: missing (the trace does not hold the start of a run)\n";
  }

  const Event* end = trace.runEnd();
  if (end) {
    auto ended = as<record::RunEnd>(*end);
    out << "exit code: " << ended.exitCode << "\n";
    out << "end reason: " << endReasonName(ended.reason) << "\n";
    if (ended.signal != 0) {
      out << "signal: " << ended.signal;
      if (auto name = signalName(ended.signal); !name.empty()) out << " (" << name << ")";
      out << "\n";
    }
  } else {
    out << "run end: missing (the run was cut short)\n";
  }

  uint64_t origin = start ? start->ts : 0;
  uint64_t finish = end ? end->ts : lastTimestamp(evs);
  if (!evs.empty() && finish >= origin) {
    out << "duration: " << millis(double(finish - origin)) << " ms";
    if (!end) out << " (until the trace was cut)";
    out << "\n";
  }

  std::array<uint64_t, size_t(EventKind::KindCount)> perKind{};
  for (const Event& ev : evs)
    if (size_t(ev.kind) < perKind.size()) ++perKind[size_t(ev.kind)];
  out << "loop iterations: " << perKind[size_t(EventKind::Iteration)] << "\n";
  out << "callbacks: " << perKind[size_t(EventKind::CallbackEnter)] << "\n";
  out << "events: " << evs.size() << "\n";
  for (size_t k = 0; k < perKind.size(); ++k) {
    if (perKind[k] == 0) continue;  // a summary: kinds that never occurred are noise
    char row[80];
    std::string name(kindName(EventKind(k)));
    std::snprintf(row, sizeof row, "  %-22s %12" PRIu64 "\n", name.c_str(), perKind[k]);
    out << row;
  }
  std::vector<HealthWarning> warnings = findHealthWarnings(file.trace);
  out << "loop health warnings: " << warnings.size() << "\n";
  for (size_t i = 0; i < warnings.size() && i < 10; ++i) out << "  ! " << warnings[i].message << "\n";
  if (warnings.size() > 10) out << "  … " << warnings.size() - 10 << " more\n";
  if (file.bytes > 0) {
    out << "file size: " << file.bytes << " bytes";
    if (!evs.empty()) {
      char perEvent[48];
      std::snprintf(perEvent, sizeof perEvent, "%.1f", double(file.bytes) / double(evs.size()));
      out << " (" << perEvent << " bytes per event)";
    }
    out << "\n";
  }
}

namespace {

// Walks the trace once, printing lines as it goes. Headers of iterations and of the main-script
// section are printed lazily, just before their first line, so that nothing is printed for an
// iteration in which nothing visible happened.
class TimelinePrinter {
 public:
  TimelinePrinter(const Trace& trace, std::ostream& out, const TimelineOptions& opts)
      : m_trace(trace), m_evs(trace.events()), m_out(out), m_opts(opts), m_ends(matchSpans(trace)) {
    const Event* start = trace.runStart();
    m_origin = start ? start->ts : 0;
    m_lastTs = lastTimestamp(m_evs);
    findPhasesWithContent();
  }

  void print() {
    for (size_t i = 0; i < m_evs.size(); ++i) {
      // The terminal listing follows the main thread's loop; Workers' loops have their own
      // tracks in the Chrome export and lanes in the app.
      if (isWorkerThread(m_evs[i].thread)) continue;
      closeSpansEndingAt(i);
      handle(i);
    }
    if (!m_trace.runEnd()) line(m_lastTs, 0, "run end: missing (the run was cut short)");
    if (m_skipped > 0) m_out << "\u2026 " << m_skipped << " more lines\n";
  }

 private:
  struct JobInfo {
    int64_t kind = 0;  // work-kind string id
    uint64_t submitTs = 0, startTs = 0, endTs = 0;
    uint8_t slot = 0;
    bool started = false, ended = false;
  };

  static bool printable(EventKind kind) {
    switch (kind) {
      case EventKind::CallbackEnter:
      case EventKind::Console:
      case EventKind::GcBegin:
      case EventKind::PoolDone:
      case EventKind::UncaughtError: return true;
      default: return false;
    }
  }

  // A phase is listed when something is printed inside it: otherwise a GC or console line would
  // appear under the wrong header.
  void findPhasesWithContent() {
    m_hasContent.assign(m_evs.size(), false);
    size_t phase = kNotASpan;
    for (size_t i = 0; i < m_evs.size(); ++i) {
      const Event& ev = m_evs[i];
      if (phase != kNotASpan && m_ends[phase] == i) phase = kNotASpan;
      if (ev.kind == EventKind::PhaseEnter && ev.thread == kMainThread)
        phase = i;
      else if (phase != kNotASpan && printable(ev.kind))
        m_hasContent[phase] = true;
    }
  }

  uint64_t endTs(size_t i) const {
    size_t e = m_ends[i];
    return e < m_evs.size() ? m_evs[e].ts : m_lastTs;
  }
  bool closed(size_t i) const { return m_ends[i] < m_evs.size(); }

  std::string duration(size_t i) const {
    if (!closed(i)) return "still running when the trace ends";
    return millis(double(endTs(i) - m_evs[i].ts)) + " ms";
  }

  static constexpr int kMaxIndent = 24;

  void line(uint64_t ts, int depth, std::string_view text) {
    if (m_opts.maxLines > 0 && m_printed >= m_opts.maxLines) {
      ++m_skipped;
      return;
    }
    ++m_printed;
    char time[48];
    std::snprintf(time, sizeof time, "%10.3f", (double(ts) - double(m_origin)) / 1e6);
    // Real callbacks nest a few levels; a damaged trace (enters never exited) could nest
    // thousands, and indenting each line by its depth would make the output quadratic. Past
    // kMaxIndent the depth is written as a number instead.
    m_out << time << "  " << std::string(size_t(std::min(depth, kMaxIndent)) * 2, ' ');
    if (depth > kMaxIndent) m_out << "[depth " << depth << "] ";
    m_out << text << "\n";
  }

  // Depth of a line printed now, inside whatever callbacks and completions are running.
  int contentDepth() const {
    int base = m_inLoop ? (m_phase != kNotASpan ? 2 : 1) : 1;
    return base + int(m_nest.size());
  }

  void ensureHeaders(uint64_t ts) {
    if (m_inLoop) {
      printIterationHeader();
    } else if (!m_mainHeaderPrinted) {
      line(ts, 0, m_sawLoop ? "main (after the event loop)" : "main (before the event loop)");
      m_mainHeaderPrinted = true;
    }
  }

  void printIterationHeader() {
    if (m_iteration == kNotASpan || m_iterationPrinted) return;
    const Event& header = m_evs[m_iteration];
    line(header.ts, 0, "iteration " + std::to_string(as<record::Iteration>(header).number));
    m_iterationPrinted = true;
  }

  void closeSpansEndingAt(size_t i) {
    while (!m_nest.empty() && m_ends[m_nest.back()] == i) m_nest.pop_back();
    if (m_phase != kNotASpan && m_ends[m_phase] == i) m_phase = kNotASpan;
    if (m_iteration != kNotASpan && m_ends[m_iteration] == i) m_iteration = kNotASpan;
  }

  std::string callbackText(int64_t asyncId) const {
    if (asyncId == 1) {
      std::string file = runFile(m_trace);
      return file.empty() ? "main script" : "main script " + std::string(baseName(file));
    }
    std::string text(m_trace.asyncType(asyncId));
    if (text.empty()) text = "callback";
    if (std::string label = m_trace.callbackLabel(asyncId); !label.empty()) text += " " + label;
    return text + " (asyncId " + Trace::asyncIdText(asyncId) + ")";
  }

  std::string phaseHeader(size_t i) const {
    auto enter = as<record::PhaseEnter>(m_evs[i]);
    std::string text(phaseName(enter.phase));
    // For the pending phase the timeout field says "this is the extra run after poll".
    if (enter.phase == Phase::Pending && enter.pollTimeoutMs == 1) text += " (after poll)";
    text += "  " + duration(i);
    if (enter.phase == Phase::Poll) {
      int64_t timeout = enter.pollTimeoutMs;
      text += "  (timeout " + (timeout < 0 ? std::string("infinite") : std::to_string(timeout) + " ms");
      size_t e = m_ends[i];
      if (e < m_evs.size() && m_evs[e].kind == EventKind::PhaseExit)
        text += ", blocked " + millis(double(as<record::PhaseExit>(m_evs[e]).blockedNs)) + " ms";
      text += ")";
    }
    return text;
  }

  bool phaseShown(size_t i) const {
    if (m_opts.allPhases || m_hasContent[i]) return true;
    const Event& ev = m_evs[i];
    if (as<record::PhaseEnter>(ev).phase != Phase::Poll) return false;
    size_t e = m_ends[i];
    if (e < m_evs.size() && m_evs[e].kind == EventKind::PhaseExit)
      return as<record::PhaseExit>(m_evs[e]).blockedNs > 1'000'000;
    return endTs(i) - ev.ts > 1'000'000;  // cut short while polling: it was blocked till then
  }

  void handle(size_t i) {
    const Event& ev = m_evs[i];
    switch (ev.kind) {
      case EventKind::RunStart: {
        std::string text = "run start";
        if (std::string file = runFile(m_trace); !file.empty()) text += ": " + file;
        auto start = as<record::RunStart>(ev);
        text += " (pid " + std::to_string(start.pid) + ", thread pool " + std::to_string(start.poolSize) + ")";
        line(ev.ts, 0, text);
        break;
      }
      case EventKind::RunEnd: line(ev.ts, 0, runEndText(as<record::RunEnd>(ev))); break;
      case EventKind::LoopStart:
        if (ev.thread != kMainThread) break;  // workers' loops are listed by the Chrome export
        m_inLoop = m_sawLoop = true;
        if (m_opts.allPhases) line(ev.ts, 0, "loop start");
        break;
      case EventKind::LoopEnd:
        if (ev.thread != kMainThread) break;
        m_inLoop = false;
        m_mainHeaderPrinted = false;
        if (m_opts.allPhases) line(ev.ts, 0, "loop end");
        break;
      case EventKind::Iteration:
        if (ev.thread != kMainThread) break;
        m_iteration = i;
        m_iterationPrinted = false;
        if (m_opts.allPhases) printIterationHeader();
        break;
      case EventKind::PhaseEnter:
        if (ev.thread != kMainThread) break;
        m_phase = i;
        if (phaseShown(i)) {
          printIterationHeader();
          line(ev.ts, 1, phaseHeader(i));
        }
        break;
      case EventKind::CallbackEnter: {
        ensureHeaders(ev.ts);
        int64_t id = as<record::CallbackEnter>(ev).asyncId;
        line(ev.ts, contentDepth(), callbackText(id) + "  " + duration(i));
        if (ev.thread == kMainThread) m_nest.push_back(i);
        break;
      }
      case EventKind::Console: {
        ensureHeaders(ev.ts);
        std::string_view text = m_trace.str(as<record::Console>(ev).textString);
        if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        // Multi-line output (an inspected object) keeps one "> " per line.
        for (;;) {
          size_t nl = text.find('\n');
          line(ev.ts, contentDepth(), "> " + std::string(text.substr(0, nl)));
          if (nl == std::string_view::npos) break;
          text.remove_prefix(nl + 1);
        }
        break;
      }
      case EventKind::GcBegin: {
        ensureHeaders(ev.ts);
        int64_t typeBits = as<record::GcBegin>(ev).typeBits;
        std::string text = "gc " + std::string(gcTypeName(typeBits)) + "  " + duration(i);
        size_t e = m_ends[i];
        if (e < m_evs.size() && m_evs[e].kind == EventKind::GcEnd) {
          auto done = as<record::GcEnd>(m_evs[e]);
          // Sizes come from the trace: a damaged one may hold anything, so the sum saturates.
          const int64_t sum = saturatingAdd(
              saturatingAdd(saturatingAdd(done.newSpace, done.oldSpace), saturatingAdd(done.codeSpace, done.mapSpace)),
              done.largeObjectSpace);
          uint64_t used = uint64_t(std::max<int64_t>(0, sum));
          text += ", heap " + bytesText(used) + " used after";
        }
        line(ev.ts, contentDepth(), text);
        break;
      }
      case EventKind::PoolSubmit: {
        auto submit = as<record::PoolSubmit>(ev);
        JobInfo job;
        job.kind = submit.workKindString;
        job.submitTs = ev.ts;
        // Job ids are request addresses: a new submit replaces an old job.
        m_jobs[submit.jobId] = job;
        break;
      }
      case EventKind::PoolStart: {
        JobInfo& job = m_jobs[as<record::PoolStart>(ev).jobId];
        job.startTs = ev.ts;
        job.slot = ev.thread;
        job.started = true;
        break;
      }
      case EventKind::PoolEnd: {
        JobInfo& job = m_jobs[as<record::PoolEnd>(ev).jobId];
        job.endTs = ev.ts;
        job.ended = true;
        break;
      }
      case EventKind::PoolDone: {
        ensureHeaders(ev.ts);
        std::string text;
        if (auto it = m_jobs.find(as<record::PoolDone>(ev).jobId); it != m_jobs.end()) {
          const JobInfo& job = it->second;
          std::string kind(m_trace.str(job.kind));
          text = (kind.empty() ? std::string("threadpool job") : kind) + " done";
          if (job.started) {
            text += " (pool #" + std::to_string(job.slot) + ", waited " + millis(double(job.startTs - job.submitTs)) +
                    " ms";
            if (job.ended) text += ", ran " + millis(double(job.endTs - job.startTs)) + " ms";
            text += ")";
          }
        } else {
          text = "threadpool job done";
        }
        line(ev.ts, contentDepth(), text);
        if (ev.thread == kMainThread) m_nest.push_back(i);
        break;
      }
      case EventKind::PoolDoneEnd: m_jobs.erase(as<record::PoolDoneEnd>(ev).jobId); break;
      case EventKind::UncaughtError: {
        ensureHeaders(ev.ts);
        auto error = as<record::UncaughtError>(ev);
        std::string name(m_trace.str(error.errorNameString));
        std::string text = "uncaught " + (name.empty() ? std::string("error") : name) + ": " +
                           std::string(m_trace.str(error.messageString));
        std::string_view script = m_trace.str(error.scriptString);
        if (!script.empty())
          text += " (at " + std::string(baseName(script)) + ":" + std::to_string(error.line) + ":" +
                  std::to_string(error.column) + ")";
        line(ev.ts, contentDepth(), text);
        break;
      }
      default: break;
    }
  }

  const Trace& m_trace;
  const std::vector<Event>& m_evs;
  std::ostream& m_out;
  TimelineOptions m_opts;
  std::vector<size_t> m_ends;
  std::vector<bool> m_hasContent;
  uint64_t m_origin = 0;
  uint64_t m_lastTs = 0;

  bool m_inLoop = false;
  bool m_sawLoop = false;
  bool m_mainHeaderPrinted = false;
  size_t m_iteration = kNotASpan;
  bool m_iterationPrinted = false;
  size_t m_phase = kNotASpan;
  std::vector<size_t> m_nest;  // open callbacks and pool completions on the main thread
  std::unordered_map<int64_t, JobInfo> m_jobs;

  size_t m_printed = 0;
  size_t m_skipped = 0;
};

}  // namespace

void printTimeline(const Trace& trace, std::ostream& out, const TimelineOptions& opts) {
  TimelinePrinter(trace, out, opts).print();
  for (const HealthWarning& w : findHealthWarnings(trace)) out << "! " << w.message << "\n";
}

}  // namespace loopscope
