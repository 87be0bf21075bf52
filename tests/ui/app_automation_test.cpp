// The automation interface: `loopscope --run FILE --at ... --snapshot/--dump-state`.
#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include "automation.h"
#include "test_application.h"

using loopscope::test::artifactPath;

using namespace loopscope::ui;

namespace {

QJsonObject readJson(const QString& path) {
  QFile file(path);
  EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
  QJsonParseError error;
  QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
  EXPECT_EQ(error.error, QJsonParseError::NoError) << error.errorString().toStdString();
  return doc.object();
}

void expectStateKeys(const QJsonObject& state) {
  for (const char* key : {"phase", "iteration", "current", "queues", "pool", "heap", "streams"})
    EXPECT_TRUE(state.contains(QLatin1String(key))) << "missing key " << key;
  const QJsonObject queues = state.value(QLatin1String("queues")).toObject();
  for (const char* key : {"timers", "immediates", "nextTick", "microtasks"})
    EXPECT_TRUE(queues.contains(QLatin1String(key))) << "missing queues." << key;
  // libuv's pending and closing queues cannot be seen before they run: no column pretends to.
  for (const char* key : {"pending", "close"})
    EXPECT_FALSE(queues.contains(QLatin1String(key))) << "queues." << key << " is never recorded";
  const QJsonObject pool = state.value(QLatin1String("pool")).toObject();
  for (const char* key : {"size", "slots", "backlog"})
    EXPECT_TRUE(pool.contains(QLatin1String(key))) << "missing pool." << key;
  const QJsonObject heap = state.value(QLatin1String("heap")).toObject();
  for (const char* key : {"new_space", "old_space"})
    EXPECT_TRUE(heap.contains(QLatin1String(key))) << "missing heap." << key;
}

}  // namespace

TEST(AutomationTest, ParsesEveryFormOfAt) {
  QString error;
  auto end = parseAutomationArguments({"--run", "a.js", "--at", "end", "--snapshot", "x.png"}, &error);
  ASSERT_TRUE(end) << error.toStdString();
  EXPECT_EQ(end->at, AutomationRequest::At::End);
  auto event = parseAutomationArguments({"--run", "a.js", "--at", "event:42", "--dump-state", "s.json"}, &error);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->at, AutomationRequest::At::Event);
  EXPECT_EQ(event->atValue, 42);
  auto line = parseAutomationArguments(
      {"--run", "a.js", "--threadpool-size", "2", "--at", "line:7", "--dump-state", "s.json"}, &error);
  ASSERT_TRUE(line);
  EXPECT_EQ(line->at, AutomationRequest::At::Line);
  EXPECT_EQ(line->atValue, 7);
  EXPECT_EQ(line->threadpoolSize, 2);
}

TEST(AutomationTest, BadInputGetsOneClearSentence) {
  QString error;
  EXPECT_FALSE(parseAutomationArguments({"--run", "a.js", "--at", "middle", "--snapshot", "x.png"}, &error));
  EXPECT_TRUE(error.contains(QStringLiteral("--at must be"))) << error.toStdString();
  EXPECT_FALSE(parseAutomationArguments({"--run", "a.js", "--at", "line:0", "--snapshot", "x.png"}, &error));
  EXPECT_FALSE(parseAutomationArguments({"--run", "a.js", "--snapshot", "x.png"}, &error));
  EXPECT_TRUE(error.contains(QStringLiteral("--at is missing"))) << error.toStdString();
  EXPECT_FALSE(parseAutomationArguments({"--run", "a.js", "--at", "end"}, &error));
  EXPECT_FALSE(parseAutomationArguments(
      {"--run", "a.js", "--at", "end", "--threadpool-size", "0", "--snapshot", "x.png"}, &error));

  loopscope::test::testApplication();
  AutomationRequest missing;
  missing.snippetPath = QStringLiteral("/nonexistent/snippet.js");
  missing.statePath = QStringLiteral("/tmp/never-written.json");
  EXPECT_NE(runAutomation(missing, &error), 0);
  EXPECT_TRUE(error.contains(QStringLiteral("no such file"))) << error.toStdString();
}

TEST(AutomationTest, WritesAWindowPictureAndTheStateAtALine) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  AutomationRequest request;
  request.snippetPath = QStringLiteral(LOOPSCOPE_DEMO);
  request.at = AutomationRequest::At::Line;
  request.atValue = 28;  // immediateFromIo: queued inside the fs.readFile callback, runs in check
  request.snapshotPath = artifactPath(QStringLiteral("automation_demo_line28.png"));
  request.statePath = dir.filePath(QStringLiteral("state.json"));
  QString error;
  ASSERT_EQ(runAutomation(request, &error), 0) << error.toStdString();

  QImage picture(request.snapshotPath);
  ASSERT_FALSE(picture.isNull());
  EXPECT_GE(picture.width(), 1280);
  EXPECT_GE(picture.height(), 720);
  const QJsonObject state = readJson(request.statePath);
  expectStateKeys(state);
  EXPECT_EQ(state.value(QLatin1String("phase")).toString(), QStringLiteral("check"));
}

TEST(AutomationTest, TheProgramItselfRunsOffscreenAndExitsZero) {
  QTemporaryDir dir;
  const QString png = artifactPath(QStringLiteral("automation_cli_end.png"));
  const QString json = dir.filePath(QStringLiteral("end.json"));
  const auto app = loopscope::test::runApp(
      {"--run", LOOPSCOPE_DEMO, "--threadpool-size", "2", "--at", "end", "--snapshot", png, "--dump-state", json}, png);
  ASSERT_TRUE(app.finished);
  EXPECT_TRUE(app.normalExit);
  EXPECT_EQ(app.exitCode, 0) << app.stderrText;
  EXPECT_GE(app.picture.width(), 1280);
  EXPECT_GE(app.picture.height(), 720);
  const QJsonObject state = readJson(json);
  expectStateKeys(state);
  EXPECT_EQ(state.value(QLatin1String("pool")).toObject().value(QLatin1String("size")).toInt(), 2);

  QProcess bad;
  bad.start(QStringLiteral(LOOPSCOPE_APP), {"--run", LOOPSCOPE_DEMO, "--at", "sometime", "--snapshot", png});
  ASSERT_TRUE(bad.waitForFinished(30000));
  EXPECT_NE(bad.exitCode(), 0);
  const QString said = QString::fromLocal8Bit(bad.readAllStandardError()).trimmed();
  EXPECT_TRUE(said.startsWith(QStringLiteral("loopscope: --at must be"))) << said.toStdString();
  EXPECT_EQ(said.count(QLatin1Char('\n')), 0) << "one sentence";
}
