// loopscope-bench: what instrumentation costs, measured in one run (never a pass/fail test).
//  1. the callback-heavy snippet under `loopscope-engine run --trace` vs `run --no-trace`,
//     alternated, printing the median wall-time ratio, ns of overhead per event and bytes per
//     event in the trace file;
//  2. the cost of recorder::record() on one thread while the writer runs (ns per event);
//  3. seeking (LoopTimeline::stateAt) anywhere in a ten-million-event trace.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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

double runSeconds(const std::vector<std::string>& args) {
  auto t0 = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "loopscope-bench: '%s' failed\n", args.back().c_str());
    std::exit(1);
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  std::string engine = LOOPSCOPE_ENGINE, snippet = LOOPSCOPE_BENCH_SNIPPET;
  std::string trace = (fs::temp_directory_path() / ("loopscope-bench-" + std::to_string(getpid()) + ".lstrace"));

  std::vector<double> traced, untraced, ratios;
  runSeconds({engine, "run", "--no-trace", snippet});  // warm the page cache
  for (int i = 0; i < rounds; ++i) {
    double u = runSeconds({engine, "run", "--no-trace", snippet});
    double t = runSeconds({engine, "run", "--trace", trace, snippet});
    untraced.push_back(u);
    traced.push_back(t);
    ratios.push_back(t / u);
  }
  loopscope::TraceFile file = loopscope::readTraceFile(trace);
  size_t events = file.trace.size();
  size_t callbacks = 0;
  for (const auto& ev : file.trace.events()) callbacks += ev.kind == loopscope::EventKind::CallbackEnter;
  fs::remove(trace);

  double overheadNs = (median(traced) - median(untraced)) * 1e9 / double(events);
  std::printf("snippet: %s (%zu callbacks, %zu events)\n", snippet.c_str(), callbacks, events);
  std::printf("rounds: %d, alternating traced and untraced\n", rounds);
  std::printf("wall time traced/untraced: median ratio %.2f (min %.2f, max %.2f)\n", median(ratios),
              *std::min_element(ratios.begin(), ratios.end()), *std::max_element(ratios.begin(), ratios.end()));
  std::printf("overhead per event (whole process): %.0f ns\n", overheadNs);
  std::printf("trace size: %llu bytes, %.1f bytes per event\n", (unsigned long long)file.bytes,
              double(file.bytes) / double(events));

  // The recording call alone, as the JS thread makes it, with the writer draining behind it:
  // bursts smaller than the ring, the way a program records (it also runs JavaScript between).
  std::string scratch = fs::temp_directory_path() / ("loopscope-bench-rec-" + std::to_string(getpid()));
  loopscope::recorder::start(scratch);
  loopscope::recorder::startBusyThread();
  constexpr int kBursts = 50, kPerBurst = 100'000;
  double recordingNs = 0;
  for (int b = 0; b < kBursts; ++b) {
    auto t0 = Clock::now();
    for (int i = 0; i < kPerBurst; ++i)
      loopscope::recorder::record(loopscope::EventKind::CallbackEnter, 0, i);
    recordingNs += std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the writer catch up
  }
  loopscope::recorder::stop();
  fs::remove(scratch);
  std::printf("recorder::record on the JS thread: %.1f ns per event (%d bursts of %d)\n",
              recordingNs / (kBursts * kPerBurst), kBursts, kPerBurst);

  // Seeking in a long recording: LoopTimeline over ~10 million events (the callback-heavy
  // trace repeated), then random positions.
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
  std::printf("seek in a %zu-event trace: median %.2f ms, slowest %.2f ms (200 random positions; indexing took %.1f s)\n",
              big.size(), median(seeks), *std::max_element(seeks.begin(), seeks.end()), indexSeconds);
  return 0;
}
