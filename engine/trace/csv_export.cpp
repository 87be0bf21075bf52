#include "csv_export.h"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  kColumn, kValue, kDetail, kColumnCount
};

constexpr std::string_view kHeader =
    "time_us,thread,kind,phase,iteration,async_id,async_type,trigger_async_id,name,file,line,"
    "column,value,detail";

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
      if (ev.kind == EventKind::Iteration && ev.thread == kMainThread) iteration_ = ev.a();
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
    if (openPhase_ != kNotASpan) return std::string(phaseName(Phase(evs_[openPhase_].a())));
    return inLoop_ ? std::string() : std::string("main");
  }

  std::string runFile() const {
    if (const Event* start = trace_.runStart(); start && !trace_.str(start->c()).empty())
      return std::string(trace_.str(start->c()));
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
  }

  std::string_view workKind(const Job& job) const { return trace_.str(job.kind); }

  void describe(size_t i) {
    const Event& ev = evs_[i];
    switch (ev.kind) {
      case EventKind::Meta:
        row_[kName] = std::string(trace_.str(ev.a()));
        row_[kDetail] = std::string(trace_.str(ev.b()));
        break;
      case EventKind::RunStart:
        row_[kFile] = std::string(trace_.str(ev.c()));
        row_[kValue] = std::to_string(ev.a());
        row_[kDetail] = "threadpool size; pid " + std::to_string(ev.b());
        break;
      case EventKind::RunEnd:
        row_[kValue] = std::to_string(ev.a());
        row_[kDetail] = std::string(endReasonName(EndReason(ev.b())));
        if (ev.c() != 0) row_[kDetail] += "; signal " + std::to_string(ev.c());
        break;
      case EventKind::LoopStart: {
        static constexpr std::string_view modes[] = {"default", "once", "nowait"};
        row_[kValue] = std::to_string(ev.a());
        if (ev.a() >= 0 && ev.a() < 3) row_[kDetail] = std::string(modes[ev.a()]);
        break;
      }
      case EventKind::LoopEnd:
        row_[kValue] = std::to_string(ev.a());
        row_[kDetail] = ev.a() ? "loop still alive" : "no more work";
        break;
      case EventKind::Iteration: row_[kValue] = std::to_string(ev.a()); break;
      case EventKind::PhaseEnter:
        if (Phase(ev.a()) == Phase::Poll) {
          row_[kValue] = std::to_string(ev.b());
          row_[kDetail] = ev.b() < 0 ? "timeout ms (infinite)" : "timeout ms";
        } else if (Phase(ev.a()) == Phase::Pending && ev.b() == 1) {
          row_[kDetail] = "after poll";
        }
        break;
      case EventKind::PhaseExit:
        if (Phase(ev.a()) == Phase::Poll) {
          row_[kValue] = millis(ev.b());
          row_[kDetail] = "blocked ms";
        } else if (Phase(ev.a()) == Phase::Pending && ev.b() == 1) {
          row_[kDetail] = "after poll";
        }
        break;
      case EventKind::AsyncInit: async(ev.a()); break;
      case EventKind::TimerScheduled:
        async(ev.a());
        row_[kValue] = std::to_string(ev.d());
        row_[kDetail] = ev.e() ? "setInterval, delay ms" : "setTimeout, delay ms";
        break;
      case EventKind::TimerCleared:
      case EventKind::ImmediateScheduled:
      case EventKind::ImmediateCleared:
      case EventKind::TickScheduled:
      case EventKind::MicrotaskQueued:
      case EventKind::PromiseResolve:
      case EventKind::CallbackEnter: async(ev.a()); break;
      case EventKind::CallbackExit:
        async(ev.a());
        if (auto it = callbackStarts_.find(ev.a()); it != callbackStarts_.end()) {
          row_[kValue] = micros(int64_t(ev.ts - it->second));
          row_[kDetail] = "duration us";
          callbackStarts_.erase(it);
        }
        break;
      case EventKind::PoolSubmit: {
        Job& job = jobs_[ev.a()];  // job ids are request addresses, reused after completion
        job = Job{};
        job.kind = ev.b();
        job.submitTs = ev.ts;
        job.asyncId = ev.c();
        job.submitted = true;
        ++waiting_;
        async(ev.c());
        row_[kValue] = std::to_string(waiting_);
        row_[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolStart: {
        Job& job = jobs_[ev.a()];
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
        Job& job = jobs_[ev.a()];
        if (job.started) row_[kValue] = micros(int64_t(ev.ts - job.startTs));  // time it ran
        job.ended = true;
        job.endTs = ev.ts;
        async(job.asyncId);
        row_[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolDone: {
        Job& job = jobs_[ev.a()];
        if (job.submitted) row_[kValue] = micros(int64_t(ev.ts - job.submitTs));  // latency
        job.done = true;
        job.doneTs = ev.ts;
        async(job.asyncId);
        row_[kDetail] = std::string(workKind(job));
        break;
      }
      case EventKind::PoolDoneEnd: {
        auto it = jobs_.find(ev.a());
        if (it == jobs_.end()) break;
        async(it->second.asyncId);
        row_[kDetail] = std::string(workKind(it->second));
        if (it->second.done) row_[kValue] = micros(int64_t(ev.ts - it->second.doneTs));
        jobs_.erase(it);
        break;
      }
      case EventKind::GcBegin:
        row_[kName] = std::string(gcTypeName(ev.a()));
        row_[kValue] = std::to_string(ev.a());
        row_[kDetail] = "type bits";
        break;
      case EventKind::GcEnd: {
        row_[kName] = std::string(gcTypeName(ev.a()));
        row_[kValue] = std::to_string(
            saturatingAdd(saturatingAdd(saturatingAdd(ev.b(), ev.c()), saturatingAdd(ev.d(), ev.e())), ev.g()));
        row_[kDetail] = "used bytes: new " + std::to_string(ev.b()) + ", old " +
                        std::to_string(ev.c()) + ", code " + std::to_string(ev.d()) + ", map " +
                        std::to_string(ev.e()) + ", large-object " + std::to_string(ev.g());
        break;
      }
      case EventKind::StreamCreated:
        site(ev.c());
        row_[kName] = std::string(trace_.str(ev.b()));
        row_[kValue] = std::to_string(ev.a());
        row_[kDetail] = "stream id";
        streamCtors_[ev.a()] = ev.b();
        break;
      case EventKind::StreamState: {
        if (auto it = streamCtors_.find(ev.a()); it != streamCtors_.end())
          row_[kName] = std::string(trace_.str(it->second));
        row_[kValue] = std::to_string(ev.c());
        std::string_view side = StreamSide(ev.e()) == StreamSide::Readable ? "readable" : "writable";
        row_[kDetail] = "stream " + std::to_string(ev.a()) + " " +
                        std::string(streamEventName(StreamEvent(ev.b()))) + " (" +
                        std::string(side) + "), highWaterMark " +
                        std::to_string(ev.d());
        break;
      }
      case EventKind::Console: {
        std::string_view text = trace_.str(ev.b());
        if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
        row_[kName] = ev.a() == 2 ? "stderr" : "stdout";
        row_[kValue] = std::to_string(ev.a());
        row_[kDetail] = std::string(text);
        break;
      }
      case EventKind::UncaughtError:
        row_[kName] = std::string(trace_.str(ev.e()));
        row_[kFile] = std::string(trace_.str(ev.b()));
        row_[kLine] = std::to_string(ev.c());
        row_[kColumn] = std::to_string(ev.d());
        row_[kDetail] = std::string(trace_.str(ev.a()));
        break;
      case EventKind::JitOptimized:
        row_[kName] = std::string(trace_.str(ev.a()));
        row_[kValue] = std::to_string(ev.d());
        row_[kDetail] = std::string(JitTier(ev.b()) == JitTier::TurboFan ? "TurboFan" : "Sparkplug") +
                        (ev.c() ? "; " + std::string(trace_.str(ev.c())) : "") + "; compile µs in value";
        break;
      case EventKind::JitDeoptimized:
        row_[kName] = std::string(trace_.str(ev.a()));
        row_[kDetail] = std::string(trace_.str(ev.b())) + " (" + std::string(trace_.str(ev.c())) + ")";
        break;
      case EventKind::ChildSpawn:
        row_[kValue] = std::to_string(ev.a());
        row_[kDetail] = "pid in value; " + std::string(trace_.str(ev.b()));
        break;
      case EventKind::ChildExit:
        row_[kValue] = std::to_string(ev.b());
        row_[kDetail] = "exit code in value; pid " + std::to_string(ev.a()) +
                        (trace_.str(ev.c()).empty() ? "" : "; signal " + std::string(trace_.str(ev.c())));
        break;
      case EventKind::IpcMessage:
        row_[kValue] = std::to_string(ev.c());
        row_[kDetail] = std::string(IpcDirection(ev.b()) == IpcDirection::ToChild ? "to" : "from") +
                        " child " + std::to_string(ev.a()) + "; bytes in value";
        break;
      case EventKind::ShapeCheck:
        row_[kName] = std::string(trace_.str(ev.a()));
        row_[kValue] = std::to_string(ev.b());
        row_[kDetail] = ev.b() ? "same hidden class" : "different hidden classes";
        break;
      case EventKind::HeapSnapshot:
        row_[kName] = std::string(trace_.str(ev.b()));
        row_[kValue] = std::to_string(ev.d());
        row_[kDetail] = "snapshot " + std::to_string(ev.a()) + "; " + std::to_string(ev.c()) + " objects; bytes in value";
        break;
      case EventKind::HeapClass:
        row_[kName] = std::string(trace_.str(ev.b()));
        row_[kValue] = std::to_string(ev.d());
        row_[kDetail] = "snapshot " + std::to_string(ev.a()) + "; " + std::to_string(ev.c()) +
                        " objects; self bytes in value; retained " + std::to_string(ev.e()) + " bytes";
        break;
      case EventKind::ListenerCount:
        row_[kName] = std::string(trace_.str(ev.b()));
        row_[kValue] = std::to_string(ev.c());
        row_[kDetail] = std::string(trace_.str(ev.d())) + " #" + std::to_string(ev.a()) + "; listeners in value";
        break;
      case EventKind::MessagePosted:
        row_[kValue] = std::to_string(ev.b());
        row_[kDetail] = "postMessage to " + threadText(uint8_t(ev.a())) + "; bytes in value";
        break;
      case EventKind::AtomicsWaitStart:
        row_[kValue] = std::to_string(ev.c());
        row_[kDetail] = "Atomics.wait at byte " + std::to_string(ev.a()) + "; timeout µs in value";
        break;
      case EventKind::AtomicsWaitEnd:
        row_[kValue] = std::to_string(ev.a());
        row_[kDetail] = "Atomics.wait returned (1 woken, 2 timed out, 3 not equal)";
        break;
      case EventKind::Paused:
        row_[kValue] = std::to_string(ev.b());
        row_[kDetail] = PauseAt(ev.a()) == PauseAt::Phase ? "before phase" : "before callback";
        break;
      default: break;
    }
    if (ev.kind == EventKind::CallbackEnter) callbackStarts_[ev.a()] = ev.ts;
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
