// The automation interface on a saved trace: `loopscope TRACE.lstrace --at ... --snapshot/--dump-state`
// shows what `--run FILE` shows for the same snippet, and answers bad input with one sentence.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <tuple>
#include <vector>

#include "automation.h"
#include "test_application.h"
#include "trace/trace.h"

using loopscope::test::artifactPath;
using namespace loopscope::ui;

namespace {

const QString kSeedOrder = QStringLiteral(LOOPSCOPE_SNIPPETS "/seed_order.js");
constexpr int kTickLine = 6;  // seed_order.js: process.nextTick(function tick() ...)

QString enginePath() {
  QString engine = qEnvironmentVariable("LOOPSCOPE_ENGINE");
  if (engine.isEmpty())
    engine = QFileInfo(QStringLiteral(LOOPSCOPE_APP)).dir().filePath(QStringLiteral("loopscope-engine"));
  return engine;
}

// Records `snippet` the way a user saves a trace from the command line.
QString record(const QTemporaryDir& dir, const QString& snippet, const QStringList& options = {}) {
  const QString trace = dir.filePath(QFileInfo(snippet).completeBaseName() + QStringLiteral(".lstrace"));
  QProcess engine;
  engine.setProcessChannelMode(QProcess::MergedChannels);
  engine.start(enginePath(),
               QStringList{QStringLiteral("run"), QStringLiteral("--trace"), trace} + options + QStringList{snippet});
  EXPECT_TRUE(engine.waitForFinished(60'000)) << snippet.toStdString();
  EXPECT_EQ(engine.exitCode(), 0) << engine.readAll().toStdString();
  return trace;
}

QJsonObject readJson(const QString& path) {
  QFile file(path);
  EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << path.toStdString();
  return QJsonDocument::fromJson(file.readAll()).object();
}

// The state without what depends on when things happened: times (every "*_ms" field), the event
// count (JIT and GC events come and go with timing) and the heap's sizes.
QJsonValue timingFree(const QJsonValue& value) {
  if (value.isArray()) {
    QJsonArray out;
    for (const QJsonValue& item : value.toArray()) out.append(timingFree(item));
    return out;
  }
  if (!value.isObject()) return value;
  QJsonObject out;
  const QJsonObject in = value.toObject();
  for (auto it = in.begin(); it != in.end(); ++it) {
    // Times, the heap and positions in the recording (the play head's; where an origin step or a
    // keep-alive item was created or ran) differ between two runs of the same snippet.
    static const QStringList kPositions{QStringLiteral("position"), QStringLiteral("createdAt"),
                                        QStringLiteral("ranAt"), QStringLiteral("keepingSince")};
    if (it.key().endsWith(QLatin1String("_ms")) || kPositions.contains(it.key()) || it.key() == QLatin1String("heap"))
      continue;
    out.insert(it.key(), timingFree(it.value()));
  }
  return out;
}

QString compact(const QJsonValue& value) {
  return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

struct Answer {
  bool finished = false;
  bool normalExit = false;
  int exitCode = -1;
  QString err;
};

Answer runProgram(const QStringList& arguments) {
  QProcess app;
  app.start(QStringLiteral(LOOPSCOPE_APP), arguments);
  Answer answer;
  answer.finished = app.waitForFinished(60'000);
  answer.normalExit = app.exitStatus() == QProcess::NormalExit;
  answer.exitCode = app.exitCode();
  answer.err = QString::fromLocal8Bit(app.readAllStandardError()).trimmed();
  return answer;
}

// The offsets of the blocks' payloads in a trace file (docs/trace-format.md: a 16-byte header,
// then blocks of [length][~length][CRC-32C][payload]).
std::vector<qsizetype> blockPayloads(const QByteArray& bytes) {
  std::vector<qsizetype> payloads;
  for (qsizetype at = 16; at + 12 <= bytes.size();) {
    const auto* p = reinterpret_cast<const uchar*>(bytes.constData() + at);
    const quint32 length = quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24;
    payloads.push_back(at + 12);
    at += 12 + qsizetype(length);
  }
  return payloads;
}

}  // namespace

TEST(SavedTraceAutomationTest, ASavedTraceIsTheArgumentWithoutAnOption) {
  QString error;
  EXPECT_TRUE(isAutomationCommandLine({"t.lstrace", "--at", "end", "--dump-state", "s.json"}));
  EXPECT_FALSE(isAutomationCommandLine({"t.lstrace"})) << "alone, a trace opens in the window";
  auto request =
      parseAutomationArguments({"t.lstrace", "--at", "event:3", "--tab", "events", "--dump-state", "s.json"}, &error);
  ASSERT_TRUE(request) << error.toStdString();
  EXPECT_EQ(request->tracePath, QStringLiteral("t.lstrace"));
  EXPECT_EQ(request->at, AutomationRequest::At::Event);
  EXPECT_EQ(request->atValue, 3);
  EXPECT_EQ(request->tab, QStringLiteral("events"));

  EXPECT_FALSE(parseAutomationArguments({"a.js", "--at", "end", "--dump-state", "s.json"}, &error));
  EXPECT_EQ(error, QStringLiteral("'a.js' is a snippet, not a saved trace: run it with --run a.js."))
      << error.toStdString();
  EXPECT_FALSE(
      parseAutomationArguments({"t.lstrace", "--run", "a.js", "--at", "end", "--dump-state", "s.json"}, &error));
  EXPECT_TRUE(error.contains(QStringLiteral("not several"))) << error.toStdString();
  EXPECT_FALSE(parseAutomationArguments({"t.lstrace", "u.lstrace", "--at", "end", "--dump-state", "s.json"}, &error));
  EXPECT_TRUE(error.startsWith(QStringLiteral("unexpected argument 'u.lstrace'"))) << error.toStdString();
  EXPECT_FALSE(parseAutomationArguments(
      {"t.lstrace", "--threadpool-size", "2", "--at", "end", "--dump-state", "s.json"}, &error));
  EXPECT_TRUE(error.startsWith(QStringLiteral("--threadpool-size applies to running a snippet")))
      << error.toStdString();
  EXPECT_FALSE(parseAutomationArguments({"--at", "end", "--dump-state", "s.json"}, &error));
  EXPECT_TRUE(error.startsWith(QStringLiteral("nothing to show"))) << error.toStdString();
}

TEST(SavedTraceAutomationTest, WritesTheSameStateAsTheRunOfTheSameSnippet) {
  loopscope::test::testApplication();
  QTemporaryDir dir;
  const QString trace = record(dir, kSeedOrder, {QStringLiteral("--threadpool-size"), QStringLiteral("2")});
  for (const auto& [at, value] :
       {std::pair{AutomationRequest::At::Line, long(kTickLine)}, std::pair{AutomationRequest::At::End, 0L}}) {
    SCOPED_TRACE(at == AutomationRequest::At::End ? "--at end" : "--at line:6");
    AutomationRequest fromRun;
    fromRun.snippetPath = kSeedOrder;
    fromRun.threadpoolSize = 2;
    fromRun.at = at;
    fromRun.atValue = value;
    fromRun.statePath = dir.filePath(QStringLiteral("run.json"));
    AutomationRequest fromTrace = fromRun;
    fromTrace.snippetPath.clear();
    fromTrace.tracePath = trace;
    fromTrace.statePath = dir.filePath(QStringLiteral("trace.json"));
    QString error, note;
    ASSERT_EQ(runAutomation(fromRun, &error, &note), 0) << error.toStdString();
    ASSERT_EQ(runAutomation(fromTrace, &error, &note), 0) << error.toStdString();
    EXPECT_TRUE(note.isEmpty()) << "a whole trace opens without a warning: " << note.toStdString();

    const QJsonObject run = readJson(fromRun.statePath), saved = readJson(fromTrace.statePath);
    EXPECT_EQ(compact(timingFree(saved)), compact(timingFree(run)));
    EXPECT_EQ(saved.value(QLatin1String("pool")).toObject().value(QLatin1String("size")).toInt(), 2);
    if (at == AutomationRequest::At::Line) {
      // The moment itself, so that two empty states cannot pass as equal.
      const QJsonObject queues = saved.value(QLatin1String("queues")).toObject();
      EXPECT_EQ(queues.value(QLatin1String("timers")).toArray().size(), 1);
      EXPECT_EQ(queues.value(QLatin1String("immediates")).toArray().size(), 1);
      EXPECT_EQ(queues.value(QLatin1String("microtasks")).toArray().size(), 1);
      EXPECT_FALSE(saved.value(QLatin1String("finished")).toBool());
    } else {
      EXPECT_TRUE(saved.value(QLatin1String("finished")).toBool());
    }
  }
}

TEST(SavedTraceAutomationTest, TheProgramOpensASavedTraceOffscreenAndExitsZero) {
  QTemporaryDir dir;
  const QString trace = record(dir, QStringLiteral(LOOPSCOPE_DEMO));
  const QString png = artifactPath(QStringLiteral("automation_saved_trace_end.png"));
  const QString json = dir.filePath(QStringLiteral("end.json"));
  QFile::remove(png);
  const auto app = loopscope::test::runApp({trace, "--at", "end", "--snapshot", png, "--dump-state", json}, png);
  ASSERT_TRUE(app.finished);
  EXPECT_TRUE(app.normalExit) << app.stderrText;
  EXPECT_EQ(app.exitCode, 0) << app.stderrText;
  EXPECT_TRUE(app.stderrText.empty()) << app.stderrText;
  EXPECT_GE(app.picture.width(), 1280);
  EXPECT_GE(app.picture.height(), 720);
  const QJsonObject state = readJson(json);
  EXPECT_TRUE(state.value(QLatin1String("finished")).toBool());
  const loopscope::TraceFile file = loopscope::readTraceFile(trace.toStdString());
  EXPECT_EQ(state.value(QLatin1String("position")).toInteger(), qint64(file.trace.size()));
}

TEST(SavedTraceAutomationTest, BadInputGetsOneSentenceAndANonZeroExit) {
  QTemporaryDir dir;
  const QString trace = record(dir, kSeedOrder);
  const QString json = dir.filePath(QStringLiteral("state.json"));
  const QString text = dir.filePath(QStringLiteral("notes.lstrace"));
  {
    QFile file(text);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("these are notes, not a recording\n");
  }
  struct Case {
    QStringList arguments;
    QString sentenceStart;
  };
  const QString missing = dir.filePath(QStringLiteral("gone.lstrace"));
  const std::vector<Case> cases{
      {{missing, "--at", "end", "--dump-state", json},
       QStringLiteral("loopscope: cannot open the trace '%1': there is no such file.").arg(missing)},
      {{text, "--at", "end", "--dump-state", json},
       QStringLiteral("loopscope: cannot open the trace: '%1': it is not a Loopscope trace").arg(text)},
      {{trace, "--at", "event:999999999", "--dump-state", json},
       QStringLiteral("loopscope: --at event:999999999 is past the end: the trace holds ")},
      {{trace, "--at", "line:0", "--dump-state", json},
       QStringLiteral("loopscope: --at must be end, event:N (N ≥ 0) or line:L (L ≥ 1), not 'line:0'.")},
      {{trace, "--at", "line:2", "--dump-state", json},
       QStringLiteral("loopscope: --at line:2: no callback whose function starts on line 2 of seed_order.js ran; "
                      "callbacks of this trace start on lines 3, 4, 5, 6.")},
      {{trace, "--at", "halfway", "--dump-state", json},
       QStringLiteral("loopscope: --at must be end, event:N (N ≥ 0) or line:L (L ≥ 1), not 'halfway'.")},
      {{trace, "--timeout", "5", "--at", "end", "--dump-state", json},
       QStringLiteral("loopscope: --timeout applies to running a snippet")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.arguments.join(QLatin1Char(' ')).toStdString());
    QFile::remove(json);
    const Answer answer = runProgram(c.arguments);
    ASSERT_TRUE(answer.finished);
    EXPECT_TRUE(answer.normalExit) << "aborted: " << answer.err.toStdString();
    EXPECT_EQ(answer.exitCode, 2) << answer.err.toStdString();
    EXPECT_TRUE(answer.err.startsWith(c.sentenceStart)) << answer.err.toStdString();
    EXPECT_EQ(answer.err.count(QLatin1Char('\n')), 0) << "one sentence: " << answer.err.toStdString();
    EXPECT_FALSE(QFile::exists(json)) << "nothing is written on bad input";
  }
}

TEST(SavedTraceAutomationTest, ADamagedTraceShowsWhatPrecedesTheDamageWithAWarning) {
  QTemporaryDir dir;
  const QString whole = record(dir, QStringLiteral(LOOPSCOPE_DEMO));
  QFile file(whole);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QByteArray bytes = file.readAll();
  const std::vector<qsizetype> payloads = blockPayloads(bytes);
  ASSERT_GE(payloads.size(), 3u) << "the demo's trace spans several blocks";
  const size_t wholeEvents = loopscope::readTraceFile(whole.toStdString()).trace.size();

  // One flipped byte in a middle block, and a file cut in the middle of its last block.
  QByteArray flipped = bytes;
  flipped[payloads[payloads.size() / 2] + 1] = char(flipped[payloads[payloads.size() / 2] + 1] ^ 0x40);
  const QByteArray cut = bytes.left(payloads.back() + 1);  // no record is shorter than 3 bytes
  for (const auto& [name, damaged, says] :
       {std::tuple{"flipped.lstrace", flipped, "is corrupt"}, std::tuple{"cut.lstrace", cut, "cut short"}}) {
    SCOPED_TRACE(name);
    const QString path = dir.filePath(QLatin1String(name));
    QFile out(path);
    ASSERT_TRUE(out.open(QIODevice::WriteOnly));
    out.write(damaged);
    out.close();
    const QString json = dir.filePath(QStringLiteral("damaged.json"));
    const QString png =
        artifactPath(QStringLiteral("automation_saved_trace_%1.png").arg(QFileInfo(path).completeBaseName()));
    const auto app = loopscope::test::runApp({path, "--at", "end", "--snapshot", png, "--dump-state", json}, png);
    ASSERT_TRUE(app.finished);
    EXPECT_TRUE(app.normalExit) << app.stderrText;
    EXPECT_EQ(app.exitCode, 0) << app.stderrText;
    const QString said = QString::fromStdString(app.stderrText).trimmed();
    EXPECT_TRUE(said.startsWith(QStringLiteral("loopscope: warning: '%1'").arg(path))) << app.stderrText;
    EXPECT_TRUE(said.contains(QLatin1String(says))) << app.stderrText;
    EXPECT_GE(app.picture.width(), 1280);
    const qint64 shown = readJson(json).value(QLatin1String("position")).toInteger();
    EXPECT_GT(shown, 0);
    EXPECT_LT(shown, qint64(wholeEvents)) << "the events after the damage are not shown";
  }
}
