#include "csv_export.h"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "interpret/attribution.h"
#include "interpret/records.h"
#include "interpret/spans.h"
#include "interpret/units.h"
#include "text_encoding.h"

namespace loopscope {
namespace {

// Times keep every nanosecond: decimalFixed writes them with integers, not doubles.
std::string micros(int64_t ns) { return decimalFixed(ns, 3); }
std::string millis(int64_t ns) { return decimalFixed(ns, 6); }

std::string threadText(uint8_t thread) {
  if (thread == kMainThread) return "main";
  if (thread == kOtherThread) return "other";
  if (isWorkerThread(thread)) return "worker " + std::to_string(thread - kFirstWorkerThread + 1);
  return "pool " + std::to_string(thread);
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
void appendCsvField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

enum Column {
  kTime,
  kThread,
  kKind,
  kPhase,
  kIteration,
  kAsyncId,
  kAsyncType,
  kTrigger,
  kName,
  kFile,
  kLine,
  kColumn,
  kValue,
  kDetail,
  kInternal,
  kColumnCount
};

constexpr std::string_view kHeader =
    "time_us,thread,kind,phase,iteration,async_id,async_type,trigger_async_id,name,file,line,"
    "column,value,detail,internal";

class CsvExporter {
 public:
  explicit CsvExporter(const Trace& trace) : m_trace(trace), m_evs(trace.events()), m_ends(matchSpans(trace)) {}

  void write(std::ostream& out) {
    out << kHeader << "\n";
    std::string line;
    for (size_t i = 0; i < m_evs.size(); ++i) {
      const Event& ev = m_evs[i];
      if (ev.kind == EventKind::String || ev.kind == EventKind::FunctionSite) continue;
      // The exit of a phase still belongs to it; everything else sees the phase as closed.
      std::string phase = currentPhase();
      if (m_openPhase != kNotASpan && m_ends[m_openPhase] == i) m_openPhase = kNotASpan;
      if (ev.kind == EventKind::LoopStart) m_inLoop = true;
      if (ev.kind == EventKind::Iteration && ev.thread == kMainThread) m_iteration = as<record::Iteration>(ev).number;
      if (ev.kind == EventKind::PhaseEnter && ev.thread == kMainThread) {
        m_openPhase = i;
        phase = currentPhase();
      }

      m_row.fill(std::string());
      m_row[kTime] = micros(int64_t(ev.ts));
      m_row[kThread] = threadText(ev.thread);
      m_row[kKind] = std::string(kindName(ev.kind));
      m_row[kPhase] = phase;
      if (m_inLoop && m_iteration > 0) m_row[kIteration] = std::to_string(m_iteration);
      describe(i);
      if (ev.kind == EventKind::LoopEnd) {
        m_inLoop = false;
        m_iteration = 0;
      }

      line.clear();
      for (size_t c = 0; c < m_row.size(); ++c) {
        if (c > 0) line += ',';
        appendCsvField(line, toValidUtf8(m_row[c]));
      }
      line += '\n';
      out << line;
    }
  }

 private:
  struct Job {
    int64_t kind = -1;
    uint64_t submitTs = 0, startTs = 0, endTs = 0, doneTs = 0;
    int64_t asyncId = 0;
    bool submitted = false, started = false, ended = false, done = false;
  };

  std::string currentPhase() const {
    if (m_openPhase != kNotASpan) return std::string(phaseName(as<record::PhaseEnter>(m_evs[m_openPhase]).phase));
    return m_inLoop ? std::string() : std::string("main");
  }

  std::string runFile() const {
    if (const Event* start = m_trace.runStart()) {
      std::string_view file = m_trace.str(as<record::RunStart>(*start).fileString);
      if (!file.empty()) return std::string(file);
    }
    return m_trace.meta("file");
  }

  void site(int64_t siteId) {
    if (const FunctionSiteInfo* s = m_trace.site(siteId)) {
      m_row[kName] = s->name;
      m_row[kFile] = s->script;
      m_row[kLine] = std::to_string(s->line);
      m_row[kColumn] = std::to_string(s->column);
    }
  }

  // V8's spaces (after a GC, or before the first one): their sum, and each in the detail.
  void heapColumns(const record::HeapUsage& spaces) {
    m_row[kValue] = std::to_string(saturatingAdd(saturatingAdd(saturatingAdd(spaces.newSpace, spaces.oldSpace),
                                                               saturatingAdd(spaces.codeSpace, spaces.mapSpace)),
                                                 spaces.largeObjectSpace));
    m_row[kDetail] = "used bytes: new " + std::to_string(spaces.newSpace) + ", old " + std::to_string(spaces.oldSpace) +
                     ", code " + std::to_string(spaces.codeSpace) + ", map " + std::to_string(spaces.mapSpace) +
                     ", large-object " + std::to_string(spaces.largeObjectSpace);
  }

  void async(int64_t asyncId) {
    if (asyncId == 0) return;  // a pool job whose request is unknown
    m_row[kAsyncId] = Trace::asyncIdText(asyncId);
    m_row[kAsyncType] = std::string(m_trace.asyncType(asyncId));
    if (asyncId == 1) {
      m_row[kTrigger] = "0";
      m_row[kFile] = runFile();
    }
    if (const AsyncInfo* info = m_trace.async(asyncId)) {
      m_row[kTrigger] = Trace::asyncIdText(info->trigger);
      site(info->site);
    }
    // Node's own callbacks stay in the export, flagged, so a spreadsheet can filter them out.
    m_row[kInternal] = isInternalCallback(m_trace, asyncId) ? "true" : "false";
  }

  std::string_view workKind(const Job& job) const { return m_trace.str(job.kind); }

  void describe(size_t i) {
    const Event& ev = m_evs[i];
    switch (ev.kind) {
      case EventKind::Meta: {
        auto entry = as<record::Meta>(ev);
        m_row[kName] = std::string(m_trace.str(entry.keyString));
        m_row[kDetail] = std::string(m_trace.str(entry.valueString));
        break;
      }
      case EventKind::RunStart: {
        auto start = as<record::RunStart>(ev);
        m_row[kFile] = std::string(m_trace.str(start.fileString));
        m_row[kValue] = std::to_string(start.poolSize);
        m_row[kDetail] = "threadpool size; pid " + std::to_string(start.pid);
        break;
      }
      case EventKind::RunEnd: {
        auto end = as<record::RunEnd>(ev);
        m_row[kValue] = std::to_string(end.exitCode);
        m_row[kDetail] = std::string(endReasonName(end.reason));
        if (end.signal != 0) m_row[kDetail] += "; signal " + std::to_string(end.signal);
        break;
      }
      case EventKind::LoopStart: {
        static constexpr std::string_view modes[] = {"default", "once", "nowait"};
        int64_t runMode = as<record::LoopStart>(ev).runMode;
        m_row[kValue] = std::to_string(runMode);
        if (runMode >= 0 && runMode < 3) m_row[kDetail] = std::string(modes[runMode]);
        break;
      }
      case EventKind::LoopEnd: {
        bool stillAlive = as<record::LoopEnd>(ev).stillAlive;
        m_row[kValue] = stillAlive ? "1" : "0";
        m_row[kDetail] = stillAlive ? "loop still alive" : "no more work";
        break;
      }
      case EventKind::Iteration: m_row[kValue] = std::to_string(as<record::Iteration>(ev).number); break;
      case EventKind::PhaseEnter: {
        auto enter = as<record::PhaseEnter>(ev);
        if (enter.phase == Phase::Poll) {
          m_row[kValue] = std::to_string(enter.pollTimeoutMs);
          m_row[kDetail] = enter.pollTimeoutMs < 0 ? "timeout ms (infinite)" : "timeout ms";
        } else if (enter.phase == Phase::Pending && enter.pollTimeoutMs == 1) {
          // For the pending phase the field says "this is the extra run after poll".
          m_row[kDetail] = "after poll";
        }
        break;
      }
      case EventKind::PhaseExit: {
        auto exit = as<record::PhaseExit>(ev);
        if (exit.phase == Phase::Poll) {
          m_row[kValue] = millis(exit.blockedNs);
          m_row[kDetail] = "blocked ms";
        } else if (exit.phase == Phase::Pending && exit.blockedNs == 1) {
          // The probe repeats the pending phase's after-poll flag (1) in this field on exit.
          m_row[kDetail] = "after poll";
        }
        break;
      }
      case EventKind::AsyncInit: async(as<record::AsyncInit>(ev).asyncId); break;
      case EventKind::TimerScheduled: {
        auto timer = as<record::TimerScheduled>(ev);
        async(timer.asyncId);
        m_row[kValue] = std::to_string(timer.delayMs);
        m_row[kDetail] = timer.repeat ? "setInterval, delay ms" : "setTimeout, delay ms";
        break;
      }
      case EventKind::TimerCleared: async(as<record::TimerCleared>(ev).asyncId); break;
      case EventKind::ImmediateScheduled: async(as<record::ImmediateScheduled>(ev).asyncId); break;
      case EventKind::ImmediateCleared: async(as<record::ImmediateCleared>(ev).asyncId); break;
      case EventKind::TickScheduled: async(as<record::TickScheduled>(ev).asyncId); break;
      case EventKind::MicrotaskQueued: async(as<record::MicrotaskQueued>(ev).asyncId); break;
      case EventKind::PromiseResolve: async(as<record::PromiseResolve>(ev).asyncId); break;
      case EventKind::CallbackEnter: {
        int64_t id = as<record::CallbackEnter>(ev).asyncId;
        async(id);
        m_callbackStarts[id] = ev.ts;
        break;
      }
      case EventKind::CallbackExit: {
        int64_t id = as<record::CallbackExit>(ev).asyncId;
        async(id);
        if (auto it = m_callbackStarts.find(id); it != m_callbackStarts.end()) {
          m_row[kValue] = micros(int64_t(ev.ts - it->second));
          m_row[kDetail] = "duration us";
          m_callbackStarts.erase(it);
        }
        break;
      }
      case EventKind::PoolSubmit: {
        auto submit = as<record::PoolSubmit>(ev);
        Job& job = m_jobs[submit.jobId];  // job ids are request addresses, reused after completion
        job = Job{};
        job.kind = submit.workKindString;
        job.submitTs = ev.ts;
        job.asyncId = submit.requestAsyncId;
        job.submitted = true;
        ++m_waiting;
        async(submit.requestAsyncId);
        m_row[kValue] = std::to_string(m_waiting);
        m_row[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolStart: {
        Job& job = m_jobs[as<record::PoolStart>(ev).jobId];
        if (job.submitted && !job.started) {
          --m_waiting;
          m_row[kValue] = micros(int64_t(ev.ts - job.submitTs));  // time spent in the queue
        }
        job.started = true;
        job.startTs = ev.ts;
        async(job.asyncId);
        m_row[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolEnd: {
        Job& job = m_jobs[as<record::PoolEnd>(ev).jobId];
        if (job.started) m_row[kValue] = micros(int64_t(ev.ts - job.startTs));  // time it ran
        job.ended = true;
        job.endTs = ev.ts;
        async(job.asyncId);
        m_row[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolDone: {
        Job& job = m_jobs[as<record::PoolDone>(ev).jobId];
        if (job.submitted) m_row[kValue] = micros(int64_t(ev.ts - job.submitTs));  // latency
        job.done = true;
        job.doneTs = ev.ts;
        async(job.asyncId);
        m_row[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolDoneEnd: {
        auto it = m_jobs.find(as<record::PoolDoneEnd>(ev).jobId);
        if (it == m_jobs.end()) break;
        async(it->second.asyncId);
        m_row[kDetail] = std::string(workKind(it->second));
        if (it->second.done) m_row[kValue] = micros(int64_t(ev.ts - it->second.doneTs));
        m_jobs.erase(it);
        break;
      }
      case EventKind::GcBegin: {
        int64_t typeBits = as<record::GcBegin>(ev).typeBits;
        m_row[kName] = std::string(gcTypeName(typeBits));
        m_row[kValue] = std::to_string(typeBits);
        m_row[kDetail] = "type bits";
        break;
      }
      case EventKind::GcEnd: {
        auto gc = as<record::GcEnd>(ev);
        m_row[kName] = std::string(gcTypeName(gc.typeBits));
        heapColumns({gc.newSpace, gc.oldSpace, gc.codeSpace, gc.mapSpace, gc.largeObjectSpace});
        break;
      }
      case EventKind::HeapUsage:
        m_row[kName] = "heap before any GC";
        heapColumns(as<record::HeapUsage>(ev));
        break;
      case EventKind::StreamCreated: {
        auto created = as<record::StreamCreated>(ev);
        site(created.siteId);
        m_row[kName] = std::string(m_trace.str(created.constructorString));
        m_row[kValue] = std::to_string(created.streamId);
        m_row[kDetail] = "stream id";
        m_streamCtors[created.streamId] = created.constructorString;
        break;
      }
      case EventKind::StreamState: {
        auto change = as<record::StreamState>(ev);
        if (auto it = m_streamCtors.find(change.streamId); it != m_streamCtors.end())
          m_row[kName] = std::string(m_trace.str(it->second));
        m_row[kValue] = std::to_string(change.buffered);
        std::string_view side = change.side == StreamSide::Readable ? "readable" : "writable";
        m_row[kDetail] = "stream " + std::to_string(change.streamId) + " " + std::string(streamEventName(change.what)) +
                         " (" + std::string(side) + "), highWaterMark " + std::to_string(change.highWaterMark);
        break;
      }
      case EventKind::Console: {
        auto console = as<record::Console>(ev);
        std::string_view text = m_trace.str(console.textString);
        if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
        m_row[kName] = console.fd == 2 ? "stderr" : "stdout";
        m_row[kValue] = std::to_string(console.fd);
        m_row[kDetail] = std::string(text);
        break;
      }
      case EventKind::UncaughtError: {
        auto error = as<record::UncaughtError>(ev);
        m_row[kName] = std::string(m_trace.str(error.errorNameString));
        m_row[kFile] = std::string(m_trace.str(error.scriptString));
        m_row[kLine] = std::to_string(error.line);
        m_row[kColumn] = std::to_string(error.column);
        m_row[kDetail] = std::string(m_trace.str(error.messageString));
        break;
      }
      case EventKind::JitOptimized: {
        auto jit = as<record::JitOptimized>(ev);
        m_row[kName] = std::string(m_trace.str(jit.functionString));
        m_row[kValue] = std::to_string(jit.compileMicros);
        // String id 0 is the empty string: a reason is only written when V8 gave one.
        m_row[kDetail] = std::string(jit.tier == JitTier::TurboFan ? "TurboFan" : "Sparkplug") +
                         (jit.reasonString ? "; " + std::string(m_trace.str(jit.reasonString)) : "") +
                         "; compile µs in value";
        break;
      }
      case EventKind::JitDeoptimized: {
        auto deopt = as<record::JitDeoptimized>(ev);
        m_row[kName] = std::string(m_trace.str(deopt.functionString));
        m_row[kDetail] = std::string(m_trace.str(deopt.reasonString)) + " (" +
                         std::string(m_trace.str(deopt.bailoutKindString)) + ")";
        break;
      }
      case EventKind::ChildSpawn: {
        auto spawn = as<record::ChildSpawn>(ev);
        m_row[kValue] = std::to_string(spawn.pid);
        m_row[kDetail] = "pid in value; " + std::string(m_trace.str(spawn.commandString));
        break;
      }
      case EventKind::ChildExit: {
        auto exit = as<record::ChildExit>(ev);
        std::string_view signal = m_trace.str(exit.signalString);
        m_row[kValue] = std::to_string(exit.exitCode);
        m_row[kDetail] = "exit code in value; pid " + std::to_string(exit.pid) +
                         (signal.empty() ? "" : "; signal " + std::string(signal));
        break;
      }
      case EventKind::IpcMessage: {
        auto message = as<record::IpcMessage>(ev);
        m_row[kValue] = std::to_string(message.bytes);
        m_row[kDetail] = std::string(message.direction == IpcDirection::ToChild ? "to" : "from") + " child " +
                         std::to_string(message.childPid) + "; bytes in value";
        break;
      }
      case EventKind::ShapeCheck: {
        auto check = as<record::ShapeCheck>(ev);
        m_row[kName] = std::string(m_trace.str(check.labelString));
        m_row[kValue] = check.sameMap ? "1" : "0";
        m_row[kDetail] = check.sameMap ? "same hidden class" : "different hidden classes";
        break;
      }
      case EventKind::HeapSnapshot: {
        auto snapshot = as<record::HeapSnapshot>(ev);
        m_row[kName] = std::string(m_trace.str(snapshot.labelString));
        m_row[kValue] = std::to_string(snapshot.selfBytes);
        m_row[kDetail] = "snapshot " + std::to_string(snapshot.number) + "; " + std::to_string(snapshot.objects) +
                         " objects; bytes in value";
        break;
      }
      case EventKind::HeapClass: {
        auto heapClass = as<record::HeapClass>(ev);
        m_row[kName] = std::string(m_trace.str(heapClass.constructorString));
        m_row[kValue] = std::to_string(heapClass.selfBytes);
        m_row[kDetail] = "snapshot " + std::to_string(heapClass.snapshot) + "; " + std::to_string(heapClass.objects) +
                         " objects; self bytes in value; retained " + std::to_string(heapClass.retainedBytes) +
                         " bytes";
        break;
      }
      case EventKind::ListenerCount: {
        auto listeners = as<record::ListenerCount>(ev);
        m_row[kName] = std::string(m_trace.str(listeners.eventNameString));
        m_row[kValue] = std::to_string(listeners.count);
        m_row[kDetail] = std::string(m_trace.str(listeners.constructorString)) + " #" +
                         std::to_string(listeners.emitterId) + "; listeners in value";
        break;
      }
      case EventKind::MainScriptBody:
        m_row[kDetail] = as<record::MainScriptBody>(ev).starts ? "the main module's own code starts"
                                                               : "the main module's own code returned";
        break;
      case EventKind::BuiltinModuleLoad: {
        auto load = as<record::BuiltinModuleLoad>(ev);
        m_row[kName] = std::string(m_trace.str(load.idString));
        m_row[kDetail] =
            load.starts ? "Node loads its built-in module (first use)" : "Node's built-in module is loaded";
        break;
      }
      case EventKind::MessagePosted: {
        auto posted = as<record::MessagePosted>(ev);
        m_row[kValue] = std::to_string(posted.bytes);
        m_row[kDetail] = "postMessage to " + threadText(posted.toThread) + "; bytes in value";
        break;
      }
      case EventKind::HandleActive: {
        auto handle = as<record::HandleActive>(ev);
        async(handle.asyncId);
        m_row[kValue] = handle.keepsLoopAlive ? "1" : "0";
        m_row[kDetail] = handle.keepsLoopAlive ? "keeps the loop alive" : "no longer keeps the loop alive";
        break;
      }
      case EventKind::HandleClosed:
        async(as<record::HandleClosed>(ev).asyncId);
        m_row[kDetail] = "closed";
        break;
      case EventKind::AtomicsWaitStart: {
        auto wait = as<record::AtomicsWaitStart>(ev);
        m_row[kValue] = std::to_string(wait.timeoutMicros);
        m_row[kDetail] = "Atomics.wait at byte " + std::to_string(wait.byteOffset) + "; timeout µs in value";
        break;
      }
      case EventKind::AtomicsWaitEnd:
        m_row[kValue] = std::to_string(int(as<record::AtomicsWaitEnd>(ev).result));
        m_row[kDetail] = "Atomics.wait returned (1 woken, 2 timed out, 3 not equal)";
        break;
      case EventKind::Paused: {
        auto paused = as<record::Paused>(ev);
        m_row[kValue] = std::to_string(paused.asyncIdOrPhase);
        m_row[kDetail] = paused.at == PauseAt::Phase ? "before phase" : "before callback";
        break;
      }
      default: break;
    }
  }

  const Trace& m_trace;
  const std::vector<Event>& m_evs;
  std::vector<size_t> m_ends;
  std::array<std::string, kColumnCount> m_row;

  size_t m_openPhase = kNotASpan;
  bool m_inLoop = false;
  int64_t m_iteration = 0;
  std::unordered_map<int64_t, uint64_t> m_callbackStarts;
  std::unordered_map<int64_t, Job> m_jobs;
  int64_t m_waiting = 0;
  std::unordered_map<int64_t, int64_t> m_streamCtors;
};

}  // namespace

void exportCsv(const Trace& trace, std::ostream& out) { CsvExporter(trace).write(out); }

}  // namespace loopscope
