// The components wired into the main window, driven through it with real runs of the real
// engine on the offscreen platform: lessons (browser, panel, quiz graded by a run, `--lesson`) and
// the V8, Memory and Health tabs. Settings go to a temporary folder, so a learner's progress is
// never read or touched. Pictures land in build/test-artifacts/.
#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "engine_process.h"
#include "lessons/lesson_browser.h"
#include "lessons/lesson_library.h"
#include "lessons/lesson_panel.h"
#include "main_window.h"
#include "views/health_panel.h"
#include "views/memory_panel.h"
#include "views/v8_panel.h"
#include "test_application.h"

using loopscope::test::artifactPath;

using namespace loopscope;
using namespace loopscope::ui;

namespace {

const char kLesson02[] = "02-nexttick-setimmediate-settimeout";

QString snippet(const char* name) {
  return QDir(QStringLiteral(LOOPSCOPE_SNIPPETS)).filePath(QString::fromLatin1(name));
}

class AppIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loopscope::test::testApplication();
    m_settings = std::make_unique<loopscope::test::IsolatedSettings>(QStringLiteral("LoopscopeIntegrationTest"));
    ASSERT_TRUE(m_settings->isValid());
  }
  void TearDown() override { m_settings.reset(); }

  // A window as the automation interface makes one: laid out at 1280×720, never on a screen.
  static std::unique_ptr<MainWindow> window() {
    auto w = std::make_unique<MainWindow>(MainWindow::Options{false});
    w->setAttribute(Qt::WA_DontShowOnScreen);
    w->resize(1280, 720);
    w->show();
    return w;
  }

  static RunOutcome waitForRun(MainWindow& w, QSignalSpy& finished) {
    EXPECT_TRUE(finished.wait(60000)) << "the run did not end within 60 s";
    w.refreshNow();
    return finished.isEmpty() ? RunOutcome{} : finished.takeFirst().at(0).value<RunOutcome>();
  }

  std::unique_ptr<loopscope::test::IsolatedSettings> m_settings;
};

}  // namespace

TEST_F(AppIntegrationTest, OpeningALessonSelectsItShowsItsTextAndLoadsItsFirstSnippet) {
  auto w = window();
  EXPECT_FALSE(w->isLessonPanelShown());
  QString error;
  ASSERT_TRUE(w->openLesson(QStringLiteral("02"), &error)) << error.toStdString();
  const lessons::Lesson* lesson = w->lessonLibrary()->find(QString::fromLatin1(kLesson02));
  ASSERT_NE(lesson, nullptr);
  ASSERT_FALSE(lesson->snippets.empty());
  EXPECT_TRUE(w->isLessonPanelShown());
  EXPECT_EQ(w->lessonPanel()->lessonId(), QString::fromLatin1(kLesson02));
  EXPECT_EQ(w->lessonBrowser()->selectedLessonId(), QString::fromLatin1(kLesson02));
  EXPECT_EQ(QFileInfo(w->snippetPath()), QFileInfo(QString::fromStdString(lesson->snippets.front().path)));
  EXPECT_FALSE(w->isRunning()) << "opening a lesson must not run it: that would give the quiz away";

  // The browser's own signal goes the same way.
  Q_EMIT w->lessonBrowser()->lessonOpened(QStringLiteral("01-event-loop-phases"));
  EXPECT_EQ(w->lessonPanel()->lessonId(), QStringLiteral("01-event-loop-phases"));
  EXPECT_EQ(w->lessonBrowser()->selectedLessonId(), QStringLiteral("01-event-loop-phases"));

  EXPECT_FALSE(w->openLesson(QStringLiteral("nope"), &error));
  EXPECT_TRUE(error.startsWith(QStringLiteral("no lesson 'nope'; known lessons: 01-event-loop-phases")))
      << error.toStdString();
}

TEST_F(AppIntegrationTest, PredictQuizGradedThroughARealRunOfTheWindowIsCorrectForTheEnginesOrder) {
  auto w = window();
  ASSERT_TRUE(w->openLesson(QString::fromLatin1(kLesson02)));
  LessonPanel* panel = w->lessonPanel();
  const lessons::Lesson* lesson = w->lessonLibrary()->find(QString::fromLatin1(kLesson02));
  ASSERT_NE(lesson, nullptr);
  int item = -1;
  for (size_t i = 0; i < lesson->quiz.size(); ++i)
    if (lesson->quiz[i].kind == lessons::QuizItem::Kind::Predict && lesson->quiz[i].snippet == "inside-io.js")
      item = int(i);
  ASSERT_GE(item, 0);
  const lessons::Snippet* insideIo = nullptr;
  for (const auto& s : lesson->snippets)
    if (s.file == "inside-io.js") insideIo = &s;
  ASSERT_NE(insideIo, nullptr);
  QStringList expected;
  for (const auto& line : insideIo->outputs.front()) expected << QString::fromStdString(line);

  panel->selectQuizItem(item);
  panel->setPredictionOrder(expected);
  QPushButton* check = nullptr;
  for (QPushButton* b : panel->findChildren<QPushButton*>())
    if (b->text() == QStringLiteral("Check by running") && b->isVisibleTo(panel)) check = b;
  ASSERT_NE(check, nullptr);

  QSignalSpy finished(w.get(), &MainWindow::runFinished);
  check->click();
  EXPECT_TRUE(w->isRunning()) << "Check by running starts a run in the window";
  EXPECT_EQ(QFileInfo(w->snippetPath()), QFileInfo(QString::fromStdString(insideIo->path)));
  const RunOutcome outcome = waitForRun(*w, finished);
  ASSERT_EQ(outcome.kind, RunOutcome::Kind::Finished) << outcome.describe(0).toStdString();
  EXPECT_FALSE(panel->isWaitingForRun());
  EXPECT_TRUE(panel->lastGradeCorrect()) << panel->gradeText().toStdString();
  EXPECT_TRUE(panel->gradeText().startsWith(QStringLiteral("Correct — this is what the engine printed")))
      << panel->gradeText().toStdString();
  EXPECT_TRUE(w->lessonLibrary()->passedQuizItems(QString::fromLatin1(kLesson02)).contains(item));
  EXPECT_TRUE(w->saveWindowPicture(artifactPath(QStringLiteral("integration-lesson02-quiz.png"))));

  // A wrong order is graded against the same real run's stdout.
  QStringList wrong = expected;
  std::reverse(wrong.begin(), wrong.end());
  panel->setPredictionOrder(wrong);
  check->click();
  waitForRun(*w, finished);
  EXPECT_FALSE(panel->lastGradeCorrect());
  EXPECT_TRUE(panel->gradeText().startsWith(QStringLiteral("Not yet"))) << panel->gradeText().toStdString();
  // It names the first wrong line and the rule that decided it, and offers the callback.
  EXPECT_TRUE(panel->gradeText().contains(QStringLiteral("Line 1:"))) << panel->gradeText().toStdString();
  EXPECT_TRUE(panel->gradeText().contains(QStringLiteral("the check phase comes next")))
      << panel->gradeText().toStdString();
  ASSERT_GE(panel->lastWhyPosition(), 0);
  Q_EMIT panel->callbackRequested(panel->lastWhyPosition());
  w->refreshNow();
  ASSERT_TRUE(w->shownState().current.has_value());
  EXPECT_EQ(w->shownState().current->type, "Immediate") << "the play head is on the callback that printed line 1";
}

TEST_F(AppIntegrationTest, LessonSnippetRunsWithTheLessonsPoolSize) {
  auto w = window();
  const lessons::Lesson* lesson = w->lessonLibrary()->resolve(QStringLiteral("03"));
  ASSERT_NE(lesson, nullptr);
  const lessons::Snippet* oneSlot = nullptr;
  for (const auto& s : lesson->snippets)
    if (s.file == "one-slot.js") oneSlot = &s;
  ASSERT_NE(oneSlot, nullptr);
  ASSERT_EQ(snippetThreadpoolSize(*oneSlot, 4), 1);
  QSignalSpy finished(w.get(), &MainWindow::runFinished);
  ASSERT_TRUE(w->runLessonSnippet(QString::fromStdString(oneSlot->path)));
  const RunOutcome outcome = waitForRun(*w, finished);
  ASSERT_EQ(outcome.kind, RunOutcome::Kind::Finished) << outcome.describe(0).toStdString();
  w->seek(w->recording()->size());
  w->refreshNow();
  EXPECT_EQ(w->shownState().pool.size, 1);
}

TEST_F(AppIntegrationTest, LessonCommandLineRendersTheWindowWithTheLessonAndRejectsAnUnknownId) {
  const QString png = artifactPath(QStringLiteral("integration-cli-lesson02.png"));
  QFile::remove(png);
  const auto app = loopscope::test::runApp({"--lesson", "02", "--at", "end", "--snapshot", png}, png);
  ASSERT_TRUE(app.finished);
  EXPECT_TRUE(app.normalExit);
  EXPECT_EQ(app.exitCode, 0) << app.stderrText;
  EXPECT_GE(app.picture.width(), 1280);
  EXPECT_GE(app.picture.height(), 720);

  QProcess bad;
  bad.start(QStringLiteral(LOOPSCOPE_APP), {"--lesson", "nope", "--at", "end", "--snapshot", png});
  ASSERT_TRUE(bad.waitForFinished(30000));
  EXPECT_EQ(bad.exitCode(), 2);
  const QString said = QString::fromLocal8Bit(bad.readAllStandardError()).trimmed();
  EXPECT_TRUE(said.startsWith(QStringLiteral("loopscope: no lesson 'nope'; known lessons: "))) << said.toStdString();
  EXPECT_EQ(said.count(QLatin1Char('\n')), 0) << "one sentence";
}

TEST_F(AppIntegrationTest, AnalysisTabsReceiveTheTraceOfARealRun) {
  auto w = window();
  QSignalSpy finished(w.get(), &MainWindow::runFinished);

  ASSERT_TRUE(w->loadSnippetFile(snippet("memory.js")));
  ASSERT_TRUE(w->run());
  RunOutcome outcome = waitForRun(*w, finished);
  ASSERT_EQ(outcome.kind, RunOutcome::Kind::Finished) << outcome.describe(0).toStdString();
  w->seek(w->recording()->size());
  w->refreshNow();
  EXPECT_GE(w->memoryPanel()->snapshots().size(), 2u);
  EXPECT_FALSE(w->memoryPanel()->comparisonRows().isEmpty());
  EXPECT_FALSE(w->memoryPanel()->listenerRows().isEmpty());
  EXPECT_FALSE(w->v8Panel()->shapeRows().isEmpty()) << "memory.js checks hidden classes";
  ASSERT_TRUE(w->showAnalysisTab(QStringLiteral("memory")));
  EXPECT_EQ(w->currentAnalysisTab(), QStringLiteral("memory"));
  EXPECT_TRUE(w->saveWindowPicture(artifactPath(QStringLiteral("integration-memory-tab.png"))));
  // A row clicked in a panel moves the play head like a click on the timeline.
  Q_EMIT w->memoryPanel()->eventActivated(10);
  EXPECT_EQ(w->position(), 11u);

  ASSERT_TRUE(w->loadSnippetFile(snippet("blocking.js")));
  ASSERT_TRUE(w->run());
  outcome = waitForRun(*w, finished);
  ASSERT_EQ(outcome.kind, RunOutcome::Kind::Finished) << outcome.describe(0).toStdString();
  w->seek(w->recording()->size());
  w->refreshNow();
  EXPECT_FALSE(w->healthPanel()->warningRows().isEmpty()) << "blocking.js blocks the loop";
  EXPECT_FALSE(w->healthPanel()->summaryText().isEmpty());
  EXPECT_TRUE(w->memoryPanel()->snapshots().empty()) << "the new recording replaced the old one";
  ASSERT_TRUE(w->showAnalysisTab(QStringLiteral("health")));
  EXPECT_TRUE(w->saveWindowPicture(artifactPath(QStringLiteral("integration-health-tab.png"))));
  EXPECT_FALSE(w->showAnalysisTab(QStringLiteral("nope")));
}

TEST_F(AppIntegrationTest, HeapSnapshotActionAsksTheEngineDuringALiveRunOnly) {
  auto w = window();
  EXPECT_FALSE(w->requestHeapSnapshot()) << "no run, nothing to ask";
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("waits.js"));
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(
      "const keep = [];\nfor (let i = 0; i < 1000; i++) keep.push({ i });\nsetTimeout(() => console.log(keep.length), "
      "1500);\n");
  file.close();
  ASSERT_TRUE(w->loadSnippetFile(path));
  QSignalSpy finished(w.get(), &MainWindow::runFinished);
  ASSERT_TRUE(w->run());
  // Once the main script has run, the loop waits for the timer: a snapshot can be taken then.
  QTest::qWait(700);
  EXPECT_TRUE(w->requestHeapSnapshot());
  const RunOutcome outcome = waitForRun(*w, finished);
  ASSERT_EQ(outcome.kind, RunOutcome::Kind::Finished) << outcome.describe(0).toStdString();
  w->seek(w->recording()->size());
  w->refreshNow();
  ASSERT_EQ(w->memoryPanel()->snapshots().size(), 1u);
  EXPECT_EQ(QString::fromStdString(w->memoryPanel()->snapshots().front().label), QStringLiteral("taken in the app #1"));
}
