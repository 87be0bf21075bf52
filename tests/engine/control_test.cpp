// Live control: in step mode the engine pauses before each callback and phase and goes on only
// when told (docs/control-protocol.md).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

struct SteppedRun {
  pid_t pid = -1;
  int commands = -1;  // write end of the control pipe
  std::string tracePath;

  explicit SteppedRun(const std::string& file) {
    tracePath = scratchDir() + "/stepped.lstrace";
    int fds[2];
    if (pipe(fds) != 0) return;
    pid = fork();
    if (pid == 0) {
      dup2(fds[0], 3);
      close(fds[1]);
      freopen("/dev/null", "w", stdout);
      execl(LOOPSCOPE_ENGINE, LOOPSCOPE_ENGINE, "run", "--step", "--control", "3", "--trace", tracePath.c_str(),
            file.c_str(), nullptr);
      _exit(127);
    }
    close(fds[0]);
    commands = fds[1];
  }
  void send(const std::string& command) {
    std::string line = command + "\n";
    ASSERT_EQ(write(commands, line.data(), line.size()), ssize_t(line.size()));
  }
  // Waits until the trace on disk holds `count` Paused events (the engine flushes when it pauses).
  // `seenTrace` gets the reading that showed them: a later reading may meet the writer halfway
  // through its next block and stop before it.
  int waitForPauses(int count, TraceFile* seenTrace = nullptr) {
    int seen = 0;
    for (int i = 0; i < 200 && seen < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      TraceFile read = readTraceFile(tracePath);
      seen = 0;
      for (const Event& ev : read.trace.events()) seen += ev.kind == EventKind::Paused;
      if (seenTrace) *seenTrace = std::move(read);
    }
    return seen;
  }
  int wait() {
    int status = 0;
    for (int i = 0; i < 1000; ++i) {
      if (waitpid(pid, &status, WNOHANG) == pid)
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
  }
};

}  // namespace

TEST(StepMode, EnginePausesBeforeTheMainScriptAndAdvancesOneStepPerCommand) {
  SteppedRun run(snippet("seed_order.js"));
  ASSERT_GT(run.pid, 0);
  TraceFile before;
  ASSERT_EQ(run.waitForPauses(1, &before), 1) << "paused before the first callback";
  // Nothing ran yet: no callback entered.
  const Event* pause = nullptr;
  for (const Event& ev : before.trace.events()) {
    EXPECT_NE(ev.kind, EventKind::CallbackEnter);
    if (ev.kind == EventKind::Paused) pause = &ev;
  }
  ASSERT_NE(pause, nullptr);
  EXPECT_EQ(PauseAt(pause->a()), PauseAt::Callback);
  EXPECT_EQ(pause->b(), 1) << "the main script is asyncId 1";

  run.send("step");
  EXPECT_EQ(run.waitForPauses(2), 2) << "one step, one more pause";
  run.send("step");
  EXPECT_EQ(run.waitForPauses(3), 3);
  run.send("continue");
  EXPECT_EQ(run.wait(), 0);
  TraceFile done = readTraceFile(run.tracePath);
  ASSERT_EQ(done.status, ReadStatus::Ok) << done.problem;
  int paused = 0;
  for (const Event& ev : done.trace.events()) paused += ev.kind == EventKind::Paused;
  EXPECT_EQ(paused, 3) << "after continue it never paused again";
}

TEST(StepMode, StopCommandEndsThePausedRunWithACompleteTrace) {
  SteppedRun run(snippet("seed_order.js"));
  ASSERT_EQ(run.waitForPauses(1), 1);
  run.send("stop");
  EXPECT_EQ(run.wait(), 130);
  TraceFile done = readTraceFile(run.tracePath);
  ASSERT_NE(done.trace.runEnd(), nullptr);
  EXPECT_EQ(EndReason(done.trace.runEnd()->b()), EndReason::Stopped);
}
