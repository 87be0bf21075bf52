// Real runs of real snippets through EngineProcess and the MainWindow, on the offscreen platform.
#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>

#include "engine_process.h"
#include "main_window.h"
#include "recording.h"
#include "run_many_dialog.h"
#include "trace/loop_state.h"
#include "test_application.h"

using loopscope::test::artifactPath;

using namespace loopscope;
using namespace loopscope::ui;

namespace {

// Runs the window's snippet and waits for the end of the run; returns its outcome.
RunOutcome runToEnd(MainWindow& window) {
  QSignalSpy finished(&window, &MainWindow::runFinished);
  EXPECT_TRUE(window.run());
  EXPECT_TRUE(finished.wait(60000)) << "the run did not end within 60 s";
  return finished.isEmpty() ? RunOutcome{} : finished.takeFirst().at(0).value<RunOutcome>();
}

}  // namespace

TEST(EngineProcessTest, LiveRunDeliversTheWholeTraceBeforeFinishing) {
  loopscope::test::testApplication();
  EngineProcess engine;
  Recording recording;
  QObject::connect(&engine, &EngineProcess::batchArrived,
                   [&](const std::shared_ptr<const TraceBatch>& batch) { recording.append(*batch); });
  QSignalSpy finished(&engine, &EngineProcess::finished);
  RunSettings settings;
  settings.snippetPath = QStringLiteral(LOOPSCOPE_DEMO);
  ASSERT_TRUE(engine.start(settings));
  EXPECT_TRUE(engine.isRunning());
  ASSERT_TRUE(finished.wait(60000));
  recording.finishLive();

  const auto outcome = finished.takeFirst().at(0).value<RunOutcome>();
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::Finished) << outcome.describe(recording.size()).toStdString();
  EXPECT_FALSE(engine.isRunning());
  // finished() comes after the last batch: the end-of-run record is already in the trace.
  ASSERT_NE(recording.trace().runEnd(), nullptr);
  EXPECT_TRUE(recording.problem().isEmpty()) << recording.problem().toStdString();
  EXPECT_EQ(recording.versions().node, QStringLiteral("18.20.4"));
  // The snippet's stdout still comes from the process, beside the recorded Console events.
  EXPECT_TRUE(outcome.stdoutText.contains("1. main script starts"));
  const LoopState end = recording.timeline().stateAt(recording.size());
  EXPECT_TRUE(end.finished);
  EXPECT_EQ(end.consoleLines, 10u);
}

TEST(MainWindowRunTest, RunReachesTheEndAndTheViewsGetTheStateOfEachPhase) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 720);
  window.show();
  ASSERT_TRUE(window.loadSnippetFile(QStringLiteral(LOOPSCOPE_DEMO)));
  const RunOutcome outcome = runToEnd(window);
  ASSERT_EQ(outcome.kind, RunOutcome::Kind::Finished);
  const Recording* recording = window.recording();
  ASSERT_NE(recording, nullptr);
  ASSERT_GT(recording->size(), 100u);

  // Without replay requested, the play head rests at the end and the views show the finished run.
  window.refreshNow();
  EXPECT_EQ(window.position(), recording->size());
  EXPECT_TRUE(window.shownState().finished);
  EXPECT_EQ(window.shownState().position, recording->size());

  // demo.js line 11: setImmediate(function fromImmediate ...) runs in the check phase,
  // line 7: setTimeout(function fromTimer ...) in the timers phase.
  auto immediate = recording->timeline().beforeFirstCallbackOnLine(11);
  ASSERT_TRUE(immediate.has_value());
  window.seek(*immediate);
  window.refreshNow();
  EXPECT_EQ(window.shownState().phase, Phase::Check);
  EXPECT_TRUE(window.shownState().inLoop);
  ASSERT_TRUE(window.saveWindowPicture(artifactPath(QStringLiteral("app_run_check_phase.png"))));

  auto timer = recording->timeline().beforeFirstCallbackOnLine(7);
  ASSERT_TRUE(timer.has_value());
  window.seek(*timer);
  window.refreshNow();
  EXPECT_EQ(window.shownState().phase, Phase::Timers);
  ASSERT_FALSE(window.shownState().timers.empty()) << "the timer about to run is still queued";
}

TEST(MainWindowRunTest, ReplayPlaysEventByEventFromTheStartAndStopsAtTheEnd) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 720);
  window.show();
  window.setSnippetText(
      QStringLiteral("setTimeout(() => console.log('a'), 0);\nsetImmediate(() => console.log('b'));\n"),
      QStringLiteral("race.js"));
  ASSERT_EQ(runToEnd(window).kind, RunOutcome::Kind::Finished);
  const size_t end = window.recording()->size();
  window.seek(0);
  window.refreshNow();
  EXPECT_FALSE(window.shownState().started);

  window.setReplaySpeedIndex(4);  // 60 events/s: the whole run in a couple of seconds
  window.play();
  ASSERT_TRUE(window.isPlaying());
  QTest::qWait(300);
  EXPECT_GT(window.shownState().position, 0u) << "the play head moved";
  EXPECT_LT(window.shownState().position, end) << "slow motion: not everything at once";
  EXPECT_TRUE(QTest::qWaitFor([&] { return !window.isPlaying(); }, 30000));
  EXPECT_EQ(window.position(), end);
  window.refreshNow();
  EXPECT_TRUE(window.shownState().finished);
}

TEST(RecordingTest, SavedLiveTraceOpensAgainWithTheSameEventsAndExports) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  ASSERT_TRUE(window.loadSnippetFile(QStringLiteral(LOOPSCOPE_DEMO)));
  ASSERT_EQ(runToEnd(window).kind, RunOutcome::Kind::Finished);
  const Recording& live = *window.recording();
  QTemporaryDir dir;
  QString error;
  const QString tracePath = dir.filePath(QStringLiteral("demo.lstrace"));
  ASSERT_TRUE(live.saveTrace(tracePath, &error)) << error.toStdString();
  auto reopened = Recording::open(tracePath, &error);
  ASSERT_NE(reopened, nullptr) << error.toStdString();
  EXPECT_TRUE(error.isEmpty()) << "a whole run saves as a whole trace: " << error.toStdString();
  EXPECT_EQ(reopened->size(), live.size());
  EXPECT_EQ(loopStateJson(reopened->timeline().stateAt(reopened->size())),
            loopStateJson(live.timeline().stateAt(live.size())));

  ASSERT_TRUE(live.exportChrome(dir.filePath(QStringLiteral("demo.json")), &error)) << error.toStdString();
  ASSERT_TRUE(live.exportCsv(dir.filePath(QStringLiteral("demo.csv")), &error)) << error.toStdString();
  EXPECT_GT(QFileInfo(dir.filePath(QStringLiteral("demo.json"))).size(), 1000);
  EXPECT_FALSE(live.exportCsv(QStringLiteral("/nonexistent-folder/demo.csv"), &error));
  EXPECT_TRUE(error.contains(QStringLiteral("Cannot write"))) << error.toStdString();
  for (const char* suffix : {"png", "svg", "pdf"}) {
    const QString picture = dir.filePath(QStringLiteral("window.") + QLatin1String(suffix));
    ASSERT_TRUE(window.saveWindowPicture(picture, &error)) << error.toStdString();
    EXPECT_GT(QFileInfo(picture).size(), 1000) << suffix;
  }
}

TEST(RunManyTest, CountsEachOutputOrderOverAllRuns) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("race.js"));
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write("setTimeout(() => console.log('timeout'), 0);\nsetImmediate(() => console.log('immediate'));\n");
  file.close();
  RunSettings settings;
  settings.snippetPath = path;
  for (bool traced : {false, true}) {
    RunManyDialog dialog(settings);
    QSignalSpy done(&dialog, &RunManyDialog::allRunsDone);
    dialog.startRuns(4, traced);
    ASSERT_TRUE(done.wait(60000));
    EXPECT_EQ(dialog.tally().runs(), 4) << (traced ? "traced" : "untraced");
    int counted = 0;
    for (const auto& row : dialog.tally().rows()) {
      counted += row.count;
      // Whichever order Node chose, both lines are there.
      EXPECT_EQ(row.lines.size(), 2);
      EXPECT_TRUE(row.lines.contains(QStringLiteral("timeout")));
    }
    EXPECT_EQ(counted, 4);
  }
}

TEST(MainWindowRunTest, StepModeWaitsAtEachGateUntilStepThenContinueRunsToTheEnd) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.show();
  window.setSnippetText(QStringLiteral("setTimeout(function first() { console.log('one'); }, 0);\n"
                                       "setTimeout(function second() { console.log('two'); }, 0);\n"),
                        QStringLiteral("steps.js"));
  window.setStepMode(true);
  QSignalSpy finished(&window, &MainWindow::runFinished);
  ASSERT_TRUE(window.run());
  // The engine starts paused before the main script: the live view shows a paused state.
  ASSERT_TRUE(QTest::qWaitFor([&] { return window.shownState().paused; }, 20000));
  for (int i = 0; i < 4; ++i) {
    const size_t seen = window.recording()->size();
    window.step();
    // Each step lets exactly one gate pass and then pauses again.
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return window.recording()->size() > seen && window.shownState().paused; }, 10000));
  }
  EXPECT_TRUE(window.isRunning()) << "still waiting for the user";
  EXPECT_TRUE(finished.isEmpty());
  window.continueRun();
  ASSERT_TRUE(finished.wait(20000));
  EXPECT_EQ(finished.takeFirst().at(0).value<RunOutcome>().kind, RunOutcome::Kind::Finished);
  window.refreshNow();
  window.seek(window.recording()->size());
  window.refreshNow();
  EXPECT_TRUE(window.shownState().finished);
  EXPECT_EQ(window.shownState().consoleLines, 2u);
}
