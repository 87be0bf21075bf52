#include "recorder.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <x86intrin.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "trace_format.h"

namespace loopscope::recorder {
namespace {

using Clock = std::chrono::steady_clock;

// The slots are left unwritten until record() fills them: Event is an aggregate, so the storage
// holds Events without constructing each one, and the pages of a large ring (16 MiB for the JS
// thread) are only touched as the run reaches them. Constructing them all up front cost every
// traced run 4,096 page faults before the program started (on the 2-core test machine about 40%
// of an empty program's extra CPU time when traced). Where the kernel offers transparent huge
// pages (its "always" or "madvise" mode), the large ring asks for them, so that a busy program
// reaching every slot takes 8 page faults instead of 4,096.
static_assert(std::is_aggregate_v<Event> && std::is_trivially_copyable_v<Event> &&
                  std::is_trivially_destructible_v<Event>,
              "ring slots are raw storage that record() assigns field by field");

constexpr size_t kHugePage = size_t(2) << 20;

Event* allocateSlots(size_t capacity) {
  const size_t bytes = capacity * sizeof(Event);
  const bool huge = bytes % kHugePage == 0;
  void* slots = std::aligned_alloc(huge ? kHugePage : 64, bytes);
  if (!slots) throw std::bad_alloc();
  if (huge) ::madvise(slots, bytes, MADV_HUGEPAGE);  // only a hint: without it, 4 KiB pages
  return static_cast<Event*>(slots);
}

struct FreeSlots {
  void operator()(Event* slots) const { std::free(slots); }
};

struct Ring {
  explicit Ring(size_t capacity) : slots(allocateSlots(capacity)), mask(capacity - 1) {}
  std::unique_ptr<Event[], FreeSlots> slots;
  size_t mask;
  alignas(64) std::atomic<uint64_t> head{0};  // written by the owning thread only
  alignas(64) std::atomic<uint64_t> tail{0};  // written by the writer thread only
};

// The JavaScript thread records hundreds of thousands of events a second; other threads a few.
constexpr size_t kBusyRingCapacity = size_t(1) << 18;
constexpr size_t kQuietRingCapacity = size_t(1) << 12;

struct State {
  int fd = -1;
  Clock::time_point origin;
  std::atomic<bool> active{false};
  std::atomic<bool> stopping{false};
  std::atomic<bool> crashFlushRequested{false};
  std::atomic<bool> crashFlushed{false};
  std::atomic<bool> wakeRequested{false};
  std::thread writer;
  std::mutex wakeMutex;
  std::condition_variable wake;

  std::mutex ringsMutex;  // taken once per thread, when its ring is created
  std::vector<std::unique_ptr<Ring>> rings;
  std::atomic<size_t> ringCount{0};

  std::mutex stringsMutex;  // interning is cached by callers, so this is off the hot path
  std::unordered_map<std::string, int64_t> ids;
  std::unordered_map<int64_t, std::string> pendingText;  // id -> text not yet written
  int64_t nextStringId = 1;                              // 0 is the empty string

  std::atomic<uint64_t> written{0};
  TraceEncoder encoder;
  std::string out;
  // Encoded bytes the file descriptor has not taken yet. When the trace goes to a pipe (the app
  // reading live) and the reader falls behind, they wait here rather than in the rings, so the
  // program is never held up by a slow reader (up to kMaxUnsent bytes, about 80 M events).
  std::string unsent;
  size_t unsentStart = 0;
  bool broken = false;  // the reader went away: what follows is dropped
  std::vector<Event> batch;
};

// Never destroyed: signal handlers may touch it at exit. A plain global pointer rather than a
// function-local static keeps the guard check off the hot path.
State* const globalState = new State;
State& state() { return *globalState; }
// Copied out of State so that now() reads one cache line that never changes during a run.
Clock::time_point origin;

// Stamping events. Reading the CPU's time-stamp counter costs about a third of a clock_gettime()
// call, which matters at millions of events. Where the counter is invariant (it ticks at a
// constant rate in every power state and is the kernel's own clock source, so it agrees across
// cores), events carry raw counter values and the writer turns them into nanoseconds with a rate
// measured against the steady clock; elsewhere events carry steady-clock nanoseconds directly.
struct Stamp {
  bool useCounter = false;
  uint64_t counterAtOrigin = 0;
  double nsPerTick = 0;  // 0 until measured
  uint64_t counterAtCalibrationStart = 0;
  Clock::time_point calibrationStart;
};
Stamp stamp;

bool invariantCounter() {
  // Every CPU lists the same flags; the kernel builds /proc/cpuinfo as it is read, so stopping at
  // the first CPU's flags keeps this short on machines with many cores.
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string flags;
  while (std::getline(cpuinfo, flags) && flags.rfind("flags", 0) != 0) {}
  flags += ' ';
  std::ifstream source("/sys/devices/system/clocksource/clocksource0/current_clocksource");
  std::string clockSource;
  source >> clockSource;
  return flags.find(" constant_tsc ") != std::string::npos && flags.find(" nonstop_tsc ") != std::string::npos &&
         clockSource == "tsc";
}

inline uint64_t rawStamp() {
#if defined(__x86_64__)
  if (stamp.useCounter) return __rdtsc();
#endif
  return now();
}

// The rate is measured over the first 20 ms and then fixed, so converted times never jump.
bool calibrated();
void forceCalibration();

bool calibrated() {
  if (!stamp.useCounter || stamp.nsPerTick > 0) return true;
  auto elapsed = Clock::now() - stamp.calibrationStart;
  if (elapsed < std::chrono::milliseconds(20)) return false;
  uint64_t ticks = __rdtsc() - stamp.counterAtCalibrationStart;
  stamp.nsPerTick = double(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) / double(ticks);
  return true;
}

// A run shorter than the calibration period (or a crash) measures over what it has.
void forceCalibration() {
  if (!stamp.useCounter || stamp.nsPerTick > 0) return;
  auto elapsed = Clock::now() - stamp.calibrationStart;
  uint64_t ticks = __rdtsc() - stamp.counterAtCalibrationStart;
  stamp.nsPerTick =
      ticks ? double(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) / double(ticks) : 1.0;
}

uint64_t toNs(uint64_t raw) {
  if (!stamp.useCounter) return raw;
  return raw > stamp.counterAtOrigin ? uint64_t(double(raw - stamp.counterAtOrigin) * stamp.nsPerTick) : 0;
}

thread_local Ring* tlRing = nullptr;

Ring* ringForThisThread(size_t capacity = kQuietRingCapacity) {
  State& s = state();
  std::lock_guard lock(s.ringsMutex);
  s.rings.push_back(std::make_unique<Ring>(capacity));
  s.ringCount.store(s.rings.size(), std::memory_order_release);
  return s.rings.back().get();
}

constexpr size_t kMaxUnsent = size_t(512) << 20;

// Writes what the descriptor takes now (it is non-blocking); keeps the rest for later.
void sendSome() {
  State& s = state();
  while (!s.broken && s.unsentStart < s.unsent.size()) {
    ssize_t w = ::write(s.fd, s.unsent.data() + s.unsentStart, s.unsent.size() - s.unsentStart);
    if (w > 0) {
      s.unsentStart += size_t(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    s.broken = true;  // disk full or nobody reading: nothing sensible left to do from here
  }
  if (s.broken || s.unsentStart == s.unsent.size()) {
    s.unsent.clear();
    s.unsentStart = 0;
  } else if (s.unsentStart > s.unsent.size() / 2) {
    s.unsent.erase(0, s.unsentStart);
    s.unsentStart = 0;
  }
}

// Writes everything, waiting for the reader if it must (the end of a run, a crash).
void sendAll() {
  State& s = state();
  for (sendSome(); !s.broken && !s.unsent.empty(); sendSome()) {
    pollfd p{s.fd, POLLOUT, 0};
    ::poll(&p, 1, 100);
  }
}

void send(const std::string& bytes) {
  State& s = state();
  s.unsent += bytes;
  sendSome();
  if (s.unsent.size() - s.unsentStart > kMaxUnsent) sendAll();  // memory is not endless either
}

// Moves every event with ts <= cutoff from the rings into the file, in time order. Returns how
// many it moved.
size_t drain(uint64_t cutoff) {
  State& s = state();
  s.batch.clear();
  size_t count = s.ringCount.load(std::memory_order_acquire);
  for (size_t i = 0; i < count; ++i) {
    Ring* r;
    {
      std::lock_guard lock(s.ringsMutex);
      r = s.rings[i].get();
    }
    uint64_t tail = r->tail.load(std::memory_order_relaxed);
    uint64_t head = r->head.load(std::memory_order_acquire);
    while (tail < head) {
      const Event& ev = r->slots[tail & r->mask];
      uint64_t ts = toNs(ev.ts);
      if (ts > cutoff) break;
      s.batch.push_back(ev);
      s.batch.back().ts = ts;
      ++tail;
    }
    r->tail.store(tail, std::memory_order_release);
  }
  if (s.batch.empty()) return 0;
  // Usually only the main thread recorded since the last round, and then the batch is in order.
  auto earlier = [](const Event& x, const Event& y) { return x.ts < y.ts; };
  if (!std::is_sorted(s.batch.begin(), s.batch.end(), earlier))
    std::stable_sort(s.batch.begin(), s.batch.end(), earlier);
  s.out.clear();
  for (const Event& ev : s.batch) {
    if (ev.kind == EventKind::String) {
      std::string text;
      {
        std::lock_guard lock(s.stringsMutex);
        auto it = s.pendingText.find(ev.a());
        if (it != s.pendingText.end()) {
          text = std::move(it->second);
          s.pendingText.erase(it);
        }
      }
      s.encoder.encode(ev, text, s.out);
    } else {
      s.encoder.encode(ev, {}, s.out);
    }
  }
  // One batch, one or more checksummed blocks: a reader live on the pipe gets each batch as
  // soon as it is written, and a crash mid-write damages at most the last block.
  s.encoder.closeBlock(s.out);
  send(s.out);
  s.written.fetch_add(s.out.size(), std::memory_order_relaxed);
  return s.batch.size();
}

// While events arrive the writer drains every 2 ms. After rounds that found nothing it waits
// twice as long each time, up to 16 ms, so that a program that is starting, sleeping in a timer
// or waiting for I/O does not wake it 500 times a second (that cost an empty program's traced
// run about 10 ms of CPU time on the 2-core test machine). A full ring, step mode and a crash
// wake it at once.
constexpr auto kBusyPeriod = std::chrono::milliseconds(2);
constexpr auto kIdlePeriod = std::chrono::milliseconds(16);

void writerLoop() {
  State& s = state();
  auto period = kBusyPeriod;
  while (!s.stopping.load(std::memory_order_acquire)) {
    {
      std::unique_lock lock(s.wakeMutex);
      s.wake.wait_for(lock, period, [&] { return s.wakeRequested.load() || s.stopping.load(); });
      s.wakeRequested = false;
    }
    if (s.crashFlushRequested.load(std::memory_order_acquire)) {
      forceCalibration();
      drain(UINT64_MAX);
      sendAll();
      ::fsync(s.fd);
      s.crashFlushed.store(true, std::memory_order_release);
      return;
    }
    // Events stamped after this moment wait for the next round, so that a slower thread's
    // earlier events are not written after a faster thread's later ones.
    const bool drained = calibrated() && drain(now()) > 0;
    period = drained || !calibrated() ? kBusyPeriod : std::min(period * 2, kIdlePeriod);
  }
  forceCalibration();
  drain(UINT64_MAX);
  sendAll();
}

}  // namespace

std::string start(const std::string& path) {
  State& s = state();
  s.fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (s.fd < 0) return "cannot write the trace to '" + path + "': " + std::strerror(errno);
  // Non-blocking, so that a reader slower than the program delays only the writer (sendSome).
  ::fcntl(s.fd, F_SETFL, ::fcntl(s.fd, F_GETFL) | O_NONBLOCK);
  std::string header = TraceEncoder::header();
  send(header);
  s.written = header.size();
  s.origin = origin = Clock::now();
#if defined(__x86_64__)
  stamp.useCounter = invariantCounter() && !std::getenv("LOOPSCOPE_STEADY_CLOCK");
  stamp.counterAtOrigin = stamp.counterAtCalibrationStart = __rdtsc();
  stamp.calibrationStart = origin;
#endif
  s.ids.emplace("", 0);
  s.encoder.sealOnlyWhenClosed();  // drain() closes its block after every batch
  s.active.store(true, std::memory_order_release);
  s.writer = std::thread(writerLoop);
  return "";
}

void stop() {
  State& s = state();
  if (!s.active.exchange(false)) return;
  // The writer's final drain takes everything already in the rings.
  s.stopping.store(true, std::memory_order_release);
  s.wake.notify_one();
  if (s.writer.joinable()) s.writer.join();
  ::close(s.fd);
  s.fd = -1;
}

bool active() { return state().active.load(std::memory_order_relaxed); }

void startBusyThread() {
  if (!tlRing) tlRing = ringForThisThread(kBusyRingCapacity);
}

uint64_t now() { return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - origin).count()); }

void record(EventKind kind, uint8_t thread, int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f) {
  // Probes may still fire while Node tears down after the trace was closed.
  if (!state().active.load(std::memory_order_relaxed)) return;
  Ring* r = tlRing;
  if (!r) r = tlRing = ringForThisThread();
  uint64_t head = r->head.load(std::memory_order_relaxed);
  while (head - r->tail.load(std::memory_order_acquire) > r->mask) {
    flushSoon();
    sched_yield();
  }
  Event& ev = r->slots[head & r->mask];
  ev.ts = rawStamp();
  ev.kind = kind;
  ev.thread = thread;
  ev.f = {a, b, c, d, e, f};
  r->head.store(head + 1, std::memory_order_release);
}

// Texts longer than a reader accepts (kMaxTextBytes) are cut here, with a note saying so: the
// bound on a block's size is what lets the app refuse a forged block header at once.
int64_t intern(std::string_view text) {
  State& s = state();
  std::string stored = recordedText(text);
  int64_t id;
  {
    std::lock_guard lock(s.stringsMutex);
    auto [it, fresh] = s.ids.try_emplace(stored, s.nextStringId);
    if (!fresh) return it->second;
    id = s.nextStringId++;
    s.pendingText.emplace(id, std::move(stored));
  }
  record(EventKind::String, 0, id);
  return id;
}

int64_t freshString(std::string_view text) {
  State& s = state();
  std::string stored = recordedText(text);
  int64_t id;
  {
    std::lock_guard lock(s.stringsMutex);
    id = s.nextStringId++;
    s.pendingText.emplace(id, std::move(stored));
  }
  record(EventKind::String, 0, id);
  return id;
}

void flushSoon() {
  State& s = state();
  s.wakeRequested.store(true, std::memory_order_release);
  s.wake.notify_one();
}

bool ringReadyOnThisThread() { return tlRing != nullptr; }

void flushForCrash() {
  State& s = state();
  if (!s.active.load()) return;
  s.crashFlushRequested.store(true, std::memory_order_release);
  for (int i = 0; i < 250 && !s.crashFlushed.load(std::memory_order_acquire); ++i) {
    timespec ts{0, 2'000'000};
    nanosleep(&ts, nullptr);
  }
}

uint64_t eventsRecorded() {
  State& s = state();
  std::lock_guard lock(s.ringsMutex);
  uint64_t total = 0;
  for (const auto& r : s.rings) total += r->head.load(std::memory_order_acquire);
  return total;
}
uint64_t bytesWritten() { return state().written.load(); }

}  // namespace loopscope::recorder
