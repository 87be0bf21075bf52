// "Why did this run?" and "what keeps the loop alive" through the real app and engine: selecting
// a callback from a queue card, a timeline span or an event row shows its origin chain back to
// the main script, draws it on the timeline, and Ctrl+J jumps to where it was created and back;
// the Keeps alive tab lists a listening server and a pending timer while they hold the loop;
// --dump-state carries both.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "interpret/records.h"
#include "main_window.h"
#include "recording.h"
#include "test_application.h"
#include "views/keep_alive_panel.h"
#include "views/origin_panel.h"
#include "views/queues_view.h"
#include "views/timeline_view.h"

using loopscope::test::actionFor;
using loopscope::test::artifactPath;

using namespace loopscope;
using namespace loopscope::ui;

namespace {

// A setTimeout inside a setImmediate inside a nextTick: the timeout's origin has four steps.
constexpr char kNested[] =
    "process.nextTick(function tick() {\n"
    "  setImmediate(function immediate() {\n"
    "    setTimeout(function timeout() {\n"
    "      console.log('nested');\n"
    "    }, 5);\n"
    "  });\n"
    "});\n";

// A server that listens until a timer closes it, and a timer that fires before that.
constexpr char kServer[] =
    "const net = require('net');\n"
    "const server = net.createServer();\n"
    "server.listen(0, '127.0.0.1', function listening() {\n"
    "  setTimeout(function stop() {\n"
    "    server.close();\n"
    "  }, 40);\n"
    "});\n";

bool runSnippet(MainWindow& window, const char* source, const char* name) {
  window.setSnippetText(QString::fromUtf8(source), QString::fromLatin1(name));
  QSignalSpy finished(&window, &MainWindow::runFinished);
  if (!window.run()) return false;
  if (!finished.wait(60000)) return false;
  window.pause();
  return finished.takeFirst().at(0).value<RunOutcome>().kind == RunOutcome::Kind::Finished;
}

// The first main-thread event of `kind` about `asyncId` (any when 0), from `from` on.
size_t find(const Trace& trace, EventKind kind, int64_t asyncId = 0, size_t from = 0) {
  const auto& events = trace.events();
  for (size_t i = from; i < events.size(); ++i)
    if (events[i].kind == kind && events[i].thread == kMainThread && (asyncId == 0 || events[i].a() == asyncId))
      return i;
  return size_t(-1);
}

struct Window {
  Window() : window(MainWindow::Options{false}) {
    window.resize(1280, 720);
    window.show();
  }
  MainWindow window;
};

}  // namespace

TEST(WhyDidThisRun, ANestedTimeoutLeadsBackThroughItsImmediateAndTickToTheMainScript) {
  loopscope::test::testApplication();
  Window w;
  ASSERT_TRUE(runSnippet(w.window, kNested, "nested.js"));
  const Trace& trace = w.window.recording()->trace();
  const size_t scheduled = find(trace, EventKind::TimerScheduled);
  ASSERT_NE(scheduled, size_t(-1));
  const int64_t timeout = trace.events()[scheduled].a();
  const size_t ran = find(trace, EventKind::CallbackEnter, timeout);
  ASSERT_NE(ran, size_t(-1));

  // Clicking the timeout's span on the timeline (its CallbackEnter) selects it.
  w.window.showAnalysisTab(QStringLiteral("timeline"));
  Q_EMIT w.window.timelineView()->eventClicked(ran);
  OriginPanel* panel = w.window.originPanel();
  EXPECT_EQ(panel->selectedCallback(), timeout);
  const auto& chain = panel->chain();
  ASSERT_EQ(chain.size(), 4u);
  const QStringList rows = panel->rowTexts();
  ASSERT_EQ(rows.size(), 4);
  // Each row was created while the row below it ran ("by ...").
  EXPECT_TRUE(rows[0].startsWith(QStringLiteral("setTimeout · timeout (line 3) · by immediate (line 2) · at ")))
      << rows[0].toStdString();
  EXPECT_TRUE(rows[1].startsWith(QStringLiteral("setImmediate · immediate (line 2) · by tick (line 1)")))
      << rows[1].toStdString();
  EXPECT_TRUE(rows[2].startsWith(QStringLiteral("process.nextTick · tick (line 1) · by main script")))
      << rows[2].toStdString();
  EXPECT_TRUE(rows[3].startsWith(QStringLiteral("main script · main script · the program's start")))
      << rows[3].toStdString();
  EXPECT_EQ(chain[0].createdAt, scheduled);

  // The timeline draws the three creations that led to it.
  const auto& arrows = w.window.timelineView()->originArrows();
  ASSERT_EQ(arrows.size(), 3u);
  EXPECT_EQ(arrows[0].createdAt, scheduled);
  EXPECT_EQ(arrows[0].ranAt, ran);

  // Ctrl+J: to just after the setTimeout call; again: back to where the play head was.
  QAction* jump = actionFor(w.window, QKeySequence(Qt::CTRL | Qt::Key_J));
  ASSERT_NE(jump, nullptr);
  const size_t before = w.window.position();
  jump->trigger();
  EXPECT_EQ(w.window.position(), scheduled + 1);
  w.window.refreshNow();
  EXPECT_EQ(w.window.shownState().timers.size(), 1u) << "the timeout has just been queued";
  jump->trigger();
  EXPECT_EQ(w.window.position(), before);

  w.window.showAnalysisTab(QStringLiteral("origin"));
  w.window.refreshNow();
  QCoreApplication::processEvents();
  EXPECT_TRUE(w.window.saveWindowPicture(artifactPath(QStringLiteral("why_origin_tab.png"))));
}

TEST(WhyDidThisRun, AQueueCardAndAnEventRowSelectTheirCallback) {
  loopscope::test::testApplication();
  Window w;
  ASSERT_TRUE(runSnippet(w.window, kNested, "nested.js"));
  const Trace& trace = w.window.recording()->trace();
  const size_t scheduled = find(trace, EventKind::ImmediateScheduled);
  ASSERT_NE(scheduled, size_t(-1));
  const int64_t immediate = trace.events()[scheduled].a();

  // The immediate waits in its queue: its card is there to click.
  w.window.seek(scheduled + 1);
  w.window.refreshNow();
  auto* queues = w.window.findChild<QueuesView*>();
  ASSERT_NE(queues, nullptr);
  const QRectF card = queues->cardRect(immediate);
  ASSERT_FALSE(card.isNull()) << "the immediate's card is shown";
  QTest::mouseClick(queues, Qt::LeftButton, {}, card.center().toPoint());
  EXPECT_EQ(w.window.originPanel()->selectedCallback(), immediate);
  EXPECT_EQ(w.window.originPanel()->chain().size(), 3u) << "immediate ← tick ← main script";

  // An event row about a console line selects the callback that printed it.
  const size_t printed = find(trace, EventKind::Console);
  ASSERT_NE(printed, size_t(-1));
  ASSERT_TRUE(w.window.selectCallbackAt(printed));
  EXPECT_EQ(trace.asyncType(w.window.originPanel()->selectedCallback()), "Timeout");
}

TEST(KeepsTheLoopAlive, AListeningServerAndAPendingTimerAreListedUntilTheyEnd) {
  loopscope::test::testApplication();
  Window w;
  ASSERT_TRUE(runSnippet(w.window, kServer, "server.js"));
  const Trace& trace = w.window.recording()->trace();
  int64_t server = 0;
  for (const Event& ev : trace.events())
    if (ev.kind == EventKind::AsyncInit && trace.str(as<record::AsyncInit>(ev).typeString) == "TCPSERVERWRAP")
      server = ev.a();
  ASSERT_NE(server, 0);
  const size_t listening = find(trace, EventKind::HandleActive, server);
  const size_t timerSet = find(trace, EventKind::TimerScheduled);
  const size_t timerRan =
      find(trace, EventKind::CallbackEnter, timerSet == size_t(-1) ? 0 : trace.events()[timerSet].a());
  const size_t closed = find(trace, EventKind::HandleClosed, server);
  ASSERT_NE(listening, size_t(-1));
  ASSERT_NE(timerRan, size_t(-1));
  ASSERT_NE(closed, size_t(-1));
  ASSERT_LT(listening, timerSet);

  w.window.showAnalysisTab(QStringLiteral("alive"));
  KeepAlivePanel* panel = w.window.keepAlivePanel();
  auto rowsAt = [&](size_t position) {
    w.window.seek(position);
    w.window.refreshNow();
    return panel->rowTexts();
  };
  const QStringList listeningRows = rowsAt(listening + 1);
  ASSERT_EQ(listeningRows.size(), 1) << listeningRows.join(QLatin1Char('\n')).toStdString();
  EXPECT_TRUE(listeningRows[0].startsWith(QStringLiteral("server · server listening (TCP) · in main script")))
      << listeningRows[0].toStdString();

  const QStringList bothRows = rowsAt(timerSet + 1);
  ASSERT_EQ(bothRows.size(), 2) << bothRows.join(QLatin1Char('\n')).toStdString();
  EXPECT_TRUE(bothRows[1].startsWith(QStringLiteral("timer · setTimeout 40 ms · stop (line 4)")))
      << bothRows[1].toStdString();
  EXPECT_TRUE(panel->headline().contains(QStringLiteral("2 things keep the loop alive")))
      << panel->headline().toStdString();
  QCoreApplication::processEvents();
  EXPECT_TRUE(w.window.saveWindowPicture(artifactPath(QStringLiteral("why_keeps_alive_tab.png"))));

  // The timer has fired (its callback closes the server): only the server is left, then nothing.
  EXPECT_EQ(rowsAt(timerRan + 1).size(), 1);
  EXPECT_TRUE(rowsAt(timerRan + 1)[0].startsWith(QStringLiteral("server")));
  EXPECT_TRUE(rowsAt(closed + 1).isEmpty());
  rowsAt(trace.size());
  EXPECT_TRUE(panel->headline().contains(QStringLiteral("Nothing: the program can exit.")))
      << panel->headline().toStdString();

  // Clicking the server's row shows why it exists and puts the play head where it was created.
  rowsAt(listening + 1);
  auto* table = panel->findChild<QTableWidget*>();
  ASSERT_NE(table, nullptr);
  QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualItemRect(table->item(0, 1)).center());
  EXPECT_EQ(w.window.originPanel()->selectedCallback(), server);
  EXPECT_EQ(w.window.position(), find(trace, EventKind::AsyncInit, server) + 1);
}

TEST(WhyDidThisRun, DumpStateCarriesTheOriginAtALineAndWhatKeepsTheLoopAlive) {
  QTemporaryDir dir;
  const QString snippet = dir.filePath(QStringLiteral("nested.js"));
  {
    QFile file(snippet);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(kNested);
  }
  const QString json = dir.filePath(QStringLiteral("state.json"));
  const QString png = artifactPath(QStringLiteral("why_dump_line3.png"));
  const auto app = loopscope::test::runApp(
      {"--run", snippet, "--at", "line:3", "--tab", "origin", "--snapshot", png, "--dump-state", json}, png);
  ASSERT_TRUE(app.finished);
  ASSERT_EQ(app.exitCode, 0) << app.stderrText;
  QFile file(json);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
  // Just before the timeout runs: it is the one the origin describes.
  const QJsonObject origin = state.value(QLatin1String("origin")).toObject();
  const QJsonArray chain = origin.value(QLatin1String("chain")).toArray();
  ASSERT_EQ(chain.size(), 4);
  const char* kinds[] = {"setTimeout", "setImmediate", "process.nextTick", "main script"};
  const int lines[] = {3, 2, 1, 0};
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(chain[k].toObject().value(QLatin1String("kind")).toString(), QString::fromLatin1(kinds[k]));
    EXPECT_EQ(chain[k].toObject().value(QLatin1String("line")).toInt(), lines[k]);
  }
  EXPECT_TRUE(chain[3].toObject().value(QLatin1String("createdAt")).isNull());
  // The timeout is due and still queued: it is what keeps the loop alive there.
  const QJsonArray alive = state.value(QLatin1String("keepsAlive")).toArray();
  ASSERT_EQ(alive.size(), 1);
  EXPECT_EQ(alive[0].toObject().value(QLatin1String("kind")).toString(), QStringLiteral("timer"));
  EXPECT_EQ(alive[0].toObject().value(QLatin1String("line")).toInt(), 3);
  EXPECT_FALSE(state.value(QLatin1String("loopExited")).toBool());
  // The loop state's own keys are still there.
  EXPECT_TRUE(state.contains(QLatin1String("queues")));
}
