// The engine's temporary files (issue 11 §5): no predictable names in a shared directory, nothing
// followed through a planted symlink, nothing left behind after a run, a crash or a kill.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;
namespace fs = std::filesystem;

namespace {

struct Outcome {
  int exitCode = -1;
  std::string out, err;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs the engine with TMPDIR set to `tmpdir`. The child waits until `beforeExec(pid)` has run,
// so the test can plant files at names derived from the engine's pid before the engine starts.
Outcome runWithTmpdir(const std::string& tmpdir, const std::vector<std::string>& args,
                      const std::function<void(pid_t)>& beforeExec = {}) {
  fs::path io = scratchDir();  // outside tmpdir, which must hold only what the engine leaves
  fs::path outPath = io / "stdout", errPath = io / "stderr";
  int gate[2];
  if (pipe(gate) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    char go;
    close(gate[1]);
    if (read(gate[0], &go, 1) != 1) _exit(126);
    setenv("TMPDIR", tmpdir.c_str(), 1);
    int in = open("/dev/null", O_RDONLY);
    int out = open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<std::string> copy = args;
    std::string engine = LOOPSCOPE_ENGINE;
    std::vector<char*> argv{engine.data()};
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(engine.c_str(), argv.data());
    _exit(127);
  }
  close(gate[0]);
  if (beforeExec) beforeExec(pid);
  (void)!write(gate[1], "g", 1);
  close(gate[1]);
  Outcome outcome;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      outcome.err = "test: the engine did not finish within 60 s\n";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  outcome.out = slurp(outPath);
  outcome.err += slurp(errPath);
  return outcome;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  return names;
}

// A Worker (so the preloaded probe file is needed), a hot function (so V8 writes JIT reports),
// and a look at TMPDIR from inside the run.
constexpr const char kWorkerAndJit[] =
    "const fs = require('fs');\n"
    "const { Worker } = require('worker_threads');\n"
    "function hot(x) { return x * 3 + 1; }\n"
    "let sum = 0;\n"
    "for (let i = 0; i < 2e6; i++) sum += hot(i);\n"
    "new Worker(\"require('worker_threads').parentPort.postMessage('hello')\", { eval: true })\n"
    "  .on('message', (m) => {\n"
    "    console.log('worker said', m);\n"
    "    for (const name of fs.readdirSync(process.env.TMPDIR)) {\n"
    "      const mode = fs.lstatSync(`${process.env.TMPDIR}/${name}`).mode;\n"
    "      console.log(name.includes(String(process.pid)) ? 'pid in a name' : 'no pid in the name',\n"
    "                  (mode & 0o777).toString(8), (mode & fs.constants.S_IFMT) === fs.constants.S_IFDIR);\n"
    "    }\n"
    "  });\n";

}  // namespace

TEST(TempFiles, PlantedSymlinksAndFilesAtTheOldPredictableNamesAreNeitherFollowedNorReused) {
  std::string tmpdir = scratchDir();
  std::string elsewhere = scratchDir();
  std::string victim = elsewhere + "/victim.txt";
  std::ofstream(victim) << "precious\n";
  const std::string injected = "console.log('INJECTED');\n";
  std::string planted;
  auto file = writeSnippet("worker_jit.js", kWorkerAndJit);
  Outcome run = runWithTmpdir(tmpdir, {"run", "--trace", elsewhere + "/run.lstrace", file}, [&](pid_t pid) {
    std::string id = std::to_string(pid);
    fs::create_symlink(victim, tmpdir + "/loopscope-jit-" + id + ".log");
    planted = tmpdir + "/loopscope-worker-probe-" + id + ".js";
    std::ofstream(planted) << injected;  // another user's file, waiting to be run
  });
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out.find("INJECTED"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("worker said hello"), std::string::npos) << run.out << run.err;
  EXPECT_EQ(slurp(victim), "precious\n") << "nothing was written through the symlink";
  EXPECT_EQ(slurp(planted), injected) << "the planted file was not reused";
  EXPECT_EQ(entries(tmpdir).size(), 2u) << "only the two planted names remain";
}

TEST(TempFiles, TheRunsOwnFilesLiveInAPrivateDirectoryWithoutThePidInItsName) {
  std::string tmpdir = scratchDir();
  auto file = writeSnippet("worker_jit.js", kWorkerAndJit);
  Outcome run = runWithTmpdir(tmpdir, {"run", "--trace", scratchDir() + "/run.lstrace", file});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "worker said hello\nno pid in the name 700 true\n")
      << "one private directory (0700) while a Worker runs, and nothing else";
}

TEST(TempFiles, NoFilesAreLeftInTmpdirAfterATracedRunWithWorkersAndATemporaryTrace) {
  std::string tmpdir = scratchDir();
  std::string out = scratchDir();
  auto file = writeSnippet("worker_jit.js", kWorkerAndJit);
  // Without --trace, the trace behind the export is a temporary one.
  Outcome run = runWithTmpdir(tmpdir, {"run", "--export-chrome", out + "/run.json", file});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.out.find("worker said hello"), std::string::npos) << run.out;
  EXPECT_GT(fs::file_size(out + "/run.json"), 100u) << "the export was made from the temporary trace";
  EXPECT_EQ(entries(tmpdir), std::vector<std::string>{});
}

TEST(TempFiles, NoFilesAreLeftInTmpdirAfterProcessAbort) {
  std::string tmpdir = scratchDir();
  auto file = writeSnippet("abort.js",
                           "const { Worker } = require('worker_threads');\n"
                           "new Worker(\"require('worker_threads').parentPort.postMessage(1)\", { eval: true })\n"
                           "  .on('message', () => process.abort());\n");
  Outcome run = runWithTmpdir(tmpdir, {"run", "--export-csv", scratchDir() + "/run.csv", file});
  EXPECT_EQ(run.exitCode, 128 + SIGABRT);
  EXPECT_EQ(entries(tmpdir), std::vector<std::string>{});
}

TEST(TempFiles, TheNextRunRemovesWhatAKilledRunLeft) {
  std::string tmpdir = scratchDir();
  auto killed = writeSnippet("killed.js",
                             "const { Worker } = require('worker_threads');\n"
                             "new Worker(\"require('worker_threads').parentPort.postMessage(1)\", { eval: true })\n"
                             "  .on('message', () => process.kill(process.pid, 'SIGKILL'));\n");
  Outcome first = runWithTmpdir(tmpdir, {"run", "--trace", scratchDir() + "/run.lstrace", killed});
  EXPECT_EQ(first.exitCode, 128 + SIGKILL);
  std::vector<std::string> left = entries(tmpdir);
  ASSERT_EQ(left.size(), 1u) << "SIGKILL leaves the private directory; no handler can run";
  // A run starting now must not take a directory made a moment ago for a dead one (another run
  // may be about to lock it), so this one is made to look a minute old.
  fs::path leftover = fs::path(tmpdir) / left[0];
  timespec times[2];
  clock_gettime(CLOCK_REALTIME, &times[0]);
  times[0].tv_sec -= 60;
  times[1] = times[0];
  ASSERT_EQ(utimensat(AT_FDCWD, leftover.c_str(), times, 0), 0);

  auto plain = writeSnippet("plain.js", "console.log('next run');\n");
  Outcome next = runWithTmpdir(tmpdir, {"run", "--trace", scratchDir() + "/next.lstrace", plain});
  EXPECT_EQ(next.out, "next run\n") << next.err;
  EXPECT_EQ(entries(tmpdir), std::vector<std::string>{});
}

TEST(TempFiles, TheUnnamedJitReportOutlivesTheRunForAWorkerStillStartingAtExit) {
  // An unref'd Worker may still be compiling its bootstrap when the main thread has finished;
  // V8 then opens the JIT report through /proc/self/fd/N, which must still be there (Node's own
  // test-worker-ref-onexit.js aborted in one of three traced runs when it was closed early).
  auto file = writeSnippet("unref_worker.js",
                           "const { Worker } = require('worker_threads');\n"
                           "const w = new Worker('setInterval(() => {}, 100);', { eval: true });\n"
                           "w.unref();\n"
                           "w.on('exit', () => console.log('never: unref keeps exit from being waited for'));\n");
  for (int attempt = 0; attempt < 8; ++attempt) {
    EngineRun run = runTraced(file);
    ASSERT_EQ(run.exitCode, 0) << "attempt " << attempt << ":\n" << run.err;
    EXPECT_EQ(run.out, "");
  }
}
