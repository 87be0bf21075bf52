#include "chrome_export.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <deque>
#include <unordered_map>
#include <vector>

#include "health.h"
#include "interpret/attribution.h"
#include "interpret/spans.h"
#include "interpret/units.h"
#include "text_encoding.h"

namespace loopscope {
namespace {

// Times keep every nanosecond: decimalFixed writes them with integers (a double would round
// long runs).
std::string micros(uint64_t ns) { return decimalFixed(int64_t(ns), 3); }
std::string millisFromNs(int64_t ns) { return decimalFixed(ns, 6); }

// Builds the members of one JSON object.
class JsonFields {
 public:
  JsonFields& str(std::string_view key, std::string_view value) {
    name(key);
    appendJsonString(body_, value);
    return *this;
  }
  JsonFields& num(std::string_view key, int64_t value) { return raw(key, std::to_string(value)); }
  // `json` must already be valid JSON (a formatted number, an object).
  JsonFields& raw(std::string_view key, std::string_view json) {
    name(key);
    body_ += json;
    return *this;
  }
  bool empty() const { return body_.empty(); }
  std::string object() const { return "{" + body_ + "}"; }

 private:
  void name(std::string_view key) {
    if (!body_.empty()) body_ += ',';
    appendJsonString(body_, key);
    body_ += ':';
  }
  std::string body_;
};

// Event.thread -> Chrome tid. tid 0 is avoided because some viewers treat it as "no thread".
int tidOf(uint8_t thread) { return int(thread) + 1; }

std::string threadName(int tid) {
  if (tid == tidOf(kMainThread)) return "main: event loop";
  if (tid == tidOf(kOtherThread)) return "other threads";
  auto thread = uint8_t(tid - 1);
  if (isWorkerThread(thread))
    return "worker #" + std::to_string(thread - kFirstWorkerThread + 1) + ": event loop";
  return "uv threadpool #" + std::to_string(thread);
}

class ChromeExporter {
 public:
  explicit ChromeExporter(const Trace& trace)
      : trace_(trace), evs_(trace.events()), ends_(matchSpans(trace)) {
    scan();
  }

  // Records are written in the order of the events that produce them, which is time order.
  // Nothing is buffered (a slice's end is known from matchSpans), so exporting a ten-million-event
  // trace needs a few bytes per event, not a copy of the JSON.
  void write(std::ostream& out) {
    out_ = &out;
    out << "{\"displayTimeUnit\":\"ms\",\"otherData\":" << metaObject().object()
        << ",\"traceEvents\":[\n";
    std::string file = runFile();
    JsonFields processArgs;
    processArgs.str("name", file.empty() ? std::string("loopscope") : file);
    out << metadata("process_name", 0, processArgs);
    for (size_t tid = 0; tid < tidUsed_.size(); ++tid) {
      if (!tidUsed_[tid]) continue;
      JsonFields args;
      args.str("name", threadName(int(tid)));
      out << ",\n" << metadata("thread_name", int(tid), args);
    }
    for (size_t i = 0; i < evs_.size(); ++i) {
      for (size_t& open : openPhases_)
        if (open != kNotASpan && ends_[open] == i) open = kNotASpan;
      handle(i);
    }
    writeHealth();
    out << "\n]}\n";
  }

 private:
  // Loop-health warnings as instants where they start, and utilisation as a counter per iteration.
  void writeHealth() {
    for (const HealthWarning& w : findHealthWarnings(trace_)) {
      JsonFields args;
      args.str("message", w.message).num("line", w.line).str("label", w.label);
      args.raw("duration_ms", millisFromNs(int64_t(w.durationNs))).num("callbacks", w.callbacks);
      bool blocked = w.kind == HealthWarning::Kind::BlockedLoop;
      instant(evs_[w.eventIndex], "health", blocked ? "blocked loop" : "starvation", args);
    }
    for (const IterationHealth& it : iterationHealth(trace_)) {
      JsonFields args;
      char utilisation[16];
      std::snprintf(utilisation, sizeof utilisation, "%.3f", it.utilisation());
      args.raw("utilisation", utilisation).raw("busy_ms", millisFromNs(int64_t(it.busyNs())));
      counter("health", "loop utilisation", it.startNs, args);
    }
  }

  struct Job {
    int64_t flowId = 0;
    int64_t kind = -1;  // work-kind string id
    int64_t asyncId = 0;
    uint64_t submitTs = 0;
    bool submitted = false;
    bool waiting = false;  // submitted, not yet started: counts in the backlog
  };

  // Looks ahead once: which threads appear (their names come first in the file) and which
  // submitted jobs complete (a flow arrow is started only for those, so none dangles).
  void scan() {
    tidUsed_[size_t(tidOf(kMainThread))] = true;
    completes_.assign(evs_.size(), false);
    std::unordered_map<int64_t, size_t> pendingSubmit;  // job id -> index of its PoolSubmit
    for (size_t i = 0; i < evs_.size(); ++i) {
      const Event& ev = evs_[i];
      lastTs_ = std::max(lastTs_, ev.ts);
      tidUsed_[size_t(tidOf(ev.thread))] = true;
      if (ev.kind == EventKind::PoolSubmit) {
        pendingSubmit[ev.a()] = i;
      } else if (ev.kind == EventKind::PoolDone) {
        if (auto it = pendingSubmit.find(ev.a()); it != pendingSubmit.end()) {
          completes_[it->second] = true;
          pendingSubmit.erase(it);
        }
      }
    }
  }

  std::string runFile() const {
    if (const Event* start = trace_.runStart(); start && !trace_.str(start->c()).empty())
      return std::string(trace_.str(start->c()));
    return trace_.meta("file");
  }

  JsonFields metaObject() const {
    JsonFields meta;
    for (const Event& ev : evs_)
      if (ev.kind == EventKind::Meta) meta.str(trace_.str(ev.a()), trace_.str(ev.b()));
    return meta;
  }

  static std::string metadata(std::string_view what, int tid, const JsonFields& args) {
    JsonFields f;
    f.str("ph", "M").str("name", what).num("pid", 1);
    if (tid > 0) f.num("tid", tid);
    f.raw("args", args.object());
    return f.object();
  }

  JsonFields begin(std::string_view ph, std::string_view cat, std::string_view name,
                   uint8_t thread, uint64_t ts) {
    JsonFields f;
    f.str("ph", ph).str("cat", cat).str("name", name).num("pid", 1).num("tid", tidOf(thread));
    f.raw("ts", micros(ts));
    return f;
  }

  void emit(JsonFields& f, const JsonFields& args) {
    if (!args.empty()) f.raw("args", args.object());
    *out_ << ",\n" << f.object();
  }

  uint64_t endTs(size_t i) const {
    size_t e = ends_[i];
    return e < evs_.size() ? evs_[e].ts : lastTs_;
  }

  void slice(size_t i, std::string_view cat, std::string_view name, const JsonFields& args) {
    const Event& ev = evs_[i];
    JsonFields f = begin("X", cat, name, ev.thread, ev.ts);
    f.raw("dur", micros(endTs(i) - ev.ts));
    emit(f, args);
  }

  void instant(const Event& ev, std::string_view cat, std::string_view name,
               const JsonFields& args) {
    JsonFields f = begin("i", cat, name, ev.thread, ev.ts);
    f.str("s", "t");
    emit(f, args);
  }

  void counter(std::string_view cat, std::string_view name, uint64_t ts, const JsonFields& args) {
    JsonFields f = begin("C", cat, name, kMainThread, ts);
    emit(f, args);
  }

  void flow(std::string_view ph, const Job& job, uint8_t thread, uint64_t ts) {
    JsonFields f = begin(ph, "threadpool.flow", workKind(job), thread, ts);
    f.num("id", job.flowId);
    // The tail binds to the callback that submitted the job; "bp":"e" binds the head to the
    // slice enclosing the completion (its "done" slice) rather than to the next slice to start.
    if (ph == "f") f.str("bp", "e");
    emit(f, {});
  }

  void messageFlow(std::string_view ph, int64_t id, uint8_t thread, uint64_t ts) {
    JsonFields f = begin(ph, "worker.message", "postMessage", thread, ts);
    f.num("id", id);
    if (ph == "f") f.str("bp", "e");
    emit(f, {});
  }

  std::string workKind(const Job& job) const {
    std::string_view kind = trace_.str(job.kind);
    return kind.empty() ? std::string("threadpool job") : std::string(kind);
  }

  std::string functionName(int64_t asyncId) const {
    const AsyncInfo* info = trace_.async(asyncId);
    const FunctionSiteInfo* site = info ? trace_.site(info->site) : nullptr;
    if (site && !site->name.empty()) return site->name;
    std::string_view type = trace_.asyncType(asyncId);
    return type.empty() ? std::string("callback") : std::string(type);
  }

  // asyncId, triggerAsyncId and where the function behind a resource was defined.
  void describeAsync(JsonFields& args, int64_t asyncId) const {
    const AsyncInfo* info = trace_.async(asyncId);
    const FunctionSiteInfo* site = info ? trace_.site(info->site) : nullptr;
    args.num("asyncId", asyncId).num("triggerAsyncId", info ? info->trigger : 0);
    if (site) {
      args.str("function", site->name).str("file", site->script);
      args.num("line", site->line).num("column", site->column);
    } else {
      args.str("file", asyncId == 1 ? runFile() : std::string());
      args.num("line", 0).num("column", 0);
    }
  }

  std::string streamName(int64_t id) const {
    std::string name = "stream " + std::to_string(id);
    if (auto it = streamCtors_.find(id); it != streamCtors_.end()) {
      std::string_view ctor = trace_.str(it->second);
      if (!ctor.empty()) name += " (" + std::string(ctor) + ")";
    }
    return name;
  }

  void backlogChanged(uint64_t ts) {
    JsonFields args;
    args.num("waiting", backlog_);
    counter("threadpool", "threadpool backlog", ts, args);
  }

  void handle(size_t i) {
    const Event& ev = evs_[i];
    JsonFields args;
    switch (ev.kind) {
      case EventKind::RunStart:
        args.num("threadpool_size", ev.a()).num("pid", ev.b()).str("file", trace_.str(ev.c()));
        instant(ev, "run", "run start", args);
        break;
      case EventKind::RunEnd:
        args.num("exit_code", ev.a()).str("reason", endReasonName(EndReason(ev.b())));
        args.num("signal", ev.c());
        instant(ev, "run", "run end", args);
        break;
      case EventKind::Iteration:
        if (ev.thread == kMainThread) iteration_ = ev.a();
        args.num("iteration", ev.a());
        slice(i, "iteration", "iteration " + std::to_string(ev.a()), args);
        break;
      case EventKind::PhaseEnter: {
        auto phase = Phase(ev.a());
        openPhases_[ev.thread] = i;
        args.num("iteration", iteration_);
        if (phase == Phase::Poll) {
          args.num("timeout_ms", ev.b());
          size_t e = ends_[i];
          // A run cut short inside poll was, as far as anyone can tell, blocked until the cut.
          int64_t blocked = e < evs_.size() && evs_[e].kind == EventKind::PhaseExit
                                ? evs_[e].b()
                                : int64_t(endTs(i) - ev.ts);
          args.raw("blocked_ms", millisFromNs(blocked));
        }
        if (phase == Phase::Pending && ev.b() == 1) args.num("after_poll", 1);
        slice(i, "phase", phaseName(phase), args);
        break;
      }
      case EventKind::CallbackEnter: {
        int64_t id = ev.a();
        std::string_view type = trace_.asyncType(id);
        std::string_view phase = "main";
        if (size_t open = openPhases_[ev.thread]; open != kNotASpan)
          phase = phaseName(Phase(evs_[open].a()));
        args.str("type", type).str("phase", phase);
        describeAsync(args, id);
        if (std::string label = trace_.callbackLabel(id); !label.empty()) args.str("label", label);
        // Node's own callbacks are kept, flagged, so a viewer can fold them away.
        if (isInternalCallback(trace_, id)) args.raw("internal", "true");
        slice(i, "callback", functionName(id), args);
        // A message arriving on this thread ends the arrow of the oldest one posted to it.
        if (type == "MESSAGEPORT" && !messagesInFlight_[ev.thread].empty()) {
          messageFlow("f", messagesInFlight_[ev.thread].front(), ev.thread, ev.ts);
          messagesInFlight_[ev.thread].pop_front();
        }
        break;
      }
      case EventKind::MessagePosted: {
        int64_t flowId = kFirstMessageFlow + ++messageFlows_;
        args.str("to", threadName(tidOf(uint8_t(ev.a())))).num("bytes", ev.b());
        instant(ev, "worker.message", "postMessage", args);
        messageFlow("s", flowId, ev.thread, ev.ts);
        if (uint8_t(ev.a()) != kOtherThread) messagesInFlight_[uint8_t(ev.a())].push_back(flowId);
        break;
      }
      case EventKind::PoolSubmit: {
        Job& job = jobs_[ev.a()];  // job ids are request addresses, reused after completion
        if (job.waiting) --backlog_;
        job = Job{};
        job.flowId = ++flowCount_;
        job.kind = ev.b();
        job.asyncId = ev.c();
        job.submitTs = ev.ts;
        job.submitted = job.waiting = true;
        ++backlog_;
        backlogChanged(ev.ts);
        if (completes_[i]) flow("s", job, ev.thread, ev.ts);
        break;
      }
      case EventKind::PoolStart: {
        auto [it, fresh] = jobs_.try_emplace(ev.a());
        Job& job = it->second;
        if (fresh) job.flowId = ++flowCount_;
        if (job.waiting) {
          job.waiting = false;
          --backlog_;
          backlogChanged(ev.ts);
        }
        args.num("job", job.flowId).num("asyncId", job.asyncId);
        if (job.submitted) args.raw("queued_ms", millisFromNs(int64_t(ev.ts - job.submitTs)));
        slice(i, "threadpool", workKind(job), args);
        break;
      }
      case EventKind::PoolDone: {
        auto it = jobs_.find(ev.a());
        if (it == jobs_.end()) break;
        const Job& job = it->second;
        if (job.submitted) flow("f", job, ev.thread, ev.ts);
        args.num("job", job.flowId).num("asyncId", job.asyncId);
        slice(i, "threadpool.done", workKind(job) + " done", args);
        break;
      }
      case EventKind::PoolDoneEnd: {
        auto it = jobs_.find(ev.a());
        if (it != jobs_.end() && !it->second.waiting) jobs_.erase(it);
        break;
      }
      case EventKind::GcBegin:
        args.num("type_bits", ev.a());
        slice(i, "gc", gcTypeName(ev.a()), args);
        break;
      case EventKind::GcEnd:
        args.num("new_space", ev.b()).num("old_space", ev.c()).num("code_space", ev.d());
        args.num("map_space", ev.e()).num("large_object_space", ev.g());
        counter("gc", "heap", ev.ts, args);
        break;
      case EventKind::StreamCreated: streamCtors_[ev.a()] = ev.b(); break;
      case EventKind::StreamState: {
        args.num("buffered", ev.c()).num("highWaterMark", ev.d());
        counter("stream", streamName(ev.a()), ev.ts, args);
        auto what = StreamEvent(ev.b());
        if (what == StreamEvent::WriteFalse || what == StreamEvent::Drain) {
          JsonFields detail;
          detail.num("stream", ev.a()).str("stream_name", streamName(ev.a()));
          detail.num("buffered", ev.c()).num("highWaterMark", ev.d());
          detail.str("side", StreamSide(ev.e()) == StreamSide::Readable ? "readable" : "writable");
          instant(ev, "stream", streamEventName(what), detail);
        }
        break;
      }
      case EventKind::TimerScheduled:
        describeAsync(args, ev.a());
        args.num("delay_ms", ev.d()).num("repeat", ev.e());
        instant(ev, "queue", ev.e() ? "setInterval" : "setTimeout", args);
        break;
      case EventKind::TimerCleared:
        args.num("asyncId", ev.a());
        instant(ev, "queue", "clearTimeout", args);
        break;
      case EventKind::ImmediateScheduled:
        describeAsync(args, ev.a());
        instant(ev, "queue", "setImmediate", args);
        break;
      case EventKind::ImmediateCleared:
        args.num("asyncId", ev.a());
        instant(ev, "queue", "clearImmediate", args);
        break;
      case EventKind::TickScheduled:
        describeAsync(args, ev.a());
        instant(ev, "queue", "process.nextTick", args);
        break;
      case EventKind::MicrotaskQueued:
        describeAsync(args, ev.a());
        instant(ev, "microtask", "queueMicrotask", args);
        break;
      case EventKind::PromiseResolve:
        args.num("asyncId", ev.a());
        instant(ev, "microtask", "promise resolved", args);
        break;
      case EventKind::MicrotaskDrainEnd: instant(ev, "microtask", "microtasks drained", args); break;
      case EventKind::Console: {
        std::string_view text = trace_.str(ev.b());
        args.num("fd", ev.a()).str("text", text);
        instant(ev, "console", ev.a() == 2 ? "stderr" : "stdout", args);
        break;
      }
      case EventKind::UncaughtError: {
        std::string_view name = trace_.str(ev.e());
        args.str("name", name).str("message", trace_.str(ev.a())).str("file", trace_.str(ev.b()));
        args.num("line", ev.c()).num("column", ev.d());
        instant(ev, "error", "uncaught " + std::string(name.empty() ? "error" : name), args);
        break;
      }
      case EventKind::Paused:
        args.str("at", PauseAt(ev.a()) == PauseAt::Phase ? "phase" : "callback").num("what", ev.b());
        instant(ev, "step", "paused", args);
        break;
      case EventKind::Resumed: instant(ev, "step", "resumed", args); break;
      case EventKind::JitOptimized: {
        std::string tier = JitTier(ev.b()) == JitTier::TurboFan ? "TurboFan" : "Sparkplug";
        args.str("function", trace_.str(ev.a())).str("tier", tier).str("reason", trace_.str(ev.c()));
        args.raw("compile_ms", millisFromNs(saturatingMul(ev.d(), 1000)));
        instant(ev, "v8.jit", "optimized " + std::string(trace_.str(ev.a())) + " (" + tier + ")", args);
        break;
      }
      case EventKind::JitDeoptimized:
        args.str("function", trace_.str(ev.a())).str("reason", trace_.str(ev.b())).str("kind", trace_.str(ev.c()));
        instant(ev, "v8.jit", "deoptimized " + std::string(trace_.str(ev.a())), args);
        break;
      case EventKind::ShapeCheck:
        args.str("label", trace_.str(ev.a())).num("same_hidden_class", ev.b());
        args.num("a_fast_properties", ev.c()).num("b_fast_properties", ev.d());
        instant(ev, "v8.shape", std::string(ev.b() ? "same hidden class: " : "different hidden classes: ") +
                                    std::string(trace_.str(ev.a())), args);
        break;
      case EventKind::HeapSnapshot:
        args.num("snapshot", ev.a()).str("label", trace_.str(ev.b())).num("objects", ev.c()).num("bytes", ev.d());
        instant(ev, "memory", "heap snapshot " + std::string(trace_.str(ev.b())), args);
        break;
      case EventKind::ListenerCount:
        args.num(std::string(trace_.str(ev.b())) + " listeners", ev.c());
        counter("memory", std::string(trace_.str(ev.d())) + " " + std::to_string(ev.a()) + " listeners", ev.ts, args);
        break;
      case EventKind::AtomicsWaitStart:
        args.num("offset", ev.a()).num("value", ev.b());
        args.raw("timeout_ms", ev.c() < 0 ? std::string("null") : millisFromNs(saturatingMul(ev.c(), 1000)));
        slice(i, "atomics", "Atomics.wait (blocked)", args);
        break;
      case EventKind::AtomicsWaitEnd: {
        static constexpr const char* results[] = {"", "woken by Atomics.notify", "timed out", "value was not equal", "terminated", "stopped"};
        args.str("result", results[std::min<int64_t>(std::max<int64_t>(ev.a(), 0), 5)]);
        instant(ev, "atomics", "Atomics.wait returned", args);
        break;
      }
      case EventKind::ChildSpawn:
        args.num("pid", ev.a()).str("command", trace_.str(ev.b()));
        if (const FunctionSiteInfo* site = trace_.site(ev.c())) args.num("line", site->line);
        instant(ev, "child", "child spawned (pid " + std::to_string(ev.a()) + ")", args);
        break;
      case EventKind::ChildExit:
        args.num("pid", ev.a()).num("exit_code", ev.b()).str("signal", trace_.str(ev.c()));
        instant(ev, "child", "child exited (pid " + std::to_string(ev.a()) + ")", args);
        break;
      case EventKind::IpcMessage: {
        bool toChild = IpcDirection(ev.b()) == IpcDirection::ToChild;
        args.num("pid", ev.a()).num("bytes", ev.c()).str("direction", toChild ? "to child" : "from child");
        instant(ev, "child.ipc", toChild ? "message to child" : "message from child", args);
        break;
      }
      default: break;
    }
  }

  const Trace& trace_;
  const std::vector<Event>& evs_;
  std::vector<size_t> ends_;
  uint64_t lastTs_ = 0;
  std::ostream* out_ = nullptr;
  std::array<bool, 257> tidUsed_{};
  std::vector<bool> completes_;  // per event index: a PoolSubmit whose job completes

  // postMessage arrows: per receiving thread, the flows posted to it and not yet delivered
  // (messages between two threads arrive in the order they were posted). Their ids start far
  // above the pool jobs' so the two kinds of arrow never share an id.
  static constexpr int64_t kFirstMessageFlow = int64_t(1) << 40;
  std::array<std::deque<int64_t>, 256> messagesInFlight_;
  int64_t messageFlows_ = 0;
  // The phase each thread's loop is in (the main thread's, each Worker's).
  std::array<size_t, 256> openPhases_ = [] {
    std::array<size_t, 256> a;
    a.fill(kNotASpan);
    return a;
  }();
  int64_t iteration_ = 0;
  std::unordered_map<int64_t, Job> jobs_;
  int64_t flowCount_ = 0;
  int64_t backlog_ = 0;
  std::unordered_map<int64_t, int64_t> streamCtors_;  // stream id -> constructor-name string
};

}  // namespace

void exportChrome(const Trace& trace, std::ostream& out) { ChromeExporter(trace).write(out); }

}  // namespace loopscope
