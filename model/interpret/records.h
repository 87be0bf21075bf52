// Typed views of the recorded events: one struct per EventKind with named fields, decoded in one
// place (records.cpp), so that no reader of a trace indexes the anonymous fields of an Event.
//
// This is the bottom of the interpretation layer (docs/architecture.md): `decode()` turns an Event
// into a `Record` (a std::variant with one alternative per kind); readers either call
// `record::GcEnd::from(ev)` when they already know the kind, or `std::visit` the Record with one
// handler per alternative, so the compiler names every reader that forgot a kind. Adding a kind:
// the enum and its field count (model/trace/events.*), its struct and decode case here, and its
// sentence in describe.cpp — the compiler points at every other place that must learn of it.
//
// Pure functions of one event: any thread may call them. Links neither Qt nor libnode.
#pragma once

#include <cstdint>
#include <variant>

#include "trace/events.h"

namespace loopscope::record {

// Field meanings are those documented on EventKind (model/trace/events.h) and in
// docs/trace-format.md; ids named `...String` are interned-string ids (Trace::str).

// One record a line reads as the table it is.
// clang-format off
struct String { int64_t id; };
struct Meta { int64_t keyString, valueString; };
struct RunStart { int64_t poolSize, pid, fileString, wallClockMs; };
struct RunEnd { int64_t exitCode; EndReason reason; int64_t signal; };
struct LoopStart { int64_t runMode; };
struct LoopEnd { bool stillAlive; };
struct Iteration { int64_t number; };
struct PhaseEnter {
  Phase phase;
  int64_t pollTimeoutMs;  // poll: -1 = may wait forever; pending: 1 = the extra run after poll
};
struct PhaseExit {
  Phase phase;
  int64_t blockedNs;  // poll: time spent waiting in epoll; pending: 1 = the extra run after poll
};
struct FunctionSite { int64_t siteId, nameString, scriptString, line, column; };
struct AsyncInit { int64_t asyncId, triggerAsyncId, typeString, siteId; };
struct TimerScheduled { int64_t asyncId, triggerAsyncId, siteId, delayMs; bool repeat; };
struct TimerCleared { int64_t asyncId; };
struct ImmediateScheduled { int64_t asyncId, triggerAsyncId, siteId; };
struct ImmediateCleared { int64_t asyncId; };
struct TickScheduled { int64_t asyncId, triggerAsyncId, siteId; };
struct MicrotaskQueued { int64_t asyncId, triggerAsyncId, siteId; };
struct PromiseResolve { int64_t asyncId; };
struct CallbackEnter { int64_t asyncId; };
struct CallbackExit { int64_t asyncId; };
struct MicrotaskDrainEnd {};
struct PoolSubmit { int64_t jobId, workKindString, requestAsyncId; };
struct PoolStart { int64_t jobId; };
struct PoolEnd { int64_t jobId; };
struct PoolDone { int64_t jobId; };
struct PoolDoneEnd { int64_t jobId; };
struct GcBegin { int64_t typeBits; };
struct GcEnd { int64_t typeBits, newSpace, oldSpace, codeSpace, mapSpace, largeObjectSpace; };
struct StreamCreated { int64_t streamId, constructorString, siteId; };
struct StreamState {
  int64_t streamId;
  StreamEvent what;
  int64_t buffered, highWaterMark;
  StreamSide side;
};
struct Console { int64_t fd, textString; };
struct UncaughtError { int64_t messageString, scriptString, line, column, errorNameString; };
struct Paused { PauseAt at; int64_t asyncIdOrPhase; };
struct Resumed {};
struct ChildSpawn { int64_t pid, commandString, siteId; };
struct ChildExit { int64_t pid, exitCode, signalString; };
struct IpcMessage { int64_t childPid; IpcDirection direction; int64_t bytes; };
struct JitOptimized { int64_t functionString; JitTier tier; int64_t reasonString, compileMicros; };
struct JitDeoptimized { int64_t functionString, reasonString, bailoutKindString; };
struct ShapeCheck { int64_t labelString; bool sameMap, firstFast, secondFast; };
struct HeapSnapshot { int64_t number, labelString, objects, selfBytes; };
struct HeapClass { int64_t snapshot, constructorString, objects, selfBytes, retainedBytes; };
struct ListenerCount { int64_t emitterId, eventNameString, count, constructorString; };
struct AtomicsWaitStart { int64_t byteOffset, expectedValue, timeoutMicros; };
struct AtomicsWaitEnd { AtomicsWaitResult result; };
struct MessagePosted {
  uint8_t toThread;  // kOtherThread when the receiver is not known (a MessageChannel)
  int64_t bytes;
};

struct MainScriptBody { bool starts; };  // false: the main module's code returned
struct BuiltinModuleLoad { bool starts; int64_t idString; };  // idString: "crypto", "internal/..."
struct HandleActive {
  int64_t asyncId;
  bool keepsLoopAlive;  // active (listening, reading, watching) and referenced
};
struct HandleClosed { int64_t asyncId; };
struct HeapUsage { int64_t newSpace, oldSpace, codeSpace, mapSpace, largeObjectSpace; };

// A record the decoder could not place: a kind number from a newer format (or damage).
struct Unknown { uint8_t kindNumber; };
// clang-format on

}  // namespace loopscope::record

namespace loopscope {

using Record =
    std::variant<record::String, record::Meta, record::RunStart, record::RunEnd, record::LoopStart, record::LoopEnd,
                 record::Iteration, record::PhaseEnter, record::PhaseExit, record::FunctionSite, record::AsyncInit,
                 record::TimerScheduled, record::TimerCleared, record::ImmediateScheduled, record::ImmediateCleared,
                 record::TickScheduled, record::MicrotaskQueued, record::PromiseResolve, record::CallbackEnter,
                 record::CallbackExit, record::MicrotaskDrainEnd, record::PoolSubmit, record::PoolStart,
                 record::PoolEnd, record::PoolDone, record::PoolDoneEnd, record::GcBegin, record::GcEnd,
                 record::StreamCreated, record::StreamState, record::Console, record::UncaughtError, record::Paused,
                 record::Resumed, record::ChildSpawn, record::ChildExit, record::IpcMessage, record::JitOptimized,
                 record::JitDeoptimized, record::ShapeCheck, record::HeapSnapshot, record::HeapClass,
                 record::ListenerCount, record::AtomicsWaitStart, record::AtomicsWaitEnd, record::MessagePosted,
                 record::MainScriptBody, record::BuiltinModuleLoad, record::HandleActive, record::HandleClosed,
                 record::HeapUsage, record::Unknown>;

// Decodes one event. A phase number outside libuv's phases reads as Phase::Main, so a damaged or
// hostile trace cannot make a reader index past its per-phase tables; other enumerations keep
// their raw value (their name functions answer "unknown" for values they do not know).
Record decode(const Event& ev);

// The typed view of an event whose kind the caller has already checked, e.g.
// `auto gc = as<record::GcEnd>(ev);`. Calling it on an event of another kind is a programming
// error (it throws std::bad_variant_access).
template <typename R>
R as(const Event& ev) {
  return std::get<R>(decode(ev));
}

// Lets `std::visit` take one lambda per alternative: visit(overloaded{[](const record::GcEnd&)
// {...}, ...}, record). Without a catch-all lambda a forgotten alternative does not compile.
template <typename... Handlers>
struct overloaded : Handlers... {
  using Handlers::operator()...;
};
template <typename... Handlers>
overloaded(Handlers...) -> overloaded<Handlers...>;

// The job a pool record (submit, start, end, done, done-end) is about; -1 for other records.
int64_t poolJobOf(const Event& ev);

// The clamped conversion decode() uses, for readers that hold a raw phase field.
Phase phaseFrom(int64_t raw);

}  // namespace loopscope
