#include "control.h"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "trace/recorder.h"

namespace loopscope::control {
namespace {

struct Gate {
  std::atomic<bool> stepping{false};  // read on the JS thread before every callback and phase
  std::mutex mutex;
  std::condition_variable cv;
  int permits = 0;        // "step" commands not yet used
  bool released = false;  // "continue" or "stop" while waiting
};

Gate gate;
Options opts;
std::atomic<bool> timedOutFlag{false};
std::atomic<bool> stoppedFlag{false};
std::atomic<bool> finished{false};
std::thread watchdog;
std::thread reader;
std::mutex watchdogMutex;
std::condition_variable watchdogCv;

void requestStop() {
  {
    std::lock_guard lock(gate.mutex);
    gate.stepping = false;
    gate.released = true;
  }
  gate.cv.notify_all();
  if (opts.stopProgram) opts.stopProgram();
}

void handleCommand(const std::string& line) {
  if (line == "step") {
    {
      std::lock_guard lock(gate.mutex);
      ++gate.permits;
    }
    gate.cv.notify_all();
  } else if (line == "continue") {
    {
      std::lock_guard lock(gate.mutex);
      gate.stepping = false;
      gate.released = true;
    }
    gate.cv.notify_all();
  } else if (line == "pause") {
    std::lock_guard lock(gate.mutex);
    gate.permits = 0;
    gate.released = false;
    gate.stepping = true;
  } else if (line == "snapshot" || line.rfind("snapshot ", 0) == 0) {
    if (opts.takeHeapSnapshot) opts.takeHeapSnapshot(line.size() > 9 ? line.substr(9) : "snapshot");
  } else if (line == "stop") {
    stoppedFlag = true;
    requestStop();
  }
  // Unknown lines are ignored so that newer GUIs can talk to older engines.
}

void readCommands(int fd) {
  std::string pending;
  char buf[256];
  while (!finished.load()) {
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, 100);
    if (r <= 0) continue;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {  // the controller went away: nobody can step any more, so run freely
      handleCommand("continue");
      return;
    }
    pending.append(buf, size_t(n));
    for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      handleCommand(line);
    }
  }
}

void waitAtGate(PauseAt at, int64_t what) {
  std::unique_lock lock(gate.mutex);
  if (!gate.stepping) return;
  if (gate.permits > 0) {
    --gate.permits;
    return;
  }
  recorder::record(EventKind::Paused, kMainThread, int64_t(at), what);
  recorder::flushSoon();
  gate.released = false;
  gate.cv.wait(lock, [] { return gate.permits > 0 || gate.released || !gate.stepping; });
  if (gate.permits > 0) --gate.permits;
  recorder::record(EventKind::Resumed, kMainThread);
}

}  // namespace

void start(const Options& options) {
  opts = options;
  gate.stepping = options.startPaused;
  if (options.controlFd >= 0) reader = std::thread(readCommands, options.controlFd);
  if (options.timeoutSeconds > 0) {
    watchdog = std::thread([] {
      std::unique_lock lock(watchdogMutex);
      auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(opts.timeoutSeconds);
      if (!watchdogCv.wait_until(lock, deadline, [] { return finished.load(); })) {
        timedOutFlag = true;
        requestStop();
      }
    });
  }
}

void finish() {
  {
    std::lock_guard lock(watchdogMutex);
    finished = true;
  }
  watchdogCv.notify_all();
  if (watchdog.joinable()) watchdog.join();
  if (reader.joinable()) reader.join();
}

void beforePhase(Phase phase) {
  if (gate.stepping.load(std::memory_order_relaxed)) waitAtGate(PauseAt::Phase, int64_t(phase));
}

void beforeCallback(int64_t asyncId) {
  if (gate.stepping.load(std::memory_order_relaxed)) waitAtGate(PauseAt::Callback, asyncId);
}

bool timedOut() { return timedOutFlag.load(); }
bool stoppedByCommand() { return stoppedFlag.load(); }

}  // namespace loopscope::control
