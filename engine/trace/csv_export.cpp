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
  kTime, kThread, kKind, kPhase, kIteration, kAsyncId, kAsyncType, kTrigger, kName, kFile, kLine,
  kColumn, kValue, kDetail, kInternal, kColumnCount
};

constexpr std::string_view kHeader =
    "time_us,thread,kind,phase,iteration,async_id,async_type,trigger_async_id,name,file,line,"
    "column,value,detail,internal";

class CsvExporter {
 public:
  explicit CsvExporter(const Trace& trace)
      : trace_(trace), evs_(trace.events()), ends_(matchSpans(trace)) {}

  void write(std::ostream& out) {
    out << kHeader << "\n";
    std::string line;
    for (size_t i = 0; i < evs_.size(); ++i) {
      const Event& ev = evs_[i];
      if (ev.kind == EventKind::String || ev.kind == EventKind::FunctionSite) continue;
      // The exit of a phase still belongs to it; everything else sees the phase as closed.
      std::string phase = currentPhase();
      if (openPhase_ != kNotASpan && ends_[openPhase_] == i) openPhase_ = kNotASpan;
      if (ev.kind == EventKind::LoopStart) inLoop_ = true;
      if (ev.kind == EventKind::Iteration && ev.thread == kMainThread)
        iteration_ = as<record::Iteration>(ev).number;
      if (ev.kind == EventKind::PhaseEnter && ev.thread == kMainThread) {
        openPhase_ = i;
        phase = currentPhase();
      }

      row_.fill(std::string());
      row_[kTime] = micros(int64_t(ev.ts));
      row_[kThread] = threadText(ev.thread);
      row_[kKind] = std::string(kindName(ev.kind));
      row_[kPhase] = phase;
      if (inLoop_ && iteration_ > 0) row_[kIteration] = std::to_string(iteration_);
      describe(i);
      if (ev.kind == EventKind::LoopEnd) {
        inLoop_ = false;
        iteration_ = 0;
      }

      line.clear();
      for (size_t c = 0; c < row_.size(); ++c) {
        if (c > 0) line += ',';
        appendCsvField(line, toValidUtf8(row_[c]));
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
    if (openPhase_ != kNotASpan)
      return std::string(phaseName(as<record::PhaseEnter>(evs_[openPhase_]).phase));
    return inLoop_ ? std::string() : std::string("main");
  }

  std::string runFile() const {
    if (const Event* start = trace_.runStart()) {
      std::string_view file = trace_.str(as<record::RunStart>(*start).fileString);
      if (!file.empty()) return std::string(file);
    }
    return trace_.meta("file");
  }

  void site(int64_t siteId) {
    if (const FunctionSiteInfo* s = trace_.site(siteId)) {
      row_[kName] = s->name;
      row_[kFile] = s->script;
      row_[kLine] = std::to_string(s->line);
      row_[kColumn] = std::to_string(s->column);
    }
  }

  void async(int64_t asyncId) {
    if (asyncId == 0) return;  // a pool job whose request is unknown
    row_[kAsyncId] = Trace::asyncIdText(asyncId);
    row_[kAsyncType] = std::string(trace_.asyncType(asyncId));
    if (asyncId == 1) {
      row_[kTrigger] = "0";
      row_[kFile] = runFile();
    }
    if (const AsyncInfo* info = trace_.async(asyncId)) {
      row_[kTrigger] = Trace::asyncIdText(info->trigger);
      site(info->site);
    }
    // Node's own callbacks stay in the export, flagged, so a spreadsheet can filter them out.
    row_[kInternal] = isInternalCallback(trace_, asyncId) ? "true" : "false";
  }

  std::string_view workKind(const Job& job) const { return trace_.str(job.kind); }

  void describe(size_t i) {
    const Event& ev = evs_[i];
    switch (ev.kind) {
      case EventKind::Meta: {
        auto entry = as<record::Meta>(ev);
        row_[kName] = std::string(trace_.str(entry.keyString));
        row_[kDetail] = std::string(trace_.str(entry.valueString));
        break;
      }
      case EventKind::RunStart: {
        auto start = as<record::RunStart>(ev);
        row_[kFile] = std::string(trace_.str(start.fileString));
        row_[kValue] = std::to_string(start.poolSize);
        row_[kDetail] = "threadpool size; pid " + std::to_string(start.pid);
        break;
      }
      case EventKind::RunEnd: {
        auto end = as<record::RunEnd>(ev);
        row_[kValue] = std::to_string(end.exitCode);
        row_[kDetail] = std::string(endReasonName(end.reason));
        if (end.signal != 0) row_[kDetail] += "; signal " + std::to_string(end.signal);
        break;
      }
      case EventKind::LoopStart: {
        static constexpr std::string_view modes[] = {"default", "once", "nowait"};
        int64_t runMode = as<record::LoopStart>(ev).runMode;
        row_[kValue] = std::to_string(runMode);
        if (runMode >= 0 && runMode < 3) row_[kDetail] = std::string(modes[runMode]);
        break;
      }
      case EventKind::LoopEnd: {
        bool stillAlive = as<record::LoopEnd>(ev).stillAlive;
        row_[kValue] = stillAlive ? "1" : "0";
        row_[kDetail] = stillAlive ? "loop still alive" : "no more work";
        break;
      }
      case EventKind::Iteration: row_[kValue] = std::to_string(as<record::Iteration>(ev).number); break;
      case EventKind::PhaseEnter: {
        auto enter = as<record::PhaseEnter>(ev);
        if (enter.phase == Phase::Poll) {
          row_[kValue] = std::to_string(enter.pollTimeoutMs);
          row_[kDetail] = enter.pollTimeoutMs < 0 ? "timeout ms (infinite)" : "timeout ms";
        } else if (enter.phase == Phase::Pending && enter.pollTimeoutMs == 1) {
          // For the pending phase the field says "this is the extra run after poll".
          row_[kDetail] = "after poll";
        }
        break;
      }
      case EventKind::PhaseExit: {
        auto exit = as<record::PhaseExit>(ev);
        if (exit.phase == Phase::Poll) {
          row_[kValue] = millis(exit.blockedNs);
          row_[kDetail] = "blocked ms";
        } else if (exit.phase == Phase::Pending && exit.blockedNs == 1) {
          // The probe repeats the pending phase's after-poll flag (1) in this field on exit.
          row_[kDetail] = "after poll";
        }
        break;
      }
      case EventKind::AsyncInit: async(as<record::AsyncInit>(ev).asyncId); break;
      case EventKind::TimerScheduled: {
        auto timer = as<record::TimerScheduled>(ev);
        async(timer.asyncId);
        row_[kValue] = std::to_string(timer.delayMs);
        row_[kDetail] = timer.repeat ? "setInterval, delay ms" : "setTimeout, delay ms";
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
        callbackStarts_[id] = ev.ts;
        break;
      }
      case EventKind::CallbackExit: {
        int64_t id = as<record::CallbackExit>(ev).asyncId;
        async(id);
        if (auto it = callbackStarts_.find(id); it != callbackStarts_.end()) {
          row_[kValue] = micros(int64_t(ev.ts - it->second));
          row_[kDetail] = "duration us";
          callbackStarts_.erase(it);
        }
        break;
      }
      case EventKind::PoolSubmit: {
        auto submit = as<record::PoolSubmit>(ev);
        Job& job = jobs_[submit.jobId];  // job ids are request addresses, reused after completion
        job = Job{};
        job.kind = submit.workKindString;
        job.submitTs = ev.ts;
        job.asyncId = submit.requestAsyncId;
        job.submitted = true;
        ++waiting_;
        async(submit.requestAsyncId);
        row_[kValue] = std::to_string(waiting_);
        row_[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolStart: {
        Job& job = jobs_[as<record::PoolStart>(ev).jobId];
        if (job.submitted && !job.started) {
          --waiting_;
          row_[kValue] = micros(int64_t(ev.ts - job.submitTs));  // time spent in the queue
        }
        job.started = true;
        job.startTs = ev.ts;
        async(job.asyncId);
        row_[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolEnd: {
        Job& job = jobs_[as<record::PoolEnd>(ev).jobId];
        if (job.started) row_[kValue] = micros(int64_t(ev.ts - job.startTs));  // time it ran
        job.ended = true;
        job.endTs = ev.ts;
        async(job.asyncId);
        row_[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolDone: {
        Job& job = jobs_[as<record::PoolDone>(ev).jobId];
        if (job.submitted) row_[kValue] = micros(int64_t(ev.ts - job.submitTs));  // latency
        job.done = true;
        job.doneTs = ev.ts;
        async(job.asyncId);
        row_[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolDoneEnd: {
        auto it = jobs_.find(as<record::PoolDoneEnd>(ev).jobId);
        if (it == jobs_.end()) break;
        async(it->second.asyncId);
        row_[kDetail] = std::string(workKind(it->second));
        if (it->second.done) row_[kValue] = micros(int64_t(ev.ts - it->second.doneTs));
        jobs_.erase(it);
        break;
      }
      case EventKind::GcBegin: {
        int64_t typeBits = as<record::GcBegin>(ev).typeBits;
        row_[kName] = std::string(gcTypeName(typeBits));
        row_[kValue] = std::to_string(typeBits);
        row_[kDetail] = "type bits";
        break;
      }
      case EventKind::GcEnd: {
        auto gc = as<record::GcEnd>(ev);
        row_[kName] = std::string(gcTypeName(gc.typeBits));
        row_[kValue] = std::to_string(saturatingAdd(
            saturatingAdd(saturatingAdd(gc.newSpace, gc.oldSpace), saturatingAdd(gc.codeSpace, gc.mapSpace)),
            gc.largeObjectSpace));
        row_[kDetail] = "used bytes: new " + std::to_string(gc.newSpace) + ", old " +
                        std::to_string(gc.oldSpace) + ", code " + std::to_string(gc.codeSpace) +
                        ", map " + std::to_string(gc.mapSpace) + ", large-object " +
                        std::to_string(gc.largeObjectSpace);
        break;
      }
      case EventKind::StreamCreated: {
        auto created = as<record::StreamCreated>(ev);
        site(created.siteId);
        row_[kName] = std::string(trace_.str(created.constructorString));
        row_[kValue] = std::to_string(created.streamId);
        row_[kDetail] = "stream id";
        streamCtors_[created.streamId] = created.constructorString;
        break;
      }
      case EventKind::StreamState: {
        auto change = as<record::StreamState>(ev);
        if (auto it = streamCtors_.find(change.streamId); it != streamCtors_.end())
          row_[kName] = std::string(trace_.str(it->second));
        row_[kValue] = std::to_string(change.buffered);
        std::string_view side = change.side == StreamSide::Readable ? "readable" : "writable";
        row_[kDetail] = "stream " + std::to_string(change.streamId) + " " +
                        std::string(streamEventName(change.what)) + " (" +
                        std::string(side) + "), highWaterMark " +
                        std::to_string(change.highWaterMark);
        break;
      }
      case EventKind::Console: {
        auto console = as<record::Console>(ev);
        std::string_view text = trace_.str(console.textString);
        if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
        row_[kName] = console.fd == 2 ? "stderr" : "stdout";
        row_[kValue] = std::to_string(console.fd);
        row_[kDetail] = std::string(text);
        break;
      }
      case EventKind::UncaughtError: {
        auto error = as<record::UncaughtError>(ev);
        row_[kName] = std::string(trace_.str(error.errorNameString));
        row_[kFile] = std::string(trace_.str(error.scriptString));
        row_[kLine] = std::to_string(error.line);
        row_[kColumn] = std::to_string(error.column);
        row_[kDetail] = std::string(trace_.str(error.messageString));
        break;
      }
      case EventKind::JitOptimized: {
        auto jit = as<record::JitOptimized>(ev);
        row_[kName] = std::string(trace_.str(jit.functionString));
        row_[kValue] = std::to_string(jit.compileMicros);
        // String id 0 is the empty string: a reason is only written when V8 gave one.
        row_[kDetail] = std::string(jit.tier == JitTier::TurboFan ? "TurboFan" : "Sparkplug") +
                        (jit.reasonString ? "; " + std::string(trace_.str(jit.reasonString)) : "") +
                        "; compile µs in value";
        break;
      }
      case EventKind::JitDeoptimized: {
        auto deopt = as<record::JitDeoptimized>(ev);
        row_[kName] = std::string(trace_.str(deopt.functionString));
        row_[kDetail] = std::string(trace_.str(deopt.reasonString)) + " (" +
                        std::string(trace_.str(deopt.bailoutKindString)) + ")";
        break;
      }
      case EventKind::ChildSpawn: {
        auto spawn = as<record::ChildSpawn>(ev);
        row_[kValue] = std::to_string(spawn.pid);
        row_[kDetail] = "pid in value; " + std::string(trace_.str(spawn.commandString));
        break;
      }
      case EventKind::ChildExit: {
        auto exit = as<record::ChildExit>(ev);
        std::string_view signal = trace_.str(exit.signalString);
        row_[kValue] = std::to_string(exit.exitCode);
        row_[kDetail] = "exit code in value; pid " + std::to_string(exit.pid) +
                        (signal.empty() ? "" : "; signal " + std::string(signal));
        break;
      }
      case EventKind::IpcMessage: {
        auto message = as<record::IpcMessage>(ev);
        row_[kValue] = std::to_string(message.bytes);
        row_[kDetail] = std::string(message.direction == IpcDirection::ToChild ? "to" : "from") +
                        " child " + std::to_string(message.childPid) + "; bytes in value";
        break;
      }
      case EventKind::ShapeCheck: {
        auto check = as<record::ShapeCheck>(ev);
        row_[kName] = std::string(trace_.str(check.labelString));
        row_[kValue] = check.sameMap ? "1" : "0";
        row_[kDetail] = check.sameMap ? "same hidden class" : "different hidden classes";
        break;
      }
      case EventKind::HeapSnapshot: {
        auto snapshot = as<record::HeapSnapshot>(ev);
        row_[kName] = std::string(trace_.str(snapshot.labelString));
        row_[kValue] = std::to_string(snapshot.selfBytes);
        row_[kDetail] = "snapshot " + std::to_string(snapshot.number) + "; " +
                        std::to_string(snapshot.objects) + " objects; bytes in value";
        break;
      }
      case EventKind::HeapClass: {
        auto heapClass = as<record::HeapClass>(ev);
        row_[kName] = std::string(trace_.str(heapClass.constructorString));
        row_[kValue] = std::to_string(heapClass.selfBytes);
        row_[kDetail] = "snapshot " + std::to_string(heapClass.snapshot) + "; " +
                        std::to_string(heapClass.objects) + " objects; self bytes in value; retained " +
                        std::to_string(heapClass.retainedBytes) + " bytes";
        break;
      }
      case EventKind::ListenerCount: {
        auto listeners = as<record::ListenerCount>(ev);
        row_[kName] = std::string(trace_.str(listeners.eventNameString));
        row_[kValue] = std::to_string(listeners.count);
        row_[kDetail] = std::string(trace_.str(listeners.constructorString)) + " #" +
                        std::to_string(listeners.emitterId) + "; listeners in value";
        break;
      }
      case EventKind::MainScriptBody:
        row_[kDetail] = as<record::MainScriptBody>(ev).starts ? "the main module's own code starts"
                                                              : "the main module's own code returned";
        break;
      case EventKind::BuiltinModuleLoad: {
        auto load = as<record::BuiltinModuleLoad>(ev);
        row_[kName] = std::string(trace_.str(load.idString));
        row_[kDetail] = load.starts ? "Node loads its built-in module (first use)" : "Node's built-in module is loaded";
        break;
      }
      case EventKind::MessagePosted: {
        auto posted = as<record::MessagePosted>(ev);
        row_[kValue] = std::to_string(posted.bytes);
        row_[kDetail] = "postMessage to " + threadText(posted.toThread) + "; bytes in value";
        break;
      }
      case EventKind::HandleActive: {
        auto handle = as<record::HandleActive>(ev);
        async(handle.asyncId);
        row_[kValue] = handle.keepsLoopAlive ? "1" : "0";
        row_[kDetail] = handle.keepsLoopAlive ? "keeps the loop alive" : "no longer keeps the loop alive";
        break;
      }
      case EventKind::HandleClosed:
        async(as<record::HandleClosed>(ev).asyncId);
        row_[kDetail] = "closed";
        break;
      case EventKind::AtomicsWaitStart: {
        auto wait = as<record::AtomicsWaitStart>(ev);
        row_[kValue] = std::to_string(wait.timeoutMicros);
        row_[kDetail] = "Atomics.wait at byte " + std::to_string(wait.byteOffset) + "; timeout µs in value";
        break;
      }
      case EventKind::AtomicsWaitEnd:
        row_[kValue] = std::to_string(int(as<record::AtomicsWaitEnd>(ev).result));
        row_[kDetail] = "Atomics.wait returned (1 woken, 2 timed out, 3 not equal)";
        break;
      case EventKind::Paused: {
        auto paused = as<record::Paused>(ev);
        row_[kValue] = std::to_string(paused.asyncIdOrPhase);
        row_[kDetail] = paused.at == PauseAt::Phase ? "before phase" : "before callback";
        break;
      }
      default: break;
    }
  }

  const Trace& trace_;
  const std::vector<Event>& evs_;
  std::vector<size_t> ends_;
  std::array<std::string, kColumnCount> row_;

  size_t openPhase_ = kNotASpan;
  bool inLoop_ = false;
  int64_t iteration_ = 0;
  std::unordered_map<int64_t, uint64_t> callbackStarts_;
  std::unordered_map<int64_t, Job> jobs_;
  int64_t waiting_ = 0;
  std::unordered_map<int64_t, int64_t> streamCtors_;
};

}  // namespace

void exportCsv(const Trace& trace, std::ostream& out) { CsvExporter(trace).write(out); }

}  // namespace loopscope
