// The `loopscope` program's command line when there is no display at all (an SSH session): the
// usage and bad options are answered before Qt looks for a window system.
#include <gtest/gtest.h>

#include <QProcess>
#include <QProcessEnvironment>
#include <QFile>
#include <QImage>

#include "test_application.h"

namespace {

struct Answer {
  bool finished = false;
  bool normalExit = false;
  int exitCode = -1;
  QString out, err;
};

// Runs the real program as a shell without X11 or Wayland would: no DISPLAY, no WAYLAND_DISPLAY
// and no QT_QPA_PLATFORM (which the test program itself sets to offscreen).
Answer runWithoutDisplay(const QStringList& arguments) {
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
    environment.remove(QString::fromLatin1(name));
  QProcess app;
  app.setProcessEnvironment(environment);
  app.start(QStringLiteral(LOOPSCOPE_APP), arguments);
  Answer answer;
  answer.finished = app.waitForFinished(60000);
  answer.normalExit = app.exitStatus() == QProcess::NormalExit;
  answer.exitCode = app.exitCode();
  answer.out = QString::fromUtf8(app.readAllStandardOutput());
  answer.err = QString::fromUtf8(app.readAllStandardError());
  return answer;
}

}  // namespace

TEST(AppCommandLineTest, HelpWithoutADisplayPrintsTheUsage) {
  for (const char* option : {"--help", "-h"}) {
    const Answer answer = runWithoutDisplay({QString::fromLatin1(option)});
    ASSERT_TRUE(answer.finished) << option;
    EXPECT_TRUE(answer.normalExit) << option << " aborted: " << answer.err.toStdString();
    EXPECT_EQ(answer.exitCode, 0) << option << ": " << answer.err.toStdString();
    EXPECT_TRUE(answer.out.startsWith(QStringLiteral("usage:"))) << answer.out.toStdString();
    EXPECT_TRUE(answer.out.contains(QStringLiteral("--snapshot"))) << answer.out.toStdString();
    EXPECT_TRUE(answer.out.contains(QStringLiteral("loopscope TRACE.lstrace [--theme"))) << answer.out.toStdString();
  }
  const Answer version = runWithoutDisplay({QStringLiteral("--version")});
  EXPECT_TRUE(version.normalExit);
  EXPECT_EQ(version.exitCode, 0) << version.err.toStdString();
  EXPECT_TRUE(version.out.startsWith(QStringLiteral("loopscope "))) << version.out.toStdString();
}

TEST(AppCommandLineTest, UnknownOptionWithoutADisplayGetsOneSentenceAndTheUsage) {
  const Answer answer = runWithoutDisplay({QStringLiteral("--bogus")});
  ASSERT_TRUE(answer.finished);
  EXPECT_TRUE(answer.normalExit) << "aborted: " << answer.err.toStdString();
  EXPECT_EQ(answer.exitCode, 2);
  EXPECT_TRUE(answer.err.startsWith(QStringLiteral("loopscope: unexpected arguments '--bogus'")))
      << answer.err.toStdString();
  EXPECT_TRUE(answer.err.contains(QStringLiteral("usage:"))) << answer.err.toStdString();
}

TEST(AppCommandLineTest, TheWindowWithoutADisplaySaysWhatToDoInsteadOfAborting) {
  const Answer answer = runWithoutDisplay({});
  ASSERT_TRUE(answer.finished);
  EXPECT_TRUE(answer.normalExit) << "aborted: " << answer.err.toStdString();
  EXPECT_EQ(answer.exitCode, 2);
  EXPECT_TRUE(answer.err.contains(QStringLiteral("no display"))) << answer.err.toStdString();
  EXPECT_TRUE(answer.err.contains(QStringLiteral("--snapshot"))) << answer.err.toStdString();
}

TEST(AppCommandLineTest, AutomationWithoutADisplayDrawsOffscreen) {
  const QString png = loopscope::test::artifactPath(QStringLiteral("command_line_no_display.png"));
  QFile::remove(png);
  const Answer answer =
      runWithoutDisplay({QStringLiteral("--run"), QStringLiteral(LOOPSCOPE_DEMO), QStringLiteral("--at"),
                         QStringLiteral("end"), QStringLiteral("--snapshot"), png});
  ASSERT_TRUE(answer.finished);
  EXPECT_TRUE(answer.normalExit) << "aborted: " << answer.err.toStdString();
  EXPECT_EQ(answer.exitCode, 0) << answer.err.toStdString();
  EXPECT_FALSE(QImage(png).isNull());
}
