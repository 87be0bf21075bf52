// loopscope-engine runs programs the way `node FILE` does.
#include <gtest/gtest.h>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

TEST(NodeCompat, CommonJsRequireFilenameAndArgvWork) {
  EngineRun run = runTraced(snippet("modules/main.js"), {}, {"one", "two"});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "hello loopscope\nmain.js\n[\"one\",\"two\"]\ntrue\n");
}

TEST(NodeCompat, BareFileArgumentBehavesLikeNode) {
  EngineRun run = runEngine({snippet("modules/main.js"), "x"});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "hello loopscope\nmain.js\n[\"x\"]\ntrue\n");
}

TEST(NodeCompat, EsmModuleWithTopLevelAwaitRuns) {
  EngineRun run = runTraced(snippet("modules/top_level_await.mjs"));
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "awaited 42 string\n");
}

TEST(NodeCompat, WorkerThreadsRun) {
  EngineRun run = runTraced(snippet("modules/worker.js"));
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "from worker 499500\nworker exit 0\n");
}

TEST(NodeCompat, ChildProcessForkReRunsTheEngineAsNode) {
  EngineRun run = runTraced(snippet("modules/fork.js"));
  EXPECT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out, "child answered 42\nchild exit 0\n");
}

TEST(NodeCompat, ExitCodeAndStderrPassThrough) {
  auto file = writeSnippet("code.js", "console.error('to stderr');\nprocess.exitCode = 3;\n");
  EngineRun run = runEngine({"run", "--no-trace", file});
  EXPECT_EQ(run.exitCode, 3);
  EXPECT_EQ(run.err, "to stderr\n");
}

// Traced runs differ from node only by what they record (issue 8 §3): the probe's patches must
// not change what a program can observe.

TEST(NodeCompat, ListenerProbeAcceptsOnCalledOnAPlainObjectTraced) {
  auto file = writeSnippet(
      "plain_on.js",
      "const EventEmitter = require('events');\n"
      "const plain = {};\n"
      "EventEmitter.prototype.on.call(plain, 'tick', () => {});\n"
      "EventEmitter.prototype.on.call(plain, 'tick', () => {});\n"
      "class Quiet extends EventEmitter {}\n"
      "Quiet.prototype.listenerCount = undefined;\n"
      "const quiet = new Quiet();\n"
      "quiet.on('a', () => {}); quiet.on('a', () => {});\n"
      "console.log(Object.keys(plain), Reflect.ownKeys(quiet).filter((k) => typeof k === 'symbol').length);\n");
  const std::string expected = "[ '_events', '_eventsCount' ] 1\n";
  EngineRun untraced = runEngine({file});
  EXPECT_EQ(untraced.out, expected) << untraced.err;
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.out, expected) << traced.err;
  EXPECT_EQ(traced.exitCode, 0);
  EXPECT_EQ(traced.err, "");
}

TEST(NodeCompat, WrappedMethodsKeepTheirNameAndLengthTraced) {
  auto file =
      writeSnippet("names.js",
                   "const EventEmitter = require('events');\n"
                   "const { Writable, Readable, Stream } = require('stream');\n"
                   "const { ChildProcess } = require('child_process');\n"
                   "const { MessagePort } = require('worker_threads');\n"
                   "const show = (f) => `${f.name}/${f.length}`;\n"
                   "console.log([EventEmitter.prototype.on, EventEmitter.prototype.addListener,\n"
                   "  EventEmitter.prototype.prependListener, Writable.prototype.write, Readable.prototype.push,\n"
                   "  Stream.prototype.emit, ChildProcess.prototype.spawn, ChildProcess.prototype.emit,\n"
                   "  MessagePort.prototype.postMessage, clearTimeout, clearInterval, clearImmediate,\n"
                   "  queueMicrotask, process.stdout.write].map(show).join(' '));\n"
                   "console.log(EventEmitter.prototype.on === EventEmitter.prototype.addListener);\n");
  EngineRun untraced = runEngine({file});
  ASSERT_EQ(untraced.exitCode, 0) << untraced.err;
  EXPECT_NE(untraced.out.find("prependListener/2"), std::string::npos) << untraced.out;
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.out, untraced.out);
}

TEST(NodeCompat, ProbeLeavesNoFrameInUserStacksTraced) {
  auto file = writeSnippet(
      "stacks.js",
      "const { spawn } = require('child_process');\n"
      "const { Writable } = require('stream');\n"
      "const frames = (e) => e.stack.split('\\n').slice(1, 4).map((l) => l.replace(/:\\d+:\\d+\\)$/, ')')).join('|');\n"
      "const sink = new Writable({ write(chunk, encoding, done) { console.log('write:', frames(new Error())); done(); "
      "} });\n"
      "sink.write('x');\n"
      "spawn(process.execPath, ['-e', '0']).on('exit', function onExit() {\n"
      "  console.log('exit:', frames(new Error()));\n"
      "});\n");
  EngineRun untraced = runEngine({file});
  ASSERT_EQ(untraced.exitCode, 0) << untraced.err;
  EXPECT_NE(untraced.out.find("at ChildProcess.emit (node:events)"), std::string::npos) << untraced.out;
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.out, untraced.out);
  EXPECT_EQ(traced.out.find("embedder_main"), std::string::npos) << traced.out;
}

TEST(NodeCompat, TracedWorkerSeesTheArgvAndExecArgvNodeGivesIt) {
  auto dir = scratchDir();
  auto file = writeSnippet("argv_main.js",
                           "const { Worker } = require('worker_threads');\n"
                           "const show = \"console.log(require('path').basename(process.argv[1] || '-'), "
                           "process.argv.slice(2), process.execArgv)\";\n"
                           "new Worker(show, { eval: true, argv: ['a', 'b'] }).on('exit', () => {\n"
                           "  new Worker(show, { eval: true, execArgv: ['--no-warnings'] });\n"
                           "});\n");
  EngineRun untraced = runEngine({file});
  ASSERT_EQ(untraced.exitCode, 0) << untraced.err;
  EXPECT_EQ(untraced.out, "[worker eval] [ 'a', 'b' ] []\n[worker eval] [] [ '--no-warnings' ]\n");
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.out, untraced.out) << traced.err;
}

TEST(NodeCompat, TracedWorkerKeepsTheInspectorsBreakOnStart) {
  auto file =
      writeSnippet("worker_brk.js",
                   "const { Session } = require('inspector');\n"
                   "const { Worker, isMainThread } = require('worker_threads');\n"
                   "if (!isMainThread) {\n"
                   "  console.log('worker ran', process.argv.length);\n"
                   "  return;\n"
                   "}\n"
                   "const session = new Session();\n"
                   "session.connect();\n"
                   "let messageId = 0;\n"
                   "session.on('NodeWorker.attachedToWorker', ({ params: { sessionId, waitingForDebugger } }) => {\n"
                   "  console.log('attached, waiting:', waitingForDebugger);\n"
                   "  const send = (method) => session.post('NodeWorker.sendMessageToWorker',\n"
                   "    { sessionId, message: JSON.stringify({ id: ++messageId, method }) });\n"
                   "  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {\n"
                   "    const message = JSON.parse(params.message);\n"
                   "    if (message.method !== 'Debugger.paused') return;\n"
                   "    const top = message.params.callFrames[0];\n"
                   "    console.log('paused on line', top.location.lineNumber, 'of', top.url.split('/').pop());\n"
                   "    send('Debugger.resume');\n"
                   "  });\n"
                   "  send('Debugger.enable');\n"
                   "  send('Runtime.runIfWaitingForDebugger');\n"
                   "});\n"
                   "session.post('NodeWorker.enable', { waitForDebuggerOnStart: true }, () => {\n"
                   "  new Worker(__filename).on('exit', () => session.disconnect());\n"
                   "});\n");
  const std::string expected = "attached, waiting: true\npaused on line 0 of \nworker ran 2\n";
  EngineRun untraced = runEngine({file});
  EXPECT_EQ(untraced.out, expected) << untraced.err;
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.out, expected) << traced.err;
  EXPECT_EQ(traced.exitCode, 0);
}

TEST(NodeCompat, UncaughtErrorPrintsNodesOwnStackTraced) {
  auto file = writeSnippet("top_throw.js",
                           "console.log(RegExp.lastMatch === '', process.argv.length);\n"
                           "function fails() { throw new Error('top'); }\n"
                           "fails();\n");
  EngineRun untraced = runEngine({file});
  ASSERT_EQ(untraced.exitCode, 1);
  EXPECT_NE(untraced.err.find("at node:internal/main/run_main_module:28:49\n"), std::string::npos) << untraced.err;
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.exitCode, 1);
  EXPECT_EQ(traced.out, untraced.out);
  // Node's report, byte for byte, then the engine's one line saying why the run ended.
  EXPECT_EQ(traced.err.substr(0, untraced.err.size()), untraced.err);
  EXPECT_EQ(
      traced.err.substr(untraced.err.size()).rfind("loopscope-engine: the program stopped on an uncaught Error", 0), 0u)
      << traced.err;
}

TEST(NodeCompat, TracedWorkerWithoutExecArgvInheritsProcessWideFlagsAsUnderNode) {
  // Node refuses V8 and process-wide flags in a Worker's execArgv but lets a Worker without
  // execArgv inherit them (from Node's own test-worker-no-sab.js).
  auto file =
      writeSnippet("inherit.js",
                   "const { Worker } = require('worker_threads');\n"
                   "new Worker(\"console.log('worker', typeof SharedArrayBuffer, process.execArgv)\", { eval: true })\n"
                   "  .on('exit', (code) => console.log('exit', code));\n");
  const std::string expected = "worker undefined [ '--no-harmony-sharedarraybuffer' ]\nexit 0\n";
  EngineRun untraced = runEngine({"--no-harmony-sharedarraybuffer", file});
  EXPECT_EQ(untraced.out, expected) << untraced.err;
  EngineRun traced = runTraced(file, {"--no-harmony-sharedarraybuffer"});
  EXPECT_EQ(traced.out, expected) << traced.err;
  EXPECT_EQ(traced.exitCode, 0);
}
