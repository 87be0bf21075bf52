// The interpretation layer on hand-built traces: every kind decodes to its typed record with the
// fields where the format puts them, every kind has a sentence for people, and span pairing
// nests what the engine recorded.
#include <gtest/gtest.h>

#include <string>

#include "interpret/attribution.h"
#include "interpret/describe.h"
#include "interpret/event_context.h"
#include "interpret/origins.h"
#include "interpret/records.h"
#include "interpret/spans.h"
#include "interpret/timeline_spans.h"
#include "trace/health.h"
#include "trace/loop_state.h"
#include "../common/trace_builder.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

Event eventOf(EventKind kind, std::initializer_list<int64_t> fields, uint8_t thread = kMainThread) {
  Event ev;
  ev.kind = kind;
  ev.thread = thread;
  size_t k = 0;
  for (int64_t f : fields) ev.f[k++] = f;
  return ev;
}

TEST(Records, GcEndNamesEverySpaceInTheOrderTheEngineWritesThem) {
  auto gc = as<record::GcEnd>(eventOf(EventKind::GcEnd, {GcScavenge, 1, 2, 3, 4, 5}));
  EXPECT_EQ(gc.typeBits, GcScavenge);
  EXPECT_EQ(gc.newSpace, 1);
  EXPECT_EQ(gc.oldSpace, 2);
  EXPECT_EQ(gc.codeSpace, 3);
  EXPECT_EQ(gc.mapSpace, 4);
  EXPECT_EQ(gc.largeObjectSpace, 5);
}

TEST(Records, TimerScheduledCarriesItsCreatorSiteDelayAndRepeat) {
  auto timer = as<record::TimerScheduled>(eventOf(EventKind::TimerScheduled, {9, 1, 3, 250, 1}));
  EXPECT_EQ(timer.asyncId, 9);
  EXPECT_EQ(timer.triggerAsyncId, 1);
  EXPECT_EQ(timer.siteId, 3);
  EXPECT_EQ(timer.delayMs, 250);
  EXPECT_TRUE(timer.repeat);
}

TEST(Records, PoolAndStreamRecordsKeepTheirIdsAndEnums) {
  auto submit = as<record::PoolSubmit>(eventOf(EventKind::PoolSubmit, {77, 4, 12}));
  EXPECT_EQ(submit.jobId, 77);
  EXPECT_EQ(submit.workKindString, 4);
  EXPECT_EQ(submit.requestAsyncId, 12);
  auto state = as<record::StreamState>(
      eventOf(EventKind::StreamState, {3, int64_t(StreamEvent::WriteFalse), 20, 16, int64_t(StreamSide::Writable)}));
  EXPECT_EQ(state.streamId, 3);
  EXPECT_EQ(state.what, StreamEvent::WriteFalse);
  EXPECT_EQ(state.buffered, 20);
  EXPECT_EQ(state.highWaterMark, 16);
  EXPECT_EQ(state.side, StreamSide::Writable);
}

TEST(Records, APhaseNumberOutsideLibuvsPhasesReadsAsMainNotAsAnIndexPastTheTables) {
  EXPECT_EQ(as<record::PhaseEnter>(eventOf(EventKind::PhaseEnter, {200, 0})).phase, Phase::Main);
  EXPECT_EQ(as<record::PhaseExit>(eventOf(EventKind::PhaseExit, {-1, 0})).phase, Phase::Main);
  EXPECT_EQ(as<record::PhaseEnter>(eventOf(EventKind::PhaseEnter, {int64_t(Phase::Check), 0})).phase, Phase::Check);
}

TEST(Records, AKindNumberFromANewerFormatDecodesAsUnknown) {
  Event ev = eventOf(EventKind(200), {});
  Record r = decode(ev);
  ASSERT_TRUE(std::holds_alternative<record::Unknown>(r));
  EXPECT_EQ(std::get<record::Unknown>(r).kindNumber, 200);
}

TEST(Records, EveryKindDecodesToItsOwnAlternativeInEnumOrder) {
  // The variant lists the kinds in EventKind order, so alternative k is kind k: a struct added
  // in the wrong place (or a decode case returning another kind's record) fails here.
  for (int k = 0; k < int(EventKind::KindCount); ++k) {
    Record r = decode(eventOf(EventKind(k), {}));
    EXPECT_EQ(r.index(), size_t(k)) << kindName(EventKind(k));
  }
}

TEST(Describe, EveryKindHasASentenceNamingWhatHappened) {
  TraceBuilder b;
  int64_t name = b.text("work");
  Trace trace = b.trace();
  for (int k = 0; k < int(EventKind::KindCount); ++k) {
    if (isBookkeeping(EventKind(k))) continue;
    Event ev = eventOf(EventKind(k), {name, name, name, name, name, name});
    std::string text = describeEvent(trace, ev);
    EXPECT_FALSE(text.empty()) << kindName(EventKind(k));
    EXPECT_EQ(text.find("unknown kind"), std::string::npos) << kindName(EventKind(k));
  }
}

TEST(Describe, KindsTheEventsTableUsedToLeaveBlankNowSayWhatHappened) {
  TraceBuilder b;
  int64_t fn = b.text("hot");
  int64_t reason = b.text("wrong map");
  int64_t bailout = b.text("deopt-eager");
  int64_t cmd = b.text("ls -l");
  int64_t label = b.text("points");
  Trace t = b.trace();
  EXPECT_EQ(describeEvent(t, eventOf(EventKind::JitDeoptimized, {fn, reason, bailout})),
            "hot deoptimized: wrong map (deopt-eager)");
  EXPECT_EQ(describeEvent(t, eventOf(EventKind::JitOptimized, {fn, int64_t(JitTier::TurboFan), 0, 1500})),
            "hot compiled by TurboFan in 1.5 ms");
  EXPECT_EQ(describeEvent(t, eventOf(EventKind::ChildSpawn, {4242, cmd, 0})), "child process 4242 started: ls -l");
  EXPECT_EQ(describeEvent(t, eventOf(EventKind::ChildExit, {4242, 3, 0})), "child process 4242 exited with code 3");
  EXPECT_EQ(describeEvent(t, eventOf(EventKind::ShapeCheck, {label, 1, 1, 1})), "sameShape points: same hidden class");
  EXPECT_EQ(describeEvent(t, eventOf(EventKind::AtomicsWaitEnd, {int64_t(AtomicsWaitResult::TimedOut)})),
            "Atomics.wait timed out");
  EXPECT_EQ(describeEvent(t, eventOf(EventKind::MessagePosted, {kFirstWorkerThread, 2048})),
            "postMessage to worker 1 · 2.0 KB as JSON");
}

TEST(Describe, AnIdlePollWaitIsWaitingForIoNotBlocking) {
  Trace t;
  std::string text = describeEvent(t, eventOf(EventKind::PhaseExit, {int64_t(Phase::Poll), 43'000'000}));
  EXPECT_EQ(text, "poll · waited 43 ms for I/O");
}

TEST(Describe, ThreadsReadAsMainPoolSlotWorkerOrOther) {
  EXPECT_EQ(threadName(kMainThread), "main");
  EXPECT_EQ(threadName(3), "pool #3");
  EXPECT_EQ(threadName(kFirstWorkerThread + 1), "worker 2");
  EXPECT_EQ(threadName(kOtherThread), "other");
}

TEST(Spans, CallbacksCloseAtTheirExitAndNestInsideTheirPhase) {
  TraceBuilder b;
  b.add(EventKind::PhaseEnter, {int64_t(Phase::Timers), 0});  // 0
  b.add(EventKind::CallbackEnter, {5});                       // 1
  b.add(EventKind::CallbackExit, {5});                        // 2
  b.add(EventKind::PhaseExit, {int64_t(Phase::Timers), 0});   // 3
  std::vector<size_t> ends = matchSpans(b.trace());
  EXPECT_EQ(ends[0], 3u);
  EXPECT_EQ(ends[1], 2u);
  EXPECT_EQ(ends[2], kNotASpan);
}

TEST(Spans, AnExitThatSkipsAnInnerSpanClosesItTooSoSpansAlwaysNest) {
  TraceBuilder b;
  b.add(EventKind::CallbackEnter, {5});  // 0
  b.add(EventKind::CallbackEnter, {6});  // 1: its exit is never recorded
  b.add(EventKind::CallbackExit, {5});   // 2
  std::vector<size_t> ends = matchSpans(b.trace());
  EXPECT_EQ(ends[0], 2u);
  EXPECT_EQ(ends[1], 2u);
}

TEST(Spans, PoolJobsPairPerSlotThreadAndUnclosedSpansSaySo) {
  TraceBuilder b;
  b.add(EventKind::PoolStart, {100}, 1);  // 0, slot 1
  b.add(EventKind::PoolStart, {200}, 2);  // 1, slot 2
  b.add(EventKind::PoolEnd, {100}, 1);    // 2
  std::vector<size_t> ends = matchSpans(b.trace());
  EXPECT_EQ(ends[0], 2u);
  EXPECT_EQ(ends[1], kSpanUnclosed);
}

TEST(Spans, IterationsCloseAtTheNextIterationOrAtLoopEnd) {
  TraceBuilder b;
  b.add(EventKind::LoopStart, {0});  // 0
  b.add(EventKind::Iteration, {1});  // 1
  b.add(EventKind::Iteration, {2});  // 2
  b.add(EventKind::LoopEnd, {0});    // 3
  std::vector<size_t> ends = matchSpans(b.trace());
  EXPECT_EQ(ends[0], 3u);
  EXPECT_EQ(ends[1], 2u);
  EXPECT_EQ(ends[2], 3u);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Whose code a callback is.

namespace {

TEST(Attribution, NodeModulesAndTheProbeAreInternalTheLearnersFilesAreNot) {
  EXPECT_TRUE(isInternalScript("node:internal/streams/writable"));
  EXPECT_TRUE(isInternalScript("node:events"));
  EXPECT_TRUE(isInternalScript("internal/timers"));
  EXPECT_TRUE(isInternalScript("/tmp/loopscope-x1/loopscope-worker-probe-42.js"));
  EXPECT_FALSE(isInternalScript("/home/ann/snippet.js"));
  EXPECT_FALSE(isInternalScript("file:///home/ann/node_modules/lib.mjs"));
  EXPECT_FALSE(isInternalScript(""));
}

// The console.log afterWriteTick of a real run, beside the learner's own tick.
TraceBuilder ticksOfBoth() {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/q.js"), 0});
  int64_t user = b.site("later", "/tmp/q.js", 3, 18);
  int64_t node = b.site("afterWriteTick", "node:internal/streams/writable", 485, 24);
  b.add(EventKind::CallbackEnter, {1});
  b.add(EventKind::TickScheduled, {20, 1, user});
  b.add(EventKind::TickScheduled, {21, 1, node});
  b.add(EventKind::CallbackExit, {1});
  return b;
}

TEST(Attribution, ACallbackIsInternalWhenItsFunctionIsDefinedInNodesOwnCode) {
  Trace t = ticksOfBoth().trace();
  EXPECT_FALSE(isInternalCallback(t, 1)) << "the main script is the learner's";
  EXPECT_FALSE(isInternalCallback(t, 20));
  EXPECT_TRUE(isInternalCallback(t, 21));
  EXPECT_FALSE(isInternalCallback(t, 99)) << "what is not known is never hidden";
}

TEST(Attribution, StateJsonMarksEachQueuedEntryInternalOrNot) {
  Trace t = ticksOfBoth().trace();
  LoopTimeline timeline(t);
  LoopState s = timeline.stateAt(t.size());
  ASSERT_EQ(s.nextTicks.size(), 2u);
  EXPECT_FALSE(s.nextTicks[0].internal);
  EXPECT_TRUE(s.nextTicks[1].internal);
  std::string json = loopStateJson(s);
  size_t later = json.find("\"label\":\"later\"");
  size_t tick = json.find("\"label\":\"afterWriteTick\"");
  ASSERT_NE(later, std::string::npos);
  ASSERT_NE(tick, std::string::npos);
  EXPECT_EQ(json.find("\"internal\":false", later), json.find("\"internal\"", later));
  EXPECT_EQ(json.find("\"internal\":true", tick), json.find("\"internal\"", tick));
}

TEST(Attribution, StarvationNamesTheLearnersCallbackEvenWhenNodesTicksOutnumberIt) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/q.js"), 0});
  int64_t user = b.site("spin", "/tmp/q.js", 7, 3);
  int64_t node = b.site("afterWriteTick", "node:internal/streams/writable", 485, 24);
  int64_t id = 100;
  for (int round = 0; round < 40; ++round) {
    // One learner tick that logs, then Node's afterWriteTick for that log, twice over.
    for (int64_t site : {user, node, node}) {
      b.add(EventKind::TickScheduled, {++id, 1, site});
      b.add(EventKind::CallbackEnter, {id});
      b.add(EventKind::CallbackExit, {id});
    }
  }
  HealthOptions options;
  options.starvationCallbacks = 100;
  std::vector<HealthWarning> warnings = findHealthWarnings(b.trace(), options);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].line, 7) << warnings[0].message;
  EXPECT_EQ(warnings[0].message.find("afterWriteTick"), std::string::npos) << warnings[0].message;
}

}  // namespace

namespace {

TEST(Attribution, SteppingByTheLearnersCallbacksSkipsNodesOwn) {
  TraceBuilder b = ticksOfBoth();
  b.add(EventKind::CallbackEnter, {20});  // the learner's tick
  b.add(EventKind::CallbackExit, {20});
  b.add(EventKind::CallbackEnter, {21});  // Node's afterWriteTick
  b.add(EventKind::CallbackExit, {21});
  Trace t = b.trace();
  LoopTimeline timeline(t);
  size_t first = timeline.next(0, LoopTimeline::Step::UserCallback);
  size_t second = timeline.next(first, LoopTimeline::Step::UserCallback);
  EXPECT_EQ(timeline.stateAt(second).current->asyncId, 20) << "main script, then the learner's tick";
  EXPECT_EQ(timeline.next(second, LoopTimeline::Step::UserCallback), second) << "Node's tick is skipped";
  EXPECT_NE(timeline.next(second, LoopTimeline::Step::Callback), second) << "but is there to step to";
}

}  // namespace

namespace {

TEST(IterationHealth, AnIterationEndsAtTheLoopsEndNotWhenABeforeExitLoopStartsLater) {
  // 'beforeExit' work makes Node call uv_run again: the gap between the two loops is not
  // part of the first loop's last iteration.
  TraceBuilder b;
  b.at(0).add(EventKind::LoopStart, {0});
  b.at(10).add(EventKind::Iteration, {1});
  b.at(20).add(EventKind::PhaseEnter, {int64_t(Phase::Poll), 0});
  b.at(30).add(EventKind::PhaseExit, {int64_t(Phase::Poll), 5'000});
  b.at(40).add(EventKind::PhaseExit, {int64_t(Phase::Close), 0});
  b.at(50).add(EventKind::LoopEnd, {0});
  b.at(5000).add(EventKind::LoopStart, {0});
  b.at(5010).add(EventKind::Iteration, {1});
  b.at(5020).add(EventKind::PhaseExit, {int64_t(Phase::Timers), 0});
  std::vector<IterationHealth> its = iterationHealth(b.trace());
  ASSERT_EQ(its.size(), 2u);
  EXPECT_EQ(its[0].startNs, 10'000u);
  EXPECT_EQ(its[0].endNs, 50'000u);
  EXPECT_EQ(its[0].blockedNs, 5'000u);
  EXPECT_EQ(its[1].endNs, 5'020'000u) << "the unfinished one, up to its last phase exit";
}

TEST(IterationHealth, TimePausedInStepModeIsNeitherBusyNorIdle) {
  TraceBuilder b;
  b.at(0).add(EventKind::LoopStart, {0});
  b.at(10).add(EventKind::Iteration, {1});
  b.at(20).add(EventKind::Paused, {int64_t(PauseAt::Phase), int64_t(Phase::Timers)});
  b.at(20'000'020).add(EventKind::Resumed);  // the learner looked at the state for 20 s
  b.at(20'000'030).add(EventKind::PhaseExit, {int64_t(Phase::Timers), 0});
  b.at(20'000'050).add(EventKind::LoopEnd, {0});
  std::vector<IterationHealth> its = iterationHealth(b.trace());
  ASSERT_EQ(its.size(), 1u);
  EXPECT_EQ(its[0].pausedNs, 20'000'000'000u);
  EXPECT_EQ(its[0].busyNs(), 40'000u) << "only the 40 us the loop really ran";
}

TEST(HealthWarnings, PausedTimeInsideACallbackDoesNotMakeItBlockTheLoop) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/p.js"), 0});
  int64_t site = b.site("onTimer", "/tmp/p.js", 2, 12);
  b.add(EventKind::TimerScheduled, {5, 1, site, 10, 0});
  b.at(1000).add(EventKind::CallbackEnter, {5});
  b.at(1010).add(EventKind::Paused, {int64_t(PauseAt::Callback), 5});
  b.at(19'001'010).add(EventKind::Resumed);
  b.at(19'001'020).add(EventKind::CallbackExit, {5});
  b.at(19'002'000).add(EventKind::CallbackEnter, {5});
  b.at(19'062'000).add(EventKind::CallbackExit, {5});  // 60 ms of real work: that one blocks
  std::vector<HealthWarning> warnings = findHealthWarnings(b.trace());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].startNs, 19'002'000'000u);
  EXPECT_EQ(warnings[0].durationNs, 60'000'000u);
}

TEST(HealthWarnings, PausedTimeDoesNotTurnAShortTickChainIntoStarvation) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/p.js"), 0});
  int64_t site = b.site("again", "/tmp/p.js", 3, 20);
  b.add(EventKind::TickScheduled, {6, 1, site});
  b.add(EventKind::TickScheduled, {7, 6, site});
  b.at(100).add(EventKind::CallbackEnter, {6});
  b.at(110).add(EventKind::CallbackExit, {6});
  b.at(120).add(EventKind::Paused, {int64_t(PauseAt::Callback), 7});
  b.at(30'000'120).add(EventKind::Resumed);
  b.at(30'000'130).add(EventKind::CallbackEnter, {7});
  b.at(30'000'140).add(EventKind::CallbackExit, {7});
  b.at(30'000'150).add(EventKind::PhaseEnter, {int64_t(Phase::Timers), 0});
  EXPECT_TRUE(findHealthWarnings(b.trace()).empty());
}

TEST(HealthWarnings, NodesLoaderAndItsFirstTimeModuleLoadsAreNotBlamedOnTheMainScript) {
  // 120 ms of main script: 30 ms of Node's loader before the module's code, 70 ms of code of
  // which 45 ms load node:crypto, 20 ms of loader after. The program's own share is 25 ms.
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/m.js"), 0});
  b.at(0).add(EventKind::CallbackEnter, {1});
  b.at(30'000).add(EventKind::MainScriptBody, {1});
  b.at(40'000).add(EventKind::BuiltinModuleLoad, {1, b.text("crypto")});
  b.at(41'000).add(EventKind::BuiltinModuleLoad, {1, b.text("internal/crypto/webcrypto")});  // nested
  b.at(50'000).add(EventKind::BuiltinModuleLoad, {0, b.text("internal/crypto/webcrypto")});
  b.at(85'000).add(EventKind::BuiltinModuleLoad, {0, b.text("crypto")});
  b.at(100'000).add(EventKind::MainScriptBody, {0});
  b.at(120'000).add(EventKind::CallbackExit, {1});
  EXPECT_TRUE(findHealthWarnings(b.trace()).empty());

  HealthOptions strict;
  strict.blockedThresholdNs = 20'000'000;
  std::vector<HealthWarning> warnings = findHealthWarnings(b.trace(), strict);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].durationNs, 25'000'000u) << "only the program's own code";
  EXPECT_EQ(warnings[0].startNs, 30'000'000u) << "where the module's own code starts";
}

TEST(HealthWarnings, AMainScriptWithoutLoaderRecordsIsMeasuredWhole) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/m.mjs"), 0});
  b.at(0).add(EventKind::CallbackEnter, {1});
  b.at(60'000).add(EventKind::CallbackExit, {1});
  std::vector<HealthWarning> warnings = findHealthWarnings(b.trace());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].durationNs, 60'000'000u);
}

TEST(TimelineSpans, NodesOwnCallbacksAreKeptAndMarkedInternalTheLearnersAreNot) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/x.js"), 0});
  int64_t internalSite = b.site("afterWriteTick", "node:internal/streams/writable", 485, 3);
  int64_t userSite = b.site("onTick", "/tmp/x.js", 4, 17);
  b.add(EventKind::TickScheduled, {7, 1, internalSite});
  b.add(EventKind::TickScheduled, {8, 1, userSite});
  b.at(10).add(EventKind::CallbackEnter, {7});
  b.at(20).add(EventKind::CallbackExit, {7});
  b.at(30).add(EventKind::CallbackEnter, {8});
  b.at(40).add(EventKind::CallbackExit, {8});
  Trace trace = b.trace();
  TimelineSpans spans;
  spans.reset(&trace);
  spans.update();
  const TimelineLane* callbacks = nullptr;
  for (const TimelineLane& lane : spans.lanes())
    if (lane.kind == TimelineLane::Kind::Callbacks) callbacks = &lane;
  ASSERT_NE(callbacks, nullptr);
  ASSERT_FALSE(callbacks->tracks.empty());
  ASSERT_EQ(callbacks->tracks[0].size(), 2u);
  EXPECT_TRUE(callbacks->tracks[0][0].internal);
  EXPECT_FALSE(callbacks->tracks[0][1].internal);
}

TEST(IterationHealth, TheTimelineSeriesUseTheSameIterationsAsTheHealthReport) {
  Trace trace = demoRun().trace();
  TimelineSpans spans;
  spans.reset(&trace);
  spans.update();
  std::vector<IterationHealth> its = iterationHealth(trace);
  ASSERT_EQ(spans.loopBusyMs().size(), its.size());
  for (size_t k = 0; k < its.size(); ++k)
    EXPECT_NEAR(spans.loopBusyMs()[k].value, double(its[k].busyNs()) / 1e6, 1e-9) << "iteration " << k + 1;
}

}  // namespace

namespace {

TEST(Origins, ANestedCallbackLeadsBackThroughItsSchedulersToTheMainScript) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/o.js"), 0});
  int64_t timerSite = b.site("onTimer", "/tmp/o.js", 2, 12);
  int64_t tickSite = b.site("afterTimer", "/tmp/o.js", 3, 20);
  int64_t immSite = b.site("last", "/tmp/o.js", 4, 22);
  b.add(EventKind::CallbackEnter, {1});
  b.add(EventKind::TimerScheduled, {5, 1, timerSite, 10, 0});  // index 6
  b.add(EventKind::CallbackExit, {1});
  b.add(EventKind::CallbackEnter, {5});
  b.add(EventKind::TickScheduled, {6, 5, tickSite});  // index 9
  b.add(EventKind::CallbackExit, {5});
  b.add(EventKind::CallbackEnter, {6});
  b.add(EventKind::ImmediateScheduled, {7, 6, immSite});  // index 12
  b.add(EventKind::CallbackExit, {6});
  Trace t = b.trace();
  OriginIndex index;
  for (size_t i = 0; i < t.size(); ++i) index.add(t, i);
  std::vector<OriginStep> chain = index.chain(t, 7);
  ASSERT_EQ(chain.size(), 4u);
  EXPECT_EQ(chain[0].label, "last o.js:4:22");
  EXPECT_EQ(t.events()[chain[0].createdAt].kind, EventKind::ImmediateScheduled);
  EXPECT_EQ(chain[1].asyncId, 6);
  EXPECT_EQ(chain[2].asyncId, 5);
  EXPECT_EQ(t.events()[chain[2].createdAt].kind, EventKind::TimerScheduled);
  EXPECT_EQ(chain[3].label, "main script");
  EXPECT_FALSE(chain[3].createdKnown);
}

TEST(Origins, ADamagedTraceWhoseTriggersFormALoopEndsTheChain) {
  TraceBuilder b;
  b.add(EventKind::TickScheduled, {8, 9, 0});
  b.add(EventKind::TickScheduled, {9, 8, 0});
  Trace t = b.trace();
  OriginIndex index;
  for (size_t i = 0; i < t.size(); ++i) index.add(t, i);
  EXPECT_EQ(index.chain(t, 8).size(), 2u);
}

}  // namespace

TEST(EventContext, EachMainThreadEventBelongsToThePhaseItEntersLeavesOrHappenedInAndPoolJobsKeepTheirKind) {
  auto ev = [](EventKind kind, int64_t a = 0, int64_t b = 0, uint8_t thread = kMainThread) {
    Event e;
    e.kind = kind;
    e.thread = thread;
    e.f = {a, b, 0, 0, 0, 0};
    return e;
  };
  EventContext context;
  EXPECT_EQ(context.add(ev(EventKind::CallbackEnter, 1)), Phase::Main) << "the main script, before the loop";
  EXPECT_EQ(context.add(ev(EventKind::PoolSubmit, 77, 5)), Phase::Main);
  EXPECT_EQ(context.add(ev(EventKind::LoopStart)), std::nullopt);
  EXPECT_EQ(context.add(ev(EventKind::PhaseEnter, int64_t(Phase::Check))), Phase::Check);
  EXPECT_EQ(context.add(ev(EventKind::CallbackEnter, 9)), Phase::Check);
  EXPECT_EQ(context.add(ev(EventKind::PoolStart, 77, 0, 1)), std::nullopt) << "a pool thread has no loop phase";
  EXPECT_EQ(context.add(ev(EventKind::PhaseExit, int64_t(Phase::Check))), Phase::Check);
  EXPECT_EQ(context.add(ev(EventKind::CallbackEnter, 10)), std::nullopt) << "between phases";
  EXPECT_EQ(context.jobKind(77), 5);
  EXPECT_EQ(context.jobKind(78), -1);
}
