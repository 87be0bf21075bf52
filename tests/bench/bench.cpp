// loopscope-bench: what instrumentation costs, measured in one run (never a pass/fail test).
//  1. the callback-heavy snippet under `loopscope-engine run --trace` vs `run --no-trace`,
//     alternated, printing the median wall-time ratio, ns of overhead per event and bytes per
//     event in the trace file;
//  2. start-up: an empty program traced vs untraced, and untraced vs Debian's node 18 when
//     scripts/conformance.sh has unpacked it (build/conformance/reference/node);
//  3. the promise-only snippet traced vs untraced;
//  4. the cost of recorder::record() on one thread while the writer runs (ns per event);
//  5. seeking (LoopTimeline::stateAt) anywhere in a ten-million-event trace;
//  6. opening the callback-heavy snippet's saved trace in the app
//     (`loopscope TRACE --at end --dump-state OUT`): wall time and peak resident memory (measured
//     first, while this process is small: a child's peak includes what it inherited before exec).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "trace/loop_state.h"
#include "trace/recorder.h"
#include "trace/trace.h"

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

struct ChildRun {
  double seconds = 0;
  double cpuSeconds = 0;  // user + system
  double peakMiB = 0;     // the child's peak resident set (getrusage's ru_maxrss)
};

// Runs a program to its end with stdout discarded; the benchmark stops if it fails.
ChildRun runChild(const std::vector<std::string>& args, bool offscreen = false) {
  std::fflush(nullptr);  // or the child's freopen() would write our buffered output once more
  auto t0 = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen("/dev/null", "w", stdout)) _exit(126);
    if (offscreen) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  ChildRun run;
  run.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  run.peakMiB = double(usage.ru_maxrss) / 1024.0;
  run.cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                   double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string line;
    for (const auto& a : args) line += (line.empty() ? "" : " ") + a;
    std::fprintf(stderr, "loopscope-bench: '%s' failed\n", line.c_str());
    std::exit(1);
  }
  return run;
}

double runSeconds(const std::vector<std::string>& args) { return runChild(args).seconds; }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Two commands timed in alternation (after one warm-up run each), so that the machine's load
// drifts over both alike; `ratios` holds first/second of each pair, wall time and CPU time (user +
// system of the whole process, which other programs on a busy machine disturb less).
struct Pairs {
  std::vector<double> first, second, ratios, cpuRatios;
};

Pairs alternate(const std::vector<std::string>& first, const std::vector<std::string>& second, int rounds) {
  runSeconds(first);
  runSeconds(second);
  Pairs p;
  for (int i = 0; i < rounds; ++i) {
    ChildRun b = runChild(second);
    ChildRun a = runChild(first);
    p.first.push_back(a.seconds);
    p.second.push_back(b.seconds);
    p.ratios.push_back(a.seconds / b.seconds);
    p.cpuRatios.push_back(a.cpuSeconds / b.cpuSeconds);
  }
  return p;
}

void printRatio(const char* what, const Pairs& p) {
  std::printf("%s: median ratio %.2f (min %.2f, max %.2f; medians %.1f ms / %.1f ms, %zu pairs); CPU time ratio %.2f\n",
              what, median(p.ratios), *std::min_element(p.ratios.begin(), p.ratios.end()),
              *std::max_element(p.ratios.begin(), p.ratios.end()), median(p.first) * 1e3, median(p.second) * 1e3,
              p.ratios.size(), median(p.cpuRatios));
}

size_t eventsIn(const std::string& trace) { return loopscope::readTraceFile(trace).trace.size(); }

std::string referenceNode() {
  const char* fromEnv = std::getenv("LOOPSCOPE_REFERENCE_NODE");
  return fromEnv && *fromEnv ? fromEnv : LOOPSCOPE_REFERENCE_NODE;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const std::string engine = LOOPSCOPE_ENGINE, snippet = LOOPSCOPE_BENCH_DIR "/callbacks.js";
  const std::string scratch = fs::temp_directory_path() / ("loopscope-bench-" + std::to_string(getpid()));
  const std::string trace = scratch + ".lstrace";

  // 6, measured first: the app opening a large saved trace, next to the same for an empty
  // program's (the cost of starting the app itself). A child's peak resident memory includes
  // what it inherited from this process before exec, so this runs while the benchmark is small.
  const std::string empty = LOOPSCOPE_BENCH_DIR "/empty.js", emptyTrace = scratch + "-empty.lstrace";
  runChild({engine, "run", "--trace", trace, snippet});
  runChild({engine, "run", "--trace", emptyTrace, empty});
  std::string appFigures;
#ifdef LOOPSCOPE_APP
  {
    const std::string state = scratch + "-state.json";
    rusage self{};
    getrusage(RUSAGE_SELF, &self);
    struct Opening {
      double seconds, cpuSeconds, peakMiB;
    };
    auto open = [&](const std::string& path) {
      std::vector<double> seconds, cpu, peaks;
      runChild({LOOPSCOPE_APP, path, "--at", "end", "--dump-state", state}, true);  // warm the page cache
      for (int i = 0; i < std::max(3, rounds / 2); ++i) {
        ChildRun run = runChild({LOOPSCOPE_APP, path, "--at", "end", "--dump-state", state}, true);
        seconds.push_back(run.seconds);
        cpu.push_back(run.cpuSeconds);
        peaks.push_back(run.peakMiB);
      }
      return Opening{median(seconds), median(cpu), *std::max_element(peaks.begin(), peaks.end())};
    };
    const Opening big = open(trace), small = open(emptyTrace);
    fs::remove(state);
    char line[640];
    std::snprintf(
        line, sizeof line,
        "app opens a saved trace (loopscope TRACE --at end --dump-state): %zu events (%.1f MB): median %.2f s "
        "(%.2f s CPU), peak %.0f MiB resident; %zu events: %.2f s (%.2f s CPU), %.0f MiB (this process was "
        "%.0f MiB when it started them)\n",
        eventsIn(trace), double(fs::file_size(trace)) / 1e6, big.seconds, big.cpuSeconds, big.peakMiB,
        eventsIn(emptyTrace), small.seconds, small.cpuSeconds, small.peakMiB, double(self.ru_maxrss) / 1024.0);
    appFigures = line;
  }
#endif

  // 1. The callback-heavy snippet.
  const Pairs callbacks =
      alternate({engine, "run", "--trace", trace, snippet}, {engine, "run", "--no-trace", snippet}, rounds);
  loopscope::TraceFile file = loopscope::readTraceFile(trace);
  size_t events = file.trace.size();
  size_t callbackCount = 0;
  for (const auto& ev : file.trace.events()) callbackCount += ev.kind == loopscope::EventKind::CallbackEnter;

  double overheadNs = (median(callbacks.first) - median(callbacks.second)) * 1e9 / double(events);
  std::printf("snippet: %s (%zu callbacks, %zu events)\n", snippet.c_str(), callbackCount, events);
  std::printf("rounds: %d, alternating traced and untraced\n", rounds);
  printRatio("wall time traced/untraced", callbacks);
  std::printf("overhead per event (whole process): %.0f ns\n", overheadNs);
  std::printf("trace size: %llu bytes, %.1f bytes per event\n", (unsigned long long)file.bytes,
              double(file.bytes) / double(events));

  // 2. Start-up: a program that does nothing. Short runs are noisy, so more pairs.
  const int startupRounds = std::max(10, rounds * 4);
  const Pairs startup =
      alternate({engine, "run", "--trace", emptyTrace, empty}, {engine, "run", "--no-trace", empty}, startupRounds);
  printRatio("start-up (empty program) traced/untraced", startup);
  const std::string node = referenceNode();
  if (access(node.c_str(), X_OK) == 0) {
    const Pairs vsNode = alternate({engine, "run", "--no-trace", empty}, {node, empty}, startupRounds);
    printRatio("start-up (empty program) untraced engine/node 18", vsNode);
  } else {
    std::printf(
        "start-up untraced engine/node 18: skipped, no reference node at %s "
        "(scripts/conformance.sh unpacks Debian's there; or set LOOPSCOPE_REFERENCE_NODE)\n",
        node.c_str());
  }

  // 3. Promise reactions and awaits only.
  const std::string promises = LOOPSCOPE_BENCH_DIR "/promises.js", promiseTrace = scratch + "-promises.lstrace";
  const Pairs promise =
      alternate({engine, "run", "--trace", promiseTrace, promises}, {engine, "run", "--no-trace", promises}, rounds);
  const size_t promiseEvents = eventsIn(promiseTrace);
  fs::remove(promiseTrace);
  std::printf("promise-only snippet: %s (%zu events)\n", promises.c_str(), promiseEvents);
  printRatio("promise-only traced/untraced", promise);

  // 4. The recording call alone, as the JS thread makes it, with the writer draining behind it:
  // bursts smaller than the ring, the way a program records (it also runs JavaScript between).
  const std::string recordScratch = scratch + "-rec";
  loopscope::recorder::start(recordScratch);
  loopscope::recorder::startBusyThread();
  constexpr int kBursts = 50, kPerBurst = 100'000;
  double recordingNs = 0;
  for (int b = 0; b < kBursts; ++b) {
    auto t0 = Clock::now();
    for (int i = 0; i < kPerBurst; ++i) loopscope::recorder::record(loopscope::EventKind::CallbackEnter, 0, i);
    recordingNs += std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the writer catch up
  }
  loopscope::recorder::stop();
  fs::remove(recordScratch);
  std::printf("recorder::record on the JS thread: %.1f ns per event (%d bursts of %d)\n",
              recordingNs / (kBursts * kPerBurst), kBursts, kPerBurst);

  // 5. Seeking in a long recording: LoopTimeline over ~10 million events (the callback-heavy
  // trace repeated), then random positions.
  {
    loopscope::Trace big;
    const auto& pattern = file.trace.events();
    uint64_t offset = 0;
    while (big.size() < 10'000'000) {
      for (const auto& ev : pattern) {
        loopscope::Event copy = ev;
        copy.ts += offset;
        big.append(copy);
      }
      offset = big.events().back().ts + 1;
    }
    auto i0 = Clock::now();
    loopscope::LoopTimeline timeline(big);
    double indexSeconds = std::chrono::duration<double>(Clock::now() - i0).count();
    std::vector<double> seeks;
    uint64_t seed = 12345;
    for (int k = 0; k < 200; ++k) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      size_t position = size_t(seed >> 20) % (big.size() + 1);
      auto s0 = Clock::now();
      loopscope::LoopState state = timeline.stateAt(position);
      seeks.push_back(std::chrono::duration<double, std::milli>(Clock::now() - s0).count());
      if (state.position != position) std::printf("seek went wrong\n");
    }
    std::printf(
        "seek in a %zu-event trace: median %.2f ms, slowest %.2f ms (200 random positions; indexing took %.1f s)\n",
        big.size(), median(seeks), *std::max_element(seeks.begin(), seeks.end()), indexSeconds);
  }

#ifdef LOOPSCOPE_APP
  std::printf("%s", appFigures.c_str());
#else
  std::printf("app opens a saved trace: skipped (this build has no app)\n");
#endif
  fs::remove(trace);
  fs::remove(emptyTrace);
  return 0;
}
