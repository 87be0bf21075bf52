// The views that draw one moment (a LoopState): each renders a hand-made state without a GUI
// (QT_QPA_PLATFORM=offscreen) and shows what it should.
#include <gtest/gtest.h>

#include <QApplication>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <cmath>
#include <numbers>

#include "views/code_editor.h"
#include "views/console_view.h"
#include "views/heap_view.h"
#include "views/javascript_highlighter.h"
#include "views/loop_wheel_view.h"
#include "views/phase_colors.h"
#include "views/queues_view.h"
#include "views/streams_view.h"
#include "views/thread_pool_view.h"
#include "test_application.h"
#include "../common/trace_builder.h"

using namespace loopscope;
using namespace loopscope::ui;

namespace {

QueueEntry entry(int64_t id, const char* type, const char* label, int line, uint64_t dueNs = 0) {
  QueueEntry e;
  e.asyncId = id;
  e.type = type;
  e.label = label;
  e.file = "snippet.js";
  e.line = line;
  e.column = 1;
  e.dueNs = dueNs;
  return e;
}

LoopState stateInCheckPhase() {
  LoopState s;
  s.started = true;
  s.inLoop = true;
  s.phase = Phase::Check;
  s.iteration = 3;
  s.timeNs = 10'000'000;
  s.current = entry(6, "Immediate", "onImmediate", 9);
  s.callbackStack = {*s.current};
  s.timers = {entry(5, "Timeout", "first", 4, 12'500'000), entry(8, "Timeout", "second", 5, 9'000'000)};
  s.immediates = {entry(9, "Immediate", "later", 11)};
  return s;
}

QImage render(QWidget& w, QSize size) {
  w.resize(size);
  QImage image(size, QImage::Format_ARGB32);
  image.fill(Qt::transparent);
  w.render(&image);
  return image;
}

bool closeColor(QColor a, QColor b, int tolerance = 12) {
  return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
         std::abs(a.blue() - b.blue()) <= tolerance;
}

// Where the wheel draws the band of a phase: must match the segment table in loop_wheel_view.cpp
// (clockwise degrees from 12 o'clock, ring from 0.78 to 1.0 of 0.47 * side).
QPoint wheelPoint(QSize size, double clockwiseDeg) {
  double side = std::min(size.width(), size.height());
  double outer = side * 0.47, inner = outer * 0.78;
  double r = inner + (outer - inner) * 0.2;  // near the inner edge, clear of the label text
  double rad = (clockwiseDeg - 90.0) * std::numbers::pi / 180.0;
  return QPoint(int(size.width() / 2.0 + r * std::cos(rad)), int(size.height() / 2.0 + r * std::sin(rad)));
}

}  // namespace

TEST(LoopWheelView, LightsTheActivePhaseAndOnlyIt) {
  loopscope::test::testApplication();
  LoopWheelView wheel;
  wheel.showState(stateInCheckPhase());
  EXPECT_EQ(wheel.highlightedPhase(), Phase::Check);
  const QSize size(300, 300);
  QImage image = render(wheel, size);
  // Check spans 218°..280° clockwise from the top; timers spans -31°..31°.
  QColor check = image.pixelColor(wheelPoint(size, 230));
  QColor timers = image.pixelColor(wheelPoint(size, -20));
  EXPECT_TRUE(closeColor(check, phaseColor(Phase::Check, wheel.palette()))) << check.name().toStdString();
  EXPECT_FALSE(closeColor(timers, phaseColor(Phase::Timers, wheel.palette()))) << timers.name().toStdString();
}

TEST(LoopWheelView, ShowsIterationAndRunningCallbackInTheMiddle) {
  loopscope::test::testApplication();
  LoopWheelView wheel;
  wheel.showState(stateInCheckPhase());
  QStringList lines = wheel.centerLines();
  ASSERT_GE(lines.size(), 3);
  EXPECT_EQ(lines[0], "iteration");
  EXPECT_EQ(lines[1], "3");
  EXPECT_TRUE(lines[2].contains("onImmediate")) << lines[2].toStdString();
  EXPECT_TRUE(lines[2].contains(":9"));
}

TEST(LoopWheelView, MainScriptBeforeTheLoopAndExitCodeAfter) {
  loopscope::test::testApplication();
  LoopWheelView wheel;
  LoopState s;
  s.started = true;
  s.current = entry(1, "main", "main script", 0);
  wheel.showState(s);
  EXPECT_EQ(wheel.highlightedPhase(), Phase::Main);
  EXPECT_TRUE(wheel.centerLines().contains("main script"));
  s.finished = true;
  s.exitCode = 3;
  s.current.reset();
  wheel.showState(s);
  EXPECT_TRUE(wheel.centerLines().contains("exit code 3"));
  EXPECT_FALSE(render(wheel, {300, 300}).isNull());
}

TEST(LoopWheelView, GatesLightForTicksAndPromisesOnly) {
  loopscope::test::testApplication();
  LoopWheelView wheel;
  LoopState s = stateInCheckPhase();
  wheel.showState(s);
  EXPECT_FALSE(wheel.nextTickGateLit());
  EXPECT_FALSE(wheel.microtaskGateLit());
  s.current = entry(20, "TickObject", "tick", 3);
  wheel.showState(s);
  EXPECT_TRUE(wheel.nextTickGateLit());
  EXPECT_FALSE(wheel.microtaskGateLit());
  s.current = entry(21, "PROMISE", "then", 3);
  wheel.showState(s);
  EXPECT_FALSE(wheel.nextTickGateLit());
  EXPECT_TRUE(wheel.microtaskGateLit());
}

TEST(LoopWheelView, PollWaitingShowsItsTimeout) {
  loopscope::test::testApplication();
  LoopWheelView wheel;
  LoopState s;
  s.started = s.inLoop = true;
  s.phase = Phase::Poll;
  s.iteration = 1;
  s.pollWaiting = true;
  s.pollTimeoutMs = 12;
  wheel.showState(s);
  EXPECT_TRUE(wheel.centerLines().join(' ').contains("waiting up to 12 ms"));
  s.pollTimeoutMs = -1;
  wheel.showState(s);
  EXPECT_TRUE(wheel.centerLines().join(' ').contains("no timeout"));
}

TEST(QueuesView, NodesOwnCallbacksAreHiddenUntilShowNodeInternalsIsOn) {
  loopscope::test::testApplication();
  QueuesView queues;
  LoopState s = stateInCheckPhase();
  QueueEntry nodeTick = entry(30, "TickObject", "afterWriteTick", 485);
  nodeTick.file = "writable";
  nodeTick.internal = true;
  s.nextTicks = {entry(31, "TickObject", "later", 6), nodeTick};
  queues.showState(s);
  EXPECT_EQ(queues.columnTexts(QueuesView::NextTick), QStringList{"later  snippet.js:6"});
  queues.setShowInternals(true);
  QStringList ticks = queues.columnTexts(QueuesView::NextTick);
  ASSERT_EQ(ticks.size(), 2);
  EXPECT_TRUE(ticks[1].startsWith("afterWriteTick")) << ticks[1].toStdString();
}

TEST(QueuesView, ListsEntriesInRunOrderWithDueTimes) {
  loopscope::test::testApplication();
  QueuesView queues;
  LoopState s = stateInCheckPhase();
  // LoopState keeps timers in due order; the view must not reorder them.
  s.timers = {entry(8, "Timeout", "second", 5, 9'500'000), entry(5, "Timeout", "first", 4, 13'000'000)};
  queues.showState(s);
  QStringList timers = queues.columnTexts(QueuesView::Timers);
  ASSERT_EQ(timers.size(), 2);
  EXPECT_TRUE(timers[0].startsWith("second")) << timers[0].toStdString();
  EXPECT_TRUE(timers[0].endsWith("due"));
  EXPECT_TRUE(timers[1].contains("snippet.js:4"));
  EXPECT_TRUE(timers[1].endsWith("in 3 ms")) << timers[1].toStdString();
  EXPECT_EQ(queues.columnTexts(QueuesView::NextTick), QStringList{"empty"});
  EXPECT_EQ(queues.columnTexts(QueuesView::Immediates).value(0), "later  snippet.js:11");
  EXPECT_TRUE(queues.runningText().startsWith("Running: Immediate onImmediate snippet.js:9"));
  EXPECT_FALSE(render(queues, {600, 250}).isNull());
}

TEST(QueuesView, LongQueueRendersWithoutCrashing) {
  loopscope::test::testApplication();
  QueuesView queues;
  LoopState s = stateInCheckPhase();
  for (int i = 0; i < 5000; ++i) s.immediates.push_back(entry(100 + i, "Immediate", "spin", 20));
  queues.showState(s);
  EXPECT_EQ(queues.columnTexts(QueuesView::Immediates).size(), 5001);
  EXPECT_FALSE(render(queues, {600, 250}).isNull());
}

TEST(ThreadPoolView, ShortSlotVectorMeansIdleSlots) {
  loopscope::test::testApplication();
  ThreadPoolView pool;
  LoopState s;
  s.started = true;
  s.timeNs = 20'000'000;
  s.pool.size = 4;
  PoolJob job;
  job.jobId = 1;
  job.kind = "crypto.pbkdf2";
  job.startedNs = 8'000'000;
  s.pool.slots = {std::nullopt, job};
  PoolJob waiting = job;
  waiting.kind = "fs.read";
  waiting.startedNs = 0;
  s.pool.backlog = {waiting};
  s.pool.completed = {job};
  pool.showState(s);
  QStringList slots = pool.slotTexts();
  ASSERT_EQ(slots.size(), 4);
  EXPECT_EQ(slots[0], "idle");
  EXPECT_EQ(slots[1], "crypto.pbkdf2 · 12 ms");
  EXPECT_EQ(slots[3], "idle");
  EXPECT_EQ(pool.backlogTexts(), QStringList{"fs.read"});
  EXPECT_EQ(pool.completedTexts(), QStringList{"crypto.pbkdf2"});
  EXPECT_FALSE(render(pool, {300, 200}).isNull());
}

TEST(HeapView, NamesTheRunningCollection) {
  loopscope::test::testApplication();
  HeapView heap;
  LoopState s;
  s.heap.newSpace = 3 * 1024 * 1024;
  s.heap.oldSpace = 12 * 1024 * 1024;
  s.heap.scavenges = 4;
  s.heap.markSweeps = 1;
  heap.showState(s);
  EXPECT_EQ(heap.collectingText(), "");
  EXPECT_EQ(heap.countsText(), "4 scavenges · 1 mark-sweep-compact");
  s.heap.collecting = true;
  s.heap.lastGcType = GcMarkSweepCompact;
  heap.showState(s);
  EXPECT_EQ(heap.collectingText(), "mark-sweep-compact running");
  EXPECT_FALSE(render(heap, {300, 200}).isNull());
}

TEST(HeapView, GaugeScaleLeavesHeadroomInPowersOfTwo) {
  EXPECT_EQ(HeapView::gaugeScale(0, 1 << 20), 1 << 20);
  EXPECT_EQ(HeapView::gaugeScale(3 << 20, 1 << 20), 4 << 20);
  EXPECT_EQ(HeapView::gaugeScale(4 << 20, 1 << 20), 8 << 20);  // full would read as "about to GC"
}

TEST(StreamsView, LightsBackpressureAndSaysWhenThereAreNone) {
  loopscope::test::testApplication();
  StreamsView streams;
  LoopState s;
  streams.showState(s);
  EXPECT_EQ(streams.streamTexts(), QStringList{"No streams yet"});
  StreamState w;
  w.id = 3;
  w.name = "Writable";
  w.writableBuffered = 20 * 1024;
  w.writableHighWaterMark = 16 * 1024;
  w.writeReturnedFalse = true;
  s.streams = {w};
  streams.showState(s);
  QString text = streams.streamTexts().value(0);
  EXPECT_TRUE(text.contains("Writable #3")) << text.toStdString();
  EXPECT_TRUE(text.contains("writable 20 KB / 16 KB")) << text.toStdString();
  EXPECT_TRUE(text.contains("write() returned false"));
  EXPECT_FALSE(render(streams, {300, 200}).isNull());
}

TEST(ConsoleView, TagsEachLineWithItsCallbackAndFollowsThePlayHeadBothWays) {
  loopscope::test::testApplication();
  Trace trace;
  Event ev;
  ev.kind = EventKind::String;
  ev.f[0] = 1;
  trace.append(ev, "snippet.js");
  ev.f[0] = 2;
  trace.append(ev, "onTimer");
  Event site;
  site.kind = EventKind::FunctionSite;
  site.f = {10, 2, 1, 7, 3, 0};
  trace.append(site);
  Event timer;
  timer.kind = EventKind::TimerScheduled;
  timer.f = {5, 1, 10, 0, 0, 0};
  trace.append(timer);

  std::vector<ConsoleLine> lines{{1, "from main\n", 1, 10}, {2, "oops\n", 5, 20}, {1, "two\nrows\n", 5, 30}};
  ConsoleView console;
  console.resize(500, 200);
  console.showConsole(lines, trace);
  ASSERT_EQ(console.count(), 4);
  EXPECT_EQ(console.item(0)->data(ConsoleView::OriginRole).toString(), "[main script]");
  EXPECT_EQ(console.item(1)->data(ConsoleView::OriginRole).toString(), "[Timeout onTimer :7]");
  EXPECT_EQ(console.item(1)->data(ConsoleView::FdRole).toInt(), 2);
  EXPECT_EQ(console.item(3)->text(), "rows");
  lines.resize(1);  // stepped back
  console.showConsole(lines, trace);
  EXPECT_EQ(console.count(), 1);

  QSignalSpy activated(&console, &ConsoleView::lineActivated);
  console.show();
  QTest::mouseClick(console.viewport(), Qt::LeftButton, {}, console.visualItemRect(console.item(0)).center());
  ASSERT_GE(activated.count(), 1);
  EXPECT_EQ(activated.first().first().value<size_t>(), 10u);
}

TEST(CodeEditor, MarksTheRunningLineAndClearsItWithZero) {
  loopscope::test::testApplication();
  CodeEditor editor;
  editor.setPlainText("const a = 1;\nsetTimeout(() => {}, 0);\n// done\n");
  editor.setMarkedLine(2);
  EXPECT_EQ(editor.markedLine(), 2);
  ASSERT_EQ(editor.extraSelections().size(), 1);
  EXPECT_EQ(editor.extraSelections()[0].cursor.blockNumber(), 1);
  editor.setMarkedLine(0);
  EXPECT_TRUE(editor.extraSelections().isEmpty());
  EXPECT_FALSE(render(editor, {400, 200}).isNull());
}

TEST(CodeEditor, HighlightsNodeSchedulingApisDifferentlyFromKeywords) {
  loopscope::test::testApplication();
  CodeEditor editor;
  editor.setPlainText("const t = setTimeout(f, 1); // later\n");
  auto formatAt = [&](int pos) {
    for (const QTextLayout::FormatRange& r : editor.document()->firstBlock().layout()->formats())
      if (pos >= r.start && pos < r.start + r.length) return r.format;
    return QTextCharFormat();
  };
  const QColor api = editor.highlighter()->format(JavaScriptHighlighter::Token::NodeApi).foreground().color();
  const QColor keyword = editor.highlighter()->format(JavaScriptHighlighter::Token::Keyword).foreground().color();
  EXPECT_NE(api, keyword);
  EXPECT_EQ(formatAt(10).foreground().color(), api);     // setTimeout
  EXPECT_EQ(formatAt(0).foreground().color(), keyword);  // const
  EXPECT_TRUE(formatAt(30).fontItalic());                // the comment
}

TEST(ConsoleView, WithNodesInternalsHiddenALinePrintedInNodesCallbackIsTaggedWithTheProgramsCallbackThatLedThere) {
  loopscope::test::TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/s.js"), 0});
  int64_t userSite = b.site("onRead", "/tmp/s.js", 3, 20);
  int64_t nodeSite = b.site("emitReadable_", "node:internal/streams/readable", 580, 1);
  b.add(EventKind::TimerScheduled, {5, 1, userSite, 1, 0});
  b.add(EventKind::TickScheduled, {6, 5, nodeSite});  // Node's tick, queued inside the timer
  Trace trace = b.trace();
  EXPECT_EQ(ConsoleView::originTag(6, trace, true), QStringLiteral("[TickObject emitReadable_ :580]"));
  EXPECT_EQ(ConsoleView::originTag(6, trace, false), QStringLiteral("[via Timeout onRead :3]"));
  EXPECT_EQ(ConsoleView::originTag(5, trace, false), QStringLiteral("[Timeout onRead :3]"));
}
