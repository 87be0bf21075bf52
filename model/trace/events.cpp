#include "events.h"

namespace loopscope {

int fieldCount(EventKind kind) {
  switch (kind) {
    case EventKind::String: return 1;
    case EventKind::Meta: return 2;
    case EventKind::RunStart: return 4;
    case EventKind::RunEnd: return 3;
    case EventKind::LoopStart: return 1;
    case EventKind::LoopEnd: return 1;
    case EventKind::Iteration: return 1;
    case EventKind::PhaseEnter: return 2;
    case EventKind::PhaseExit: return 2;
    case EventKind::FunctionSite: return 5;
    case EventKind::AsyncInit: return 4;
    case EventKind::TimerScheduled: return 5;
    case EventKind::TimerCleared: return 1;
    case EventKind::ImmediateScheduled: return 3;
    case EventKind::ImmediateCleared: return 1;
    case EventKind::TickScheduled: return 3;
    case EventKind::MicrotaskQueued: return 3;
    case EventKind::PromiseResolve: return 1;
    case EventKind::CallbackEnter: return 1;
    case EventKind::CallbackExit: return 1;
    case EventKind::MicrotaskDrainEnd: return 0;
    case EventKind::PoolSubmit: return 3;
    case EventKind::PoolStart: return 1;
    case EventKind::PoolEnd: return 1;
    case EventKind::PoolDone: return 1;
    case EventKind::PoolDoneEnd: return 1;
    case EventKind::GcBegin: return 1;
    case EventKind::GcEnd: return 6;
    case EventKind::StreamCreated: return 3;
    case EventKind::StreamState: return 5;
    case EventKind::Console: return 2;
    case EventKind::UncaughtError: return 5;
    case EventKind::Paused: return 2;
    case EventKind::Resumed: return 0;
    case EventKind::ChildSpawn: return 3;
    case EventKind::ChildExit: return 3;
    case EventKind::IpcMessage: return 3;
    case EventKind::JitOptimized: return 4;
    case EventKind::JitDeoptimized: return 3;
    case EventKind::ShapeCheck: return 4;
    case EventKind::HeapSnapshot: return 4;
    case EventKind::HeapClass: return 5;
    case EventKind::ListenerCount: return 4;
    case EventKind::AtomicsWaitStart: return 3;
    case EventKind::AtomicsWaitEnd: return 1;
    case EventKind::MessagePosted: return 2;
    case EventKind::MainScriptBody: return 1;
    case EventKind::BuiltinModuleLoad: return 2;
    case EventKind::HandleActive: return 2;
    case EventKind::HandleClosed: return 1;
    case EventKind::HeapUsage: return 5;
    case EventKind::KindCount: break;
  }
  return -1;
}

std::string_view kindName(EventKind kind) {
  static constexpr std::string_view names[] = {"string",
                                               "meta",
                                               "run-start",
                                               "run-end",
                                               "loop-start",
                                               "loop-end",
                                               "iteration",
                                               "phase-enter",
                                               "phase-exit",
                                               "function-site",
                                               "async-init",
                                               "timer-scheduled",
                                               "timer-cleared",
                                               "immediate-scheduled",
                                               "immediate-cleared",
                                               "tick-scheduled",
                                               "microtask-queued",
                                               "promise-resolve",
                                               "callback-enter",
                                               "callback-exit",
                                               "microtask-drain-end",
                                               "pool-submit",
                                               "pool-start",
                                               "pool-end",
                                               "pool-done",
                                               "pool-done-end",
                                               "gc-begin",
                                               "gc-end",
                                               "stream-created",
                                               "stream-state",
                                               "console",
                                               "uncaught-error",
                                               "paused",
                                               "resumed",
                                               "child-spawn",
                                               "child-exit",
                                               "ipc-message",
                                               "jit-optimized",
                                               "jit-deoptimized",
                                               "shape-check",
                                               "heap-snapshot",
                                               "heap-class",
                                               "listener-count",
                                               "atomics-wait-start",
                                               "atomics-wait-end",
                                               "message-posted",
                                               "main-script-body",
                                               "builtin-module-load",
                                               "handle-active",
                                               "handle-closed",
                                               "heap-usage"};
  static_assert(std::size(names) == size_t(EventKind::KindCount));
  auto i = size_t(kind);
  return i < std::size(names) ? names[i] : "unknown";
}

std::string_view phaseName(Phase phase) {
  static constexpr std::string_view names[] = {"main",    "timers", "pending", "idle",
                                               "prepare", "poll",   "check",   "close"};
  auto i = size_t(phase);
  return i < std::size(names) ? names[i] : "unknown";
}

std::string_view gcTypeName(int64_t bits) {
  if (bits & GcScavenge) return "scavenge";
  if (bits & GcMinorMarkCompact) return "minor-mark-compact";
  if (bits & GcMarkSweepCompact) return "mark-sweep-compact";
  if (bits & GcIncrementalMarking) return "incremental-marking";
  if (bits & GcProcessWeakCallbacks) return "weak-callbacks";
  return "gc";
}

std::string_view streamEventName(StreamEvent ev) {
  switch (ev) {
    case StreamEvent::Write: return "write";
    case StreamEvent::WriteFalse: return "write-false";
    case StreamEvent::Drain: return "drain";
    case StreamEvent::Push: return "push";
    case StreamEvent::Pause: return "pause";
    case StreamEvent::Resume: return "resume";
    case StreamEvent::End: return "end";
    case StreamEvent::Finish: return "finish";
    case StreamEvent::Data: return "data";
  }
  return "unknown";
}

std::string_view endReasonName(EndReason reason) {
  switch (reason) {
    case EndReason::Finished: return "finished";
    case EndReason::ProcessExit: return "process-exit";
    case EndReason::Timeout: return "timeout";
    case EndReason::Crashed: return "crashed";
    case EndReason::Stopped: return "stopped";
    case EndReason::StartFailed: return "start-failed";
  }
  return "unknown";
}

}  // namespace loopscope
