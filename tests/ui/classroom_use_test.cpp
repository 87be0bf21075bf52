// What went wrong when a teacher and a student used the app (issue 12 §1), each pinned on the real
// window, offscreen, running the real engine.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "engine_process.h"
#include "lessons/lesson_panel.h"
#include "main_window.h"
#include "recording.h"
#include "test_application.h"
#include "views/code_editor.h"
#include "views/heap_view.h"
#include "views/timeline_view.h"
#include "views/qcustomplot_include.h"

using loopscope::test::actionFor;
using loopscope::test::artifactPath;

using namespace loopscope;
using namespace loopscope::ui;

namespace {

QString writeSnippet(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
  const QString path = dir.filePath(name);
  QFile file(path);
  EXPECT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(text);
  return path;
}

bool waitForRunEnd(MainWindow& window, QSignalSpy& finished) {
  return finished.wait(60000) || (!finished.isEmpty() && !window.isRunning());
}

// The highest heap value the timeline's heap plot shows (MB): the left axis of the plot whose
// graphs carry the heap spaces.
double heapAxisTop(TimelineView& timeline) {
  for (int i = 0; i < timeline.plot()->graphCount(); ++i) {
    QCPGraph* graph = timeline.plot()->graph(i);
    if (graph->name().contains(QStringLiteral("old"))) return graph->valueAxis()->range().upper;
  }
  return -1;
}

}  // namespace

// --- 2. The first run looks finished ---------------------------------------------------------

TEST(FirstRunTest, RunKeyReplaysTheRunFromTheStartInsteadOfShowingItFinished) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 720);
  window.show();
  ASSERT_TRUE(window.loadSnippetFile(QStringLiteral(LOOPSCOPE_DEMO)));
  window.setReplaySpeedIndex(4);  // 60 events/s
  QAction* run = actionFor(window, QKeySequence(Qt::Key_F5));
  ASSERT_NE(run, nullptr);
  QSignalSpy finished(&window, &MainWindow::runFinished);
  run->trigger();
  ASSERT_TRUE(waitForRunEnd(window, finished));
  const size_t end = window.recording()->size();
  ASSERT_GT(end, 100u);
  EXPECT_TRUE(window.isPlaying()) << "F5 must show the loop turning, not the finished state";
  window.refreshNow();
  EXPECT_LT(window.position(), end / 2);
  EXPECT_FALSE(window.shownState().finished);
  const size_t before = window.position();
  QTest::qWait(400);
  EXPECT_GT(window.position(), before) << "the replay moves at the chosen speed";
  EXPECT_LT(window.position(), end) << "slow motion: not all at once";
}

TEST(FirstRunTest, LoadAndRunReplaysTheLessonSnippetFromTheStart) {
  loopscope::test::testApplication();
  loopscope::test::IsolatedSettings settings(QStringLiteral("FirstRunTest"));
  MainWindow window(MainWindow::Options{false});
  window.resize(1600, 1000);
  window.show();
  ASSERT_TRUE(window.openLesson(QStringLiteral("01")));
  window.setReplaySpeedIndex(4);
  QPushButton* loadAndRun = nullptr;
  for (QPushButton* button : window.lessonPanel()->findChildren<QPushButton*>())
    if (button->text() == QStringLiteral("Load && run")) loadAndRun = button;
  ASSERT_NE(loadAndRun, nullptr);
  QSignalSpy finished(&window, &MainWindow::runFinished);
  loadAndRun->click();
  ASSERT_TRUE(waitForRunEnd(window, finished));
  EXPECT_TRUE(window.isPlaying());
  EXPECT_LT(window.position(), window.recording()->size());
}

TEST(FirstRunTest, StepModeRunIsNotReplayedOverTheUsersSteps) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.show();
  window.setSnippetText(QStringLiteral("setTimeout(() => console.log('t'), 0);\n"), QStringLiteral("step.js"));
  window.setStepMode(true);
  QSignalSpy finished(&window, &MainWindow::runFinished);
  actionFor(window, QKeySequence(Qt::Key_F5))->trigger();
  QTest::qWait(300);
  window.continueRun();
  ASSERT_TRUE(waitForRunEnd(window, finished));
  EXPECT_FALSE(window.isPlaying());
  EXPECT_EQ(window.position(), window.recording()->size());
}

// --- 3. Stale state ---------------------------------------------------------------------------

TEST(StaleStateTest, OpeningAnotherSnippetClearsTheDashboardArrowAndPlots) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  // About 40 MB kept alive: the heap plot's axis grows far beyond what a tiny snippet needs.
  const QString big =
      writeSnippet(dir, QStringLiteral("big.js"),
                   "const keep = [];\n"
                   "for (let i = 0; i < 40; ++i) keep.push(Buffer.alloc(1 << 20, 1), new Array(131072).fill(i));\n"
                   "setTimeout(() => console.log(keep.length), 0);\n");
  const QString tiny = writeSnippet(dir, QStringLiteral("tiny.js"), "console.log('tiny');\n");
  MainWindow window(MainWindow::Options{false});
  window.resize(1280, 900);
  window.show();
  ASSERT_TRUE(window.loadSnippetFile(big));
  QSignalSpy finished(&window, &MainWindow::runFinished);
  ASSERT_TRUE(window.run());
  ASSERT_TRUE(waitForRunEnd(window, finished));
  // The play head on the timer's callback: the dashboard shows it and the arrow marks line 3.
  auto timer = window.recording()->timeline().beforeFirstCallbackOnLine(3);
  ASSERT_TRUE(timer);
  window.seek(*timer + 1);
  window.refreshNow();
  auto* editor = window.findChild<CodeEditor*>(QStringLiteral("SnippetEditor"));
  ASSERT_NE(editor, nullptr);
  EXPECT_EQ(editor->markedLine(), 3);
  ASSERT_TRUE(window.shownState().started);
  const double bigTop = heapAxisTop(*window.timelineView());
  EXPECT_GT(bigTop, 30.0) << "the big run's heap is on the plot";

  ASSERT_TRUE(window.loadSnippetFile(tiny));
  EXPECT_EQ(window.recording()->size(), 0u);
  EXPECT_FALSE(window.shownState().started) << "the dashboard still shows the previous run";
  EXPECT_EQ(editor->markedLine(), 0) << "the run arrow still sits on the old line";
  EXPECT_LT(heapAxisTop(*window.timelineView()), 10.0) << "the heap plot keeps the previous run's range";
  EXPECT_TRUE(window.bannerText().isEmpty());

  QSignalSpy tinyFinished(&window, &MainWindow::runFinished);
  ASSERT_TRUE(window.run());
  ASSERT_TRUE(waitForRunEnd(window, tinyFinished));
  window.refreshNow();
  EXPECT_LT(heapAxisTop(*window.timelineView()), 10.0) << "a 3 MB run is drawn on its own scale";
}

TEST(StaleStateTest, OpeningALessonClearsThePreviousRun) {
  loopscope::test::testApplication();
  loopscope::test::IsolatedSettings settings(QStringLiteral("StaleStateTest"));
  MainWindow window(MainWindow::Options{false});
  window.show();
  ASSERT_TRUE(window.loadSnippetFile(QStringLiteral(LOOPSCOPE_DEMO)));
  QSignalSpy finished(&window, &MainWindow::runFinished);
  ASSERT_TRUE(window.run());
  ASSERT_TRUE(waitForRunEnd(window, finished));
  window.refreshNow();
  ASSERT_TRUE(window.shownState().finished);
  ASSERT_TRUE(window.openLesson(QStringLiteral("02")));
  window.refreshNow();
  EXPECT_EQ(window.recording()->size(), 0u);
  EXPECT_FALSE(window.shownState().started);
}

TEST(StaleStateTest, ExportsAreNamedAfterTheSnippetThatRan) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  MainWindow window(MainWindow::Options{false});
  ASSERT_TRUE(window.loadSnippetFile(QStringLiteral(LOOPSCOPE_DEMO)));
  QSignalSpy finished(&window, &MainWindow::runFinished);
  ASSERT_TRUE(window.run());
  ASSERT_TRUE(waitForRunEnd(window, finished));
  EXPECT_EQ(window.exportBaseName(), QStringLiteral("demo"));
  const QString trace = dir.filePath(QStringLiteral("saved.lstrace"));
  QString error;
  ASSERT_TRUE(window.recording()->saveTrace(trace, &error)) << error.toStdString();
  // An unsaved snippet in the editor, then the trace opened again: its exports still say "demo".
  window.setSnippetText(QStringLiteral("console.log(1);\n"), QStringLiteral("scratch.js"));
  ASSERT_TRUE(window.openTraceFile(trace, &error)) << error.toStdString();
  EXPECT_EQ(window.exportBaseName(), QStringLiteral("demo"));
}

// --- 4. Out of memory -------------------------------------------------------------------------

TEST(OutOfMemoryTest, HeapExhaustionIsExplainedWithTheLimitNotAsACrash) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  const QString path =
      writeSnippet(dir, QStringLiteral("oom.js"),
                   "const keep = [];\n"
                   "setTimeout(() => { for (;;) keep.push(new Array(100000).fill(keep.length)); }, 0);\n");
  EngineProcess engine;
  Recording recording;
  QObject::connect(&engine, &EngineProcess::batchArrived,
                   [&](const std::shared_ptr<const TraceBatch>& batch) { recording.append(*batch); });
  QSignalSpy finished(&engine, &EngineProcess::finished);
  RunSettings settings;
  settings.snippetPath = path;
  settings.extraOptions = {QStringLiteral("--max-old-space-size"), QStringLiteral("64")};
  ASSERT_TRUE(engine.start(settings));
  ASSERT_TRUE(finished.wait(60000));
  recording.finishLive();
  const auto outcome = finished.takeFirst().at(0).value<RunOutcome>();
  const QString sentence = outcome.describe(recording.size());
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::OutOfMemory) << sentence.toStdString();
  EXPECT_TRUE(sentence.contains(QStringLiteral("ran out of JavaScript heap (limit 64 MB)"))) << sentence.toStdString();
  EXPECT_FALSE(sentence.contains(QStringLiteral("SIGABRT"))) << sentence.toStdString();

  // The arrays went to the large-object space: the heap panel shows it with its own gauge.
  HeapView heap;
  heap.resize(300, 260);
  heap.showState(recording.timeline().stateAt(recording.size()));
  heap.grab();
  EXPECT_TRUE(heap.drawnLabels().contains(QStringLiteral("Large objects")))
      << heap.drawnLabels().join(" | ").toStdString();
  for (const QString& label : heap.drawnLabels())
    EXPECT_FALSE(label.contains(QChar(0x2026))) << "clipped: " << label.toStdString();
}

TEST(OutOfMemoryTest, WithoutAnExplicitLimitTheSentenceEstimatesItFromV8sReport) {
  RunOutcome outcome;
  outcome.kind = RunOutcome::Kind::OutOfMemory;
  outcome.heapLimitMb = 2047.6;
  outcome.heapLimitEstimated = true;
  EXPECT_TRUE(outcome.describe(10).contains(QStringLiteral("ran out of JavaScript heap (limit about 2048 MB)")))
      << outcome.describe(10).toStdString();
}

TEST(OutOfMemoryTest, TheHeapSaysThereIsNoReadingBeforeTheFirstGcInsteadOfZero) {
  loopscope::test::testApplication();
  HeapView heap;
  heap.resize(300, 260);
  LoopState nothingYet;
  nothingYet.started = true;
  heap.showState(nothingYet);
  heap.grab();
  EXPECT_FALSE(heap.drawnLabels().isEmpty());
  EXPECT_TRUE(heap.drawnLabels().last().contains(QStringLiteral("end of each GC")))
      << heap.drawnLabels().join(" | ").toStdString();
}
