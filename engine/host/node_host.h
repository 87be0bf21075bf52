// Runs one program on the embedded Node, with or without recording it.
#pragma once

#include <string>
#include <vector>

namespace loopscope {

struct RunConfig {
  std::string execPath;                // argv[0]: becomes process.execPath (fork() re-runs it)
  std::vector<std::string> nodeArgs;   // Node/V8 options and the script with its arguments
  std::string tracePath;               // "" = no instrumentation
  int threadpoolSize = 0;              // 0 = libuv's default (4)
  double timeoutSeconds = 0;
  int controlFd = -1;
  bool startPaused = false;
};

struct RunOutcome {
  int exitCode = 0;
  bool timedOut = false;
  bool stopped = false;
  std::string uncaughtError;  // "SyntaxError at file:line:col: message" when one ended the run
};

RunOutcome runNode(const RunConfig& config);

}  // namespace loopscope
