#include "jit_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "temp_files.h"
#include "trace/recorder.h"

namespace loopscope::jitprobe {
namespace rec = recorder;
namespace {

// The report file has no name (see temp_files.h): V8 and C's `stdout` open it again through
// /proc/self/fd/N, and readFd is the descriptor that keeps it alive.
std::string tracePath;
int readFd = -1, watchFd = -1;
// stop() signals it, so the reader ends at once instead of at its next 20 ms poll time-out: the
// end of every traced run waited for that.
int stopFd = -1;
// Once V8 has the path, the descriptor stays open until the process ends: a Worker isolate still
// running at exit may tier up a function and open /proc/self/fd/N after stop(). Closed, that open
// fails and V8 aborts the process ("could not open file", Node's test-worker-ref-onexit.js), or
// the number is reused and V8 would write into an unrelated file.
bool pathGivenToV8 = false;
// V8 prints a few of its trace lines with plain printf ("manually marking ...", "marking
// dependent code ..."), which would land in the program's output. Node writes the program's
// stdout through libuv on file descriptor 1, never through C's `stdout`, so pointing C's
// `stdout` at the trace file catches V8's lines and leaves the program's output untouched.
FILE* originalStdout = nullptr;
FILE* v8Stdout = nullptr;
std::thread reader;
std::atomic<bool> stopping{false};

// The function's name from V8's "<JSFunction NAME (sfi = 0x...)>".
std::string functionName(const std::string& line) {
  static const std::regex fn("<JSFunction ([^ >]*) ?\\(sfi");
  std::smatch m;
  if (std::regex_search(line, m, fn) && !m[1].str().empty()) return m[1].str();
  return "(anonymous)";
}

std::string sfiOf(const std::string& line) {
  static const std::regex sfi("sfi = (0x[0-9a-f]+)");
  std::smatch m;
  return std::regex_search(line, m, sfi) ? m[1].str() : "";
}

struct Parser {
  std::unordered_map<std::string, std::string> markReason;  // sfi -> why V8 chose to optimize
  std::unordered_map<std::string, int64_t> compileMicros;   // sfi -> time TurboFan took
  std::vector<std::string> baselineQueue;                   // Sparkplug: enqueued, not compiled

  void line(const std::string& l) {
    if (l.rfind("[marking ", 0) == 0) {
      auto at = l.find("reason: ");
      if (at != std::string::npos) markReason[sfiOf(l)] = l.substr(at + 8, l.find(']', at) - at - 8);
    } else if (l.rfind("[optimizing ", 0) == 0) {
      // "- took A, B, C ms": the three compile stages.
      static const std::regex took("took ([0-9.]+), ([0-9.]+), ([0-9.]+) ms");
      std::smatch m;
      if (std::regex_search(l, m, took))
        compileMicros[sfiOf(l)] = int64_t((std::stod(m[1]) + std::stod(m[2]) + std::stod(m[3])) * 1000);
    } else if (l.rfind("[completed optimizing ", 0) == 0) {
      std::string sfi = sfiOf(l);
      auto reason = markReason.find(sfi);
      rec::record(EventKind::JitOptimized, kMainThread, rec::intern(functionName(l)), int64_t(JitTier::TurboFan),
                  reason == markReason.end() ? 0 : rec::intern(reason->second),
                  compileMicros.count(sfi) ? compileMicros[sfi] : 0);
      if (reason != markReason.end()) markReason.erase(reason);
      compileMicros.erase(sfi);
    } else if (l.rfind("[bailout ", 0) == 0) {
      static const std::regex bailout("kind: ([^,]+), reason: ([^)]*)\\)");
      std::smatch m;
      std::string kind, reason;
      if (std::regex_search(l, m, bailout)) {
        kind = m[1].str();
        reason = m[2].str();
      }
      rec::record(EventKind::JitDeoptimized, kMainThread, rec::intern(functionName(l)), rec::intern(reason),
                  rec::intern(kind));
    } else if (l.rfind("[Baseline batch compilation] Enqueued function ", 0) == 0) {
      std::string rest = l.substr(47);
      std::string name = rest.substr(0, rest.find(" with estimated size"));
      baselineQueue.push_back(name.empty() ? "(anonymous)" : name);
    } else if (l.rfind("[Baseline batch compilation] Compiling current batch", 0) == 0) {
      for (const std::string& name : baselineQueue)
        rec::record(EventKind::JitOptimized, kMainThread, rec::intern(name), int64_t(JitTier::Sparkplug), 0, 0);
      baselineQueue.clear();
    }
  }
};

void readLoop() {
  Parser parser;
  std::string pending;
  char buf[8192];
  alignas(inotify_event) char events[4096];
  auto readAvailable = [&] {
    // Each new isolate (a Worker's) makes its own CodeTracer, which truncates the file.
    struct stat st {};
    if (::fstat(readFd, &st) == 0 && ::lseek(readFd, 0, SEEK_CUR) > st.st_size) {
      ::lseek(readFd, 0, SEEK_SET);
      pending.clear();
    }
    for (ssize_t n; (n = ::read(readFd, buf, sizeof buf)) > 0;) {
      pending.append(buf, size_t(n));
      for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
        parser.line(pending.substr(0, nl));
        pending.erase(0, nl + 1);
      }
    }
  };
  for (;;) {
    pollfd p[2] = {{watchFd, POLLIN, 0}, {stopFd, POLLIN, 0}};
    int ready = ::poll(p, stopFd >= 0 ? 2 : 1, 20);
    if (ready > 0 && (p[0].revents & POLLIN)) (void)!::read(watchFd, events, sizeof events);
    readAvailable();
    // stop() comes after the main thread's last JavaScript and after C's `stdout` was flushed:
    // everything V8 printed for the run is in the file, and the read above took it.
    if (stopping.load() && (ready <= 0 || (p[1].revents & POLLIN))) break;
  }
}

}  // namespace

std::string start() {
  std::string problem;
  readFd = tempfiles::openUnnamed(tracePath, problem);
  if (readFd < 0) return "";  // no JIT events then; the run itself goes on
  watchFd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  // Every write to the file, V8's own (it opens and closes the file around each report) and
  // those through C's `stdout`, raises IN_MODIFY once the bytes are in; IN_CLOSE_WRITE would
  // only wake the reader a second time per report, to find nothing new.
  if (readFd < 0 || watchFd < 0 || inotify_add_watch(watchFd, tracePath.c_str(), IN_MODIFY) < 0) {
    stop();
    return "";
  }
  std::fflush(stdout);
  v8Stdout = std::fopen(tracePath.c_str(), "a");
  if (v8Stdout) {
    std::setvbuf(v8Stdout, nullptr, _IOLBF, 0);
    originalStdout = stdout;
    stdout = v8Stdout;
  }
  stopFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  reader = std::thread(readLoop);
  pathGivenToV8 = true;
  return "--trace-opt --trace-deopt --trace-baseline-batch-compilation --redirect-code-traces "
         "--redirect-code-traces-to=" +
         tracePath;
}

void stop() {
  if (v8Stdout) {
    std::fflush(v8Stdout);
    stdout = originalStdout;
  }
  stopping = true;
  if (stopFd >= 0) {
    const uint64_t one = 1;
    (void)!::write(stopFd, &one, sizeof one);
  }
  if (reader.joinable()) reader.join();
  if (stopFd >= 0) ::close(stopFd);
  stopFd = -1;
  if (readFd >= 0 && !pathGivenToV8) ::close(readFd);
  if (watchFd >= 0) ::close(watchFd);
  readFd = watchFd = -1;
  if (v8Stdout) std::fclose(v8Stdout);
  v8Stdout = nullptr;
}

}  // namespace loopscope::jitprobe
