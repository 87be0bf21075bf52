#include "interpret/describe.h"

#include <string_view>
#include <type_traits>

#include "interpret/records.h"
#include "interpret/units.h"

namespace loopscope {
namespace {

// Concatenates strings and integers: cat("job ", 5, " done").
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  auto add = [&out](const auto& part) {
    using T = std::decay_t<decltype(part)>;
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, char> && !std::is_same_v<T, bool>)
      out += std::to_string(part);
    else
      out += part;
  };
  (add(parts), ...);
  return out;
}

std::string phaseTitle(Phase phase) {
  return phase == Phase::Main ? std::string("main script") : std::string(phaseName(phase));
}

std::string_view atomicsResultText(AtomicsWaitResult result) {
  switch (result) {
    case AtomicsWaitResult::Woken: return "woken by Atomics.notify";
    case AtomicsWaitResult::TimedOut: return "timed out";
    case AtomicsWaitResult::NotEqual: return "did not wait: the value was not the expected one";
    case AtomicsWaitResult::Terminated: return "the thread was terminated";
    case AtomicsWaitResult::Stopped: return "stopped";
  }
  return "ended";
}

std::string_view jitTierName(JitTier tier) {
  switch (tier) {
    case JitTier::Sparkplug: return "Sparkplug";
    case JitTier::TurboFan: return "TurboFan";
  }
  return "a faster tier";
}

}  // namespace

std::string threadName(uint8_t thread) {
  if (thread == kMainThread) return "main";
  if (thread == kOtherThread) return "other";
  if (isPoolThread(thread)) return cat("pool #", int(thread));
  return cat("worker ", int(thread - kFirstWorkerThread + 1));
}

bool isBookkeeping(EventKind kind) {
  return kind == EventKind::String || kind == EventKind::FunctionSite || kind == EventKind::Meta;
}

std::string callbackText(const Trace& t, int64_t asyncId) {
  if (asyncId == 1) return "main script";
  std::string type(t.asyncType(asyncId));
  std::string label = t.callbackLabel(asyncId);
  std::string text = type.empty() ? cat("#", Trace::asyncIdText(asyncId)) : type;
  if (!label.empty()) text += " " + label;
  return cat(text, " (async id ", Trace::asyncIdText(asyncId), ")");
}

std::string describeEvent(const Trace& t, const Event& ev, int64_t poolWorkKind) {
  auto s = [&](int64_t id) { return std::string(t.str(id)); };
  auto label = [&](int64_t asyncId) { return t.callbackLabel(asyncId); };
  auto id = [](int64_t asyncId) { return Trace::asyncIdText(asyncId); };
  auto handleName = [&](int64_t asyncId) {
    std::string type(t.asyncType(asyncId));
    return cat(type.empty() ? std::string("handle") : type, " (async id ", id(asyncId), ")");
  };
  auto job = [&](int64_t jobId) {
    return cat(poolWorkKind >= 0 ? s(poolWorkKind) : std::string("work"), " (job ", jobId, ")");
  };
  return std::visit(
      overloaded{
          [&](const record::String& r) { return cat("string #", r.id, ": ", s(r.id)); },
          [&](const record::Meta& r) { return cat(s(r.keyString), ": ", s(r.valueString)); },
          [&](const record::RunStart& r) {
            return cat(s(r.fileString), " · thread pool of ", r.poolSize, " · pid ", r.pid);
          },
          [&](const record::RunEnd& r) {
            return cat("exit code ", r.exitCode, " · ", endReasonName(r.reason),
                       r.signal ? cat(" · signal ", r.signal) : std::string());
          },
          [&](const record::LoopStart&) { return std::string("uv_run entered"); },
          [&](const record::LoopEnd& r) {
            return std::string(r.stillAlive ? "uv_run returned, loop still alive"
                                            : "uv_run returned, nothing left to do");
          },
          [&](const record::Iteration& r) { return cat("iteration ", r.number); },
          [&](const record::PhaseEnter& r) {
            if (r.phase == Phase::Poll)
              return r.pollTimeoutMs < 0 ? std::string("poll · may wait for I/O with no timeout")
                                         : cat("poll · may wait up to ", r.pollTimeoutMs, " ms");
            return phaseTitle(r.phase);
          },
          [&](const record::PhaseExit& r) {
            // Time in epoll is the loop waiting for work, not code blocking it.
            if (r.phase == Phase::Poll) return cat("poll · waited ", durationText(r.blockedNs), " for I/O");
            return phaseTitle(r.phase);
          },
          [&](const record::FunctionSite& r) {
            return cat(s(r.nameString), " defined at ", s(r.scriptString), ":", r.line, ":", r.column);
          },
          [&](const record::AsyncInit& r) {
            return cat(s(r.typeString), " created (async id ", id(r.asyncId), ", by ", id(r.triggerAsyncId), ") ",
                       label(r.asyncId));
          },
          [&](const record::TimerScheduled& r) {
            return cat(r.repeat ? "setInterval" : "setTimeout", "(", label(r.asyncId), ", ", r.delayMs,
                       " ms) → async id ", id(r.asyncId));
          },
          [&](const record::TimerCleared& r) { return cat("clearTimeout: async id ", id(r.asyncId)); },
          [&](const record::ImmediateScheduled& r) {
            return cat("setImmediate(", label(r.asyncId), ") → async id ", id(r.asyncId));
          },
          [&](const record::ImmediateCleared& r) { return cat("clearImmediate: async id ", id(r.asyncId)); },
          [&](const record::TickScheduled& r) {
            return cat("process.nextTick(", label(r.asyncId), ") → async id ", id(r.asyncId));
          },
          [&](const record::MicrotaskQueued& r) {
            return cat("queueMicrotask(", label(r.asyncId), ") → async id ", id(r.asyncId));
          },
          [&](const record::PromiseResolve& r) {
            return cat("promise ", id(r.asyncId), " settled: its reactions are queued");
          },
          [&](const record::CallbackEnter& r) { return callbackText(t, r.asyncId); },
          [&](const record::CallbackExit& r) { return callbackText(t, r.asyncId); },
          [&](const record::MicrotaskDrainEnd&) { return std::string("microtask queue drained"); },
          [&](const record::PoolSubmit& r) {
            return cat(s(r.workKindString), " (job ", r.jobId, ") submitted",
                       r.requestAsyncId ? cat(" for async id ", id(r.requestAsyncId)) : std::string());
          },
          [&](const record::PoolStart& r) { return job(r.jobId) + " starts on " + threadName(ev.thread); },
          [&](const record::PoolEnd& r) { return job(r.jobId) + " finished on " + threadName(ev.thread); },
          [&](const record::PoolDone& r) { return job(r.jobId) + " · its callback starts"; },
          [&](const record::PoolDoneEnd& r) { return job(r.jobId) + " · its callback finished"; },
          [&](const record::GcBegin& r) { return std::string(gcTypeName(r.typeBits)); },
          [&](const record::GcEnd& r) {
            return cat(gcTypeName(r.typeBits), " · new ", bytesText(r.newSpace), " · old ", bytesText(r.oldSpace),
                       " · code ", bytesText(r.codeSpace), " · large ", bytesText(r.largeObjectSpace));
          },
          [&](const record::StreamCreated& r) { return cat(s(r.constructorString), " #", r.streamId); },
          [&](const record::StreamState& r) {
            return cat("#", r.streamId, " ", streamEventName(r.what), " · ", r.buffered, " buffered / highWaterMark ",
                       r.highWaterMark, " (", r.side == StreamSide::Readable ? "readable" : "writable", ")");
          },
          [&](const record::Console& r) {
            std::string text = s(r.textString);
            // Trim like the console view: the trailing newline is the line's end, not content.
            size_t first = text.find_first_not_of(" \t\r\n");
            size_t last = text.find_last_not_of(" \t\r\n");
            text = first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
            return cat(r.fd == 2 ? "stderr: " : "stdout: ", text);
          },
          [&](const record::UncaughtError& r) {
            return cat(s(r.errorNameString), ": ", s(r.messageString), " at ", s(r.scriptString), ":", r.line);
          },
          [&](const record::Paused&) { return std::string("paused (step mode)"); },
          [&](const record::Resumed&) { return std::string("resumed"); },
          [&](const record::ChildSpawn& r) { return cat("child process ", r.pid, " started: ", s(r.commandString)); },
          [&](const record::ChildExit& r) {
            std::string sig = s(r.signalString);
            return sig.empty() ? cat("child process ", r.pid, " exited with code ", r.exitCode)
                               : cat("child process ", r.pid, " was killed by ", sig);
          },
          [&](const record::IpcMessage& r) {
            return cat(r.direction == IpcDirection::ToChild ? "message to child " : "message from child ", r.childPid,
                       " · ", bytesText(r.bytes), " as JSON");
          },
          [&](const record::JitOptimized& r) {
            std::string reason = s(r.reasonString);
            return cat(s(r.functionString), " compiled by ", jitTierName(r.tier),
                       reason.empty() ? std::string() : " (" + reason + ")",
                       r.compileMicros > 0 ? cat(" in ", durationText(r.compileMicros * 1000)) : std::string());
          },
          [&](const record::JitDeoptimized& r) {
            std::string kind = s(r.bailoutKindString);
            return cat(s(r.functionString), " deoptimized: ", s(r.reasonString),
                       kind.empty() ? std::string() : " (" + kind + ")");
          },
          [&](const record::ShapeCheck& r) {
            return cat("sameShape ", s(r.labelString), ": ",
                       r.sameMap ? "same hidden class" : "different hidden classes",
                       r.firstFast && r.secondFast ? "" : " · a dictionary-mode object");
          },
          [&](const record::HeapSnapshot& r) {
            std::string name = s(r.labelString);
            return cat("heap snapshot ", r.number, name.empty() ? std::string() : " \"" + name + "\"", " · ", r.objects,
                       " objects · ", bytesText(r.selfBytes));
          },
          [&](const record::HeapClass& r) {
            return cat("snapshot ", r.snapshot, " · ", s(r.constructorString), ": ", r.objects, " objects · ",
                       bytesText(r.selfBytes), " self · ", bytesText(r.retainedBytes), " retained");
          },
          [&](const record::ListenerCount& r) {
            return cat(s(r.constructorString), " #", r.emitterId, " now has ", r.count, " '", s(r.eventNameString),
                       "' listeners");
          },
          [&](const record::AtomicsWaitStart& r) {
            return cat("Atomics.wait at byte ", r.byteOffset, " for value ", r.expectedValue,
                       r.timeoutMicros < 0 ? std::string(", no timeout")
                                           : cat(", timeout ", durationText(r.timeoutMicros * 1000)));
          },
          [&](const record::AtomicsWaitEnd& r) { return cat("Atomics.wait ", atomicsResultText(r.result)); },
          [&](const record::MessagePosted& r) {
            return cat("postMessage to ",
                       r.toThread == kOtherThread ? std::string("a MessagePort") : threadName(r.toThread), " · ",
                       bytesText(r.bytes), " as JSON");
          },
          [&](const record::MainScriptBody& r) {
            return std::string(r.starts
                                   ? "the main module's own code starts (Node's loader has found, read and compiled it)"
                                   : "the main module's own code returned (Node's loader finishes the main script)");
          },
          [&](const record::BuiltinModuleLoad& r) {
            return r.starts ? cat("Node loads its built-in module ", s(r.idString), " (first use)")
                            : cat("Node's built-in module ", s(r.idString), " is loaded");
          },
          [&](const record::HandleActive& r) {
            return cat(handleName(r.asyncId), r.keepsLoopAlive
                                                  ? " now keeps the loop alive (active and referenced)"
                                                  : " no longer keeps the loop alive (stopped or unref()'d)");
          },
          [&](const record::HandleClosed& r) {
            return cat(handleName(r.asyncId), " closed: it no longer keeps the loop alive");
          },
          [&](const record::HeapUsage& r) {
            return cat("heap before any GC · new ", bytesText(r.newSpace), " · old ", bytesText(r.oldSpace), " · code ",
                       bytesText(r.codeSpace), " · large ", bytesText(r.largeObjectSpace));
          },
          [&](const record::Unknown& r) { return cat("record of unknown kind ", int(r.kindNumber)); },
      },
      decode(ev));
}

}  // namespace loopscope
