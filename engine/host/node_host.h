// Runs one program on the embedded Node, with or without recording it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loopscope {

struct RunConfig {
  std::string execPath;               // argv[0]: becomes process.execPath (fork() re-runs it)
  std::vector<std::string> nodeArgs;  // Node/V8 options and the script with its arguments
  // "" = no instrumentation: the program starts through Node's own entry point, so everything
  // `node` accepts works (FILE, -e, -p, -, --check, ...). Traced runs start FILE after the probe.
  std::string tracePath;
  int threadpoolSize = 0;  // 0 = libuv's default (4)
  double timeoutSeconds = 0;
  int controlFd = -1;
  bool startPaused = false;
  // `run --perturb SEED`: vary timing within bounds, seeded (perturb.h); traced or not.
  std::optional<uint64_t> perturbSeed;
};

struct RunOutcome {
  int exitCode = 0;
  bool timedOut = false;
  bool stopped = false;
  std::string uncaughtError;  // "SyntaxError at file:line:col: message" when one ended the run
  // Node's option parser refused the command line (or answered it, as for -v): nothing ran.
  // `startupErrors` holds its sentences ("bad option: --frobnicate"), not yet printed.
  bool endedAtStartup = false;
  std::vector<std::string> startupErrors;
};

// Runs on the calling thread (the process's main thread), once per process: Node and V8 are
// initialised and torn down inside.
RunOutcome runNode(const RunConfig& config);

}  // namespace loopscope
