// The walls of `--sandbox` (issue 11 §6), each proved by a real snippet on the real engine that
// does the forbidden thing: it must work without the sandbox (so the test can tell) and fail
// inside it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "harness.h"

namespace loopscope::test {
namespace {
namespace fs = std::filesystem;

// Sets an environment variable for the engines a test starts, and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::optional<std::string>& value) : m_name(name) {
    if (const char* old = std::getenv(name)) m_old = old;
    if (value)
      setenv(name, value->c_str(), 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (m_old)
      setenv(m_name.c_str(), m_old->c_str(), 1);
    else
      unsetenv(m_name.c_str());
  }

 private:
  std::string m_name;
  std::optional<std::string> m_old;
};

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

constexpr const char kSecret[] = "PLANTED-SECRET-7f3a";

// Every test gets a fake $HOME with a planted key, and a folder of its own for the snippet.
class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_home = fs::path(scratchDir()) / "home";
    fs::create_directories(m_home / ".ssh");
    std::ofstream(m_home / ".ssh" / "id_ed25519") << kSecret << "\n";
    m_homeEnv.emplace("HOME", m_home.string());
    m_folder = scratchDir();
  }

  // Writes a file into the snippet's folder and returns its path.
  std::string write(const std::string& name, const std::string& source) {
    std::ofstream(m_folder / name) << source;
    return (m_folder / name).string();
  }

  EngineRun run(const std::string& file, bool sandboxed, std::vector<std::string> args = {}) {
    std::vector<std::string> command{"run"};
    if (sandboxed) command.push_back("--sandbox");
    command.push_back(file);
    command.insert(command.end(), args.begin(), args.end());
    return runEngine(command);
  }

  fs::path m_home;
  fs::path m_folder;
  std::optional<ScopedEnv> m_homeEnv;
};

TEST_F(SandboxTest, HomeWallHidesAPlantedSecretThatIsReadableOutside) {
  std::string file = write("steal.js", R"JS(
    const fs = require('fs');
    for (const path of [require('os').homedir() + '/.ssh/id_ed25519', process.argv[2]]) {
      try { console.log('read ' + fs.readFileSync(path, 'utf8').trim()); }
      catch (e) { console.log('refused ' + e.code); }
    }
  )JS");
  const std::string secretPath = (m_home / ".ssh" / "id_ed25519").string();
  EngineRun outside = run(file, false, {secretPath});
  ASSERT_EQ(outside.exitCode, 0) << outside.err;
  EXPECT_EQ(outside.out, std::string("read ") + kSecret + "\nread " + kSecret + "\n");

  EngineRun inside = run(file, true, {secretPath});
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  EXPECT_EQ(inside.out, "refused ENOENT\nrefused ENOENT\n");
  EXPECT_EQ(inside.out.find(kSecret), std::string::npos);
}

TEST_F(SandboxTest, WriteWallKeepsFilesOutsideTheFolderUnwritten) {
  std::string file = write("scribble.js", R"JS(
    const fs = require('fs');
    for (const path of process.argv.slice(2)) {
      try { fs.writeFileSync(path, 'written by the snippet\n'); console.log('wrote'); }
      catch (e) { console.log('refused ' + e.code); }
    }
  )JS");
  const fs::path intoHome = m_home / ".bashrc";
  const fs::path intoTmp = fs::path(scratchDir()) / "dropped.txt";
  EngineRun outside = run(file, false, {intoHome.string(), intoTmp.string()});
  ASSERT_EQ(outside.exitCode, 0) << outside.err;
  EXPECT_EQ(outside.out, "wrote\nwrote\n");
  EXPECT_TRUE(fs::exists(intoHome));
  EXPECT_TRUE(fs::exists(intoTmp));
  fs::remove(intoHome);
  fs::remove(intoTmp);

  EngineRun inside = run(file, true, {intoHome.string(), intoTmp.string()});
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  // $HOME is an empty throw-away folder inside, so the first write may "succeed" there; what
  // matters is that nothing reaches the real files.
  EXPECT_FALSE(fs::exists(intoHome)) << inside.out;
  EXPECT_FALSE(fs::exists(intoTmp)) << inside.out;
  EXPECT_NE(inside.out.find("refused"), std::string::npos) << inside.out;
}

TEST_F(SandboxTest, FolderWallGivesAScratchCopyWhereRelativeReadsWorkAndWritesStayInside) {
  write("data.txt", "from the folder\n");
  std::string file = write("local.js", R"JS(
    const fs = require('fs');
    console.log(process.cwd() === __dirname ? 'runs from its folder' : 'runs from ' + process.cwd());
    console.log(fs.readFileSync('data.txt', 'utf8').trim());
    fs.writeFileSync('result.txt', 'made inside\n');
    fs.writeFileSync('data.txt', 'changed inside\n');
    console.log(fs.readFileSync('result.txt', 'utf8').trim());
  )JS");
  EngineRun inside = run(file, true);
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  EXPECT_EQ(inside.out, "runs from its folder\nfrom the folder\nmade inside\n");
  EXPECT_FALSE(fs::exists(m_folder / "result.txt"));
  EXPECT_EQ(readFile(m_folder / "data.txt"), "from the folder\n");
}

TEST_F(SandboxTest, NetworkWallStopsConnectionsToAServerOnTheHostLoopback) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 8), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string port = std::to_string(ntohs(address.sin_port));

  std::string file = write("phone-home.js", R"JS(
    const socket = require('net').connect(Number(process.argv[2]), '127.0.0.1');
    socket.on('connect', () => { console.log('connected'); socket.destroy(); });
    socket.on('error', (e) => console.log('refused ' + e.code));
  )JS");
  EngineRun outside = run(file, false, {port});
  EngineRun inside = run(file, true, {port});
  close(listener);
  ASSERT_EQ(outside.exitCode, 0) << outside.err;
  EXPECT_EQ(outside.out, "connected\n");
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  EXPECT_EQ(inside.out, "refused ECONNREFUSED\n");
}

TEST_F(SandboxTest, NetworkWallLeavesNoRouteOutsideTheMachine) {
  std::string file = write("route.js", R"JS(
    const socket = require('net').connect(53, '192.0.2.1');  // TEST-NET-1: never reached
    socket.setTimeout(3000, () => { console.log('no answer'); socket.destroy(); });
    socket.on('error', (e) => console.log('refused ' + e.code));
  )JS");
  EngineRun inside = run(file, true);
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  EXPECT_EQ(inside.out, "refused ENETUNREACH\n");
}

TEST_F(SandboxTest, PrivateLoopbackLetsAServerAndAClientInTheSnippetTalk) {
  std::string file = write("echo.js", R"JS(
    const net = require('net');
    const server = net.createServer((c) => c.pipe(c)).listen(0, '127.0.0.1', () => {
      const client = net.connect(server.address().port, '127.0.0.1', () => client.end('ping'));
      client.on('data', (d) => { console.log('echoed ' + d); server.close(); });
    });
  )JS");
  EngineRun inside = run(file, true);
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  EXPECT_EQ(inside.out, "echoed ping\n");
}

TEST_F(SandboxTest, TraceWrittenInsideReachesTheGivenPathCompleteAndReadable) {
  std::string file = write("traced.js", R"JS(
    setTimeout(function onTimer() {
      console.log('timer');
      setImmediate(function onImmediate() { console.log('immediate'); });
    }, 1);
  )JS");
  const fs::path chrome = fs::path(scratchDir()) / "run.json";
  EngineRun inside = runTraced(file, {"--sandbox", "--export-chrome", chrome.string()});
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  ASSERT_EQ(inside.trace.status, ReadStatus::Ok) << inside.trace.problem;
  EXPECT_EQ(consoleLines(inside.trace.trace), (std::vector<std::string>{"timer", "immediate"}));
  bool sawTimer = false, sawImmediate = false;
  for (const CallbackRun& callback : callbackRuns(inside.trace.trace)) {
    sawTimer |= callback.name == "onTimer" && callback.phase == "timers";
    sawImmediate |= callback.name == "onImmediate" && callback.phase == "check";
  }
  EXPECT_TRUE(sawTimer);
  EXPECT_TRUE(sawImmediate);
  // The recorded file name is the snippet's own path: the copy sits where the original does.
  EXPECT_NE(runEngine({"info", inside.tracePath}).out.find("file: " + file), std::string::npos);
  std::string json = readFile(chrome);
  EXPECT_NE(json.find("onTimer"), std::string::npos) << json.substr(0, 200);
}

TEST_F(SandboxTest, TraceThroughAnInheritedPipeDescriptorReachesTheParent) {
  std::string file = write("piped.js", "console.log('through the pipe');\n");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const fs::path received = fs::path(scratchDir()) / "received.lstrace";
  // The harness's child inherits the write end, as the app's engine process does.
  EngineRun inside = runEngine({"run", "--sandbox", "--trace", "/dev/fd/" + std::to_string(fds[1]), file});
  close(fds[1]);
  std::string bytes;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) bytes.append(buffer, size_t(n));
  close(fds[0]);
  std::ofstream(received, std::ios::binary) << bytes;
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  TraceFile trace = readTraceFile(received);
  ASSERT_EQ(trace.status, ReadStatus::Ok) << trace.problem;
  EXPECT_EQ(consoleLines(trace.trace), std::vector<std::string>{"through the pipe"});
}

TEST_F(SandboxTest, ControlDescriptorFromTheCallerReachesTheEngineInside) {
  // The app's command line: trace pipe, control channel, options, "--", FILE. A "stop" waiting in
  // the control pipe ends an endless program at once (exit 130); had the descriptor not arrived,
  // --timeout would end it (exit 124).
  std::string file = write("endless.js", "setInterval(() => {}, 100);\n");
  int control[2];
  ASSERT_EQ(pipe(control), 0);
  ASSERT_EQ(::write(control[1], "stop\n", 5), 5);
  close(control[1]);
  const std::string tracePath = scratchDir() + "/run.lstrace";
  EngineRun inside = runEngine({"run", "--sandbox", "--trace", tracePath, "--control", std::to_string(control[0]),
                                "--threadpool-size", "2", "--timeout", "20", "--", file});
  close(control[0]);
  EXPECT_EQ(inside.exitCode, 130) << inside.err;
  TraceFile trace = readTraceFile(tracePath);
  ASSERT_EQ(trace.status, ReadStatus::Ok) << trace.problem;
  EXPECT_NE(runEngine({"info", tracePath}).out.find("end reason: stopped"), std::string::npos);
}

TEST_F(SandboxTest, DescriptorLeakedByTheCallerDoesNotReachTheProgram) {
  // An open file the caller forgot to mark close-on-exec would otherwise be read through
  // /dev/fd/N, whatever the mounts hide.
  // A high number, so no descriptor the engine opens itself takes the same one inside.
  int opened = open((m_home / ".ssh" / "id_ed25519").c_str(), O_RDONLY);
  ASSERT_GE(opened, 0);
  int leaked = dup2(opened, 200);
  close(opened);
  ASSERT_EQ(leaked, 200);
  std::string file = write("leak.js", R"JS(
    try { console.log('read ' + require('fs').readFileSync('/dev/fd/' + process.argv[2], 'utf8').trim()); }
    catch (e) { console.log('refused ' + e.code); }
  )JS");
  EngineRun outside = run(file, false, {std::to_string(leaked)});
  EngineRun inside = run(file, true, {std::to_string(leaked)});
  close(leaked);
  EXPECT_EQ(outside.out, std::string("read ") + kSecret + "\n");
  EXPECT_EQ(inside.out, "refused ENOENT\n");
}

TEST_F(SandboxTest, StdoutStderrAndExitCodeComeThrough) {
  std::string file = write("speaks.js", R"JS(
    console.log('to stdout');
    console.error('to stderr');
    process.exitCode = 7;
  )JS");
  EngineRun traced = run(file, true);
  EXPECT_EQ(traced.exitCode, 7);
  EXPECT_EQ(traced.out, "to stdout\n");
  EXPECT_NE(traced.err.find("to stderr"), std::string::npos) << traced.err;
  EngineRun plain = runEngine({"--sandbox", file});
  EXPECT_EQ(plain.exitCode, 7);
  EXPECT_EQ(plain.out, "to stdout\n");
  EXPECT_NE(plain.err.find("to stderr"), std::string::npos) << plain.err;
}

TEST_F(SandboxTest, StdinReachesTheProgram) {
  std::string file = write("reads.js", "process.stdin.on('data', (d) => process.stdout.write('got ' + d));\n");
  EngineRun inside = runEngine({"--sandbox", file}, 60, "hello\n");
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  EXPECT_EQ(inside.out, "got hello\n");
}

TEST_F(SandboxTest, CrashInsideIsPassedOnAsTheSameSignal) {
  std::string file = write("aborts.js", "process.abort();\n");
  EngineRun inside = run(file, true);
  EXPECT_EQ(inside.exitCode, 128 + SIGABRT) << inside.err;
}

TEST_F(SandboxTest, ForkedChildStaysInsideTheSameWalls) {
  write("child.js", R"JS(
    let text;
    try { text = 'read ' + require('fs').readFileSync(process.argv[2], 'utf8').trim(); }
    catch (e) { text = 'refused ' + e.code; }
    process.send(text, () => process.exit(0));
  )JS");
  std::string file = write("parent.js", R"JS(
    const child = require('child_process').fork(require('path').join(__dirname, 'child.js'), [process.argv[2]]);
    child.on('message', (m) => console.log('child: ' + m));
  )JS");
  const std::string secretPath = (m_home / ".ssh" / "id_ed25519").string();
  EngineRun outside = run(file, false, {secretPath});
  ASSERT_EQ(outside.exitCode, 0) << outside.err;
  EXPECT_EQ(outside.out, std::string("child: read ") + kSecret + "\n");
  EngineRun inside = run(file, true, {secretPath});
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  EXPECT_EQ(inside.out, "child: refused ENOENT\n");
}

TEST_F(SandboxTest, EnvironmentSecretsDoNotReachTheProgram) {
  ScopedEnv secret("API_TOKEN", std::string("tok-123"));
  std::string file = write("env.js", "console.log(String(process.env.API_TOKEN));\n");
  EXPECT_EQ(run(file, false).out, "tok-123\n");
  EXPECT_EQ(run(file, true).out, "undefined\n");
}

TEST_F(SandboxTest, ProcessWallHidesTheHostsProcesses) {
  std::string file = write("ps.js", R"JS(
    const fs = require('fs');
    console.log(fs.existsSync('/proc/' + process.argv[2]) ? 'sees the test' : 'does not see the test');
  )JS");
  const std::string testPid = std::to_string(getpid());
  EXPECT_EQ(run(file, false, {testPid}).out, "sees the test\n");
  EXPECT_EQ(run(file, true, {testPid}).out, "does not see the test\n");
}

TEST_F(SandboxTest, ResourceLimitsAreLoweredInside) {
  std::string file = write("limits.js", R"JS(
    const limits = require('fs').readFileSync('/proc/self/limits', 'utf8').split('\n');
    for (const name of ['Max processes', 'Max cpu time', 'Max file size', 'Max core file size'])
      console.log(limits.find((l) => l.startsWith(name)).replace(/\s+/g, ' ').trim());
  )JS");
  EngineRun inside = run(file, true);
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  EXPECT_EQ(inside.out,
            "Max processes 512 512 processes\n"
            "Max cpu time 600 600 seconds\n"
            "Max file size 1073741824 1073741824 bytes\n"
            "Max core file size 0 0 bytes\n");
}

TEST_F(SandboxTest, NoNewNamespacesCanBeMadeInside) {
  // unshare(1) needs a user namespace of its own: the classic way to regain root-like powers.
  std::string file = write("unshare.js", R"JS(
    const r = require('child_process').spawnSync('unshare', ['-Ur', 'true']);
    console.log(r.status === 0 ? 'made a namespace' : 'refused');
  )JS");
  EXPECT_EQ(run(file, false).out, "made a namespace\n");
  EXPECT_EQ(run(file, true).out, "refused\n");
}

TEST_F(SandboxTest, SeccompFilterGuardsTheProgramInside) {
  std::string file = write("seccomp.js", R"JS(
    const line = require('fs').readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('Seccomp:'));
    console.log(line.replace(/\s+/g, ' '));
  )JS");
  EXPECT_EQ(run(file, false).out, "Seccomp: 0\n");
  EXPECT_EQ(run(file, true).out, "Seccomp: 2\n");  // 2: a filter is installed
}

TEST_F(SandboxTest, LearnersFileNamedInSandboxReadIsReadableButNotWritableInside) {
  // The exercise check: the lesson's check.js runs from the lesson folder and loads the learner's
  // copy, which lives elsewhere (here: in the fake home).
  fs::create_directories(m_home / "exercises");
  const fs::path learner = m_home / "exercises" / "mine.js";
  std::ofstream(learner) << "module.exports = 42;\n";
  std::string check = write("check.js", R"JS(
    const fs = require('fs');
    try { console.log('loaded ' + require(require('path').resolve(process.argv[2]))); }
    catch (e) { console.log('not loaded ' + e.code); }
    try { fs.appendFileSync(process.argv[2], '// tampered\n'); console.log('changed it'); }
    catch (e) { console.log('unchanged ' + e.code); }
  )JS");
  EngineRun hidden = runEngine({"--sandbox", check, learner.string()});
  EXPECT_EQ(hidden.out, "not loaded MODULE_NOT_FOUND\nunchanged ENOENT\n") << hidden.err;
  ScopedEnv read("LOOPSCOPE_SANDBOX_READ", learner.string());
  EngineRun shown = runEngine({"--sandbox", check, learner.string()});
  EXPECT_EQ(shown.out, "loaded 42\nunchanged EROFS\n") << shown.err;
  EXPECT_EQ(readFile(learner), "module.exports = 42;\n");
}

TEST_F(SandboxTest, SandboxReadNamingTheHomeFolderIsRefused) {
  ScopedEnv read("LOOPSCOPE_SANDBOX_READ", m_home.string());
  EngineRun run = runEngine({"--sandbox", write("a.js", "console.log('ran');\n")});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("holds your home folder"), std::string::npos) << run.err;
}

TEST_F(SandboxTest, ForcedByEnvironmentPlainRunsAreSandboxed) {
  ScopedEnv force("LOOPSCOPE_SANDBOX", std::string("1"));
  std::string file = write("steal.js", R"JS(
    try { require('fs').readFileSync(require('os').homedir() + '/.ssh/id_ed25519'); console.log('read'); }
    catch (e) { console.log('refused ' + e.code); }
  )JS");
  EngineRun run = runEngine({"run", file});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "refused ENOENT\n");
}

TEST_F(SandboxTest, BadForceValueIsReportedWithASentence) {
  ScopedEnv force("LOOPSCOPE_SANDBOX", std::string("yes"));
  EngineRun run = runEngine({"run", write("a.js", "console.log('ran');\n")});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("LOOPSCOPE_SANDBOX must be 1"), std::string::npos) << run.err;
}

TEST_F(SandboxTest, MissingBubblewrapIsReportedAndNothingRuns) {
  ScopedEnv bwrap("LOOPSCOPE_BWRAP", (m_folder / "no-such-bwrap").string());
  const fs::path marker = m_folder / "ran.txt";
  std::string file = write("marks.js", "require('fs').writeFileSync(process.argv[2], 'ran');\n");
  EngineRun run = this->run(file, true, {marker.string()});
  EXPECT_EQ(run.exitCode, 125);
  EXPECT_NE(run.err.find("not a program that can be run"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(marker));
}

TEST_F(SandboxTest, FailingBubblewrapIsReportedAndNothingRuns) {
  ScopedEnv bwrap("LOOPSCOPE_BWRAP", std::string("/bin/false"));
  const fs::path marker = m_folder / "ran.txt";
  std::string file = write("marks.js", "require('fs').writeFileSync(process.argv[2], 'ran');\n");
  EngineRun run = this->run(file, true, {marker.string()});
  EXPECT_EQ(run.exitCode, 125);
  EXPECT_NE(run.err.find("could not set up the sandbox"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(marker));
}

TEST_F(SandboxTest, FolderHoldingHomeIsRefusedRatherThanCopiedIn) {
  // The snippet sits beside the fake home, so its folder holds the home folder.
  const fs::path file = m_home.parent_path() / "beside-home.js";
  std::ofstream(file) << "console.log('ran');\n";
  EngineRun run = runEngine({"run", "--sandbox", file.string()});
  EXPECT_EQ(run.exitCode, 125);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("holds your home folder"), std::string::npos) << run.err;
}

TEST_F(SandboxTest, SymbolicLinkInTheFolderIsCopiedNotFollowed) {
  fs::create_symlink(m_home / ".ssh" / "id_ed25519", m_folder / "key");
  std::string file = write("link.js", R"JS(
    try { console.log('read ' + require('fs').readFileSync(__dirname + '/key', 'utf8').trim()); }
    catch (e) { console.log('refused ' + e.code); }
  )JS");
  EXPECT_EQ(run(file, false).out, std::string("read ") + kSecret + "\n");
  EXPECT_EQ(run(file, true).out, "refused ENOENT\n");
}

TEST_F(SandboxTest, FolderTooBigToCopyIsRefusedWithASentence) {
  for (int i = 0; i < 5001; ++i) std::ofstream(m_folder / ("f" + std::to_string(i)));
  EngineRun run = this->run(write("big.js", "console.log('ran');\n"), true);
  EXPECT_EQ(run.exitCode, 125);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("too big to copy into the sandbox"), std::string::npos) << run.err;
}

TEST_F(SandboxTest, SandboxedProgramAskingForASandboxAgainRunsInsideTheSameOne) {
  write("inner.js", R"JS(
    try { require('fs').readFileSync(process.argv[2]); console.log('inner read'); }
    catch (e) { console.log('inner refused ' + e.code); }
  )JS");
  std::string file = write("outer.js", R"JS(
    const r = require('child_process').spawnSync(process.execPath,
        ['--sandbox', require('path').join(__dirname, 'inner.js'), process.argv[2]], { encoding: 'utf8' });
    process.stdout.write(r.stdout + r.stderr + 'status ' + r.status + '\n');
  )JS");
  EngineRun inside = run(file, true, {(m_home / ".ssh" / "id_ed25519").string()});
  ASSERT_EQ(inside.exitCode, 0) << inside.err;
  EXPECT_EQ(inside.out, "inner refused ENOENT\nstatus 0\n");
}

TEST_F(SandboxTest, SandboxOnACommandThatRunsNothingIsRefusedWithASentence) {
  EngineRun run = runEngine({"--sandbox", "info", "whatever.lstrace"});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("--sandbox applies to running a program"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace loopscope::test
