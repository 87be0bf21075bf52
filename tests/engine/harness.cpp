#include "harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace loopscope::test {
namespace fs = std::filesystem;

// A fresh, empty folder of our own. mkdtemp, not the pid: pids wrap around (pid_max is often
// 32768 and every engine thread takes one), and a folder left by an earlier test process with the
// same pid would hand this test someone else's files.
std::string scratchDir() {
  std::string pattern = (fs::temp_directory_path() / "loopscope-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a scratch folder in " + pattern);
  return pattern;
}

std::string writeSnippet(const std::string& name, const std::string& source) {
  fs::path path = fs::path(scratchDir()) / name;
  std::ofstream(path) << source;
  return path;
}

std::string snippet(const std::string& name) { return std::string(LOOPSCOPE_SNIPPETS) + "/" + name; }

static std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

EngineRun runEngine(const std::vector<std::string>& args, int timeoutSeconds, const std::string& stdinText) {
  EngineRun run;
  fs::path dir = scratchDir();
  fs::path outPath = dir / "stdout", errPath = dir / "stderr", inPath = dir / "stdin";
  std::ofstream(inPath) << stdinText;
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(inPath.c_str(), O_RDONLY);
    int out = open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv;
    std::string engine = LOOPSCOPE_ENGINE;
    argv.push_back(engine.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(engine.c_str(), argv.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      run.err = "test harness: the engine did not finish within " + std::to_string(timeoutSeconds) + " s\n";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = slurp(outPath);
  run.err += slurp(errPath);
  return run;
}

EngineRun runTraced(const std::string& file, const std::vector<std::string>& options,
                    const std::vector<std::string>& scriptArgs) {
  std::string tracePath = scratchDir() + "/run.lstrace";
  std::vector<std::string> args{"run", "--trace", tracePath};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(file);
  args.insert(args.end(), scriptArgs.begin(), scriptArgs.end());
  EngineRun run = runEngine(args);
  run.tracePath = tracePath;
  run.trace = readTraceFile(tracePath);
  return run;
}

std::vector<std::string> consoleLines(const Trace& trace) {
  std::vector<std::string> lines;
  for (const Event& ev : trace.events()) {
    if (ev.kind != EventKind::Console) continue;
    std::string text(trace.str(ev.b()));
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);) lines.push_back(line);
  }
  return lines;
}

std::vector<CallbackRun> callbackRuns(const Trace& trace) {
  std::vector<CallbackRun> runs;
  Phase phase = Phase::Main;
  int64_t iteration = 0;
  const auto& events = trace.events();
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (ev.thread != kMainThread) continue;
    switch (ev.kind) {
      case EventKind::Iteration: iteration = ev.a(); break;
      case EventKind::PhaseEnter: phase = Phase(ev.a()); break;
      case EventKind::LoopEnd: phase = Phase::Main; break;
      case EventKind::CallbackEnter: {
        CallbackRun run;
        run.asyncId = ev.a();
        run.type = std::string(trace.asyncType(ev.a()));
        run.phase = std::string(phaseName(phase));
        run.iteration = iteration;
        run.index = i;
        if (const AsyncInfo* info = trace.async(ev.a()))
          if (const FunctionSiteInfo* site = trace.site(info->site)) {
            run.name = site->name;
            run.line = site->line;
          }
        runs.push_back(run);
        break;
      }
      default: break;
    }
  }
  return runs;
}

}  // namespace loopscope::test
