// LoopState rebuilt from real engine runs: queue contents and order at chosen moments.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness.h"
#include "trace/loop_state.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

std::vector<std::string> labels(const CallbackQueue& queue) {
  std::vector<std::string> out;
  for (const auto& e : queue) out.push_back(e.label.empty() ? e.type : e.label);
  return out;
}

// Position just before the main script's CallbackExit: everything it scheduled is queued.
size_t endOfMainScript(const Trace& trace) {
  const auto& events = trace.events();
  for (size_t i = 0; i < events.size(); ++i)
    if (events[i].kind == EventKind::CallbackExit && events[i].a() == 1) return i;
  return 0;
}

}  // namespace

TEST(LoopStateFromEngine, AtTheEndOfTheMainScriptEachQueueHoldsWhatItScheduled) {
  EngineRun run = runTraced(snippet("seed_order.js"));
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  const Trace& trace = run.trace.trace;
  LoopTimeline timeline(trace);
  LoopState s = timeline.stateAt(endOfMainScript(trace));
  ASSERT_TRUE(s.current);
  EXPECT_EQ(s.current->asyncId, 1) << "the main script is running";
  EXPECT_EQ(s.phase, Phase::Main);
  EXPECT_FALSE(s.inLoop);
  EXPECT_EQ(labels(s.timers), std::vector<std::string>{"timeout"});
  EXPECT_EQ(labels(s.immediates), std::vector<std::string>{"immediate"});
  ASSERT_FALSE(s.nextTicks.empty());
  EXPECT_EQ(s.nextTicks.back().label, "tick");
  EXPECT_EQ(s.nextTicks.back().line, 6);
  ASSERT_EQ(s.microtasks.size(), 1u) << "one promise reaction is queued";
  EXPECT_EQ(s.microtasks[0].type, "PROMISE");
  EXPECT_EQ(s.timers[0].delayMs, 1) << "setTimeout(0) is a 1 ms timer in Node";

  std::string json = loopStateJson(s);
  for (const char* key :
       {"\"phase\"", "\"iteration\"", "\"current\"", "\"timers\"", "\"immediates\"", "\"nextTick\"", "\"microtasks\"",
        "\"pool\"", "\"slots\"", "\"backlog\"", "\"new_space\"", "\"old_space\"", "\"streams\""})
    EXPECT_NE(json.find(key), std::string::npos) << key;
}

TEST(LoopStateFromEngine, InsideTheIoCallbackTheImmediateIsQueuedAheadOfTheNextTimersPhase) {
  EngineRun run = runTraced(snippet("io_order.js"));
  const Trace& trace = run.trace.trace;
  LoopTimeline timeline(trace);
  // The moment the immediate starts: we are in check, and the timer is still waiting.
  std::optional<size_t> before = timeline.beforeFirstCallbackOnLine(6);
  ASSERT_TRUE(before) << "the immediate's function is on line 6";
  LoopState s = timeline.stateAt(*before + 1);
  EXPECT_EQ(s.phase, Phase::Check);
  ASSERT_TRUE(s.current);
  EXPECT_EQ(s.current->label, "immediateInIo");
  EXPECT_EQ(labels(s.timers), std::vector<std::string>{"timeoutInIo"});
}

TEST(LoopStateFromEngine, FifthPbkdf2JobWaitsInTheBacklogWhileFourSlotsAreBusy) {
  EngineRun run = runTraced(snippet("pbkdf2_five.js"), {"--threadpool-size", "4"});
  const Trace& trace = run.trace.trace;
  LoopTimeline timeline(trace);
  // Once four jobs have started and all five were submitted (the pool threads may start the
  // first four before the main script submits the fifth, or after): the fifth cannot start
  // before one of the 150 000-iteration hashes ends.
  size_t starts = 0, submits = 0, fourthStart = 0, fifthSubmit = 0;
  for (size_t i = 0; i < trace.size(); ++i) {
    const Event& ev = trace.events()[i];
    if (ev.kind == EventKind::PoolStart && ++starts == 4) fourthStart = i + 1;
    if (ev.kind == EventKind::PoolSubmit && trace.str(ev.b()) == "crypto.pbkdf2" && ++submits == 5) fifthSubmit = i + 1;
  }
  ASSERT_GT(fourthStart, 0u);
  ASSERT_GT(fifthSubmit, 0u);
  size_t position = std::max(fourthStart, fifthSubmit);
  LoopState s = timeline.stateAt(position);
  EXPECT_EQ(s.pool.size, 4);
  int busy = 0;
  for (const auto& slot : s.pool.slots) busy += slot.has_value();
  EXPECT_EQ(busy, 4);
  ASSERT_EQ(s.pool.backlog.size(), 1u);
  EXPECT_EQ(s.pool.backlog[0].kind, "crypto.pbkdf2");
}

TEST(LoopStateFromEngine, SteppingBackThenForwardGivesIdenticalStates) {
  EngineRun run = runTraced(snippet("drain_per_callback.js"));
  const Trace& trace = run.trace.trace;
  LoopTimeline sparse(trace, 64);
  LoopTimeline dense(trace, 1);
  for (size_t p = 0; p <= trace.size(); ++p)
    ASSERT_EQ(loopStateJson(sparse.stateAt(p)), loopStateJson(dense.stateAt(p))) << "position " << p;
  // Walk back by callback, then forward again: the same positions and states.
  std::vector<size_t> back;
  for (size_t p = trace.size();;) {
    size_t q = sparse.previous(p, LoopTimeline::Step::Callback);
    if (q == p) break;
    back.push_back(q);
    p = q;
  }
  ASSERT_GE(back.size(), 8u);
  for (size_t i = back.size() - 1; i > 0; --i)
    EXPECT_EQ(sparse.next(back[i], LoopTimeline::Step::Callback), back[i - 1]);
}

// --- promise reactions and await continuations name the line that made them -----------------

TEST(LoopStateFromEngine, PromiseReactionsAndAwaitContinuationsAreNamedAfterTheirThenOrAwait) {
  std::string file = writeSnippet("promise_sites.js",
                                  "Promise.resolve().then(() => console.log('C'));\n"
                                  "(async () => { await null; console.log('F'); })();\n"
                                  "async function main() {\n"
                                  "  await new Promise((r) => setImmediate(r));\n"
                                  "  console.log('G');\n"
                                  "}\n"
                                  "main();\n"
                                  "Promise.reject(new Error('x'))\n"
                                  "  .catch(function onError() {})\n"
                                  "  .finally(() => {});\n");
  EngineRun run = runTraced(file);
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  const Trace& trace = run.trace.trace;
  LoopState s = LoopTimeline(trace).stateAt(endOfMainScript(trace));
  ASSERT_EQ(s.microtasks.size(), 3u) << "then, await null and catch are queued when the main script ends";
  EXPECT_EQ(s.microtasks[0].label, ".then handler");
  EXPECT_EQ(s.microtasks[0].file, "promise_sites.js");
  EXPECT_EQ(s.microtasks[0].line, 1);
  EXPECT_EQ(s.microtasks[0].column, 19) << "the `then` of the call";
  EXPECT_EQ(s.microtasks[1].label, "after await");
  EXPECT_EQ(s.microtasks[1].line, 2);
  EXPECT_EQ(s.microtasks[1].column, 16) << "the `await`";
  EXPECT_EQ(s.microtasks[2].label, ".catch handler");
  EXPECT_EQ(s.microtasks[2].line, 9);
  for (const QueueEntry& e : s.microtasks) EXPECT_FALSE(e.internal) << e.label;

  // The continuation of main() after its await runs later, named after its function.
  bool sawMainContinuation = false, sawFinally = false;
  for (const Event& ev : trace.events()) {
    if (ev.kind != EventKind::CallbackEnter) continue;
    std::string label = trace.callbackLabel(ev.a());
    sawMainContinuation |= label.rfind("after await in main", 0) == 0;
    sawFinally |= label.rfind(".finally handler", 0) == 0;
  }
  EXPECT_TRUE(sawMainContinuation);
  EXPECT_TRUE(sawFinally);

  std::string json = loopStateJson(s);
  EXPECT_NE(json.find("\"label\":\".then handler\""), std::string::npos) << json;
}

TEST(LoopStateFromEngine, PromisesNodeMakesForItsOwnWorkAreInternalTheLearnersAwaitIsNot) {
  std::string file = writeSnippet("promise_internal.js",
                                  "const fs = require('fs');\n"
                                  "(async function load() {\n"
                                  "  await fs.promises.readFile(__filename);\n"
                                  "  console.log('read');\n"
                                  "})();\n");
  EngineRun run = runTraced(file);
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  const Trace& trace = run.trace.trace;
  int internalReactions = 0, continuations = 0;
  for (const Event& ev : trace.events()) {
    if (ev.kind != EventKind::CallbackEnter || trace.asyncType(ev.a()) != "PROMISE") continue;
    const AsyncInfo* info = trace.async(ev.a());
    const FunctionSiteInfo* site = info ? trace.site(info->site) : nullptr;
    ASSERT_NE(site, nullptr) << "every reaction of a small run has its site";
    if (site->script.rfind("node:", 0) == 0) ++internalReactions;
    if (site->name == "after await in load") {
      ++continuations;
      EXPECT_EQ(site->line, 3);
    }
  }
  EXPECT_GT(internalReactions, 0) << "fs.promises awaits inside Node's own code";
  EXPECT_EQ(continuations, 1);
}

TEST(LoopStateFromEngine, AHugeRunKeepsPromiseSitesForItsFirstPromisesAndSaysSoInTheTrace) {
  // 12,000 .then calls make 12,000 promises: beyond the budget of 10,000 sites per thread.
  std::string file = writeSnippet("promise_budget.js",
                                  "let p = Promise.resolve(0);\n"
                                  "for (let i = 0; i < 12000; i++) p = p.then((v) => v + 1);\n"
                                  "p.then((v) => console.log(v));\n");
  EngineRun run = runTraced(file);
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  const Trace& trace = run.trace.trace;
  EXPECT_EQ(run.out, "12000\n");
  const std::string note = trace.meta("promise sites");
  EXPECT_NE(note.find("first 10000 promises of the main thread"), std::string::npos) << note;
  int64_t withSite = 0, without = 0;
  for (const Event& ev : trace.events()) {
    if (ev.kind != EventKind::CallbackEnter || trace.asyncType(ev.a()) != "PROMISE") continue;
    const AsyncInfo* info = trace.async(ev.a());
    (info && trace.site(info->site) ? withSite : without) += 1;
  }
  EXPECT_GT(withSite, 9'000) << "the early reactions keep their line";
  EXPECT_GT(without, 0) << "the later ones are recorded, without a line";
  EXPECT_EQ(withSite + without, 12'001) << "every reaction is still recorded";
}

// --- Node's start-up work inside the main script is told apart from the program's code -------

TEST(LoopStateFromEngine, TheMainModulesOwnCodeAndNodesFirstTimeModuleLoadsAreRecorded) {
  std::string file = writeSnippet("startup_parts.js",
                                  "const zlib = require('zlib');\n"
                                  "console.log(typeof zlib.gzipSync);\n");
  EngineRun run = runTraced(file);
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  EXPECT_EQ(run.out, "function\n");
  const Trace& trace = run.trace.trace;
  const auto& events = trace.events();
  size_t mainEnter = 0, mainExit = 0, bodyStart = 0, bodyEnd = 0, zlibStart = 0, zlibEnd = 0;
  int depth = 0, maxDepth = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& ev = events[i];
    if (ev.kind == EventKind::CallbackEnter && ev.a() == 1) mainEnter = i;
    if (ev.kind == EventKind::CallbackExit && ev.a() == 1) mainExit = i;
    if (ev.kind == EventKind::MainScriptBody) (ev.a() ? bodyStart : bodyEnd) = i;
    if (ev.kind == EventKind::BuiltinModuleLoad) {
      depth += ev.a() ? 1 : -1;
      maxDepth = std::max(maxDepth, depth);
      if (trace.str(ev.b()) == "zlib") (ev.a() ? zlibStart : zlibEnd) = i;
    }
  }
  EXPECT_LT(mainEnter, bodyStart) << "Node's loader runs first";
  EXPECT_LT(bodyStart, zlibStart) << "require('zlib') loads Node's zlib module inside the program's code";
  EXPECT_LT(zlibStart, zlibEnd);
  EXPECT_LT(zlibEnd, bodyEnd);
  EXPECT_LT(bodyEnd, mainExit);
  EXPECT_EQ(depth, 0) << "every load that starts ends";
  EXPECT_EQ(maxDepth, 1) << "only the outermost load is recorded";
}

TEST(LoopStateFromEngine, TheProgramSeesNodesOwnCompileAndLoaderMethods) {
  std::string file = writeSnippet("startup_untouched.js",
                                  "const Module = require('module');\n"
                                  "console.log(Module.prototype._compile.toString().includes('[native code]'));\n");
  EngineRun traced = runTraced(file);
  EXPECT_EQ(traced.out, "false\n") << "the wrapper is gone before the program's code runs";
}
