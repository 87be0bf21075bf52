// Seeded timing perturbation: see perturb.h for what is varied and within which bounds.
#include "perturb.h"

#include <uv.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

namespace loopscope::perturb {

namespace detail {
bool g_enabled = false;
}

namespace {

// The bounds (also in perturb.h, docs/perturbation.md and `loopscope-engine --help`).
constexpr uint64_t kTimerSkipOneIn = 4;      // a timers phase is skipped with probability 1/4
constexpr uint64_t kMaxPollDelayUs = 1000;   // before a poll that may block
constexpr uint64_t kMaxPoolDelayUs = 2000;   // before a pool job's work
constexpr uint64_t kMaxStartDelayUs = 1000;  // before the main loop's first iteration
constexpr uint64_t kMainThreadTag = 0;       // pool threads use their slot, 1..127

uint64_t g_seed = 0;
// Set on the main thread while other threads (the platform's, Workers') may already run loops.
std::atomic<uv_loop_t*> g_loop{nullptr};
bool isMainLoop(uv_loop_t* loop) { return loop == g_loop.load(std::memory_order_relaxed); }

// Main-loop bookkeeping; only the main thread touches it.
bool g_started = false;
int g_mode = UV_RUN_DEFAULT;
bool g_checkRan = false;     // since the last timers call: the next one in UV_RUN_ONCE is trailing
bool g_skippedLast = false;  // the previous iteration's timers were skipped: never twice in a row

struct ThreadRandom {
  bool seeded = false;
  std::mt19937_64 engine;
};
thread_local ThreadRandom t_random;

// This thread's generator, seeded from the run's seed and the thread on first use.
std::mt19937_64& generator(uint64_t threadTag) {
  if (!t_random.seeded) {
    std::seed_seq sequence{uint32_t(g_seed), uint32_t(g_seed >> 32), uint32_t(threadTag), 0x6c6f6f70u};
    t_random.engine.seed(sequence);
    t_random.seeded = true;
  }
  return t_random.engine;
}

// 0..maxUs microseconds; a plain modulo keeps the values the same whatever the C++ library.
void sleepUpTo(uint64_t maxUs, uint64_t threadTag) {
  uint64_t us = generator(threadTag)() % (maxUs + 1);
  if (us > 0) std::this_thread::sleep_for(std::chrono::microseconds(us));
}

}  // namespace

void enable(uint64_t seed) {
  g_seed = seed;
  detail::g_enabled = true;
}

uint64_t seed() { return g_seed; }

void watchLoop(uv_loop_s* loop) { g_loop.store(loop, std::memory_order_relaxed); }

void loopStarting(uv_loop_s* loop, int mode) {
  if (!isMainLoop(loop)) return;
  g_mode = mode;
  g_checkRan = false;
  if (!g_started) {
    g_started = true;
    sleepUpTo(kMaxStartDelayUs, kMainThreadTag);
  }
}

void checkRan(uv_loop_s* loop) {
  if (isMainLoop(loop)) g_checkRan = true;
}

bool runTimersNow(uv_loop_s* loop) {
  if (!isMainLoop(loop)) return true;
  // In UV_RUN_ONCE mode uv_run runs timers once more after check, in the same iteration: that
  // call is left alone, so a skipped timer still waits exactly one iteration.
  const bool trailing = g_mode == UV_RUN_ONCE && g_checkRan;
  g_checkRan = false;
  if (trailing) return true;
  // Skipping is safe: a due timer makes uv_backend_timeout() 0, so the poll phase does not block
  // and the next iteration's timers phase fires it, late by one iteration, never early.
  const bool skip = !g_skippedLast && generator(kMainThreadTag)() % kTimerSkipOneIn == 0;
  g_skippedLast = skip;
  return !skip;
}

void beforePoll(uv_loop_s* loop, int timeout) {
  if (!isMainLoop(loop) || timeout == 0) return;
  sleepUpTo(kMaxPollDelayUs, kMainThreadTag);
}

void beforePoolJob(uint8_t slot) { sleepUpTo(kMaxPoolDelayUs, slot); }

}  // namespace loopscope::perturb
