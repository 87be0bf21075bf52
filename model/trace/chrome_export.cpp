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
#include "interpret/records.h"
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
    appendJsonString(m_body, value);
    return *this;
  }
  JsonFields& num(std::string_view key, int64_t value) { return raw(key, std::to_string(value)); }
  // `json` must already be valid JSON (a formatted number, an object).
  JsonFields& raw(std::string_view key, std::string_view json) {
    name(key);
    m_body += json;
    return *this;
  }
  bool empty() const { return m_body.empty(); }
  std::string object() const { return "{" + m_body + "}"; }

 private:
  void name(std::string_view key) {
    if (!m_body.empty()) m_body += ',';
    appendJsonString(m_body, key);
    m_body += ':';
  }
  std::string m_body;
};

// Event.thread -> Chrome tid. tid 0 is avoided because some viewers treat it as "no thread".
int tidOf(uint8_t thread) { return int(thread) + 1; }

std::string threadName(int tid) {
  if (tid == tidOf(kMainThread)) return "main: event loop";
  if (tid == tidOf(kOtherThread)) return "other threads";
  auto thread = uint8_t(tid - 1);
  if (isWorkerThread(thread)) return "worker #" + std::to_string(thread - kFirstWorkerThread + 1) + ": event loop";
  return "uv threadpool #" + std::to_string(thread);
}

class ChromeExporter {
 public:
  explicit ChromeExporter(const Trace& trace) : m_trace(trace), m_evs(trace.events()), m_ends(matchSpans(trace)) {
    scan();
  }

  // Records are written in the order of the events that produce them, which is time order.
  // Nothing is buffered (a slice's end is known from matchSpans), so exporting a ten-million-event
  // trace needs a few bytes per event, not a copy of the JSON.
  void write(std::ostream& out) {
    m_out = &out;
    out << "{\"displayTimeUnit\":\"ms\",\"otherData\":" << metaObject().object() << ",\"traceEvents\":[\n";
    std::string file = runFile();
    JsonFields processArgs;
    processArgs.str("name", file.empty() ? std::string("loopscope") : file);
    out << metadata("process_name", 0, processArgs);
    for (size_t tid = 0; tid < m_tidUsed.size(); ++tid) {
      if (!m_tidUsed[tid]) continue;
      JsonFields args;
      args.str("name", threadName(int(tid)));
      out << ",\n" << metadata("thread_name", int(tid), args);
    }
    for (size_t i = 0; i < m_evs.size(); ++i) {
      for (size_t& open : m_openPhases)
        if (open != kNotASpan && m_ends[open] == i) open = kNotASpan;
      handle(i);
    }
    writeHealth();
    out << "\n]}\n";
  }

 private:
  // Loop-health warnings as instants where they start, and utilisation as a counter per iteration.
  void writeHealth() {
    for (const HealthWarning& w : findHealthWarnings(m_trace)) {
      JsonFields args;
      args.str("message", w.message).num("line", w.line).str("label", w.label);
      args.raw("duration_ms", millisFromNs(int64_t(w.durationNs))).num("callbacks", w.callbacks);
      bool blocked = w.kind == HealthWarning::Kind::BlockedLoop;
      instant(m_evs[w.eventIndex], "health", blocked ? "blocked loop" : "starvation", args);
    }
    for (const IterationHealth& it : iterationHealth(m_trace)) {
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
    m_tidUsed[size_t(tidOf(kMainThread))] = true;
    m_completes.assign(m_evs.size(), false);
    std::unordered_map<int64_t, size_t> pendingSubmit;  // job id -> index of its PoolSubmit
    for (size_t i = 0; i < m_evs.size(); ++i) {
      const Event& ev = m_evs[i];
      m_lastTs = std::max(m_lastTs, ev.ts);
      m_tidUsed[size_t(tidOf(ev.thread))] = true;
      if (ev.kind == EventKind::PoolSubmit) {
        pendingSubmit[as<record::PoolSubmit>(ev).jobId] = i;
      } else if (ev.kind == EventKind::PoolDone) {
        auto it = pendingSubmit.find(as<record::PoolDone>(ev).jobId);
        if (it != pendingSubmit.end()) {
          m_completes[it->second] = true;
          pendingSubmit.erase(it);
        }
      }
    }
  }

  std::string runFile() const {
    if (const Event* start = m_trace.runStart()) {
      std::string_view file = m_trace.str(as<record::RunStart>(*start).fileString);
      if (!file.empty()) return std::string(file);
    }
    return m_trace.meta("file");
  }

  JsonFields metaObject() const {
    JsonFields meta;
    for (const Event& ev : m_evs) {
      if (ev.kind != EventKind::Meta) continue;
      auto entry = as<record::Meta>(ev);
      meta.str(m_trace.str(entry.keyString), m_trace.str(entry.valueString));
    }
    return meta;
  }

  static std::string metadata(std::string_view what, int tid, const JsonFields& args) {
    JsonFields f;
    f.str("ph", "M").str("name", what).num("pid", 1);
    if (tid > 0) f.num("tid", tid);
    f.raw("args", args.object());
    return f.object();
  }

  JsonFields begin(std::string_view ph, std::string_view cat, std::string_view name, uint8_t thread, uint64_t ts) {
    JsonFields f;
    f.str("ph", ph).str("cat", cat).str("name", name).num("pid", 1).num("tid", tidOf(thread));
    f.raw("ts", micros(ts));
    return f;
  }

  void emit(JsonFields& f, const JsonFields& args) {
    if (!args.empty()) f.raw("args", args.object());
    *m_out << ",\n" << f.object();
  }

  uint64_t endTs(size_t i) const {
    size_t e = m_ends[i];
    return e < m_evs.size() ? m_evs[e].ts : m_lastTs;
  }

  void slice(size_t i, std::string_view cat, std::string_view name, const JsonFields& args) {
    const Event& ev = m_evs[i];
    JsonFields f = begin("X", cat, name, ev.thread, ev.ts);
    f.raw("dur", micros(endTs(i) - ev.ts));
    emit(f, args);
  }

  void instant(const Event& ev, std::string_view cat, std::string_view name, const JsonFields& args) {
    JsonFields f = begin("i", cat, name, ev.thread, ev.ts);
    f.str("s", "t");
    emit(f, args);
  }

  void counter(std::string_view cat, std::string_view name, uint64_t ts, const JsonFields& args) {
    JsonFields f = begin("C", cat, name, kMainThread, ts);
    emit(f, args);
  }

  // The "heap" counter: V8's spaces after each GC, and before the first one (HeapUsage).
  void heapCounter(uint64_t ts, JsonFields& args, const record::HeapUsage& spaces) {
    args.num("new_space", spaces.newSpace).num("old_space", spaces.oldSpace);
    args.num("code_space", spaces.codeSpace).num("map_space", spaces.mapSpace);
    args.num("large_object_space", spaces.largeObjectSpace);
    counter("gc", "heap", ts, args);
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
    std::string_view kind = m_trace.str(job.kind);
    return kind.empty() ? std::string("threadpool job") : std::string(kind);
  }

  std::string functionName(int64_t asyncId) const {
    const AsyncInfo* info = m_trace.async(asyncId);
    const FunctionSiteInfo* site = info ? m_trace.site(info->site) : nullptr;
    if (site && !site->name.empty()) return site->name;
    std::string_view type = m_trace.asyncType(asyncId);
    return type.empty() ? std::string("callback") : std::string(type);
  }

  // asyncId, triggerAsyncId and where the function behind a resource was defined.
  void describeAsync(JsonFields& args, int64_t asyncId) const {
    const AsyncInfo* info = m_trace.async(asyncId);
    const FunctionSiteInfo* site = info ? m_trace.site(info->site) : nullptr;
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
    if (auto it = m_streamCtors.find(id); it != m_streamCtors.end()) {
      std::string_view ctor = m_trace.str(it->second);
      if (!ctor.empty()) name += " (" + std::string(ctor) + ")";
    }
    return name;
  }

  void backlogChanged(uint64_t ts) {
    JsonFields args;
    args.num("waiting", m_backlog);
    counter("threadpool", "threadpool backlog", ts, args);
  }

  void handle(size_t i) {
    const Event& ev = m_evs[i];
    JsonFields args;
    switch (ev.kind) {
      case EventKind::RunStart: {
        auto start = as<record::RunStart>(ev);
        args.num("threadpool_size", start.poolSize).num("pid", start.pid);
        args.str("file", m_trace.str(start.fileString));
        instant(ev, "run", "run start", args);
        break;
      }
      case EventKind::RunEnd: {
        auto end = as<record::RunEnd>(ev);
        args.num("exit_code", end.exitCode).str("reason", endReasonName(end.reason));
        args.num("signal", end.signal);
        instant(ev, "run", "run end", args);
        break;
      }
      case EventKind::Iteration: {
        int64_t number = as<record::Iteration>(ev).number;
        if (ev.thread == kMainThread) m_iteration = number;
        args.num("iteration", number);
        slice(i, "iteration", "iteration " + std::to_string(number), args);
        break;
      }
      case EventKind::PhaseEnter: {
        auto enter = as<record::PhaseEnter>(ev);
        m_openPhases[ev.thread] = i;
        args.num("iteration", m_iteration);
        if (enter.phase == Phase::Poll) {
          args.num("timeout_ms", enter.pollTimeoutMs);
          size_t e = m_ends[i];
          // A run cut short inside poll was, as far as anyone can tell, blocked until the cut.
          int64_t blocked = e < m_evs.size() && m_evs[e].kind == EventKind::PhaseExit
                                ? as<record::PhaseExit>(m_evs[e]).blockedNs
                                : int64_t(endTs(i) - ev.ts);
          args.raw("blocked_ms", millisFromNs(blocked));
        }
        // For the pending phase the same field says "this is the extra run after poll".
        if (enter.phase == Phase::Pending && enter.pollTimeoutMs == 1) args.num("after_poll", 1);
        slice(i, "phase", phaseName(enter.phase), args);
        break;
      }
      case EventKind::CallbackEnter: {
        int64_t id = as<record::CallbackEnter>(ev).asyncId;
        std::string_view type = m_trace.asyncType(id);
        std::string_view phase = "main";
        if (size_t open = m_openPhases[ev.thread]; open != kNotASpan)
          phase = phaseName(as<record::PhaseEnter>(m_evs[open]).phase);
        args.str("type", type).str("phase", phase);
        describeAsync(args, id);
        if (std::string label = m_trace.callbackLabel(id); !label.empty()) args.str("label", label);
        // Node's own callbacks are kept, flagged, so a viewer can fold them away.
        if (isInternalCallback(m_trace, id)) args.raw("internal", "true");
        slice(i, "callback", functionName(id), args);
        // A message arriving on this thread ends the arrow of the oldest one posted to it.
        if (type == "MESSAGEPORT" && !m_messagesInFlight[ev.thread].empty()) {
          messageFlow("f", m_messagesInFlight[ev.thread].front(), ev.thread, ev.ts);
          m_messagesInFlight[ev.thread].pop_front();
        }
        break;
      }
      case EventKind::MainScriptBody:
        instant(ev, "main",
                as<record::MainScriptBody>(ev).starts ? "main module code starts" : "main module code returned", args);
        break;
      case EventKind::BuiltinModuleLoad: {
        auto load = as<record::BuiltinModuleLoad>(ev);
        args.str("module", std::string(m_trace.str(load.idString)));
        instant(ev, "node", load.starts ? "built-in module load starts" : "built-in module loaded", args);
        break;
      }
      case EventKind::MessagePosted: {
        auto posted = as<record::MessagePosted>(ev);
        int64_t flowId = kFirstMessageFlow + ++m_messageFlows;
        args.str("to", threadName(tidOf(posted.toThread))).num("bytes", posted.bytes);
        instant(ev, "worker.message", "postMessage", args);
        messageFlow("s", flowId, ev.thread, ev.ts);
        if (posted.toThread != kOtherThread) m_messagesInFlight[posted.toThread].push_back(flowId);
        break;
      }
      case EventKind::PoolSubmit: {
        auto submit = as<record::PoolSubmit>(ev);
        Job& job = m_jobs[submit.jobId];  // job ids are request addresses, reused after completion
        if (job.waiting) --m_backlog;
        job = Job{};
        job.flowId = ++m_flowCount;
        job.kind = submit.workKindString;
        job.asyncId = submit.requestAsyncId;
        job.submitTs = ev.ts;
        job.submitted = job.waiting = true;
        ++m_backlog;
        backlogChanged(ev.ts);
        if (m_completes[i]) flow("s", job, ev.thread, ev.ts);
        break;
      }
      case EventKind::PoolStart: {
        auto [it, fresh] = m_jobs.try_emplace(as<record::PoolStart>(ev).jobId);
        Job& job = it->second;
        if (fresh) job.flowId = ++m_flowCount;
        if (job.waiting) {
          job.waiting = false;
          --m_backlog;
          backlogChanged(ev.ts);
        }
        args.num("job", job.flowId).num("asyncId", job.asyncId);
        if (job.submitted) args.raw("queued_ms", millisFromNs(int64_t(ev.ts - job.submitTs)));
        slice(i, "threadpool", workKind(job), args);
        break;
      }
      case EventKind::PoolDone: {
        auto it = m_jobs.find(as<record::PoolDone>(ev).jobId);
        if (it == m_jobs.end()) break;
        const Job& job = it->second;
        if (job.submitted) flow("f", job, ev.thread, ev.ts);
        args.num("job", job.flowId).num("asyncId", job.asyncId);
        slice(i, "threadpool.done", workKind(job) + " done", args);
        break;
      }
      case EventKind::PoolDoneEnd: {
        auto it = m_jobs.find(as<record::PoolDoneEnd>(ev).jobId);
        if (it != m_jobs.end() && !it->second.waiting) m_jobs.erase(it);
        break;
      }
      case EventKind::GcBegin: {
        int64_t typeBits = as<record::GcBegin>(ev).typeBits;
        args.num("type_bits", typeBits);
        slice(i, "gc", gcTypeName(typeBits), args);
        break;
      }
      case EventKind::GcEnd: {
        auto gc = as<record::GcEnd>(ev);
        heapCounter(ev.ts, args, {gc.newSpace, gc.oldSpace, gc.codeSpace, gc.mapSpace, gc.largeObjectSpace});
        break;
      }
      case EventKind::HeapUsage: heapCounter(ev.ts, args, as<record::HeapUsage>(ev)); break;
      case EventKind::StreamCreated: {
        auto created = as<record::StreamCreated>(ev);
        m_streamCtors[created.streamId] = created.constructorString;
        break;
      }
      case EventKind::StreamState: {
        auto change = as<record::StreamState>(ev);
        args.num("buffered", change.buffered).num("highWaterMark", change.highWaterMark);
        counter("stream", streamName(change.streamId), ev.ts, args);
        if (change.what == StreamEvent::WriteFalse || change.what == StreamEvent::Drain) {
          JsonFields detail;
          detail.num("stream", change.streamId).str("stream_name", streamName(change.streamId));
          detail.num("buffered", change.buffered).num("highWaterMark", change.highWaterMark);
          detail.str("side", change.side == StreamSide::Readable ? "readable" : "writable");
          instant(ev, "stream", streamEventName(change.what), detail);
        }
        break;
      }
      case EventKind::TimerScheduled: {
        auto timer = as<record::TimerScheduled>(ev);
        describeAsync(args, timer.asyncId);
        args.num("delay_ms", timer.delayMs).num("repeat", timer.repeat ? 1 : 0);
        instant(ev, "queue", timer.repeat ? "setInterval" : "setTimeout", args);
        break;
      }
      case EventKind::TimerCleared:
        args.num("asyncId", as<record::TimerCleared>(ev).asyncId);
        instant(ev, "queue", "clearTimeout", args);
        break;
      case EventKind::ImmediateScheduled:
        describeAsync(args, as<record::ImmediateScheduled>(ev).asyncId);
        instant(ev, "queue", "setImmediate", args);
        break;
      case EventKind::ImmediateCleared:
        args.num("asyncId", as<record::ImmediateCleared>(ev).asyncId);
        instant(ev, "queue", "clearImmediate", args);
        break;
      case EventKind::TickScheduled:
        describeAsync(args, as<record::TickScheduled>(ev).asyncId);
        instant(ev, "queue", "process.nextTick", args);
        break;
      case EventKind::MicrotaskQueued:
        describeAsync(args, as<record::MicrotaskQueued>(ev).asyncId);
        instant(ev, "microtask", "queueMicrotask", args);
        break;
      case EventKind::PromiseResolve:
        args.num("asyncId", as<record::PromiseResolve>(ev).asyncId);
        instant(ev, "microtask", "promise resolved", args);
        break;
      case EventKind::MicrotaskDrainEnd: instant(ev, "microtask", "microtasks drained", args); break;
      case EventKind::Console: {
        auto console = as<record::Console>(ev);
        std::string_view text = m_trace.str(console.textString);
        args.num("fd", console.fd).str("text", text);
        instant(ev, "console", console.fd == 2 ? "stderr" : "stdout", args);
        break;
      }
      case EventKind::UncaughtError: {
        auto error = as<record::UncaughtError>(ev);
        std::string_view name = m_trace.str(error.errorNameString);
        args.str("name", name).str("message", m_trace.str(error.messageString));
        args.str("file", m_trace.str(error.scriptString));
        args.num("line", error.line).num("column", error.column);
        instant(ev, "error", "uncaught " + std::string(name.empty() ? "error" : name), args);
        break;
      }
      case EventKind::Paused: {
        auto paused = as<record::Paused>(ev);
        args.str("at", paused.at == PauseAt::Phase ? "phase" : "callback");
        args.num("what", paused.asyncIdOrPhase);
        instant(ev, "step", "paused", args);
        break;
      }
      case EventKind::Resumed: instant(ev, "step", "resumed", args); break;
      case EventKind::JitOptimized: {
        auto jit = as<record::JitOptimized>(ev);
        std::string function(m_trace.str(jit.functionString));
        std::string tier = jit.tier == JitTier::TurboFan ? "TurboFan" : "Sparkplug";
        args.str("function", function).str("tier", tier);
        args.str("reason", m_trace.str(jit.reasonString));
        args.raw("compile_ms", millisFromNs(saturatingMul(jit.compileMicros, 1000)));
        instant(ev, "v8.jit", "optimized " + function + " (" + tier + ")", args);
        break;
      }
      case EventKind::JitDeoptimized: {
        auto deopt = as<record::JitDeoptimized>(ev);
        std::string function(m_trace.str(deopt.functionString));
        args.str("function", function).str("reason", m_trace.str(deopt.reasonString));
        args.str("kind", m_trace.str(deopt.bailoutKindString));
        instant(ev, "v8.jit", "deoptimized " + function, args);
        break;
      }
      case EventKind::ShapeCheck: {
        auto check = as<record::ShapeCheck>(ev);
        std::string label(m_trace.str(check.labelString));
        args.str("label", label).num("same_hidden_class", check.sameMap ? 1 : 0);
        args.num("a_fast_properties", check.firstFast ? 1 : 0);
        args.num("b_fast_properties", check.secondFast ? 1 : 0);
        std::string verdict = check.sameMap ? "same hidden class: " : "different hidden classes: ";
        instant(ev, "v8.shape", verdict + label, args);
        break;
      }
      case EventKind::HeapSnapshot: {
        auto snapshot = as<record::HeapSnapshot>(ev);
        std::string_view label = m_trace.str(snapshot.labelString);
        args.num("snapshot", snapshot.number).str("label", label);
        args.num("objects", snapshot.objects).num("bytes", snapshot.selfBytes);
        instant(ev, "memory", "heap snapshot " + std::string(label), args);
        break;
      }
      case EventKind::ListenerCount: {
        auto listeners = as<record::ListenerCount>(ev);
        std::string eventName(m_trace.str(listeners.eventNameString));
        args.num(eventName + " listeners", listeners.count);
        counter("memory",
                std::string(m_trace.str(listeners.constructorString)) + " " + std::to_string(listeners.emitterId) +
                    " listeners",
                ev.ts, args);
        break;
      }
      case EventKind::AtomicsWaitStart: {
        auto wait = as<record::AtomicsWaitStart>(ev);
        args.num("offset", wait.byteOffset).num("value", wait.expectedValue);
        // -1 means no timeout (wait forever); JSON has no Infinity, so it is written as null.
        std::string timeout =
            wait.timeoutMicros < 0 ? std::string("null") : millisFromNs(saturatingMul(wait.timeoutMicros, 1000));
        args.raw("timeout_ms", timeout);
        slice(i, "atomics", "Atomics.wait (blocked)", args);
        break;
      }
      case EventKind::AtomicsWaitEnd: {
        static constexpr const char* results[] = {
            "", "woken by Atomics.notify", "timed out", "value was not equal", "terminated", "stopped"};
        auto result = int64_t(as<record::AtomicsWaitEnd>(ev).result);
        args.str("result", results[std::min<int64_t>(result, 5)]);
        instant(ev, "atomics", "Atomics.wait returned", args);
        break;
      }
      case EventKind::ChildSpawn: {
        auto spawn = as<record::ChildSpawn>(ev);
        args.num("pid", spawn.pid).str("command", m_trace.str(spawn.commandString));
        if (const FunctionSiteInfo* site = m_trace.site(spawn.siteId)) args.num("line", site->line);
        instant(ev, "child", "child spawned (pid " + std::to_string(spawn.pid) + ")", args);
        break;
      }
      case EventKind::ChildExit: {
        auto exit = as<record::ChildExit>(ev);
        args.num("pid", exit.pid).num("exit_code", exit.exitCode);
        args.str("signal", m_trace.str(exit.signalString));
        instant(ev, "child", "child exited (pid " + std::to_string(exit.pid) + ")", args);
        break;
      }
      case EventKind::HandleActive: {
        auto handle = as<record::HandleActive>(ev);
        args.str("type", m_trace.asyncType(handle.asyncId)).num("keeps_loop_alive", handle.keepsLoopAlive ? 1 : 0);
        describeAsync(args, handle.asyncId);
        instant(ev, "handle",
                handle.keepsLoopAlive ? "handle keeps the loop alive" : "handle stops keeping the loop alive", args);
        break;
      }
      case EventKind::HandleClosed: {
        auto handle = as<record::HandleClosed>(ev);
        args.str("type", m_trace.asyncType(handle.asyncId));
        describeAsync(args, handle.asyncId);
        instant(ev, "handle", "handle closed", args);
        break;
      }
      case EventKind::IpcMessage: {
        auto message = as<record::IpcMessage>(ev);
        bool toChild = message.direction == IpcDirection::ToChild;
        args.num("pid", message.childPid).num("bytes", message.bytes);
        args.str("direction", toChild ? "to child" : "from child");
        instant(ev, "child.ipc", toChild ? "message to child" : "message from child", args);
        break;
      }
      default: break;
    }
  }

  const Trace& m_trace;
  const std::vector<Event>& m_evs;
  std::vector<size_t> m_ends;
  uint64_t m_lastTs = 0;
  std::ostream* m_out = nullptr;
  std::array<bool, 257> m_tidUsed{};
  std::vector<bool> m_completes;  // per event index: a PoolSubmit whose job completes

  // postMessage arrows: per receiving thread, the flows posted to it and not yet delivered
  // (messages between two threads arrive in the order they were posted). Their ids start far
  // above the pool jobs' so the two kinds of arrow never share an id.
  static constexpr int64_t kFirstMessageFlow = int64_t(1) << 40;
  std::array<std::deque<int64_t>, 256> m_messagesInFlight;
  int64_t m_messageFlows = 0;
  // The phase each thread's loop is in (the main thread's, each Worker's).
  std::array<size_t, 256> m_openPhases = [] {
    std::array<size_t, 256> a;
    a.fill(kNotASpan);
    return a;
  }();
  int64_t m_iteration = 0;
  std::unordered_map<int64_t, Job> m_jobs;
  int64_t m_flowCount = 0;
  int64_t m_backlog = 0;
  std::unordered_map<int64_t, int64_t> m_streamCtors;  // stream id -> constructor-name string
};

}  // namespace

void exportChrome(const Trace& trace, std::ostream& out) { ChromeExporter(trace).write(out); }

}  // namespace loopscope
