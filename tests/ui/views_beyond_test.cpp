// Beyond one loop: worker threads, child processes, V8's JIT and hidden classes, heap snapshots and
// listener growth, loop health. Each test runs a real snippet through the real loopscope-engine,
// reads the trace it wrote, and checks what the timeline and the panels show. Pictures of each go
// to build/test-artifacts/ for a person to look at.
#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <map>
#include <memory>
#include "views/qcustomplot_include.h"

#include "trace/health.h"
#include "views/analysis_settings.h"
#include "views/health_analysis.h"
#include "views/health_panel.h"
#include "views/memory_panel.h"
#include "views/timeline_view.h"
#include "views/v8_panel.h"
#include "test_application.h"

using loopscope::test::artifactPath;

using namespace loopscope;
using namespace loopscope::ui;

namespace {

QString enginePath() {
  QString engine = qEnvironmentVariable("LOOPSCOPE_ENGINE");
  if (engine.isEmpty())
    engine = QFileInfo(QStringLiteral(LOOPSCOPE_APP)).dir().filePath(QStringLiteral("loopscope-engine"));
  return engine;
}

// Runs a snippet once per test program and keeps its trace: several tests look at the same run.
const Trace& traceOf(const QString& snippet) {
  static std::map<QString, std::unique_ptr<TraceFile>> cache;
  auto& slot = cache[snippet];
  if (!slot) {
    static QTemporaryDir dir;
    const QString tracePath = dir.filePath(QFileInfo(snippet).completeBaseName() + QStringLiteral(".lstrace"));
    QProcess engine;
    engine.setProcessChannelMode(QProcess::MergedChannels);
    engine.start(enginePath(), {QStringLiteral("run"), QStringLiteral("--trace"), tracePath,
                                QStringLiteral(LOOPSCOPE_SNIPPETS "/") + snippet});
    EXPECT_TRUE(engine.waitForFinished(60'000)) << snippet.toStdString();
    EXPECT_EQ(engine.exitCode(), 0) << engine.readAll().toStdString();
    slot = std::make_unique<TraceFile>(readTraceFile(tracePath.toStdString()));
    EXPECT_EQ(slot->status, ReadStatus::Ok) << slot->problem;
  }
  return slot->trace;
}

void saveWidget(QWidget& widget, const QString& name) {
  widget.show();
  QApplication::processEvents();
  EXPECT_TRUE(widget.grab().save(artifactPath(name))) << name.toStdString();
}

const TimelineLane* laneOf(const TimelineSpans& spans, TimelineLane::Kind kind, int slot = 0) {
  const int index = spans.laneIndex(kind, slot);
  return index < 0 ? nullptr : &spans.lanes()[size_t(index)];
}

size_t spanCount(const TimelineLane& lane) {
  size_t n = 0;
  for (const auto& track : lane.tracks) n += track.size();
  return n;
}

// The widget position of time `ms` in lane `lane` of the timeline's lanes.
QPoint lanePoint(TimelineView& view, double ms, int lane) {
  QCustomPlot* plot = view.plot();
  return plot->mapTo(&view, QPoint(int(plot->xAxis->coordToPixel(ms)), int(plot->yAxis->coordToPixel(lane))));
}

}  // namespace

TEST(BeyondOneLoop, WorkerThreadGetsItsOwnLaneSetWithItsOwnPhases) {
  loopscope::test::testApplication();
  const Trace& trace = traceOf(QStringLiteral("modules/worker.js"));
  TimelineView view;
  view.resize(1400, 640);
  view.setTrace(&trace);
  const TimelineSpans& spans = view.spans();
  EXPECT_TRUE(view.laneNames().contains("worker #1: phases"));
  EXPECT_TRUE(view.laneNames().contains("worker #1: callbacks"));
  EXPECT_EQ(view.laneNames().indexOf("worker #1: callbacks"), view.laneNames().indexOf("worker #1: phases") + 1);

  // Every phase lands in the lane of the loop that ran it: the main phases lane holds exactly the
  // main thread's phases, the worker's lane exactly the worker's.
  size_t mainPhases = 0, workerPhases = 0;
  for (const Event& ev : trace.events())
    if (ev.kind == EventKind::PhaseEnter) {
      mainPhases += ev.thread == kMainThread;
      workerPhases += ev.thread == kFirstWorkerThread;
    }
  ASSERT_GT(workerPhases, 0u);
  const TimelineLane* workerLane = laneOf(spans, TimelineLane::Kind::WorkerPhases, 1);
  ASSERT_NE(workerLane, nullptr);
  EXPECT_EQ(spanCount(*workerLane), workerPhases);
  EXPECT_EQ(spanCount(*laneOf(spans, TimelineLane::Kind::Phases)), mainPhases);
  bool workerPoll = false;
  for (const TimelineSpan& s : workerLane->tracks[0])
    workerPoll |= s.style == SpanStyle(uint8_t(Phase::Poll)) && !s.open();
  EXPECT_TRUE(workerPoll);

  // Start-up span from `new Worker()`, and arrows: start, at least one delivered message, exit.
  const TimelineLane* workerCallbacks = laneOf(spans, TimelineLane::Kind::WorkerCallbacks, 1);
  ASSERT_NE(workerCallbacks, nullptr);
  ASSERT_FALSE(workerCallbacks->tracks.empty());
  EXPECT_EQ(workerCallbacks->tracks[0].front().style, SpanStyle::WorkerStartup);
  std::map<TimelineFlow::Kind, int> flows;
  for (const TimelineFlow& f : spans.flows()) ++flows[f.kind];
  EXPECT_EQ(flows[TimelineFlow::Kind::WorkerStart], 1);
  EXPECT_GE(flows[TimelineFlow::Kind::WorkerMessage], 1);
  EXPECT_EQ(flows[TimelineFlow::Kind::WorkerExit], 1);

  // The worker's poll tooltip names its loop and how much of poll was running, not waiting.
  view.show();
  const TimelineSpan* poll = nullptr;
  for (const TimelineSpan& s : workerLane->tracks[0])
    if (s.style == SpanStyle(uint8_t(Phase::Poll)) && (!poll || s.endMs - s.startMs > poll->endMs - poll->startMs))
      poll = &s;
  ASSERT_NE(poll, nullptr);
  view.plot()->xAxis->setRange(poll->startMs - 1, poll->endMs + 1);
  view.plot()->replot();
  const QString tip = view.describeAt(
      lanePoint(view, (poll->startMs + poll->endMs) / 2, spans.laneIndex(TimelineLane::Kind::WorkerPhases, 1)));
  EXPECT_TRUE(tip.contains("worker #1")) << tip.toStdString();
  EXPECT_TRUE(tip.contains("running:")) << tip.toStdString();
  view.fitAll();
  EXPECT_TRUE(view.saveImage(artifactPath("beyond-worker-timeline.png"), 1400, 640));
}

TEST(BeyondOneLoop, ChildProcessLaneShowsPidCommandIpcAndExitCode) {
  loopscope::test::testApplication();
  const Trace& trace = traceOf(QStringLiteral("modules/fork.js"));
  int64_t spawnedPid = 0;
  for (const Event& ev : trace.events())
    if (ev.kind == EventKind::ChildSpawn) spawnedPid = ev.a();
  ASSERT_GT(spawnedPid, 0);
  TimelineView view;
  view.resize(1400, 560);
  view.setTrace(&trace);
  const TimelineSpans& spans = view.spans();
  EXPECT_TRUE(view.laneNames().contains("child processes"));
  const ChildProcessInfo* child = spans.child(spawnedPid);
  ASSERT_NE(child, nullptr);
  EXPECT_TRUE(child->exited);
  EXPECT_EQ(child->exitCode, 0);
  EXPECT_GE(child->ipcToChild, 1);
  EXPECT_GE(child->ipcFromChild, 1);
  const TimelineLane* lane = laneOf(spans, TimelineLane::Kind::Children);
  ASSERT_NE(lane, nullptr);
  ASSERT_EQ(spanCount(*lane), 1u);
  const TimelineSpan& span = lane->tracks[0][0];
  EXPECT_EQ(span.style, SpanStyle::ChildRunning);
  EXPECT_FALSE(span.open());
  EXPECT_GE(lane->markers.size(), 2u);  // IPC to and from the child

  view.show();
  const QString tip =
      view.describeAt(lanePoint(view, (span.startMs + span.endMs) / 2, spans.laneIndex(TimelineLane::Kind::Children)));
  EXPECT_TRUE(tip.contains(QString::number(spawnedPid))) << tip.toStdString();
  EXPECT_TRUE(tip.contains("exit 0")) << tip.toStdString();
  EXPECT_TRUE(tip.contains("fork.js")) << tip.toStdString();
  EXPECT_TRUE(view.saveImage(artifactPath("beyond-fork-timeline.png"), 1400, 560));
}

TEST(BeyondOneLoop, V8PanelShowsAddOptimizedByTurboFanThenDeoptimizedWithReason) {
  loopscope::test::testApplication();
  const Trace& trace = traceOf(QStringLiteral("deopt.js"));
  V8Panel panel;
  panel.resize(760, 560);
  panel.setTrace(&trace);
  panel.showUpTo(trace.size());
  const QStringList rows = panel.jitRows();
  int optimized = -1, deoptimized = -1;
  for (int r = 0; r < rows.size(); ++r) {
    const QStringList cells = rows[r].split('\t');
    ASSERT_EQ(cells.size(), 4);
    if (cells[1] == "add" && cells[2] == "TurboFan" && optimized < 0) optimized = r;
    if (cells[1] == "add" && cells[2] == "deoptimized") {
      deoptimized = r;
      EXPECT_FALSE(cells[3].isEmpty()) << "a deopt carries V8's reason";
    }
  }
  ASSERT_GE(optimized, 0) << rows.join('\n').toStdString();
  ASSERT_GT(deoptimized, optimized) << rows.join('\n').toStdString();
  // Baseline compiles are hidden by default and shown on request.
  EXPECT_FALSE(rows.join('\n').contains("Sparkplug"));
  const QString summary = panel.summaryText();
  EXPECT_TRUE(summary.contains("TurboFan")) << summary.toStdString();
  EXPECT_TRUE(summary.contains("add:")) << summary.toStdString();

  // The table follows the play head: just before the deopt only the optimization is listed.
  size_t deoptIndex = 0;
  for (size_t i = 0; i < trace.size(); ++i)
    if (trace.events()[i].kind == EventKind::JitDeoptimized && trace.str(trace.events()[i].a()) == "add")
      deoptIndex = i;
  panel.showUpTo(deoptIndex);
  EXPECT_FALSE(panel.jitRows().join('\n').contains("add\tdeoptimized"));
  EXPECT_TRUE(panel.jitRows().join('\n').contains("add\tTurboFan"));
  panel.showUpTo(trace.size());
  saveWidget(panel, "beyond-v8-panel.png");
  panel.setShowBaselineCompiles(true);
  EXPECT_GT(panel.jitRows().size(), rows.size());
  EXPECT_TRUE(panel.jitRows().join('\n').contains("Sparkplug"));

  // On the timeline: a JIT lane with TurboFan and deopt markers.
  TimelineView view;
  view.resize(1400, 560);
  view.setTrace(&trace);
  const TimelineLane* jit = laneOf(view.spans(), TimelineLane::Kind::Jit);
  ASSERT_NE(jit, nullptr);
  std::map<SpanStyle, int> styles;
  for (const TimelineSpan& m : jit->markers) ++styles[m.style];
  EXPECT_GE(styles[SpanStyle::JitTurboFan], 1);
  EXPECT_GE(styles[SpanStyle::JitDeopt], 1);
  view.show();
  const TimelineSpan* deopt = nullptr;
  for (const TimelineSpan& m : jit->markers)
    if (m.startEvent == deoptIndex) deopt = &m;
  ASSERT_NE(deopt, nullptr);
  view.plot()->xAxis->setRange(deopt->startMs - 0.05, deopt->startMs + 0.05);
  view.plot()->replot();
  const QString tip = view.describeAt(lanePoint(view, deopt->startMs, view.spans().laneIndex(TimelineLane::Kind::Jit)));
  EXPECT_TRUE(tip.contains("deoptimized: add")) << tip.toStdString();
  EXPECT_TRUE(tip.contains("reason")) << tip.toStdString();
  view.fitAll();
  EXPECT_TRUE(view.saveImage(artifactPath("beyond-deopt-timeline.png"), 1400, 560));
}

TEST(BeyondOneLoop, JitModelPassesModelTesterWhileThePlayHeadMoves) {
  loopscope::test::testApplication();
  const Trace& trace = traceOf(QStringLiteral("deopt.js"));
  V8Panel panel;
  QAbstractItemModelTester tester(panel.jitModel(), QAbstractItemModelTester::FailureReportingMode::Fatal);
  panel.setTrace(&trace);
  for (size_t p = 0; p <= trace.size(); p += 7) panel.showUpTo(p);
  for (long p = long(trace.size()); p > 0; p -= 13) panel.showUpTo(size_t(p));
  panel.setShowBaselineCompiles(true);
  panel.showUpTo(trace.size());
  EXPECT_GT(panel.jitModel()->rowCount(), 0);
}

TEST(BeyondOneLoop, MemoryPanelFindsTheGrowingCacheTheListenersAndTheHiddenClasses) {
  loopscope::test::testApplication();
  const Trace& trace = traceOf(QStringLiteral("memory.js"));
  MemoryPanel panel;
  panel.resize(760, 600);
  panel.setTrace(&trace);
  panel.showUpTo(trace.size());
  ASSERT_EQ(panel.snapshots().size(), 2u);
  EXPECT_EQ(panel.snapshots()[0].label, "before");
  EXPECT_EQ(panel.snapshots()[1].label, "after");
  const auto& comparison = panel.comparison();
  ASSERT_FALSE(comparison.empty());
  for (size_t k = 1; k < comparison.size(); ++k) EXPECT_GE(comparison[k - 1].bytesDelta(), comparison[k].bytesDelta());
  auto cache = std::find_if(comparison.begin(), comparison.end(),
                            [](const MemoryPanel::ClassDelta& d) { return d.constructorName == "CacheEntry"; });
  ASSERT_NE(cache, comparison.end()) << panel.comparisonRows().join('\n').toStdString();
  EXPECT_GE(cache->objectsDelta(), 5000);
  EXPECT_GT(cache->bytesDelta(), 0);
  EXPECT_LT(cache - comparison.begin(), 5) << "the cache is among the biggest growers";
  EXPECT_TRUE(panel.findingText().contains("CacheEntry")) << panel.findingText().toStdString() << "\n"
                                                          << panel.comparisonRows().mid(0, 8).join('\n').toStdString();

  ASSERT_FALSE(panel.listeners().empty());
  bool tick = false;
  for (const auto& l : panel.listeners())
    if (l.event == "tick") {
      tick = true;
      EXPECT_EQ(l.highest, 5);
      EXPECT_EQ(l.emitter, "EventEmitter #1");
    }
  EXPECT_TRUE(tick) << panel.listenerRows().join('\n').toStdString();
  EXPECT_TRUE(panel.gcText().startsWith("GC so far")) << panel.gcText().toStdString();

  // Before the second snapshot there is nothing to compare.
  panel.showUpTo(panel.snapshots()[1].eventIndex);
  EXPECT_EQ(panel.snapshots().size(), 1u);
  EXPECT_TRUE(panel.comparison().empty());
  panel.showUpTo(trace.size());
  EXPECT_FALSE(panel.comparison().empty());
  saveWidget(panel, "beyond-memory-panel.png");

  // The two sameShape() checks: same property order shares a map, another order does not.
  V8Panel v8;
  v8.setTrace(&trace);
  v8.showUpTo(trace.size());
  const QStringList shapes = v8.shapeRows();
  ASSERT_EQ(shapes.size(), 2) << shapes.join('\n').toStdString();
  EXPECT_TRUE(shapes[0].startsWith("same order\tsame map: yes")) << shapes[0].toStdString();
  EXPECT_TRUE(shapes[1].startsWith("other order\tsame map: no")) << shapes[1].toStdString();
  EXPECT_TRUE(shapes[0].contains("a: fast")) << shapes[0].toStdString();

  // The heap plot has the three spaces and one pause per GC.
  TimelineView view;
  view.resize(1400, 560);
  view.setTrace(&trace);
  EXPECT_FALSE(view.spans().largeObjectSpaceMb().empty());
  EXPECT_EQ(view.spans().gcPauseMs().size() + 1, view.spans().newSpaceMb().size())
      << "a heap point before the program runs, then one per GC";
  EXPECT_TRUE(view.saveImage(artifactPath("beyond-memory-timeline.png"), 1400, 560));
}

TEST(BeyondOneLoop, BlockedLoopAndStarvationAreWarnedOnTheTimelineAndListed) {
  loopscope::test::testApplication();
  const Trace& trace = traceOf(QStringLiteral("blocking.js"));
  TimelineView view;
  view.resize(1400, 600);
  view.setTrace(&trace);
  const auto& warnings = view.healthWarnings();
  auto find = [&](HealthWarning::Kind kind) -> const HealthWarning* {
    for (const HealthWarning& w : warnings)
      if (w.kind == kind) return &w;
    return nullptr;
  };
  ASSERT_NE(find(HealthWarning::Kind::BlockedLoop), nullptr);
  ASSERT_NE(find(HealthWarning::Kind::Starvation), nullptr);
  // Copies: changing the threshold below rebuilds the view's list.
  const HealthWarning blockedWarning = *find(HealthWarning::Kind::BlockedLoop);
  const HealthWarning starvedWarning = *find(HealthWarning::Kind::Starvation);
  const HealthWarning* blocked = &blockedWarning;
  const HealthWarning* starved = &starvedWarning;
  EXPECT_EQ(blocked->line, 2);
  EXPECT_EQ(starved->line, 8);

  // Hovering the band over the loop lanes tells what and where.
  view.show();
  const double blockedMid = view.spans().msOf(blocked->startNs) + double(blocked->durationNs) / 2e6;
  const QString tip = view.describeAt(lanePoint(view, blockedMid, view.spans().laneIndex(TimelineLane::Kind::Phases)));
  EXPECT_TRUE(tip.contains("Blocked loop")) << tip.toStdString();
  EXPECT_TRUE(tip.contains("line 2")) << tip.toStdString();
  EXPECT_TRUE(view.saveImage(artifactPath("beyond-blocking-timeline.png"), 1400, 600));

  // A higher threshold than the busy loop's 120 ms leaves no blocked-loop warning.
  view.setBlockedThresholdMs(500);
  for (const HealthWarning& w : view.healthWarnings()) EXPECT_NE(w.kind, HealthWarning::Kind::BlockedLoop);
  view.setBlockedThresholdMs(50);

  HealthPanel panel;
  panel.resize(760, 360);
  panel.setTrace(&trace);
  panel.showUpTo(trace.size());
  const QStringList rows = panel.warningRows();
  ASSERT_GE(rows.size(), 2);
  bool blockedRow = false, starvedRow = false;
  for (const QString& row : rows) {
    const QStringList cells = row.split('\t');
    blockedRow |= cells[0].contains("blocked loop") && cells[4] == "2";
    starvedRow |= cells[0].contains("starvation") && cells[4] == "8";
  }
  EXPECT_TRUE(blockedRow) << rows.join('\n').toStdString();
  EXPECT_TRUE(starvedRow) << rows.join('\n').toStdString();
  EXPECT_TRUE(panel.summaryText().contains("Worst iteration")) << panel.summaryText().toStdString();

  QSignalSpy activated(&panel, &HealthPanel::eventActivated);
  auto* table = panel.findChild<QTableWidget*>();
  ASSERT_NE(table, nullptr);
  panel.show();
  QApplication::processEvents();
  QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualItemRect(table->item(0, 0)).center());
  ASSERT_EQ(activated.count(), 1);
  EXPECT_EQ(activated.first().first().value<size_t>(), panel.warnings()[0].eventIndex);
  saveWidget(panel, "beyond-health-panel.png");

  // Before the busy timer has run, there is nothing to warn about yet.
  panel.showUpTo(blocked->eventIndex);
  EXPECT_EQ(panel.warningRows().size(), 0);
}

TEST(BeyondOneLoop, TheHealthTabAndTheTimelineShareOneThresholdAndOneAnalysis) {
  loopscope::test::testApplication();
  const Trace& trace = traceOf(QStringLiteral("blocking.js"));
  AnalysisSettings settings;
  EXPECT_EQ(settings.blockedThresholdMs(), int(HealthOptions{}.blockedThresholdNs / 1'000'000))
      << "the default is the library's";
  HealthAnalysis analysis(settings);
  analysis.setTrace(&trace);
  HealthPanel panel(&analysis);
  TimelineView timeline(&analysis);
  panel.setTrace(&trace);
  timeline.setTrace(&trace);
  panel.showUpTo(trace.size());
  auto blockedIn = [](const std::vector<HealthWarning>& warnings) {
    return std::count_if(warnings.begin(), warnings.end(),
                         [](const HealthWarning& w) { return w.kind == HealthWarning::Kind::BlockedLoop; });
  };
  ASSERT_GT(blockedIn(timeline.healthWarnings()), 0);
  EXPECT_EQ(&panel.warnings(), &timeline.healthWarnings()) << "found once, shown twice";

  // The Health tab's box sets the threshold for both: the 120 ms busy loop is not blocked at 500 ms.
  auto* box = panel.findChild<QSpinBox*>();
  ASSERT_NE(box, nullptr);
  box->setValue(500);
  EXPECT_EQ(settings.blockedThresholdMs(), 500);
  EXPECT_EQ(timeline.blockedThresholdMs(), 500);
  EXPECT_EQ(blockedIn(timeline.healthWarnings()), 0);
  EXPECT_EQ(blockedIn(panel.warnings()), 0);
  // ... and the settings set the box (restored from the user's settings, say).
  settings.setBlockedThresholdMs(50);
  EXPECT_EQ(box->value(), 50);
  EXPECT_GT(blockedIn(timeline.healthWarnings()), 0);
  settings.setBlockedThresholdMs(0);
  EXPECT_EQ(settings.blockedThresholdMs(), AnalysisSettings::kMinBlockedThresholdMs) << "clamped";
}

TEST(BeyondOneLoop, LoopSeriesMatchIterationHealthAndGrowIncrementally) {
  const Trace& trace = traceOf(QStringLiteral("blocking.js"));
  const std::vector<IterationHealth> expected = iterationHealth(trace);
  ASSERT_FALSE(expected.empty());
  // Fed in pieces, as a live run arrives.
  Trace live;
  TimelineSpans spans;
  spans.reset(&live);
  const auto& events = trace.events();
  for (size_t i = 0; i < events.size(); ++i) {
    std::string_view text = events[i].kind == EventKind::String ? trace.str(events[i].a()) : std::string_view{};
    live.append(events[i], text);
    if (i % 997 == 0) spans.update();
  }
  spans.update();
  ASSERT_EQ(spans.loopBusyMs().size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k) {
    EXPECT_NEAR(spans.loopBusyMs()[k].value, double(expected[k].busyNs()) / 1e6, 1e-6) << k;
    EXPECT_NEAR(spans.loopUtilisation()[k].value, 100.0 * expected[k].utilisation(), 1e-6) << k;
  }
}
