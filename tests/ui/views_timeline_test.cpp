// The timeline and the event table, built from a small synthetic trace appended by hand: the
// spans land in the right lanes, grow incrementally like a live run, and the model passes
// QAbstractItemModelTester while rows are appended.
#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include "views/qcustomplot_include.h"

#include "views/event_table_model.h"
#include "views/event_table_view.h"
#include "views/timeline_view.h"
#include "test_application.h"

using namespace loopscope;
using namespace loopscope::ui;

namespace {

constexpr uint64_t ms(double v) { return uint64_t(v * 1e6); }

// The events of a tiny run, in the order the engine would record them: a main script that
// schedules a timer, an immediate and a tick and submits a pbkdf2 job; one iteration with a
// scavenge inside the timer callback, poll blocking 4.5 ms, then the immediate.
struct SyntheticRun {
  std::vector<std::pair<Event, std::string>> events;
  size_t timerEnterIndex = 0;

  void add(double atMs, EventKind kind, std::array<int64_t, 6> f = {}, uint8_t thread = 0, std::string text = {}) {
    Event ev;
    ev.ts = ms(atMs);
    ev.kind = kind;
    ev.thread = thread;
    ev.f = f;
    events.emplace_back(ev, std::move(text));
  }

  SyntheticRun() {
    add(0, EventKind::String, {1}, 0, "snippet.js");
    add(0, EventKind::String, {2}, 0, "onTimer");
    add(0, EventKind::String, {3}, 0, "onImmediate");
    add(0, EventKind::String, {4}, 0, "crypto.pbkdf2");
    add(0, EventKind::FunctionSite, {10, 2, 1, 7, 3});
    add(0, EventKind::FunctionSite, {11, 3, 1, 9, 1});
    add(0, EventKind::RunStart, {4, 1234, 1, 0});
    add(1.0, EventKind::CallbackEnter, {1});
    add(1.1, EventKind::TimerScheduled, {5, 1, 10, 0, 0});
    add(1.2, EventKind::ImmediateScheduled, {6, 1, 11});
    add(1.3, EventKind::TickScheduled, {7, 1, 11});
    add(1.5, EventKind::PoolSubmit, {100, 4, 0});
    add(1.6, EventKind::PoolStart, {100}, 1);
    add(2.0, EventKind::CallbackExit, {1});
    add(2.1, EventKind::CallbackEnter, {7});
    add(2.2, EventKind::CallbackExit, {7});
    add(2.3, EventKind::MicrotaskDrainEnd);
    add(3.0, EventKind::LoopStart);
    add(3.1, EventKind::Iteration, {1});
    add(3.2, EventKind::PhaseEnter, {int64_t(Phase::Timers)});
    timerEnterIndex = events.size();
    add(3.3, EventKind::CallbackEnter, {5});
    add(3.4, EventKind::GcBegin, {GcScavenge});
    add(3.5, EventKind::GcEnd, {GcScavenge, 1 << 20, 4 << 20, 1 << 18, 1 << 16, 0});
    add(3.6, EventKind::CallbackExit, {5});
    add(3.7, EventKind::PhaseExit, {int64_t(Phase::Timers)});
    add(4.0, EventKind::PhaseEnter, {int64_t(Phase::Poll), -1});
    add(9.0, EventKind::PhaseExit, {int64_t(Phase::Poll), 4'500'000});
    add(9.1, EventKind::PhaseEnter, {int64_t(Phase::Check)});
    add(9.2, EventKind::CallbackEnter, {6});
    add(9.3, EventKind::CallbackExit, {6});
    add(9.4, EventKind::PhaseExit, {int64_t(Phase::Check)});
    add(10.0, EventKind::PoolEnd, {100}, 1);
    add(10.5, EventKind::Iteration, {2});
    add(11.0, EventKind::LoopEnd, {0});
    add(12.0, EventKind::RunEnd, {0, 0, 0});
  }

  void appendTo(Trace& trace, size_t from = 0, size_t to = size_t(-1)) const {
    for (size_t i = from; i < std::min(to, events.size()); ++i) trace.append(events[i].first, events[i].second);
  }
};

struct SpanSummary {
  double start, end;
  SpanStyle style;
  bool operator==(const SpanSummary&) const = default;
};

std::vector<SpanSummary> summary(const TimelineSpans& spans, TimelineLane::Kind kind, int slot = 0, size_t track = 0) {
  std::vector<SpanSummary> out;
  int lane = spans.laneIndex(kind, slot);
  if (lane < 0) return out;
  const auto& tracks = spans.lanes()[size_t(lane)].tracks;
  if (track >= tracks.size()) return out;
  for (const TimelineSpan& s : tracks[track]) out.push_back({s.startMs, s.endMs, s.style});
  return out;
}

}  // namespace

TEST(TimelineSpans, SortsTheRunIntoPhaseCallbackDrainPoolAndGcLanes) {
  SyntheticRun run;
  Trace trace;
  run.appendTo(trace);
  TimelineSpans spans;
  spans.reset(&trace);
  ASSERT_TRUE(spans.update());

  std::vector<std::string> names;
  for (const auto& lane : spans.lanes()) names.push_back(lane.name);
  EXPECT_EQ(names, (std::vector<std::string>{"phases", "callbacks", "nextTick / microtasks", "pool #1", "pool #2",
                                             "pool #3", "pool #4", "GC"}));

  auto phase = [](Phase p) { return SpanStyle(uint8_t(p)); };
  EXPECT_EQ(summary(spans, TimelineLane::Kind::Phases),
            (std::vector<SpanSummary>{
                {3.2, 3.7, phase(Phase::Timers)}, {4.0, 9.0, phase(Phase::Poll)}, {9.1, 9.4, phase(Phase::Check)}}));
  EXPECT_EQ(summary(spans, TimelineLane::Kind::Callbacks),
            (std::vector<SpanSummary>{{1.0, 2.0, SpanStyle::FamilyMainScript},
                                      {2.1, 2.2, SpanStyle::FamilyNextTick},
                                      {3.3, 3.6, SpanStyle::FamilyTimer},
                                      {9.2, 9.3, SpanStyle::FamilyImmediate}}));
  EXPECT_EQ(summary(spans, TimelineLane::Kind::Drains),
            (std::vector<SpanSummary>{{2.1, 2.2, SpanStyle::FamilyNextTick}}));
  EXPECT_EQ(spans.lanes()[size_t(spans.laneIndex(TimelineLane::Kind::Drains))].markers.size(), 1u);
  EXPECT_EQ(summary(spans, TimelineLane::Kind::PoolSlot, 1),
            (std::vector<SpanSummary>{{1.6, 10.0, SpanStyle::PoolJob}}));
  EXPECT_TRUE(summary(spans, TimelineLane::Kind::PoolSlot, 2).empty());
  EXPECT_EQ(spans.jobKind(100), 4);
  EXPECT_EQ(summary(spans, TimelineLane::Kind::Gc), (std::vector<SpanSummary>{{3.4, 3.5, SpanStyle::GcYoung}}));

  ASSERT_EQ(spans.newSpaceMb().size(), 1u);
  EXPECT_DOUBLE_EQ(spans.newSpaceMb()[0].value, 1.0);
  EXPECT_DOUBLE_EQ(spans.oldSpaceMb()[0].value, 4.0);
  // Iteration 1 lasted 3.1 -> 10.5 ms and poll blocked 4.5 ms of it.
  ASSERT_EQ(spans.loopUtilisation().size(), 2u);
  EXPECT_NEAR(spans.loopUtilisation()[0].value, 100.0 * (1.0 - 4.5 / 7.4), 1e-6);
}

TEST(TimelineSpans, GrowingInPiecesGivesTheSameSpansAsReadingAtOnce) {
  SyntheticRun run;
  Trace whole, live;
  run.appendTo(whole);
  TimelineSpans all, pieces;
  all.reset(&whole);
  all.update();
  pieces.reset(&live);
  for (size_t i = 0; i < run.events.size(); i += 3) {
    run.appendTo(live, i, i + 3);
    pieces.update();
  }
  for (auto kind : {TimelineLane::Kind::Phases, TimelineLane::Kind::Callbacks, TimelineLane::Kind::Gc})
    EXPECT_EQ(summary(all, kind), summary(pieces, kind));
  EXPECT_EQ(summary(all, TimelineLane::Kind::PoolSlot, 1), summary(pieces, TimelineLane::Kind::PoolSlot, 1));
}

TEST(TimelineSpans, OpenSpanStaysOpenUntilItsEndArrives) {
  SyntheticRun run;
  Trace trace;
  run.appendTo(trace, 0, run.timerEnterIndex + 1);  // stops inside the timer callback
  TimelineSpans spans;
  spans.reset(&trace);
  spans.update();
  auto callbacks = summary(spans, TimelineLane::Kind::Callbacks);
  ASSERT_FALSE(callbacks.empty());
  EXPECT_EQ(callbacks.back().end, TimelineSpan::kOpen);
  const TimelineSpan* under = spans.spanAt(spans.laneIndex(TimelineLane::Kind::Callbacks), 3.35, 0);
  ASSERT_NE(under, nullptr);
  EXPECT_EQ(under->startEvent, run.timerEnterIndex);
}

TEST(TimelineView, HoverDescribesAndClickSelectsTheSpanUnderTheMouse) {
  loopscope::test::testApplication();
  SyntheticRun run;
  Trace trace;
  run.appendTo(trace);
  TimelineView view;
  view.resize(1000, 400);
  view.setTrace(&trace);
  EXPECT_EQ(view.laneNames().first(), "phases");
  EXPECT_EQ(view.laneNames().last(), "GC");
  view.show();
  QCustomPlot* plot = view.plot();
  plot->xAxis->setRange(3.0, 4.0);  // zoom on the timer callback (3.3 -> 3.6 ms)
  plot->replot();
  const int lane = view.spans().laneIndex(TimelineLane::Kind::Callbacks);
  QPoint pos(int(plot->xAxis->coordToPixel(3.45)), int(plot->yAxis->coordToPixel(lane)));
  QString tip = view.describeAt(plot->mapTo(&view, pos));
  EXPECT_TRUE(tip.contains("onTimer")) << tip.toStdString();
  EXPECT_TRUE(tip.contains("timers phase")) << tip.toStdString();

  QSignalSpy clicked(&view, &TimelineView::eventClicked);
  QTest::mouseClick(plot, Qt::LeftButton, {}, pos);
  ASSERT_EQ(clicked.count(), 1);
  EXPECT_EQ(clicked.first().first().value<size_t>(), run.timerEnterIndex);
}

TEST(TimelineView, SavesNonEmptyPngSvgAndPdf) {
  loopscope::test::testApplication();
  SyntheticRun run;
  Trace trace;
  run.appendTo(trace);
  TimelineView view;
  view.resize(900, 360);
  view.setTrace(&trace);
  view.setPlayhead(20);
  QTemporaryDir dir;
  for (const char* name : {"t.png", "t.svg", "t.pdf"}) {
    QString path = dir.filePath(name);
    EXPECT_TRUE(view.saveImage(path)) << name;
    EXPECT_GT(QFileInfo(path).size(), 500) << name;
  }
  EXPECT_FALSE(view.saveImage(dir.filePath("t.bmpx")));
  QImage png(dir.filePath("t.png"));
  EXPECT_FALSE(png.isNull());
}

TEST(TimelineView, ManyThinSpansDrawInBoundedTime) {
  loopscope::test::testApplication();
  Trace trace;
  Event ev;
  ev.kind = EventKind::RunStart;
  ev.f[0] = 4;
  trace.append(ev);
  // 200 000 one-microsecond callbacks: zoomed out they are far thinner than a pixel.
  for (int i = 0; i < 200000; ++i) {
    Event enter;
    enter.kind = EventKind::CallbackEnter;
    enter.ts = uint64_t(i) * 5000;
    enter.f[0] = 1000 + i;
    trace.append(enter);
    Event exit = enter;
    exit.kind = EventKind::CallbackExit;
    exit.ts += 1000;
    trace.append(exit);
  }
  TimelineView view;
  view.resize(1000, 400);
  view.setTrace(&trace);
  QElapsedTimer timer;
  timer.start();
  for (int i = 0; i < 5; ++i) view.plot()->replot(QCustomPlot::rpImmediateRefresh);
  // Generous: a span-by-span draw takes seconds here; the per-pixel one takes milliseconds.
  EXPECT_LT(timer.elapsed(), 2500);
}

namespace {
// Counts QAbstractItemModelTester's complaints (category qt.modeltest) so a broken model fails
// the test instead of only printing.
int g_modelTestWarnings = 0;
QtMessageHandler g_previousHandler = nullptr;
void countModelTestWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (context.category && QByteArray(context.category).startsWith("qt.modeltest") && type >= QtWarningMsg)
    ++g_modelTestWarnings;
  if (g_previousHandler) g_previousHandler(type, context, message);
}
}  // namespace

TEST(EventTableModel, PassesModelTesterWhileTheTraceGrows) {
  loopscope::test::testApplication();
  SyntheticRun run;
  Trace trace;
  EventTableModel model;
  g_modelTestWarnings = 0;
  g_previousHandler = qInstallMessageHandler(countModelTestWarnings);
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
  model.setTrace(&trace);
  QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
  size_t expectedRows = 0;
  for (size_t i = 0; i < run.events.size(); i += 4) {
    run.appendTo(trace, i, i + 4);
    model.traceGrew();
    expectedRows = 0;
    for (const Event& ev : trace.events())
      expectedRows +=
          !(ev.kind == EventKind::String || ev.kind == EventKind::FunctionSite || ev.kind == EventKind::Meta);
    ASSERT_EQ(size_t(model.rowCount()), expectedRows);
  }
  qInstallMessageHandler(g_previousHandler);
  EXPECT_EQ(g_modelTestWarnings, 0);
  EXPECT_GT(inserted.count(), 3);
  // Bookkeeping records are not rows: the first row is RunStart.
  EXPECT_EQ(model.data(model.index(0, EventTableModel::KindColumn)).toString(), "run-start");
  EXPECT_EQ(model.eventIndexAt(0), 6u);
}

TEST(EventTableModel, ShowsThreadPhaseAndDetails) {
  loopscope::test::testApplication();
  SyntheticRun run;
  Trace trace;
  run.appendTo(trace);
  EventTableModel model;
  model.setTrace(&trace);
  int timerRow = model.rowAtOrBefore(run.timerEnterIndex);
  ASSERT_GE(timerRow, 0);
  EXPECT_EQ(model.eventIndexAt(timerRow), run.timerEnterIndex);
  auto cell = [&](int row, int column) { return model.data(model.index(row, column)).toString(); };
  EXPECT_EQ(cell(timerRow, EventTableModel::TimeColumn), "3.300");
  EXPECT_EQ(cell(timerRow, EventTableModel::ThreadColumn), "main");
  EXPECT_EQ(cell(timerRow, EventTableModel::PhaseColumn), "timers");
  EXPECT_TRUE(cell(timerRow, EventTableModel::DetailsColumn).contains("Timeout onTimer snippet.js:7"));
  int poolStart = -1;
  for (int r = 0; r < model.rowCount(); ++r)
    if (cell(r, EventTableModel::KindColumn) == "pool-start") poolStart = r;
  ASSERT_GE(poolStart, 0);
  EXPECT_EQ(cell(poolStart, EventTableModel::ThreadColumn), "pool #1");
  EXPECT_TRUE(cell(poolStart, EventTableModel::DetailsColumn).contains("crypto.pbkdf2"));
}

TEST(EventTableView, SelectsTheRowOfThePlayHeadWithoutEmitting) {
  loopscope::test::testApplication();
  SyntheticRun run;
  Trace trace;
  run.appendTo(trace);
  EventTableView table;
  table.setTrace(&trace);
  QSignalSpy activated(&table, &EventTableView::eventActivated);
  table.setCurrentPosition(run.timerEnterIndex + 1);
  ASSERT_TRUE(table.selectionModel()->currentIndex().isValid());
  EXPECT_EQ(table.eventModel()->eventIndexAt(table.selectionModel()->currentIndex().row()), run.timerEnterIndex);
  EXPECT_EQ(activated.count(), 0);
  table.setCurrentPosition(3);  // only bookkeeping records so far: no row
  EXPECT_FALSE(table.selectionModel()->hasSelection());
}
