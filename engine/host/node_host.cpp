// Embeds libnode following Node's embedding guide: InitializeOncePerProcess, a platform,
// CommonEnvironmentSetup, LoadEnvironment, SpinEventLoop, then the teardown in reverse order
// (a wrong order ends in SIGTRAP at exit).
#include "node_host.h"

#include <node.h>
#include <node_version.h>
#include <signal.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "control.h"
#include "jit_probe.h"
#include "js_probes.h"
#include "perturb.h"
#include "probe_js.h"
#include "probes.h"
#include "temp_files.h"
#include "trace/recorder.h"

namespace loopscope {
namespace rec = recorder;
namespace {

// A traced run starts the user's FILE the way Node's own lib/internal/main/run_main_module.js
// does (argv[1] made absolute, RegExp's legacy statics reset, Module.runMain: CommonJS for
// .js/.cjs, ESM with top-level await for .mjs or "type": "module"), as the first callback
// (asyncId 1, as async_hooks numbers it). It is compiled under that file's name with the
// runMain call on that file's line 28, column 49, so the bottom frame of every stack the
// program prints reads exactly as under node ("at node:internal/main/run_main_module:28:49").
constexpr int kRunMainLine = 28;
constexpr const char kRunMainFirstLine[] =
    "'use strict'; ls.before(1); try { let mainEntry = process.argv[1]; "
    "if (mainEntry && !mainEntry.startsWith('-')) { mainEntry = require('path').resolve(mainEntry); "
    "process.argv[1] = mainEntry; } /^/.exec('');";
constexpr const char kRunMainCall[] = "  require('internal/modules/cjs/loader').Module.runMain(mainEntry);";
constexpr const char kRunMainLastLine[] = "} finally { ls.mainScriptEnds(); ls.after(1); }";

std::string tracedMainSource() {
  std::string src = kRunMainFirstLine;
  for (int line = 1; line < kRunMainLine; ++line) src += '\n';
  src += kRunMainCall;
  src += '\n';
  src += kRunMainLastLine;
  return src;
}

// Compiles `body` as a function of (ls, require, process) whose script is named `resourceName`.
v8::MaybeLocal<v8::Function> compileStartFunction(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                                  const char* resourceName, const std::string& body) {
  v8::Local<v8::String> name, text;
  if (!v8::String::NewFromUtf8(isolate, resourceName).ToLocal(&name) ||
      !v8::String::NewFromUtf8(isolate, body.data(), v8::NewStringType::kNormal, int(body.size())).ToLocal(&text))
    return {};
  v8::ScriptOrigin origin(isolate, name);
  v8::ScriptCompiler::Source source(text, origin);
  v8::Local<v8::String> params[] = {v8::String::NewFromUtf8Literal(isolate, "ls"),
                                    v8::String::NewFromUtf8Literal(isolate, "require"),
                                    v8::String::NewFromUtf8Literal(isolate, "process")};
  return v8::ScriptCompiler::CompileFunction(context, &source, 3, params);
}

// Node's StartExecution has run internal/main/environment (prepareMainThreadExecution: process
// patched, preloads, bootstrap complete); this installs the probe, then starts the FILE.
v8::MaybeLocal<v8::Value> startTraced(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                      v8::Local<v8::Object> binding, const node::StartExecutionCallbackInfo& info) {
  v8::Local<v8::Value> args[] = {binding, info.native_require, info.process_object};
  v8::Local<v8::Function> probe, main;
  std::string probeSource = std::string(k_probe_js) + "\ninstallProbes(ls, require, process);\n";
  if (!compileStartFunction(isolate, context, "node:loopscope/probe", probeSource).ToLocal(&probe) ||
      probe->Call(context, v8::Undefined(isolate), 3, args).IsEmpty())
    return {};
  if (!compileStartFunction(isolate, context, "node:internal/main/run_main_module", tracedMainSource()).ToLocal(&main))
    return {};
  return main->Call(context, v8::Undefined(isolate), 3, args);
}

void recordMeta(const char* key, const std::string& value) {
  rec::record(EventKind::Meta, kMainThread, rec::intern(key), rec::intern(value));
}

// Fatal signals: put everything recorded so far into the file, remove the private temporary
// files, then die as before.
void onFatalSignal(int sig) {
  if (rec::ringReadyOnThisThread())
    rec::record(EventKind::RunEnd, kMainThread, 128 + sig, int64_t(EndReason::Crashed), sig);
  rec::flushForCrash();
  tempfiles::removePrivateDirectoryForCrash();
  signal(sig, SIG_DFL);
  raise(sig);
}

void installCrashHandlers() {
  // SIGSEGV is left alone: V8's WebAssembly trap handler owns it.
  for (int sig : {SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTERM, SIGINT, SIGHUP}) {
    struct sigaction sa {};
    sa.sa_handler = onFatalSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(sig, &sa, nullptr);
  }
}

}  // namespace

RunOutcome runNode(const RunConfig& config) {
  RunOutcome outcome;
  bool tracing = !config.tracePath.empty();
  if (config.perturbSeed) perturb::enable(*config.perturbSeed);  // before any thread starts
  if (config.threadpoolSize > 0)                                 // libuv reads it once, when the pool first starts
    setenv("UV_THREADPOOL_SIZE", std::to_string(config.threadpoolSize).c_str(), 1);

  std::vector<std::string> args{config.execPath};
  args.insert(args.end(), config.nodeArgs.begin(), config.nodeArgs.end());
  std::unique_ptr<node::InitializationResult> init =
      node::InitializeOncePerProcess(args, {node::ProcessInitializationFlags::kNoInitializeV8,
                                            node::ProcessInitializationFlags::kNoInitializeNodeV8Platform});
  if (init->early_return()) {
    outcome.exitCode = init->exit_code();
    outcome.endedAtStartup = true;
    outcome.startupErrors = init->errors();
    return outcome;
  }
  // Warnings that do not stop Node are printed as `node` prints them: "ARGV0: sentence".
  for (const std::string& error : init->errors())
    std::fprintf(stderr, "%s: %s\n", init->args().empty() ? "node" : init->args()[0].c_str(), error.c_str());
  if (tracing) {
    if (std::string why = rec::start(config.tracePath); !why.empty()) {
      std::fprintf(stderr, "loopscope-engine: %s\n", why.c_str());
      outcome.exitCode = 2;
      return outcome;
    }
    rec::startBusyThread();
    installCrashHandlers();
    tempfiles::removeLeftoversOfKilledRuns();
  }

  bool jitTraced = false;
  if (tracing) {
    // Set here rather than on the command line, so they stay out of process.execArgv (which
    // fork() would pass on to children).
    // Natives syntax lets probe.js ask V8 whether two objects share a hidden class.
    std::string jitFlags = "--allow-natives-syntax " + jitprobe::start();
    v8::V8::SetFlagsFromString(jitFlags.c_str(), jitFlags.size());
    jitTraced = jitFlags.find("--trace-opt") != std::string::npos;
  }

  std::unique_ptr<node::MultiIsolatePlatform> platform = node::MultiIsolatePlatform::Create(4);
  v8::V8::InitializePlatform(platform.get());
  v8::V8::Initialize();

  std::vector<std::string> errors;
  std::unique_ptr<node::CommonEnvironmentSetup> setup =
      node::CommonEnvironmentSetup::Create(platform.get(), &errors, init->args(), init->exec_args());
  if (!setup) {
    for (const std::string& error : errors) std::fprintf(stderr, "loopscope-engine: %s\n", error.c_str());
    outcome.exitCode = 1;
  } else {
    v8::Isolate* isolate = setup->isolate();
    node::Environment* env = setup->env();
    bool exitCalled = false;
    {
      v8::Locker locker(isolate);
      v8::Isolate::Scope isolateScope(isolate);
      v8::HandleScope handleScope(isolate);
      v8::Context::Scope contextScope(setup->context());

      node::SetProcessExitHandler(env, [&](node::Environment* e, int code) {
        exitCalled = true;
        outcome.exitCode = code;
        node::Stop(e);
      });
      if (config.perturbSeed) perturb::watchLoop(setup->event_loop());
      if (tracing) {
        probes::setMainLoop(setup->event_loop());
        probes::traceWorkerLoops();
        const std::string file = init->args().size() > 1 ? init->args()[1] : "";
        recordMeta("loopscope.version", LOOPSCOPE_VERSION);
        recordMeta("node.version", NODE_VERSION_STRING);
        recordMeta("v8.version", v8::V8::GetVersion());
        recordMeta("uv.version", uv_version_string());
        std::string argv;
        for (size_t i = 1; i < init->args().size(); ++i) argv += (i > 1 ? " " : "") + init->args()[i];
        recordMeta("argv", argv);
        // A perturbed recording says so: its timing was varied on purpose (perturb.h).
        if (config.perturbSeed) recordMeta("perturbation seed", std::to_string(*config.perturbSeed));
        const char* poolEnv = std::getenv("UV_THREADPOOL_SIZE");
        // As libuv 1.44 reads it (threadpool.c): 0 means 1, and the unsigned count of a negative
        // or huge value is capped at 1024. The trace has room for 127 slots (a thread id above
        // that is not a pool slot), so a bigger pool is recorded as 127: readers refuse more.
        long poolSize = poolEnv ? std::atol(poolEnv) : 4;
        if (poolSize == 0) poolSize = 1;
        if (poolSize < 0 || poolSize > 1024) poolSize = 1024;
        poolSize = std::min<long>(poolSize, kMaxPoolSlots);
        auto wallMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        rec::record(EventKind::RunStart, kMainThread, poolSize, getpid(), rec::intern(file), wallMs);
        jsprobes::installV8Callbacks(isolate);
        jsprobes::recordHeapAtStart(isolate);
        // The limit an out-of-memory run hit, exactly (the app's sentence names it).
        v8::HeapStatistics heap;
        isolate->GetHeapStatistics(&heap);
        recordMeta("v8.heap_size_limit", std::to_string(heap.heap_size_limit()));
        jsprobes::registerForWorkers(env);
      }
      control::Options controlOptions{config.controlFd, config.startPaused, config.timeoutSeconds,
                                      [env] { node::Stop(env); }, nullptr};
      if (tracing) {
        // Runs on the JS thread at its next interrupt check; Node wakes an idle loop for it.
        controlOptions.takeHeapSnapshot = [env, isolate](const std::string& label) {
          auto* request = new std::pair<v8::Isolate*, std::string>(isolate, label);
          node::RequestInterrupt(
              env,
              [](void* data) {
                std::unique_ptr<std::pair<v8::Isolate*, std::string>> req(
                    static_cast<std::pair<v8::Isolate*, std::string>*>(data));
                jsprobes::takeHeapSnapshot(req->first, req->second);
              },
              request);
        };
      }
      control::start(controlOptions);

      // Like Node's own main (NodeMainInstance::Run), the loop runs whatever the main script did:
      // a top-level throw that an 'uncaughtException' listener handled leaves LoadEnvironment
      // empty-handed, yet the program goes on (its timers fire, 'exit' is emitted). An unhandled
      // one has already ended the run through the exit handler.
      if (tracing) {
        v8::Local<v8::Context> context = setup->context();
        v8::Local<v8::Object> binding = jsprobes::makeBinding(isolate, context);
        node::LoadEnvironment(env, [&](const node::StartExecutionCallbackInfo& info) {
          return startTraced(isolate, context, binding, info);
        });
      } else {
        node::LoadEnvironment(env, node::StartExecutionCallback{});  // Node's own choice of main
      }
      if (!exitCalled) {
        v8::Maybe<int> code = node::SpinEventLoop(env);
        if (code.IsJust() && !exitCalled) outcome.exitCode = code.FromJust();
      }
      outcome.timedOut = control::timedOut();
      outcome.stopped = control::stoppedByCommand();
      if (outcome.timedOut || outcome.stopped) outcome.exitCode = outcome.timedOut ? 124 : 130;

      if (tracing) {
        EndReason reason = outcome.timedOut  ? EndReason::Timeout
                           : outcome.stopped ? EndReason::Stopped
                           : exitCalled      ? EndReason::ProcessExit
                                             : EndReason::Finished;
        if (jitTraced) jitprobe::stop();
        rec::record(EventKind::RunEnd, kMainThread, outcome.exitCode, int64_t(reason), 0);
        rec::stop();
        jsprobes::removeV8Callbacks(isolate);
        outcome.uncaughtError = jsprobes::firstUncaughtError();
      }
      node::Stop(env);
    }
  }
  control::finish();
  setup.reset();
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
  node::TearDownOncePerProcess();
  tempfiles::removePrivateDirectory();  // every Worker that preloaded the probe has ended
  return outcome;
}

}  // namespace loopscope
