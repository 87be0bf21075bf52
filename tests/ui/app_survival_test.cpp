// Whatever the snippet does to its process, the app stays up, keeps what was recorded and says
// what happened.
#include <gtest/gtest.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include "main_window.h"
#include "recording.h"
#include "test_application.h"

using namespace loopscope;
using namespace loopscope::ui;

namespace {

struct Ran {
  RunOutcome outcome;
  qint64 elapsedMs = 0;
};

Ran runSnippet(MainWindow& window, const QString& source, double timeoutSeconds = 10) {
  window.setSnippetText(source, QStringLiteral("snippet.js"));
  window.setTimeoutSeconds(timeoutSeconds);
  QSignalSpy finished(&window, &MainWindow::runFinished);
  QElapsedTimer clock;
  clock.start();
  EXPECT_TRUE(window.run());
  EXPECT_TRUE(finished.wait(60000));
  Ran ran;
  ran.elapsedMs = clock.elapsed();
  if (!finished.isEmpty()) ran.outcome = finished.takeFirst().at(0).value<RunOutcome>();
  return ran;
}

int consoleEvents(const Trace& trace) {
  int n = 0;
  for (const Event& ev : trace.events()) n += ev.kind == EventKind::Console;
  return n;
}

}  // namespace

TEST(AppSurvivalTest, AbortingSnippetIsReportedAsACrashAndItsEventsAreKept) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.show();
  const Ran ran = runSnippet(window, QStringLiteral("console.log('before the abort');\nprocess.abort();\n"));
  EXPECT_EQ(ran.outcome.kind, RunOutcome::Kind::Crashed) << ran.outcome.describe(0).toStdString();
  EXPECT_TRUE(window.bannerText().contains(QStringLiteral("crashed"))) << window.bannerText().toStdString();
  EXPECT_TRUE(window.bannerText().contains(QStringLiteral("SIGABRT"))) << window.bannerText().toStdString();
  ASSERT_NE(window.recording(), nullptr);
  EXPECT_EQ(consoleEvents(window.recording()->trace()), 1) << "what was printed before the abort is kept";
  // The window still works: the next run goes through.
  EXPECT_EQ(runSnippet(window, QStringLiteral("console.log('fine again');\n")).outcome.kind,
            RunOutcome::Kind::Finished);
}

TEST(AppSurvivalTest, EndlessLoopIsStoppedByTheTimeoutAndReported) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.show();
  const Ran ran = runSnippet(window, QStringLiteral("console.log('spinning');\nfor (;;) {}\n"), 1);
  EXPECT_EQ(ran.outcome.kind, RunOutcome::Kind::TimedOut) << ran.outcome.describe(0).toStdString();
  EXPECT_LT(ran.elapsedMs, 15000);
  EXPECT_TRUE(window.bannerText().contains(QStringLiteral("time-out"))) << window.bannerText().toStdString();
  EXPECT_EQ(consoleEvents(window.recording()->trace()), 1);
}

TEST(AppSurvivalTest, ProcessExitIsReportedWithItsExitCode) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.show();
  const Ran ran = runSnippet(window, QStringLiteral("setTimeout(() => {}, 1000);\nprocess.exit(3);\n"));
  EXPECT_EQ(ran.outcome.kind, RunOutcome::Kind::ExitCode);
  EXPECT_EQ(ran.outcome.exitCode, 3);
  EXPECT_TRUE(window.bannerText().contains(QStringLiteral("exit code 3"))) << window.bannerText().toStdString();
  ASSERT_NE(window.recording()->trace().runEnd(), nullptr) << "process.exit() still completes the trace";
}

TEST(AppSurvivalTest, StopEndsARunThatWouldNeverEnd) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.show();
  window.setSnippetText(QStringLiteral("setInterval(() => console.log('tick'), 20);\n"), QStringLiteral("forever.js"));
  window.setTimeoutSeconds(60);
  QSignalSpy finished(&window, &MainWindow::runFinished);
  ASSERT_TRUE(window.run());
  // Wait until it really runs (a few ticks were recorded), then stop it as Shift+F5 would.
  EXPECT_TRUE(QTest::qWaitFor([&] { return consoleEvents(window.recording()->trace()) >= 3; }, 20000));
  window.stop();
  ASSERT_TRUE(finished.wait(10000));
  const auto outcome = finished.takeFirst().at(0).value<RunOutcome>();
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::Stopped) << outcome.describe(0).toStdString();
  EXPECT_FALSE(window.isRunning());
  EXPECT_GE(consoleEvents(window.recording()->trace()), 3);
}

TEST(AppSurvivalTest, SyntaxErrorIsReportedInOneSentence) {
  loopscope::test::testApplication();
  MainWindow window(MainWindow::Options{false});
  window.show();
  const Ran ran = runSnippet(window, QStringLiteral("console.log('unclosed';\n"));
  EXPECT_NE(ran.outcome.kind, RunOutcome::Kind::Finished);
  EXPECT_FALSE(window.bannerText().isEmpty());
  EXPECT_TRUE(window.bannerText().contains(QStringLiteral("SyntaxError"))) << window.bannerText().toStdString();
}
