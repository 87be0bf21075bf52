// Seeded timing perturbation (`loopscope-engine run --perturb SEED`): varies, by seeded
// pseudo-random amounts, only what real machines vary, so that orders which Node leaves to timing
// show up in Run ×N while every order the event loop's rules fix stays fixed. JavaScript semantics
// never change: no callback is dropped, reordered within its queue, or run early.
//
// What is varied, and by how much (docs/perturbation.md):
//  * timer firing slack: on the main loop, each iteration's timers phase is skipped with
//    probability 1/4, never twice in a row, so a due timer fires at most one loop iteration late
//    (as it does on a machine whose cached loop time was read a little earlier); never early.
//    The UV_RUN_ONCE trailing timers call is never skipped.
//  * I/O readiness: before a poll phase that may block (timeout != 0) on the main loop, a delay
//    of 0–1 ms.
//  * thread-pool job completion: before each job's work runs on its pool thread, a delay of
//    0–2 ms.
//  * the start: before the main loop's first iteration, a delay of 0–1 ms.
// Each thread draws from its own std::mt19937_64, seeded from SEED and the thread (the main
// thread, or the pool slot in the order the slots first took a job). The main thread's draws come
// in a fixed order up to its first poll, so the first iteration's timers decision depends on SEED
// alone: the same seed gives the same first-iteration order. Pool delays depend on which thread
// takes which job, which the OS decides.
//
// Without --perturb every hook below is behind one branch on `perturb::enabled()`.
#pragma once

#include <cstdint>

struct uv_loop_s;

namespace loopscope::perturb {

namespace detail {
extern bool g_enabled;  // written once, before Node (and any thread) starts
}

inline bool enabled() { return detail::g_enabled; }

// Turns perturbation on for this process. Call before Node starts.
void enable(uint64_t seed);
uint64_t seed();
// The loop whose timers and poll phases are perturbed (the main Environment's).
void watchLoop(uv_loop_s* loop);

// Hooks, called from the libuv wrappers (uv_probes.cpp) only when enabled():
// uv_run was entered for `loop` in `mode` (sleeps before the main loop's first iteration).
void loopStarting(uv_loop_s* loop, int mode);
// The check phase of `loop` ran (the next timers call of a UV_RUN_ONCE run is the trailing one).
void checkRan(uv_loop_s* loop);
// Whether this timers phase of `loop` runs its due timers now (false: they wait one iteration).
bool runTimersNow(uv_loop_s* loop);
// Before uv__io_poll(loop, timeout): sleeps a little before a poll that may block.
void beforePoll(uv_loop_s* loop, int timeout);
// On a pool thread, before a job's work runs; `slot` numbers the pool thread.
void beforePoolJob(uint8_t slot);

}  // namespace loopscope::perturb
