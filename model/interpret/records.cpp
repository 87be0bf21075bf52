#include "interpret/records.h"

namespace loopscope {

Phase phaseFrom(int64_t raw) { return raw >= 0 && raw < int64_t(Phase::Count) ? Phase(raw) : Phase::Main; }

// One case per kind and no default: with -Wswitch-enum (an error in this folder) a new kind that
// is not decoded here stops the build.
Record decode(const Event& ev) {
  const auto& f = ev.f;
  switch (ev.kind) {
    case EventKind::String: return record::String{f[0]};
    case EventKind::Meta: return record::Meta{f[0], f[1]};
    case EventKind::RunStart: return record::RunStart{f[0], f[1], f[2], f[3]};
    case EventKind::RunEnd: return record::RunEnd{f[0], EndReason(uint8_t(f[1])), f[2]};
    case EventKind::LoopStart: return record::LoopStart{f[0]};
    case EventKind::LoopEnd: return record::LoopEnd{f[0] != 0};
    case EventKind::Iteration: return record::Iteration{f[0]};
    case EventKind::PhaseEnter: return record::PhaseEnter{phaseFrom(f[0]), f[1]};
    case EventKind::PhaseExit: return record::PhaseExit{phaseFrom(f[0]), f[1]};
    case EventKind::FunctionSite: return record::FunctionSite{f[0], f[1], f[2], f[3], f[4]};
    case EventKind::AsyncInit: return record::AsyncInit{f[0], f[1], f[2], f[3]};
    case EventKind::TimerScheduled: return record::TimerScheduled{f[0], f[1], f[2], f[3], f[4] != 0};
    case EventKind::TimerCleared: return record::TimerCleared{f[0]};
    case EventKind::ImmediateScheduled: return record::ImmediateScheduled{f[0], f[1], f[2]};
    case EventKind::ImmediateCleared: return record::ImmediateCleared{f[0]};
    case EventKind::TickScheduled: return record::TickScheduled{f[0], f[1], f[2]};
    case EventKind::MicrotaskQueued: return record::MicrotaskQueued{f[0], f[1], f[2]};
    case EventKind::PromiseResolve: return record::PromiseResolve{f[0]};
    case EventKind::CallbackEnter: return record::CallbackEnter{f[0]};
    case EventKind::CallbackExit: return record::CallbackExit{f[0]};
    case EventKind::MicrotaskDrainEnd: return record::MicrotaskDrainEnd{};
    case EventKind::PoolSubmit: return record::PoolSubmit{f[0], f[1], f[2]};
    case EventKind::PoolStart: return record::PoolStart{f[0]};
    case EventKind::PoolEnd: return record::PoolEnd{f[0]};
    case EventKind::PoolDone: return record::PoolDone{f[0]};
    case EventKind::PoolDoneEnd: return record::PoolDoneEnd{f[0]};
    case EventKind::GcBegin: return record::GcBegin{f[0]};
    case EventKind::GcEnd: return record::GcEnd{f[0], f[1], f[2], f[3], f[4], f[5]};
    case EventKind::StreamCreated: return record::StreamCreated{f[0], f[1], f[2]};
    case EventKind::StreamState:
      return record::StreamState{f[0], StreamEvent(uint8_t(f[1])), f[2], f[3], StreamSide(uint8_t(f[4]))};
    case EventKind::Console: return record::Console{f[0], f[1]};
    case EventKind::UncaughtError: return record::UncaughtError{f[0], f[1], f[2], f[3], f[4]};
    case EventKind::Paused: return record::Paused{PauseAt(uint8_t(f[0])), f[1]};
    case EventKind::Resumed: return record::Resumed{};
    case EventKind::ChildSpawn: return record::ChildSpawn{f[0], f[1], f[2]};
    case EventKind::ChildExit: return record::ChildExit{f[0], f[1], f[2]};
    case EventKind::IpcMessage: return record::IpcMessage{f[0], IpcDirection(uint8_t(f[1])), f[2]};
    case EventKind::JitOptimized: return record::JitOptimized{f[0], JitTier(uint8_t(f[1])), f[2], f[3]};
    case EventKind::JitDeoptimized: return record::JitDeoptimized{f[0], f[1], f[2]};
    case EventKind::ShapeCheck: return record::ShapeCheck{f[0], f[1] != 0, f[2] != 0, f[3] != 0};
    case EventKind::HeapSnapshot: return record::HeapSnapshot{f[0], f[1], f[2], f[3]};
    case EventKind::HeapClass: return record::HeapClass{f[0], f[1], f[2], f[3], f[4]};
    case EventKind::ListenerCount: return record::ListenerCount{f[0], f[1], f[2], f[3]};
    case EventKind::AtomicsWaitStart: return record::AtomicsWaitStart{f[0], f[1], f[2]};
    case EventKind::AtomicsWaitEnd: return record::AtomicsWaitEnd{AtomicsWaitResult(uint8_t(f[0]))};
    case EventKind::MessagePosted: return record::MessagePosted{uint8_t(f[0]), f[1]};
    case EventKind::MainScriptBody: return record::MainScriptBody{f[0] != 0};
    case EventKind::BuiltinModuleLoad: return record::BuiltinModuleLoad{f[0] != 0, f[1]};
    case EventKind::HandleActive: return record::HandleActive{f[0], f[1] != 0};
    case EventKind::HandleClosed: return record::HandleClosed{f[0]};
    case EventKind::HeapUsage: return record::HeapUsage{f[0], f[1], f[2], f[3], f[4]};
    case EventKind::KindCount: break;
  }
  return record::Unknown{uint8_t(ev.kind)};
}

int64_t poolJobOf(const Event& ev) {
  return std::visit(
      overloaded{
          [](const record::PoolSubmit& r) { return r.jobId; }, [](const record::PoolStart& r) { return r.jobId; },
          [](const record::PoolEnd& r) { return r.jobId; }, [](const record::PoolDone& r) { return r.jobId; },
          [](const record::PoolDoneEnd& r) { return r.jobId; },
          [](const auto&) { return int64_t(-1); },  // not a pool record
      },
      decode(ev));
}

}  // namespace loopscope
