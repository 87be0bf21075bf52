// loopscope-engine: runs a JavaScript program on the instrumented Node and works with traces.
// `loopscope-engine FILE [ARGS...]` (no subcommand) behaves exactly like `node FILE`, because
// child_process.fork() re-runs process.execPath, which is this program.
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "lessons_check.h"
#include "node_host.h"
#include "sandbox.h"
#include "temp_files.h"
#include "trace/chrome_export.h"
#include "trace/install_paths.h"
#include "trace/csv_export.h"
#include "trace/report.h"
#include "trace/trace.h"

using namespace loopscope;

namespace {

constexpr const char kUsage[] = R"(usage:
  loopscope-engine run [OPTIONS] FILE [ARGS...]   run FILE (.js, .cjs, .mjs) and record it
  loopscope-engine [NODE-OPTIONS] FILE [ARGS...]  run FILE exactly as `node FILE` would
  loopscope-engine [NODE-OPTIONS] -e CODE | -p CODE | -
                                                  any other `node` command line, untraced
  loopscope-engine info TRACE                     summarise a recorded trace
  loopscope-engine timeline [--all] [--max-lines N] TRACE
                                                  iteration -> phase -> callback listing
  loopscope-engine export TRACE (--chrome OUT.json | --csv OUT.csv)
  loopscope-engine lessons check [DIR]            run every lesson snippet and exercise checker

run options:
  --trace OUT              write the native trace (.lstrace) to OUT
  --export-chrome OUT      also write Chrome Trace Event JSON (opens in Perfetto)
  --export-csv OUT         also write one CSV row per event
  --no-trace               run without instrumentation (to measure its cost)
  --threadpool-size N      UV_THREADPOOL_SIZE for this run (1..127, default 4)
  --timeout SECONDS        stop the program after SECONDS, keep the trace, exit 124
  --max-old-space-size MB  V8's old-generation limit
  --perturb SEED           vary timing as real machines do, by amounts drawn from SEED (a whole
                           number, 0..18446744073709551615), to show which orders depend on
                           timing; the event loop's rules still hold. On the main loop a timers
                           phase is skipped 1 time in 4 (never twice running: a due timer fires
                           at most one iteration late, never early); 0-1 ms before a poll that
                           may block and before the first iteration; 0-2 ms before each
                           thread-pool job. Traced runs record the seed (docs/perturbation.md)
  --sandbox                run walled off: read-only system, a scratch copy of FILE's folder,
                           no $HOME, loopback-only network, process limits (docs/sandbox.md);
                           also `loopscope-engine --sandbox FILE`, or LOOPSCOPE_SANDBOX=1
  --step                   start paused: wait for commands before each callback and phase
  --control FD             read step/continue/pause/stop commands from file descriptor FD
  --node-options "OPTS"    Node's own options for this run, written as in NODE_OPTIONS
                           (e.g. --node-options "--expose-gc -r ./setup.js")
  --NODE-OPTION[=VALUE]    any other long option is handed to Node as it is (--expose-gc,
                           --unhandled-rejections=strict, --stack-size=500, ...); Node checks
                           it, and one it does not know is refused before anything runs

Without a subcommand the command line is Node's: Node's options, then FILE, -e CODE, -p CODE or
- (the program on standard input). --help and --version are the engine's own; -v is Node's.
)";

int fail(const std::string& sentence, int code = 2) {
  std::fprintf(stderr, "loopscope-engine: %s\n", sentence.c_str());
  return code;
}

// A whole number of 0..2^64-1 written in decimal digits only (no sign, no spaces).
std::optional<uint64_t> parseSeed(const std::string& text) {
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (errno || *end) return std::nullopt;
  return uint64_t(v);
}

std::optional<long> parseLong(const std::string& text, long min, long max) {
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(text.c_str(), &end, 10);
  if (errno || end == text.c_str() || *end || v < min || v > max) return std::nullopt;
  return v;
}

// Reads a trace for info/timeline/export; prints the reason and returns nullopt if unusable.
std::optional<TraceFile> openTrace(const std::string& path, int& exitCode) {
  TraceFile file = readTraceFile(path);
  switch (file.status) {
    case ReadStatus::Ok: exitCode = 0; return file;
    case ReadStatus::Unreadable:
    case ReadStatus::NotATrace: exitCode = fail("cannot read the trace: " + file.problem + "."); return std::nullopt;
    case ReadStatus::Truncated:
    case ReadStatus::Corrupt:
      // What could be read is still shown; the exit code says it is incomplete.
      exitCode = 3;
      return file;
  }
  return std::nullopt;
}

void warnIncomplete(const TraceFile& file) {
  if (file.status == ReadStatus::Truncated || file.status == ReadStatus::Corrupt)
    std::fprintf(stderr, "loopscope-engine: warning: %s.\n", file.problem.c_str());
}

bool writeExport(const Trace& trace, const std::string& out, bool chrome) {
  std::ofstream stream(out, std::ios::binary);
  if (!stream) {
    fail("cannot write '" + out + "': " + std::strerror(errno) + ".");
    return false;
  }
  if (chrome)
    exportChrome(trace, stream);
  else
    exportCsv(trace, stream);
  stream.flush();
  if (!stream) {
    fail("writing '" + out + "' failed (disk full?).");
    return false;
  }
  return true;
}

int cmdInfo(const std::vector<std::string>& args) {
  if (args.size() != 1) return fail("info takes one trace file: loopscope-engine info TRACE");
  int code;
  auto file = openTrace(args[0], code);
  if (!file) return code;
  printInfo(*file, std::cout);
  warnIncomplete(*file);
  return code;
}

int cmdTimeline(const std::vector<std::string>& args) {
  TimelineOptions options;
  std::string path;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--all")
      options.allPhases = true;
    else if (args[i] == "--max-lines" && i + 1 < args.size()) {
      auto n = parseLong(args[++i], 1, 100000000);
      if (!n) return fail("--max-lines needs a positive number");
      options.maxLines = size_t(*n);
    } else if (!args[i].empty() && args[i][0] == '-') {
      return fail("unknown timeline option '" + args[i] + "' (see loopscope-engine --help)");
    } else if (path.empty())
      path = args[i];
    else
      return fail("timeline takes one trace file");
  }
  if (path.empty()) return fail("timeline needs a trace file: loopscope-engine timeline TRACE");
  int code;
  auto file = openTrace(path, code);
  if (!file) return code;
  printTimeline(file->trace, std::cout, options);
  warnIncomplete(*file);
  return code;
}

int cmdExport(const std::vector<std::string>& args) {
  std::string path, out;
  std::optional<bool> chrome;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "--chrome" || args[i] == "--csv") && i + 1 < args.size()) {
      chrome = args[i] == "--chrome";
      out = args[++i];
    } else if (!args[i].empty() && args[i][0] == '-') {
      return fail("unknown export option '" + args[i] + "': use --chrome OUT.json or --csv OUT.csv");
    } else if (path.empty())
      path = args[i];
    else
      return fail("export takes one trace file");
  }
  if (path.empty() || !chrome) return fail("usage: loopscope-engine export TRACE (--chrome OUT.json | --csv OUT.csv)");
  int code;
  auto file = openTrace(path, code);
  if (!file) return code;
  if (!writeExport(file->trace, out, *chrome)) return 1;
  warnIncomplete(*file);
  return code;
}

// Splits an --node-options string the way Node splits NODE_OPTIONS: on spaces, with double
// quotes around a value that holds spaces and a backslash escaping the next character inside them.
std::optional<std::vector<std::string>> splitNodeOptions(const std::string& text, std::string& problem) {
  std::vector<std::string> words;
  std::string word;
  bool inWord = false, quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\' && i + 1 < text.size())
        word += text[++i];
      else if (c == '"')
        quoted = false;
      else
        word += c;
    } else if (c == '"') {
      quoted = inWord = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (inWord) words.push_back(std::move(word));
      word.clear();
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quoted) {
    problem = "--node-options has a \" that is never closed: '" + text + "'";
    return std::nullopt;
  }
  if (inWord) words.push_back(std::move(word));
  return words;
}

// Node options that start a program other than FILE: `run` records FILE, so it refuses them.
bool startsAnotherProgram(const std::string& option) {
  std::string name = option.substr(0, option.find('='));
  for (const char* other :
       {"-e", "--eval", "-p", "--print", "-pe", "-c", "--check", "-i", "--interactive", "--test", "--watch",
        "--watch-path", "-v", "--version", "-h", "--help", "--v8-options", "--build-snapshot", "--prof-process"})
    if (name == other) return true;
  return false;
}

// Node's option parser says "bad option: --frobnicate"; run says which option and where to look.
std::string explainRefusedNodeOptions(const std::vector<std::string>& errors) {
  std::string sentence;
  for (const std::string& error : errors) {
    if (!sentence.empty()) sentence += "; ";
    static constexpr std::string_view kBadOption = "bad option: ";
    if (error.rfind(kBadOption, 0) == 0)
      sentence += "unknown option '" + error.substr(kBadOption.size()) +
                  "': it is neither a run option nor one of Node's (see loopscope-engine --help)";
    else
      sentence += "Node refused the options given to run: " + error;
  }
  return sentence.empty() ? "Node refused the options given to run" : sentence;
}

int cmdRun(const std::vector<std::string>& args, const char* execPath) {
  RunConfig config;
  config.execPath = execPath;
  std::string tracePath, chromeOut, csvOut;
  bool noTrace = false;
  std::vector<std::string> nodeOptions;  // handed to Node's own parser, which validates them
  size_t i = 0;
  auto value = [&]() -> std::optional<std::string> {
    if (i + 1 >= args.size()) return std::nullopt;
    return args[++i];
  };
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.empty() || a[0] != '-') break;
    if (a == "--") {
      ++i;
      break;
    }
    std::optional<std::string> v;
    if (a == "--no-trace") {
      noTrace = true;
      continue;
    }
    if (a == "--step") {
      config.startPaused = true;
      continue;
    }
    if (a != "--trace" && a != "--export-chrome" && a != "--export-csv" && a != "--threadpool-size" &&
        a != "--timeout" && a != "--max-old-space-size" && a != "--control" && a != "--node-options" &&
        a != "--perturb") {
      if (startsAnotherProgram(a))
        return fail("run records FILE, so it does not take Node's '" + a + "'; for that, run " + "loopscope-engine " +
                    a.substr(0, a.find('=')) + " ... without 'run' (untraced)");
      if (a.rfind("--", 0) != 0)
        return fail("unknown option '" + a + "': Node's short options go inside --node-options, " +
                    "e.g. --node-options \"" + a + " VALUE\" (see loopscope-engine --help)");
      nodeOptions.push_back(a);  // Node's own long option, checked by Node before anything runs
      continue;
    }
    if (!(v = value())) return fail(a + " needs a value (see loopscope-engine --help)");
    if (a == "--trace")
      tracePath = *v;
    else if (a == "--export-chrome")
      chromeOut = *v;
    else if (a == "--export-csv")
      csvOut = *v;
    else if (a == "--threadpool-size") {
      auto n = parseLong(*v, 1, kMaxPoolSlots);
      if (!n)
        return fail("--threadpool-size must be a whole number from 1 to " + std::to_string(kMaxPoolSlots) + ", not '" +
                    *v + "'");
      config.threadpoolSize = int(*n);
    } else if (a == "--timeout") {
      char* end = nullptr;
      double s = std::strtod(v->c_str(), &end);
      if (end == v->c_str() || *end || !(s > 0) || s > 86400)
        return fail("--timeout must be a number of seconds above 0, not '" + *v + "'");
      config.timeoutSeconds = s;
    } else if (a == "--max-old-space-size") {
      auto n = parseLong(*v, 16, 1 << 20);
      if (!n) return fail("--max-old-space-size must be a number of megabytes (16 or more), not '" + *v + "'");
      config.nodeArgs.push_back("--max-old-space-size=" + std::to_string(*n));
    } else if (a == "--node-options") {
      std::string problem;
      auto words = splitNodeOptions(*v, problem);
      if (!words) return fail(problem);
      for (const std::string& word : *words)
        if (startsAnotherProgram(word))
          return fail("run records FILE, so --node-options cannot hold '" + word + "'; for that, run " +
                      "loopscope-engine " + word.substr(0, word.find('=')) + " ... without 'run' (untraced)");
      nodeOptions.insert(nodeOptions.end(), words->begin(), words->end());
    } else if (a == "--perturb") {
      auto seed = parseSeed(*v);
      if (!seed) return fail("--perturb needs a seed, a whole number from 0 to 18446744073709551615, not '" + *v + "'");
      config.perturbSeed = *seed;
    } else if (a == "--control") {
      auto n = parseLong(*v, 0, 1 << 20);
      if (!n) return fail("--control must be an open file descriptor number, not '" + *v + "'");
      config.controlFd = int(*n);
    }
  }
  if (i >= args.size()) return fail("run needs a file: loopscope-engine run [OPTIONS] FILE [ARGS...]");
  const std::string file = args[i];
  if (::access(file.c_str(), F_OK) != 0)
    return fail(
        "cannot run '" + file + "': no such file. Check the path (it is relative to " + "the current directory).", 1);
  if (::access(file.c_str(), R_OK) != 0) return fail("cannot run '" + file + "': " + std::strerror(errno) + ".", 1);
  if (noTrace && (!tracePath.empty() || !chromeOut.empty() || !csvOut.empty()))
    return fail("--no-trace cannot be combined with --trace or an export: nothing would be recorded");
  config.nodeArgs.insert(config.nodeArgs.end(), nodeOptions.begin(), nodeOptions.end());
  // "--" keeps a FILE that starts with '-' from being read as one of Node's options.
  if (!file.empty() && file[0] == '-') config.nodeArgs.push_back("--");
  config.nodeArgs.insert(config.nodeArgs.end(), args.begin() + long(i), args.end());

  int temporaryTraceFd = -1;
  if (!noTrace && tracePath.empty()) {
    // Exports are made from the native trace, so one is always written; this one is temporary
    // and has no name (the recorder and the exporters open it through /proc/self/fd/N), so it
    // cannot be raced and nothing is left behind, whatever ends the run.
    std::string problem;
    temporaryTraceFd = tempfiles::openUnnamed(tracePath, problem);
    if (temporaryTraceFd < 0) return fail("cannot make a temporary trace file: " + problem + ".");
  }
  config.tracePath = noTrace ? "" : tracePath;

  RunOutcome outcome = runNode(config);
  std::fflush(stdout);
  if (outcome.endedAtStartup) {
    if (temporaryTraceFd >= 0) ::close(temporaryTraceFd);
    if (outcome.exitCode == 0) return 0;  // e.g. --v8-options: Node answered and stopped
    return fail(explainRefusedNodeOptions(outcome.startupErrors));
  }

  if (outcome.timedOut)
    fail("stopped the program after " + std::to_string(int(config.timeoutSeconds + 0.5)) +
             " s (--timeout): it was still running. Everything recorded until then is kept.",
         0);
  // Only when the error ended the run: an 'exit' listener may still set exit code 0 (Node then
  // prints the error and exits 0), and a program that exits normally gets no engine line.
  if (!outcome.uncaughtError.empty() && outcome.exitCode != 0)
    std::fprintf(stderr, "loopscope-engine: the program stopped on an uncaught %s\n", outcome.uncaughtError.c_str());
  if (!chromeOut.empty() || !csvOut.empty()) {
    TraceFile recorded = readTraceFile(config.tracePath);
    if (!chromeOut.empty() && !writeExport(recorded.trace, chromeOut, true))
      outcome.exitCode = outcome.exitCode ? outcome.exitCode : 1;
    if (!csvOut.empty() && !writeExport(recorded.trace, csvOut, false))
      outcome.exitCode = outcome.exitCode ? outcome.exitCode : 1;
  }
  if (temporaryTraceFd >= 0) ::close(temporaryTraceFd);
  return outcome.exitCode;
}

}  // namespace

int main(int argc, char** argv) {
  if (int code = runSandboxedIfAsked(argc, argv); code >= 0) return code;
  std::vector<std::string> args(argv + 1, argv + argc);
  const char* execPath = argv[0];
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string& command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "--version") {
    std::printf("loopscope-engine %s\n", LOOPSCOPE_VERSION);
    return 0;
  }
  if (command == "run") return cmdRun(rest, execPath);
  if (command == "info") return cmdInfo(rest);
  if (command == "timeline") return cmdTimeline(rest);
  if (command == "export") return cmdExport(rest);
  if (command == "lessons") {
    if (rest.empty() || rest[0] != "check" || rest.size() > 2)
      return fail("usage: loopscope-engine lessons check [DIR]");
    // /proc/self/exe, not argv[0]: the checker re-runs this program from each lesson's folder.
    std::error_code ec;
    std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    return lessonsCheck(rest.size() == 2 ? rest[1] : loopscope::lessonsDir(), ec ? execPath : self);
  }
  // Anything else is a `node` command line (FILE, -e CODE, -p CODE, -, Node's options), handed
  // to Node's own parser and started through Node's own entry point. A child that runs
  // process.execPath with a node command line therefore gets exactly what `node` would do.
  RunConfig config;
  config.execPath = execPath;
  config.nodeArgs = args;
  RunOutcome outcome = runNode(config);
  for (const std::string& error : outcome.startupErrors) std::fprintf(stderr, "%s: %s\n", execPath, error.c_str());
  return outcome.exitCode;
}
