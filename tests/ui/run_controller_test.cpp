// The run and play-head controller without a window (issue 9 §3): live runs on the real engine,
// replay, stepping, step mode, opening traces and a sandbox that cannot start.
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "run_controller.h"
#include "test_application.h"

using namespace loopscope;
using namespace loopscope::ui;

namespace {

RunSettings settingsFor(const char* snippet) {
  RunSettings settings;
  settings.snippetPath = QStringLiteral(LOOPSCOPE_SNIPPETS "/") + QString::fromLatin1(snippet);
  settings.timeoutSeconds = 30;
  return settings;
}

// Starts a run and waits for its end; returns whether it ended within a minute.
bool runToTheEnd(RunController& run, const RunSettings& settings, bool replayWhenDone) {
  QSignalSpy finished(&run, &RunController::runFinished);
  if (!run.start(settings, replayWhenDone)) return false;
  return finished.wait(60'000);
}

}  // namespace

TEST(RunController, ALiveRunIsFollowedToItsEndThenReplayedFromItsStartWhenAsked) {
  loopscope::test::testApplication();
  RunController run;
  QSignalSpy replaced(&run, &RunController::recordingReplaced);
  QSignalSpy finished(&run, &RunController::runFinished);
  ASSERT_TRUE(run.start(settingsFor("timers.js"), true));
  EXPECT_TRUE(run.isRunning());
  EXPECT_EQ(replaced.count(), 1) << "the run's live recording went on screen";
  EXPECT_TRUE(run.recording().isLive());
  EXPECT_FALSE(run.start(settingsFor("timers.js"), true)) << "one run at a time";
  ASSERT_TRUE(QTest::qWaitFor([&] { return run.recording().size() > 0 || !finished.isEmpty(); }, 60'000));
  run.tick();
  if (finished.isEmpty()) EXPECT_EQ(run.position(), run.recording().size()) << "a followed run shows its end";
  if (finished.isEmpty()) ASSERT_TRUE(finished.wait(60'000));

  EXPECT_FALSE(run.isRunning());
  EXPECT_FALSE(run.recording().isLive());
  EXPECT_GT(run.recording().size(), 10u);
  EXPECT_TRUE(run.versions().known()) << "the trace names Node, V8 and libuv";
  const auto outcome = finished.front().front().value<RunOutcome>();
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::Finished);
  EXPECT_FALSE(finished.front().back().toBool()) << "nothing was put back";
  EXPECT_TRUE(run.isPlaying()) << "replayed when done";
  EXPECT_EQ(run.position(), 0u) << "from its start";
  run.advanceBy(2.0);
  EXPECT_GT(run.position(), 0u) << "playing moves the play head";
}

TEST(RunController, ASeekDuringTheRunKeepsThatMomentAndNoReplayFollows) {
  loopscope::test::testApplication();
  RunController run;
  QSignalSpy finished(&run, &RunController::runFinished);
  ASSERT_TRUE(run.start(settingsFor("timers.js"), true));
  run.seek(0);  // the user took the play head
  ASSERT_TRUE(finished.wait(60'000));
  EXPECT_FALSE(run.isPlaying());
  EXPECT_EQ(run.position(), 0u);
  EXPECT_GT(run.recording().size(), 0u);
}

TEST(RunController, StepModeStartsTheRunPausedAndStepLetsItGoOneGateFurther) {
  loopscope::test::testApplication();
  RunController run;
  QSignalSpy finished(&run, &RunController::runFinished);
  run.setStepMode(true);
  RunSettings settings = settingsFor("timers.js");
  ASSERT_TRUE(run.start(settings, true));
  ASSERT_TRUE(QTest::qWaitFor([&] { return run.recording().size() > 0; }, 30'000)) << "the run started";
  // Paused at its first gate: what it recorded stops growing.
  size_t paused = run.recording().size();
  QTest::qWait(400);
  while (run.recording().size() != paused) {
    paused = run.recording().size();
    QTest::qWait(400);
  }
  QTest::qWait(300);
  EXPECT_EQ(run.recording().size(), paused) << "a run in step mode waits";
  EXPECT_TRUE(finished.isEmpty());
  run.step();
  EXPECT_TRUE(QTest::qWaitFor([&] { return run.recording().size() > paused; }, 10'000)) << "Step lets it go on";
  run.continueRun();
  EXPECT_FALSE(run.isStepMode()) << "Continue leaves step mode";
  ASSERT_TRUE(finished.wait(60'000));
  EXPECT_EQ(finished.front().front().value<RunOutcome>().kind, RunOutcome::Kind::Finished);
  EXPECT_FALSE(run.isPlaying()) << "a run driven gate by gate is not replayed afterwards";
}

TEST(RunController, StepsByCallbackGoForwardAndComeBackToWhereTheyStarted) {
  loopscope::test::testApplication();
  RunController run;
  ASSERT_TRUE(runToTheEnd(run, settingsFor("timers.js"), false));
  run.seek(0);
  run.stepBy(LoopTimeline::Step::Callback, true, true);
  const size_t first = run.position();
  EXPECT_GT(first, 0u);
  run.stepBy(LoopTimeline::Step::Callback, true, true);
  EXPECT_GT(run.position(), first);
  run.stepBy(LoopTimeline::Step::Callback, false, true);
  EXPECT_EQ(run.position(), first);
  run.seek(run.recording().size() + 100);
  EXPECT_EQ(run.position(), run.recording().size()) << "seeks are clamped to the recording";
}

TEST(RunController, OpeningAMissingTraceSaysWhyAndKeepsTheRecordingOnScreen) {
  loopscope::test::testApplication();
  RunController run;
  ASSERT_TRUE(runToTheEnd(run, settingsFor("timers.js"), false));
  const Recording* shown = &run.recording();
  QTemporaryDir dir;
  QString error, problem;
  EXPECT_FALSE(run.openTrace(dir.filePath(QStringLiteral("missing.lstrace")), &error, &problem));
  EXPECT_FALSE(error.isEmpty());
  EXPECT_EQ(&run.recording(), shown);

  // A saved recording opens, the play head at its start.
  const QString saved = dir.filePath(QStringLiteral("timers.lstrace"));
  ASSERT_TRUE(run.recording().saveTrace(saved, &error)) << error.toStdString();
  const size_t events = run.recording().size();
  ASSERT_TRUE(run.openTrace(saved, &error, &problem)) << error.toStdString();
  EXPECT_EQ(run.recording().size(), events);
  EXPECT_EQ(run.position(), 0u);
  EXPECT_TRUE(problem.isEmpty()) << problem.toStdString();
}

TEST(RunController, ASandboxThatCannotStartPutsThePreviousRecordingBack) {
  loopscope::test::testApplication();
  RunController run;
  ASSERT_TRUE(runToTheEnd(run, settingsFor("timers.js"), false));
  const size_t before = run.recording().size();
  const QByteArray old = qgetenv("LOOPSCOPE_BWRAP");
  qputenv("LOOPSCOPE_BWRAP", "/bin/false");  // a "bubblewrap" that never builds the sandbox
  RunSettings settings = settingsFor("timers.js");
  settings.sandboxed = true;
  QSignalSpy finished(&run, &RunController::runFinished);
  ASSERT_TRUE(run.start(settings, true));
  const bool ended = finished.wait(60'000);
  if (old.isNull())
    qunsetenv("LOOPSCOPE_BWRAP");
  else
    qputenv("LOOPSCOPE_BWRAP", old);
  ASSERT_TRUE(ended);
  const auto outcome = finished.front().front().value<RunOutcome>();
  EXPECT_TRUE(outcome.sandboxFailed);
  EXPECT_TRUE(finished.front().back().toBool()) << "the previous recording is back";
  EXPECT_EQ(run.recording().size(), before);
  EXPECT_EQ(run.position(), before) << "shown at its end, as it was";
  EXPECT_FALSE(run.isPlaying());
}

TEST(RunController, ARecordingWhoseRecordsArrivedOutOfTimeOrderIsPutInOrderAtItsEndAndSaysSo) {
  auto record = [](EventKind kind, uint64_t ts, int64_t a = 0) {
    TraceBatch::Record r;
    r.event.kind = kind;
    r.event.ts = ts;
    r.event.f = {a, 0, 0, 0, 0, 0};
    return r;
  };
  TraceBatch batch;
  batch.records = {record(EventKind::RunStart, 0, 4), record(EventKind::CallbackEnter, 300, 1),
                   record(EventKind::GcBegin, 200, 1),  // a slow thread's record, late
                   record(EventKind::CallbackExit, 400, 1)};
  Recording recording;
  recording.append(batch);
  const LoopTimeline* before = &recording.timeline();
  EXPECT_TRUE(recording.finishLive()) << "records were put in time order";
  EXPECT_NE(&recording.timeline(), before) << "views holding the old timeline must take the recording again";
  EXPECT_EQ(recording.trace().events()[1].kind, EventKind::GcBegin);

  Recording inOrder;
  batch.records = {record(EventKind::RunStart, 0, 4), record(EventKind::CallbackEnter, 300, 1)};
  inOrder.append(batch);
  EXPECT_FALSE(inOrder.finishLive());
}
