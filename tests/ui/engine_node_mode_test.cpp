// EngineProcess's node mode (startNode): the real engine run untraced as plain Node, in the folder
// and with the environment asked for, its output kept, and killed after the app's time-out.
#include <gtest/gtest.h>

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>

#include "engine_process.h"
#include "test_application.h"

using namespace loopscope::ui;

namespace {

RunOutcome runToEnd(const NodeRunSettings& settings) {
  EngineProcess engine;
  QSignalSpy finished(&engine, &EngineProcess::finished);
  EXPECT_TRUE(engine.startNode(settings));
  EXPECT_TRUE(engine.isRunning());
  if (finished.isEmpty()) { EXPECT_TRUE(finished.wait(60'000)) << "the engine did not end within 60 s"; }
  EXPECT_FALSE(engine.isRunning());
  return finished.isEmpty() ? RunOutcome{} : finished.takeFirst().at(0).value<RunOutcome>();
}

NodeRunSettings evaluating(const QString& code) {
  NodeRunSettings settings;
  settings.arguments = QStringList{QStringLiteral("-e"), code};
  return settings;
}

class EngineNodeModeTest : public ::testing::Test {
 protected:
  void SetUp() override { loopscope::test::testApplication(); }
};

}  // namespace

TEST_F(EngineNodeModeTest, RunsInTheGivenFolderWithVariablesAddedAndRemoved) {
  QTemporaryDir folder;
  ASSERT_TRUE(folder.isValid());
  qputenv("LOOPSCOPE_TEST_REMOVED", "still here");
  NodeRunSettings settings =
      evaluating(QStringLiteral("console.log(process.cwd()); console.log(process.env.LOOPSCOPE_TEST_ADDED);"
                                "console.log(String(process.env.LOOPSCOPE_TEST_REMOVED));"));
  settings.workingDirectory = folder.path();
  settings.addedEnvironment.insert(QStringLiteral("LOOPSCOPE_TEST_ADDED"), QStringLiteral("added"));
  settings.removedEnvironment << QStringLiteral("LOOPSCOPE_TEST_REMOVED");
  const RunOutcome outcome = runToEnd(settings);
  qunsetenv("LOOPSCOPE_TEST_REMOVED");
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::Finished) << outcome.stderrText.toStdString();
  EXPECT_EQ(QString::fromUtf8(outcome.stdoutText),
            QFileInfo(folder.path()).canonicalFilePath() + QStringLiteral("\nadded\nundefined\n"));
}

TEST_F(EngineNodeModeTest, MergedOutputKeepsStderrInStdoutInTheOrderWritten) {
  const QString code = QStringLiteral("console.log('one'); console.error('two'); console.log('three');");
  NodeRunSettings settings = evaluating(code);
  settings.mergeOutput = true;
  const RunOutcome merged = runToEnd(settings);
  EXPECT_EQ(merged.stdoutText, QByteArray("one\ntwo\nthree\n"));
  EXPECT_TRUE(merged.stderrText.isEmpty());

  const RunOutcome apart = runToEnd(evaluating(code));
  EXPECT_EQ(apart.stdoutText, QByteArray("one\nthree\n"));
  EXPECT_EQ(apart.stderrText, QByteArray("two\n"));
}

TEST_F(EngineNodeModeTest, ExitCodeOfTheProgramIsReportedAsItIs) {
  const RunOutcome outcome = runToEnd(evaluating(QStringLiteral("process.exit(3)")));
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::ExitCode);
  EXPECT_EQ(outcome.exitCode, 3);
  EXPECT_EQ(outcome.signal, 0);
}

TEST_F(EngineNodeModeTest, ProgramStillRunningAfterKillAfterMsIsKilledAndTimedOut) {
  NodeRunSettings settings = evaluating(QStringLiteral("setInterval(() => {}, 1000);"));
  settings.killAfterMs = 1000;
  const RunOutcome outcome = runToEnd(settings);
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::TimedOut);
  EXPECT_NE(outcome.signal, 0) << "killed, not exited";
}
