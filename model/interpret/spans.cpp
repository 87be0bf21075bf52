#include "interpret/spans.h"

#include <array>
#include <string>

namespace loopscope {

std::vector<size_t> matchSpans(const Trace& trace) {
  const std::vector<Event>& evs = trace.events();
  std::vector<size_t> ends(evs.size(), kNotASpan);
  // One stack per recording thread: a pool slot's jobs never nest with the loop's callbacks.
  std::array<std::vector<size_t>, 256> stacks;
  // Each loop (the main thread's, every Worker's) has its own iterations.
  std::array<size_t, 256> openIterations, openLoops;
  openIterations.fill(kNotASpan);
  openLoops.fill(kNotASpan);

  auto open = [&](std::vector<size_t>& stack, size_t i) {
    ends[i] = kSpanUnclosed;
    stack.push_back(i);
  };
  // Closes stack[pos] and everything opened inside it at event `closer`.
  auto closeFrom = [&](std::vector<size_t>& stack, size_t pos, size_t closer) {
    for (size_t k = pos; k < stack.size(); ++k) ends[stack[k]] = closer;
    stack.resize(pos);
  };
  // Innermost open span of `kind` (and, if matchField, with field a == key); npos if none.
  auto find = [&](const std::vector<size_t>& stack, EventKind kind, bool matchField, int64_t key) -> size_t {
    for (size_t k = stack.size(); k-- > 0;) {
      const Event& ev = evs[stack[k]];
      if (ev.kind == kind && (!matchField || ev.a() == key)) return k;
    }
    return std::string::npos;
  };
  auto closeMatching = [&](std::vector<size_t>& stack, EventKind openKind, bool matchField, size_t closer) {
    size_t pos = find(stack, openKind, matchField, evs[closer].a());
    if (pos != std::string::npos) closeFrom(stack, pos, closer);
  };

  for (size_t i = 0; i < evs.size(); ++i) {
    const Event& ev = evs[i];
    std::vector<size_t>& stack = stacks[ev.thread];
    size_t& openIteration = openIterations[ev.thread];
    size_t& openLoop = openLoops[ev.thread];
    switch (ev.kind) {
      case EventKind::PhaseEnter: {
        // Phases never nest: a new one means the previous one's exit was lost.
        size_t pos = find(stack, EventKind::PhaseEnter, false, 0);
        if (pos != std::string::npos) closeFrom(stack, pos, i);
        open(stack, i);
        break;
      }
      case EventKind::CallbackEnter:
      case EventKind::PoolDone:
      case EventKind::GcBegin:
      case EventKind::PoolStart:
      case EventKind::AtomicsWaitStart: open(stack, i); break;
      case EventKind::AtomicsWaitEnd: closeMatching(stack, EventKind::AtomicsWaitStart, false, i); break;
      case EventKind::PhaseExit: closeMatching(stack, EventKind::PhaseEnter, true, i); break;
      case EventKind::CallbackExit: closeMatching(stack, EventKind::CallbackEnter, true, i); break;
      case EventKind::PoolDoneEnd: closeMatching(stack, EventKind::PoolDone, true, i); break;
      case EventKind::PoolEnd: closeMatching(stack, EventKind::PoolStart, true, i); break;
      // GC types of a begin/end pair can differ (a scavenge may finish incremental marking).
      case EventKind::GcEnd: closeMatching(stack, EventKind::GcBegin, false, i); break;
      case EventKind::Iteration:
        if (openIteration != kNotASpan) ends[openIteration] = i;
        openIteration = i;
        ends[i] = kSpanUnclosed;
        break;
      case EventKind::LoopStart:
        openLoop = i;
        ends[i] = kSpanUnclosed;
        break;
      case EventKind::LoopEnd: {
        if (openIteration != kNotASpan) ends[openIteration] = i;
        if (openLoop != kNotASpan) ends[openLoop] = i;
        openIteration = openLoop = kNotASpan;
        // uv_run returned: no phase of it can still be open.
        for (size_t k = 0; k < stack.size(); ++k) {
          if (evs[stack[k]].kind == EventKind::PhaseEnter) {
            closeFrom(stack, k, i);
            break;
          }
        }
        break;
      }
      // Everything else is a moment, not a span.
      case EventKind::String:
      case EventKind::Meta:
      case EventKind::RunStart:
      case EventKind::RunEnd:
      case EventKind::FunctionSite:
      case EventKind::AsyncInit:
      case EventKind::TimerScheduled:
      case EventKind::TimerCleared:
      case EventKind::ImmediateScheduled:
      case EventKind::ImmediateCleared:
      case EventKind::TickScheduled:
      case EventKind::MicrotaskQueued:
      case EventKind::PromiseResolve:
      case EventKind::MicrotaskDrainEnd:
      case EventKind::PoolSubmit:
      case EventKind::StreamCreated:
      case EventKind::StreamState:
      case EventKind::Console:
      case EventKind::UncaughtError:
      case EventKind::Paused:
      case EventKind::Resumed:
      case EventKind::ChildSpawn:
      case EventKind::ChildExit:
      case EventKind::IpcMessage:
      case EventKind::JitOptimized:
      case EventKind::JitDeoptimized:
      case EventKind::ShapeCheck:
      case EventKind::HeapSnapshot:
      case EventKind::HeapClass:
      case EventKind::ListenerCount:
      case EventKind::MessagePosted:
      case EventKind::MainScriptBody:
      case EventKind::BuiltinModuleLoad:
      case EventKind::HandleActive:
      case EventKind::HandleClosed:
      case EventKind::HeapUsage:
      case EventKind::KindCount: break;
    }
  }
  return ends;
}

}  // namespace loopscope
