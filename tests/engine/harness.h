// Runs the real loopscope-engine as a child process and reads back what it recorded.
#pragma once

#include <string>
#include <vector>

#include "trace/trace.h"

namespace loopscope::test {

struct EngineRun {
  int exitCode = -1;  // the process's exit code, or 128 + signal
  std::string out;    // its stdout
  std::string err;    // its stderr
  TraceFile trace;    // what --trace wrote (status Unreadable when there was none)
  std::string tracePath;
};

// A fresh directory for one test's files.
std::string scratchDir();
// Writes `source` to a file named `name` in a scratch directory and returns its path.
std::string writeSnippet(const std::string& name, const std::string& source);
// Path of a file in tests/snippets.
std::string snippet(const std::string& name);

// Runs `loopscope-engine <args...>` with a time limit; the child gets no terminal input.
EngineRun runEngine(const std::vector<std::string>& args, int timeoutSeconds = 60, const std::string& stdinText = "");
// Runs `loopscope-engine run --trace T [options...] file [scriptArgs...]` and reads T.
EngineRun runTraced(const std::string& file, const std::vector<std::string>& options = {},
                    const std::vector<std::string>& scriptArgs = {});

// The console output lines recorded in the trace, in order.
std::vector<std::string> consoleLines(const Trace& trace);
// Phase (by name) in which each CallbackEnter happened, keyed by the callback's function name.
struct CallbackRun {
  std::string name;   // function name from the site ("(anonymous)" if none)
  std::string type;   // async type
  std::string phase;  // main, timers, pending, idle, prepare, poll, check, close
  int64_t asyncId = 0;
  int64_t iteration = 0;
  int line = 0;
  size_t index = 0;  // position in the trace
};
std::vector<CallbackRun> callbackRuns(const Trace& trace);

}  // namespace loopscope::test
