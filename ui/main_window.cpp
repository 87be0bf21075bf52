#include "main_window.h"

#include "interpret/records.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QResizeEvent>
#include <QScreen>
#include <QScrollBar>
#include <QStyle>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextStream>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

#include "lessons/lesson_browser.h"
#include "lessons/lesson_library.h"
#include "lessons/lesson_panel.h"
#include "lessons/prediction_grade.h"
#include "compare_node_dialog.h"
#include "copy_picture.h"
#include "picture_export.h"
#include "run_many_dialog.h"
#include "run_trust.h"
#include "sandbox_badge.h"
#include "step_caption.h"
#include "video_export_dialog.h"
#include "views/code_editor.h"
#include "views/console_view.h"
#include "views/event_table_view.h"
#include "views/health_analysis.h"
#include "views/health_panel.h"
#include "views/heap_view.h"
#include "views/keep_alive_panel.h"
#include "views/memory_panel.h"
#include "views/human_units.h"
#include "views/loop_wheel_view.h"
#include "views/origin_panel.h"
#include "views/phase_colors.h"
#include "views/queues_view.h"
#include "views/streams_view.h"
#include "views/thread_pool_view.h"
#include "views/timeline_view.h"
#include "views/v8_panel.h"
#include "views/why_tab.h"

// Resources live in a static library; a static initializer alone would be dropped by the linker,
// so the window pulls them in explicitly. Must be called outside any namespace.
static void initLoopscopeResources() { Q_INIT_RESOURCE(loopscope); }

namespace loopscope::ui {

namespace {

constexpr int kRefreshIntervalMs = 16;  // ~60 Hz
constexpr int kDefaultPoolSize = 4;
constexpr double kDefaultTimeoutSeconds = 10;
// The editor keeps room for at least this many characters of code, and for the snippet's longest
// line up to the second number: whole statements instead of their first words.
constexpr int kEditorColumns = 40;
constexpr int kMaxEditorColumns = 64;
// Below this width a projector cannot show the lesson text, the code and the views side by side
// at the presentation font: the lesson text starts folded away (the toolbar's Lesson text button,
// Ctrl+Shift+L, brings it back).
constexpr int kPresentationWidthForLessonText = 1600;

QString settingsKey(const char* key) { return QString::fromLatin1(key); }

// The analysis tabs under the dashboard, in tab order, by the names --tab takes.
const char* const kAnalysisTabs[] = {"timeline", "events", "v8", "memory", "health", "why"};
// The Why tab's two pages, by the names --tab also takes.
const char* const kWhyPages[] = {"origin", "alive"};

// The `loopscope-engine run` options of a lesson snippet that the toolbar does not already carry.
QStringList optionsBeyondToolbar(const QStringList& options) {
  QStringList rest;
  for (qsizetype i = 0; i < options.size(); ++i) {
    if (options[i] == QLatin1String("--threadpool-size") || options[i] == QLatin1String("--timeout")) {
      ++i;  // and its value
      continue;
    }
    rest << options[i];
  }
  return rest;
}

// Whether `path` is `folder` or lies inside it (both made absolute and clean first).
bool isInsideFolder(const QString& path, const QString& folder) {
  if (path.isEmpty() || folder.isEmpty()) return false;
  const QString file = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
  const QString root = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
  return file == root || file.startsWith(root + QLatin1Char('/'));
}

// The snippet a callback came from, as the trace names it (file name without folders).
bool sameFile(const std::string& traced, const QString& snippetName) {
  return !traced.empty() && QString::fromStdString(traced) == snippetName;
}

}  // namespace

MainWindow::MainWindow(const Options& options, QWidget* parent) : QMainWindow(parent), m_options(options) {
  initLoopscopeResources();
  setWindowTitle(QStringLiteral("Loopscope"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/loopscope.svg")));
  setObjectName(QStringLiteral("LoopscopeMainWindow"));

  buildActions();
  buildCentralArea();
  buildLessons();
  buildToolBar();
  buildMenus();
  m_sandboxBadge = new SandboxBadge(this);
  statusBar()->addPermanentWidget(m_sandboxBadge);
  connect(m_sandboxBadge, &SandboxBadge::folderTrusted, this, [this](const QString& folder) {
    statusBar()->showMessage(tr("Snippets in %1 now run without the sandbox; press Run (F5).").arg(folder), 8000);
  });
  m_runStatus = new QLabel(this);
  statusBar()->addPermanentWidget(m_runStatus);

  showRecording();
  connect(&m_run, &RunController::recordingReplaced, this, &MainWindow::showRecording);
  connect(&m_run, &RunController::runFinished, this, &MainWindow::onRunFinished);
  connect(&m_run, &RunController::runStateChanged, this, [this] {
    m_stepModeAction->setChecked(m_run.isStepMode());
    updateActions();
  });
  connect(&m_run, &RunController::runStarted, this, [this] {
    m_memoryPanel->setLive(true);
    m_runStatus->setText(m_run.isStepMode() ? tr("Running in step mode: press Step (F10)") : tr("Running…"));
  });
  connect(&m_analysis, &AnalysisSettings::showInternalsChanged, this, &MainWindow::onShowInternalsChanged);

  m_refreshTimer.setInterval(kRefreshIntervalMs);
  connect(&m_refreshTimer, &QTimer::timeout, this, &MainWindow::tick);
  m_refreshTimer.start();

  resize(1280, 720);
  m_zoomSteps = appearanceZoomSteps();
  if (m_options.useSettings) restoreSettings();
  // The automation interface applies the presentation look before building the window for a
  // picture of it: the picture must show the layout a class would see.
  if (isPresentationAppearance()) {
    m_presentation = true;
    m_presentationAction->setChecked(true);
    applyPresentationLayout();
  }
  updateToolbarIcons();
  updateActions();
}

MainWindow::~MainWindow() = default;

// ---------------------------------------------------------------------------------------------
// Building the window

void MainWindow::buildActions() {
  auto make = [this](const QString& text, const QList<QKeySequence>& keys, auto slot) {
    auto* action = new QAction(text, this);
    action->setShortcuts(keys);
    connect(action, &QAction::triggered, this, slot);
    addAction(action);  // shortcuts work even with the menu bar hidden (presentation mode)
    return action;
  };

  // Pressing Run must show the loop turning: a run that is over in a blink would otherwise leave
  // only its finished state on screen, so the recording is replayed from its start afterwards.
  m_runAction = make(tr("&Run"), {QKeySequence(Qt::Key_F5)}, [this] { run(true); });
  m_runAction->setToolTip(tr("Run the snippet on the real Node engine and record it (F5)"));
  m_stopAction = make(tr("&Stop"), {QKeySequence(Qt::SHIFT | Qt::Key_F5)}, [this] { stop(); });
  m_stopAction->setToolTip(tr("Stop the running snippet (Shift+F5)"));
  // During a run it pauses or resumes the engine; otherwise the next run starts paused.
  m_stepModeAction = make(tr("Step &mode"), {QKeySequence(Qt::Key_F6)}, [this](bool on) { m_run.setStepMode(on); });
  m_stepModeAction->setCheckable(true);
  m_stepModeAction->setToolTip(tr("Live step mode: the engine waits before each callback and phase (F6)"));
  // Step belongs to the live run: in replay the play head has its own keys (Ctrl+→ for the next
  // callback), and a Step that quietly moved it would make a student think the engine ran on.
  m_stepAction = make(tr("S&tep"), {QKeySequence(Qt::Key_F10)}, [this] { m_run.step(); });
  m_stepAction->setToolTip(tr("Step mode: let the engine run to its next callback or phase (F10)"));
  m_continueAction = make(tr("&Continue"), {QKeySequence(Qt::Key_F8)}, [this] {
    m_run.continueRun();
    updateActions();
  });
  m_continueAction->setToolTip(tr("Live: leave step mode and run freely. Replay: play (F8)"));
  m_runManyAction =
      make(tr("Run ×&N…"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F5)}, [this] { runManyDialog(); });
  m_runManyAction->setToolTip(tr("Run the snippet many times and count each order of its output (Ctrl+Shift+F5)"));
  m_compareWithNodeAction = make(tr("Compare with &node on the PATH…"), {QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_F5)},
                                 [this] { compareWithNodeDialog(); });
  m_compareWithNodeAction->setToolTip(
      tr("Run the snippet on this engine and on the node you installed, and show both outputs side by side "
         "(Ctrl+Alt+F5)"));

  m_playAction = make(tr("&Play / Pause"), {QKeySequence(Qt::Key_Space)}, [this] { isPlaying() ? pause() : play(); });
  m_transportActions << m_playAction;
  struct StepKey {
    QString text;
    QList<QKeySequence> back, forward;
    LoopTimeline::Step step;
  };
  const StepKey steps[] = {
      {tr("event"), {QKeySequence(Qt::Key_Left)}, {QKeySequence(Qt::Key_Right)}, LoopTimeline::Step::Event},
      {tr("callback"),
       {QKeySequence(Qt::CTRL | Qt::Key_Left)},
       {QKeySequence(Qt::CTRL | Qt::Key_Right)},
       LoopTimeline::Step::Callback},
      {tr("phase"),
       {QKeySequence(Qt::SHIFT | Qt::Key_Left)},
       {QKeySequence(Qt::SHIFT | Qt::Key_Right)},
       LoopTimeline::Step::Phase},
      {tr("loop iteration"),
       {QKeySequence(Qt::ALT | Qt::Key_Left), QKeySequence(Qt::Key_PageUp)},
       {QKeySequence(Qt::ALT | Qt::Key_Right), QKeySequence(Qt::Key_PageDown)},
       LoopTimeline::Step::Iteration},
  };
  for (const StepKey& s : steps) {
    const auto step = s.step;
    m_transportActions << make(tr("Back one %1").arg(s.text), s.back, [this, step] { stepBy(step, false); });
    m_transportActions << make(tr("Forward one %1").arg(s.text), s.forward, [this, step] { stepBy(step, true); });
  }
  m_transportActions << make(tr("Jump to where the selected callback was created (again: back)"),
                             {QKeySequence(Qt::CTRL | Qt::Key_J)}, [this] {
                               if (auto target = m_originPanel->jumpTarget(position())) {
                                 pause();
                                 seek(*target);
                               } else {
                                 statusBar()->showMessage(
                                     tr("Select a callback first (a queue card, a timeline span, an "
                                        "event row or a console line)."),
                                     4000);
                               }
                             });
  m_transportActions << make(tr("Go to start"), {QKeySequence(Qt::Key_Home)}, [this] { seek(0); });
  m_transportActions << make(tr("Go to end (live: follow)"), {QKeySequence(Qt::Key_End)},
                             [this] { m_run.seekToEnd(); });

  m_presentationAction =
      make(tr("&Presentation mode"), {QKeySequence(Qt::Key_F11)}, [this](bool on) { setPresentationMode(on); });
  m_presentationAction->setCheckable(true);
  m_darkThemeAction = make(tr("&Dark theme"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T)},
                           [this](bool on) { setTheme(on ? Theme::Dark : Theme::Light); });
  m_darkThemeAction->setCheckable(true);
  // Node's own callbacks (a console.log's afterWriteTick, ...) are real, but a learner should not
  // have to wade through them: hidden from the queue cards, the Events tab and callback stepping
  // unless asked for. The timeline and the exports always keep them.
  m_showInternalsAction = make(tr("Show Node &internals"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I)},
                               [this](bool on) { m_analysis.setShowInternals(on); });
  m_showInternalsAction->setCheckable(true);
  m_showInternalsAction->setToolTip(tr(
      "Also show the callbacks Node runs for itself (node: modules), e.g. the afterWriteTick behind each console.log"));
  m_heapSnapshotAction =
      make(tr("Take &heap snapshot"), {QKeySequence(Qt::CTRL | Qt::Key_H)}, [this] { requestHeapSnapshot(); });
  m_heapSnapshotAction->setIconText(tr("Heap snapshot"));
  m_heapSnapshotAction->setToolTip(tr(
      "During a run: record the objects on V8's heap by constructor now; the Memory tab compares snapshots (Ctrl+H)"));
  make(tr("Give the keys to the transport"), {QKeySequence(Qt::Key_Escape)}, [this] { m_dashboard->setFocus(); });
  // Zoom is for the room, not for one widget: the code, the console, the dashboard and the tabs
  // grow together (the application font), as a browser's zoom does.
  m_zoomInAction =
      make(tr("Zoom &in"), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)}, [this] { zoomBy(1); });
  m_zoomOutAction = make(tr("Zoom &out"), {QKeySequence::ZoomOut}, [this] { zoomBy(-1); });
  m_zoomResetAction = make(tr("&Actual size"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, [this] { zoomBy(-m_zoomSteps); });
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  auto add = [this](QMenu* menu, const QString& text, const QKeySequence& key, auto slot) {
    QAction* a = menu->addAction(text, this, slot);
    a->setShortcut(key);
    addAction(a);
    return a;
  };
  add(file, tr("&New snippet"), QKeySequence::New, [this] {
    if (!maybeDiscardEdits()) return;
    setSnippetText(QString(), QStringLiteral("snippet.js"));
  });
  add(file, tr("&Open snippet…"), QKeySequence::Open, [this] { openSnippetDialog(); });
  add(file, tr("&Save snippet"), QKeySequence::Save, [this] { saveSnippet(false); });
  add(file, tr("Save snippet &as…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), [this] { saveSnippet(true); });
  file->addSeparator();
  add(file, tr("Open &trace…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), [this] { openTraceDialog(); });
  m_saveTraceAction =
      add(file, tr("Save t&race as…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S), [this] { saveTraceDialog(); });
  QMenu* exportMenu = file->addMenu(tr("&Export"));
  m_exportActions << add(exportMenu, tr("Timeline as &Chrome trace (Perfetto)…"), QKeySequence(Qt::CTRL | Qt::Key_E),
                         [this] { exportDialog(QStringLiteral("chrome")); });
  m_exportActions << add(exportMenu, tr("Events as C&SV…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                         [this] { exportDialog(QStringLiteral("csv")); });
  m_exportActions << add(exportMenu, tr("&Timeline picture (PNG, SVG, PDF)…"),
                         QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E),
                         [this] { exportDialog(QStringLiteral("timeline")); });
  add(exportMenu, tr("&Window picture (PNG, SVG, PDF)…"), QKeySequence(Qt::CTRL | Qt::Key_P),
      [this] { exportDialog(QStringLiteral("window")); });
  m_exportActions << add(exportMenu, tr("Replay as &video (MP4, GIF)…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_V),
                         [this] { exportReplayVideo(*this); });
  file->addSeparator();
  add(file, tr("&Quit"), QKeySequence::Quit, [this] { close(); });

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  auto* copier = new PictureCopier(this, {{m_wheel, tr("the loop wheel")},
                                          {m_queues, tr("the queues")},
                                          {m_pool, tr("the thread pool")},
                                          {m_heap, tr("the V8 heap")},
                                          {m_streams, tr("the streams")},
                                          {m_timeline, tr("the timeline")},
                                          {m_eventTable, tr("the event table")},
                                          {m_v8Panel, tr("the V8 tab")},
                                          {m_memoryPanel, tr("the Memory tab")},
                                          {m_healthPanel, tr("the Health tab")},
                                          {m_editor, tr("the code"), true},
                                          {m_console, tr("the console"), true}});
  add(edit, tr("Copy &picture of the view"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
      [copier] { copier->copyCurrentView(); });

  QMenu* runMenu = menuBar()->addMenu(tr("&Run"));
  runMenu->addActions({m_runAction, m_stopAction});
  runMenu->addSeparator();
  runMenu->addActions({m_stepModeAction, m_stepAction, m_continueAction});
  runMenu->addSeparator();
  runMenu->addAction(m_runManyAction);
  runMenu->addAction(m_compareWithNodeAction);
  runMenu->addAction(m_heapSnapshotAction);
  runMenu->addSeparator();
  add(runMenu, tr("&Trust this snippet's folder…"), QKeySequence(), [this] {
    const bool edited = m_snippetPath.isEmpty() || m_editor->document()->isModified();
    if (askToTrustFolder(this, decideRun({m_snippetPath, edited, snippetText()}).folderToTrust))
      statusBar()->showMessage(tr("Trusted: the snippets in that folder now run without the sandbox."), 6000);
  });

  QMenu* replay = menuBar()->addMenu(tr("Re&play"));
  replay->addActions(m_transportActions);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addActions({m_presentationAction, m_darkThemeAction, m_showInternalsAction});
  view->addSeparator();
  view->addActions({m_zoomInAction, m_zoomOutAction, m_zoomResetAction});
  view->addSeparator();
  view->addAction(m_lessonsAction);
  view->addAction(m_lessonTextAction);
  QMenu* tabs = view->addMenu(tr("&Analysis tab"));
  for (int i = 0; i < m_bottomTabs->count(); ++i) {
    // Alt+1…6: a teacher switches what the class sees without reaching for the mouse.
    add(tabs, m_bottomTabs->tabText(i), QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)),
        [this, i] { m_bottomTabs->setCurrentIndex(i); });
  }

  QMenu* settingsMenu = menuBar()->addMenu(tr("&Settings"));
  add(settingsMenu, tr("&Lessons folder…"), QKeySequence(), [this] { chooseLessonsFolder(); });
  add(settingsMenu, tr("&Trusted folders…"), QKeySequence(), [this] { showTrustedFoldersDialog(this); });
  add(settingsMenu, tr("&Forget lesson progress"), QKeySequence(), [this] {
    if (QMessageBox::question(this, tr("Forget lesson progress"),
                              tr("Mark every lesson as not started and forget the quiz answers?")) == QMessageBox::Yes)
      m_lessons->resetProgress();
  });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  add(help, tr("&Keyboard shortcuts"), QKeySequence(Qt::Key_F1), [this] { showShortcuts(); });
  add(help, tr("&About Loopscope"), QKeySequence(), [this] { showAbout(); });
}

void MainWindow::buildToolBar() {
  QToolBar* bar = addToolBar(tr("Run"));
  m_runToolBar = bar;
  bar->setObjectName(QStringLiteral("RunToolBar"));
  bar->setMovable(false);
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  // Every action here must fit a 1280 px projector at the presentation font without the overflow
  // menu (a teacher will not find what hides behind "»"): the replay speed lives in the
  // transport bar, next to Play, and the labels are short.
  bar->addActions({m_runAction, m_stopAction});
  bar->addSeparator();
  bar->addActions({m_stepModeAction, m_stepAction, m_continueAction});
  bar->addSeparator();

  auto labelled = [bar](const QString& text, QWidget* field, const QString& tip) {
    auto* label = new QLabel(text);
    label->setBuddy(field);
    label->setContentsMargins(6, 0, 2, 0);
    label->setToolTip(tip);
    field->setToolTip(tip);
    bar->addWidget(label);
    bar->addWidget(field);
  };
  m_poolSize = new QSpinBox;
  m_poolSize->setRange(1, 128);
  m_poolSize->setValue(kDefaultPoolSize);
  labelled(tr("&Pool"), m_poolSize, tr("UV_THREADPOOL_SIZE for the next run: how many libuv worker threads"));
  m_timeout = new QDoubleSpinBox;
  m_timeout->setRange(0.5, 600);
  m_timeout->setDecimals(1);
  m_timeout->setSuffix(tr(" s"));
  m_timeout->setValue(kDefaultTimeoutSeconds);
  labelled(tr("T&ime-out"), m_timeout, tr("Stop a run that is still going after this long (an endless loop)"));
  bar->addSeparator();
  bar->addAction(m_runManyAction);
  bar->addAction(m_heapSnapshotAction);
  bar->addSeparator();
  bar->addAction(m_lessonsAction);
  // The open lesson's text folds away to give the code and the views the projector's width; this
  // button is how it comes back, so it is on the toolbar (not only in the View menu) as soon as a
  // lesson is open.
  auto* lessonText = new QToolButton;
  lessonText->setDefaultAction(m_lessonTextAction);
  lessonText->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  lessonText->setAutoRaise(true);
  m_lessonTextButton = bar->addWidget(lessonText);
  m_lessonTextButton->setVisible(false);
}

void MainWindow::buildCentralArea() {
  m_editor = new CodeEditor;
  m_editor->setObjectName(QStringLiteral("SnippetEditor"));
  m_wheel = new LoopWheelView;
  m_queues = new QueuesView;
  m_pool = new ThreadPoolView;
  m_heap = new HeapView;
  m_streams = new StreamsView;
  m_health = new HealthAnalysis(m_analysis, this);
  m_timeline = new TimelineView(m_health);
  m_console = new ConsoleView;
  m_eventTable = new EventTableView;
  m_v8Panel = new V8Panel;
  m_memoryPanel = new MemoryPanel;
  m_healthPanel = new HealthPanel(m_health);
  m_originPanel = new OriginPanel;
  m_keepAlivePanel = new KeepAlivePanel;
  m_views = {m_wheel,      m_queues,  m_pool,        m_heap,        m_streams,     m_timeline,      m_console,
             m_eventTable, m_v8Panel, m_memoryPanel, m_healthPanel, m_originPanel, m_keepAlivePanel};

  // Dashboard: the wheel and the queues on top (the lesson's core), the pool, heap and streams
  // below them; it takes keyboard focus so the transport keys work after a click on it.
  m_dashboard = new QWidget;
  m_dashboard->setFocusPolicy(Qt::StrongFocus);
  auto* grid = new QGridLayout(m_dashboard);
  grid->setContentsMargins(4, 4, 4, 4);
  grid->setSpacing(6);
  grid->addWidget(m_wheel, 0, 0, 1, 1);
  grid->addWidget(m_queues, 0, 1, 1, 2);
  auto* lower = new QHBoxLayout;
  lower->setSpacing(6);
  lower->addWidget(m_pool, 1);
  lower->addWidget(m_heap, 1);
  lower->addWidget(m_streams, 1);
  grid->addLayout(lower, 1, 0, 1, 3);
  // The wheel is round and usually limited by the row's height: width beyond that is better
  // spent on the queues' six columns.
  grid->setColumnStretch(0, 3);
  grid->setColumnStretch(1, 8);
  grid->setRowStretch(0, 3);
  grid->setRowStretch(1, 2);

  m_bottomTabs = new QTabWidget;
  m_bottomTabs->setDocumentMode(true);
  m_bottomTabs->addTab(m_timeline, tr("Timeline"));
  m_bottomTabs->addTab(m_eventTable, tr("Events"));
  // The panels' tables and controls want more room than a tab under the dashboard has at
  // 1280×720 with a lesson open; in a scroll area they scroll instead of pushing the window wider
  // and taller than the projector.
  auto scrolled = [](QWidget* panel) {
    auto* area = new QScrollArea;
    area->setWidget(panel);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
  };
  m_bottomTabs->addTab(scrolled(m_v8Panel), tr("V8"));
  m_bottomTabs->addTab(scrolled(m_memoryPanel), tr("Memory"));
  m_bottomTabs->addTab(scrolled(m_healthPanel), tr("Health"));
  m_bottomTabs->setTabToolTip(2, tr("What V8's JIT did to the snippet's functions, and hidden-class checks"));
  m_bottomTabs->setTabToolTip(3, tr("Heap snapshots compared by constructor, growing listeners, GCs: finding a leak"));
  m_bottomTabs->setTabToolTip(4, tr("Blocked-loop and starvation warnings, loop utilisation per iteration"));
  m_whyTab = new WhyTab(m_originPanel, m_keepAlivePanel);
  m_bottomTabs->addTab(m_whyTab, tr("Why"));
  m_bottomTabs->setTabToolTip(5, tr("Why did the selected callback run (what scheduled it, back to the main script; "
                                    "Ctrl+J jumps there)? What keeps the event loop alive at the play head?"));

  auto* consoleBox = new QWidget;
  auto* consoleLayout = new QVBoxLayout(consoleBox);
  consoleLayout->setContentsMargins(0, 0, 0, 0);
  consoleLayout->setSpacing(2);
  auto* consoleTitle = new QLabel(tr("<b>Console</b> — output up to the play head"));
  consoleTitle->setContentsMargins(6, 2, 0, 0);
  // Cut rather than widen the editor's column (the presentation font makes it long).
  consoleTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  consoleLayout->addWidget(consoleTitle);
  consoleLayout->addWidget(m_console, 1);

  auto* left = new QSplitter(Qt::Vertical);
  left->addWidget(m_editor);
  left->addWidget(consoleBox);
  left->setStretchFactor(0, 3);
  left->setStretchFactor(1, 2);
  auto* right = new QSplitter(Qt::Vertical);
  right->addWidget(m_dashboard);
  right->addWidget(m_bottomTabs);
  right->setStretchFactor(0, 3);
  right->setStretchFactor(1, 2);
  auto* columns = new QSplitter(Qt::Horizontal);
  m_columns = columns;
  columns->setObjectName(QStringLiteral("MainSplitter"));
  columns->addWidget(left);
  columns->addWidget(right);
  // Width given or taken (a lesson dock opening, a bigger screen) goes mostly to the dashboard:
  // the editor keeps room for a line of code.
  columns->setStretchFactor(0, 1);
  columns->setStretchFactor(1, 4);
  columns->setSizes({400, 880});
  left->setSizes({330, 220});
  right->setSizes({370, 230});

  // The banner says how a run ended (or what went wrong) until dismissed or the next run.
  m_banner = new QFrame;
  m_banner->setObjectName(QStringLiteral("Banner"));
  m_banner->setFrameShape(QFrame::StyledPanel);
  auto* bannerLayout = new QHBoxLayout(m_banner);
  bannerLayout->setContentsMargins(10, 4, 4, 4);
  m_bannerLabel = new QLabel;
  m_bannerLabel->setWordWrap(true);
  m_bannerLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* dismiss = new QToolButton;
  dismiss->setText(QStringLiteral("✕"));
  dismiss->setAutoRaise(true);
  dismiss->setToolTip(tr("Hide this message"));
  connect(dismiss, &QToolButton::clicked, this, &MainWindow::hideBanner);
  bannerLayout->addWidget(m_bannerLabel, 1);
  bannerLayout->addWidget(dismiss, 0, Qt::AlignTop);
  m_banner->hide();

  auto* central = new QWidget;
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(m_banner);
  layout->addWidget(columns, 1);
  setCentralWidget(central);

  // The transport runs under the whole window, lesson docks included: inside the central area its
  // row of buttons (wide with the presentation font) would stop the docks from taking their room.
  QToolBar* transport = new QToolBar(tr("Transport"), this);
  transport->setObjectName(QStringLiteral("TransportToolBar"));
  transport->setMovable(false);
  transport->setFloatable(false);
  transport->toggleViewAction()->setVisible(false);
  QWidget* transportBar = buildTransportBar();
  transportBar->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
  transport->addWidget(transportBar);
  addToolBar(Qt::BottomToolBarArea, transport);

  connect(m_timeline, &TimelineView::eventClicked, this, &MainWindow::jumpToEventAt);
  connect(m_eventTable, &EventTableView::eventActivated, this, &MainWindow::jumpToEventAt);
  connect(m_console, &ConsoleView::lineActivated, this, &MainWindow::jumpToEventAt);
  connect(m_v8Panel, &V8Panel::eventActivated, this, &MainWindow::jumpToEventAt);
  connect(m_memoryPanel, &MemoryPanel::eventActivated, this, &MainWindow::jumpToEventAt);
  connect(m_healthPanel, &HealthPanel::eventActivated, this, &MainWindow::jumpToEventAt);
  connect(m_memoryPanel, &MemoryPanel::snapshotRequested, this, [this] { requestHeapSnapshot(); });

  // Selecting a callback anywhere shows why it ran (the Origin tab, arrows on the timeline).
  connect(m_timeline, &TimelineView::eventClicked, this, &MainWindow::selectCallbackAt);
  connect(m_eventTable, &EventTableView::eventActivated, this, &MainWindow::selectCallbackAt);
  connect(m_console, &ConsoleView::lineActivated, this, &MainWindow::selectCallbackAt);
  connect(m_queues, &QueuesView::callbackClicked, m_originPanel, &OriginPanel::selectCallback);
  connect(m_keepAlivePanel, &KeepAlivePanel::callbackSelected, m_originPanel, &OriginPanel::selectCallback);
  connect(m_keepAlivePanel, &KeepAlivePanel::eventActivated, this, &MainWindow::jumpToEventAt);
  connect(m_originPanel, &OriginPanel::eventActivated, this, &MainWindow::jumpToEventAt);
  connect(m_originPanel, &OriginPanel::chainChanged, this, [this] {
    std::vector<TimelineView::OriginArrow> arrows;
    for (const OriginStep& step : m_originPanel->chain())
      if (step.createdKnown && step.ranKnown) arrows.push_back({step.createdAt, step.ranAt});
    m_timeline->setOriginArrows(std::move(arrows));
    m_queues->setSelectedCallback(m_originPanel->selectedCallback());
    if (m_originPanel->chain().empty()) return;
    m_whyTab->showPage(WhyTab::Page::Origin);
    statusBar()->showMessage(tr("Selected %1: why it ran is in the Why tab (Alt+6); Ctrl+J jumps to where it was "
                                "created.")
                                 .arg(m_originPanel->selectionText()),
                             6000);
  });
}

bool MainWindow::selectCallbackAt(size_t eventIndex) {
  return m_originPanel->selectAtEvent(eventIndex, m_run.recording().timeline());
}

void MainWindow::buildLessons() {
  m_lessons = new LessonLibrary(this);
  m_lessonBrowser = new LessonBrowser(*m_lessons);
  m_lessonPanel = new LessonPanel(*m_lessons);

  // The list is a tool for choosing, so it folds away (Ctrl+L); the lesson text stays beside the
  // views, where a class reads it next to what the engine shows.
  m_lessonBrowserDock = new QDockWidget(tr("Lessons"), this);
  m_lessonBrowserDock->setObjectName(QStringLiteral("LessonBrowserDock"));
  m_lessonBrowserDock->setWidget(m_lessonBrowser);
  m_lessonBrowserDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
  addDockWidget(Qt::LeftDockWidgetArea, m_lessonBrowserDock);
  m_lessonBrowserDock->hide();
  m_lessonsAction = m_lessonBrowserDock->toggleViewAction();
  m_lessonsAction->setText(tr("&Lessons"));
  m_lessonsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
  m_lessonsAction->setToolTip(tr("Show or hide the list of lessons (Ctrl+L)"));
  addAction(m_lessonsAction);

  m_lessonPanelDock = new QDockWidget(tr("Lesson"), this);
  m_lessonPanelDock->setObjectName(QStringLiteral("LessonPanelDock"));
  m_lessonPanelDock->setWidget(m_lessonPanel);
  m_lessonPanelDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
  addDockWidget(Qt::RightDockWidgetArea, m_lessonPanelDock);
  m_lessonTextAction = m_lessonPanelDock->toggleViewAction();
  m_lessonTextAction->setText(tr("Lesson &text"));
  m_lessonTextAction->setIconText(tr("Lesson"));  // short: it must fit the projector's toolbar
  m_lessonTextAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
  m_lessonTextAction->setToolTip(tr("Show or fold away the open lesson's text, snippets and quiz (Ctrl+Shift+L)"));
  addAction(m_lessonTextAction);
  m_lessonPanelDock->hide();
  // Whenever a lesson dock opens or folds, the editor keeps a readable width and the dashboard
  // gives or takes the room (after the dock has been laid out).
  for (QDockWidget* dock : {m_lessonBrowserDock, m_lessonPanelDock})
    connect(dock, &QDockWidget::visibilityChanged, this,
            [this] { QTimer::singleShot(0, this, [this] { keepEditorReadable(); }); });
  // A third of a 1280 px projector: enough for the text and the quiz, the views keep the rest.
  resizeDocks({m_lessonBrowserDock, m_lessonPanelDock}, {260, 380}, Qt::Horizontal);

  connect(m_lessonBrowser, &LessonBrowser::lessonOpened, this, [this](const QString& id) { openLesson(id); });
  connect(m_lessonPanel, &LessonPanel::snippetPreviewRequested, this,
          [this](const QString& path) { loadLessonSnippet(path); });
  connect(m_lessonPanel, &LessonPanel::snippetRequested, this,
          [this](const QString& path) { runLessonSnippet(path, true); });
  connect(m_lessonPanel, &LessonPanel::runForQuiz, this, [this](const QString& path) {
    if (isRunning()) {
      m_lessonPanel->predictionRunFailed(tr("another run is still going on; stop it (Shift+F5) first."));
      return;
    }
    // The quiz is graded on the snippet as the lesson wrote it, not on the learner's edits.
    if (!runLessonSnippet(path)) {
      m_lessonPanel->predictionRunFailed(tr("the snippet could not be run (see the banner above the views)."));
      return;
    }
    m_runIsForQuiz = true;
  });
  // Direct: the checker reads the file right after this signal, so the save must happen first.
  connect(
      m_lessonPanel, &LessonPanel::aboutToCheckExercise, this,
      [this](const QString& learnerFile) {
        if (m_editor->document()->isModified() && !m_snippetPath.isEmpty() &&
            QFileInfo(m_snippetPath) == QFileInfo(learnerFile))
          saveSnippet(false);
      },
      Qt::DirectConnection);
  connect(m_lessonPanel, &LessonPanel::callbackRequested, this, [this](qint64 position) {
    pause();
    m_bottomTabs->setCurrentIndex(0);  // the timeline
    seek(size_t(position));
  });
  connect(m_lessonPanel, &LessonPanel::timelineRequested, this, [this] {
    m_bottomTabs->setCurrentIndex(0);  // the timeline
    seek(0);
    play();
  });
}

QWidget* MainWindow::buildTransportBar() {
  auto* bar = new QFrame;
  bar->setObjectName(QStringLiteral("TransportBar"));
  bar->setFrameShape(QFrame::NoFrame);
  auto* rows = new QVBoxLayout(bar);
  rows->setContentsMargins(8, 2, 8, 2);
  rows->setSpacing(0);

  m_slider = new QSlider(Qt::Horizontal);
  m_slider->setObjectName(QStringLiteral("ScrubSlider"));
  m_slider->setToolTip(tr("Scrub through the recording"));
  m_slider->setFocusPolicy(Qt::NoFocus);  // arrows belong to the transport shortcuts
  // render() moves the slider with its signals blocked, so this is always the user scrubbing.
  connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
    pause();
    seek(size_t(value));
  });
  auto* scrubRow = new QHBoxLayout;
  scrubRow->setSpacing(10);
  scrubRow->addWidget(m_slider, 3);
  rows->addLayout(scrubRow);

  auto* buttons = new QHBoxLayout;
  buttons->setSpacing(0);
  rows->addLayout(buttons);
  auto button = [bar, buttons](const QString& glyph, const QString& tip, auto slot) {
    auto* b = new QToolButton(bar);
    b->setText(glyph);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus);
    QObject::connect(b, &QToolButton::clicked, bar, slot);
    buttons->addWidget(b);
    return b;
  };
  // Each unit of stepping is a pair of arrows around its name, so a student reads
  // "◀ phase ▶" without learning any icon.
  using Step = LoopTimeline::Step;
  auto stepPair = [&](Step step, const QString& name, const QString& backKeys, const QString& forwardKeys) {
    button(QStringLiteral("◀"), tr("Back one %1 (%2)").arg(name, backKeys), [this, step] { stepBy(step, false); });
    auto* label = new QLabel(name);
    label->setObjectName(QStringLiteral("StepUnit"));
    buttons->addWidget(label);
    button(QStringLiteral("▶"), tr("Forward one %1 (%2)").arg(name, forwardKeys), [this, step] { stepBy(step, true); });
    buttons->addSpacing(10);
  };
  button(QStringLiteral("⇤"), tr("Go to start (Home)"), [this] { seek(0); });
  buttons->addSpacing(10);
  stepPair(Step::Iteration, tr("iteration"), tr("Alt+← or Page Up"), tr("Alt+→ or Page Down"));
  stepPair(Step::Phase, tr("phase"), tr("Shift+←"), tr("Shift+→"));
  stepPair(Step::Callback, tr("callback"), tr("Ctrl+←"), tr("Ctrl+→"));
  stepPair(Step::Event, tr("event"), tr("←"), tr("→"));
  button(QStringLiteral("⇥"), tr("Go to end (End); during a run: follow it live"), [this] { m_run.seekToEnd(); });
  buttons->addSpacing(14);
  auto* playButton =
      button(tr("▶  Play"), tr("Play / pause the replay (Space)"), [this] { isPlaying() ? pause() : play(); });
  playButton->setObjectName(QStringLiteral("PlayButton"));
  playButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
  playButton->setMinimumWidth(80);
  // The play button shows what pressing it would do.
  connect(&m_refreshTimer, &QTimer::timeout, playButton, [this, playButton] {
    const QString text = isPlaying() ? tr("❚❚  Pause") : tr("▶  Play");
    if (playButton->text() != text) playButton->setText(text);
  });
  buttons->addSpacing(14);
  m_speed = new QComboBox;
  m_speed->setFocusPolicy(Qt::NoFocus);  // arrows belong to the transport shortcuts
  for (const ReplaySpeed& s : replaySpeeds()) m_speed->addItem(s.label);
  m_speed->setCurrentIndex(defaultReplaySpeedIndex());
  connect(m_speed, &QComboBox::currentIndexChanged, this, [this](int index) {
    if (index < 0) return;
    m_run.setSpeed(replaySpeeds()[size_t(index)]);
  });
  const QString speedTip = tr("Replay speed: event by event (slow motion) or a multiple of the run's real time");
  auto* speedLabel = new QLabel(tr("Spee&d"));
  speedLabel->setObjectName(QStringLiteral("StepUnit"));
  speedLabel->setBuddy(m_speed);
  speedLabel->setContentsMargins(0, 0, 4, 0);
  speedLabel->setToolTip(speedTip);
  m_speed->setToolTip(speedTip);
  buttons->addWidget(speedLabel);
  buttons->addWidget(m_speed);
  buttons->addStretch(1);
  // On the scrub row: the buttons' row stays narrow enough for a 1280 px projector even with
  // the presentation font.
  m_positionLabel = new QLabel;
  m_positionLabel->setObjectName(QStringLiteral("PositionLabel"));
  m_positionLabel->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  // It may be cut on the left rather than push the window wider than a 1280 px projector.
  m_positionLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_positionLabel->setMinimumWidth(120);
  scrubRow->addWidget(m_positionLabel, 2);
  scrubRow->setStretch(0, 1);
  scrubRow->setStretch(1, 1);
  return bar;
}

// ---------------------------------------------------------------------------------------------
// Settings

void MainWindow::restoreSettings() {
  QSettings settings;
  if (settings.contains(settingsKey("window/geometry")))
    restoreGeometry(settings.value(settingsKey("window/geometry")).toByteArray());
  if (settings.contains(settingsKey("window/state")))  // which lesson docks were open, and where
    restoreState(settings.value(settingsKey("window/state")).toByteArray());
  m_poolSize->setValue(settings.value(settingsKey("run/threadpoolSize"), kDefaultPoolSize).toInt());
  m_timeout->setValue(settings.value(settingsKey("run/timeoutSeconds"), kDefaultTimeoutSeconds).toDouble());
  m_run.setStepMode(settings.value(settingsKey("run/stepMode"), false).toBool());
  m_stepModeAction->setChecked(m_run.isStepMode());
  int speed = settings.value(settingsKey("replay/speed"), defaultReplaySpeedIndex()).toInt();
  if (speed >= 0 && speed < m_speed->count()) m_speed->setCurrentIndex(speed);
  m_theme = themeFromName(settings.value(settingsKey("view/theme"), QStringLiteral("light")).toString());
  m_darkThemeAction->setChecked(m_theme == Theme::Dark);
  m_analysis.setShowInternals(settings.value(settingsKey("view/showInternals"), false).toBool());
  m_analysis.setBlockedThresholdMs(
      settings.value(settingsKey("analysis/blockedThresholdMs"), m_analysis.blockedThresholdMs()).toInt());
  m_zoomSteps = std::clamp(settings.value(settingsKey("view/zoom"), 0).toInt(), kMinZoomSteps, kMaxZoomSteps);
  applyLook();
}

void MainWindow::saveSettings() {
  if (!m_options.useSettings) return;
  QSettings settings;
  if (!m_presentation) settings.setValue(settingsKey("window/geometry"), saveGeometry());
  settings.setValue(settingsKey("window/state"), saveState());
  settings.setValue(settingsKey("run/threadpoolSize"), m_poolSize->value());
  settings.setValue(settingsKey("run/timeoutSeconds"), m_timeout->value());
  settings.setValue(settingsKey("run/stepMode"), m_stepModeAction->isChecked());
  settings.setValue(settingsKey("replay/speed"), m_speed->currentIndex());
  settings.setValue(settingsKey("view/theme"), themeName(m_theme));
  settings.setValue(settingsKey("view/showInternals"), m_analysis.showInternals());
  settings.setValue(settingsKey("analysis/blockedThresholdMs"), m_analysis.blockedThresholdMs());
  settings.setValue(settingsKey("view/zoom"), m_zoomSteps);
  settings.setValue(settingsKey("snippet/path"), m_snippetPath);
  settings.setValue(settingsKey("snippet/name"), m_snippetName);
  settings.setValue(settingsKey("snippet/text"), snippetText());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveSettings();
  m_run.stop(0);
  event->accept();
}

// ---------------------------------------------------------------------------------------------
// The snippet

bool MainWindow::loadSnippetFile(const QString& path, QString* error) {
  if (!readSnippetFile(path, error)) return false;
  forgetRun();
  return true;
}

bool MainWindow::readSnippetFile(const QString& path, QString* error) {
  QFile file(path);
  if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly)) {
    const QString why = QFileInfo::exists(path) ? tr("Cannot read the snippet '%1': %2.").arg(path, file.errorString())
                                                : tr("Cannot open the snippet '%1': there is no such file.").arg(path);
    if (error) *error = why;
    return false;
  }
  m_editor->setPlainText(QString::fromUtf8(file.readAll()));
  m_editor->document()->setModified(false);
  m_snippetPath = QFileInfo(path).absoluteFilePath();
  m_snippetName = QFileInfo(path).fileName();
  setWindowTitle(tr("%1 — Loopscope").arg(m_snippetName));
  QTimer::singleShot(0, this, [this] { keepEditorReadable(); });  // its lines may be longer
  return true;
}

void MainWindow::setSnippetText(const QString& text, const QString& name) {
  m_editor->setPlainText(text);
  m_editor->document()->setModified(false);
  m_snippetPath.clear();
  m_snippetName = name;
  setWindowTitle(tr("%1 — Loopscope").arg(m_snippetName));
  QTimer::singleShot(0, this, [this] { keepEditorReadable(); });  // its lines may be longer
  forgetRun();
}

void MainWindow::forgetRun() {
  // A run still going on keeps streaming into its own recording; it ends as usual.
  if (isRunning()) return;
  m_run.forget();
  hideBanner();
  m_editor->setErrorLine(0);
  m_runStatus->clear();
  m_sandboxBadge->clear();
  render();
}

void MainWindow::loadDefaultSnippet() {
  if (m_options.useSettings) {
    // Carry on where the user left off; the bundled snippet only on the very first start.
    QSettings settings;
    const QString text = settings.value(settingsKey("snippet/text")).toString();
    if (!text.trimmed().isEmpty()) {
      const QString path = settings.value(settingsKey("snippet/path")).toString();
      if (!path.isEmpty() && QFileInfo(path).isFile() && loadSnippetFile(path)) {
        if (snippetText() != text) {
          m_editor->setPlainText(text);  // the unsaved edits win
          m_editor->document()->setModified(true);
        }
        return;
      }
      setSnippetText(text, settings.value(settingsKey("snippet/name"), QStringLiteral("snippet.js")).toString());
      return;
    }
  }
  QFile file(QStringLiteral(":/snippets/default.js"));
  file.open(QIODevice::ReadOnly);
  setSnippetText(QString::fromUtf8(file.readAll()), QStringLiteral("default.js"));
}

QString MainWindow::snippetText() const { return m_editor->toPlainText(); }
bool MainWindow::hasUnsavedEdits() const { return m_editor->document()->isModified(); }

void MainWindow::revealSnippetLine(int line) {
  if (line < 1 || line > m_editor->blockCount()) return;
  // A plain-text edit scrolls by blocks: the scroll value is the first visible line.
  QScrollBar* bar = m_editor->verticalScrollBar();
  const int visible = std::max(1, m_editor->viewport()->height() / std::max(1, m_editor->fontMetrics().height()));
  if (line - 1 < bar->value() || line - 1 >= bar->value() + visible - 1)
    bar->setValue(std::max(0, line - 1 - visible / 2));
}

bool MainWindow::maybeDiscardEdits() {
  if (!m_editor->document()->isModified() || m_snippetPath.isEmpty()) return true;
  auto answer = QMessageBox::question(this, tr("Unsaved snippet"),
                                      tr("%1 has changes that are not saved. Save them first?").arg(m_snippetName),
                                      QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (answer == QMessageBox::Cancel) return false;
  return answer == QMessageBox::Discard || saveSnippet(false);
}

void MainWindow::openSnippetDialog() {
  if (!maybeDiscardEdits()) return;
  const QString path = QFileDialog::getOpenFileName(this, tr("Open snippet"), QFileInfo(m_snippetPath).absolutePath(),
                                                    tr("JavaScript (*.js *.cjs *.mjs);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!loadSnippetFile(path, &error)) showBanner(error, BannerKind::Error);
}

bool MainWindow::saveSnippet(bool askForName) {
  QString path = m_snippetPath;
  // A lesson's snippet is shared by every learner and checked by `lessons check`: an edited copy
  // is saved in the learner's own folder instead.
  const bool lessonSnippet = isInLessonsTree(path);
  if (askForName || path.isEmpty() || lessonSnippet) {
    QString suggested = path.isEmpty() ? m_snippetName : path;
    if (lessonSnippet) {
      suggested = suggestedCopyOfLessonSnippet();
      QDir().mkpath(QFileInfo(suggested).absolutePath());
    }
    path = QFileDialog::getSaveFileName(this,
                                        lessonSnippet ? tr("Save your copy of the lesson snippet") : tr("Save snippet"),
                                        suggested, tr("JavaScript (*.js *.cjs *.mjs)"));
    if (path.isEmpty()) return false;
    if (isInLessonsTree(path)) {
      showBanner(tr("Lesson snippets are not overwritten: save your version outside the lessons folder "
                    "(%1 is suggested).")
                     .arg(QDir::toNativeSeparators(suggestedCopyOfLessonSnippet())),
                 BannerKind::Warning);
      return false;
    }
  }
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(snippetText().toUtf8()) < 0) {
    showBanner(tr("Cannot save the snippet to '%1': %2.").arg(path, file.errorString()), BannerKind::Error);
    return false;
  }
  m_editor->document()->setModified(false);
  m_snippetPath = QFileInfo(path).absoluteFilePath();
  m_snippetName = QFileInfo(path).fileName();
  setWindowTitle(tr("%1 — Loopscope").arg(m_snippetName));
  statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
  return true;
}

bool MainWindow::isInLessonsTree(const QString& path) const {
  if (path.isEmpty()) return false;
  // The built-in curriculum only: a teacher's own lessons folder is theirs to edit.
  if (isInsideFolder(path, LessonLibrary::builtInFolder())) return true;
  const lessons::Lesson* lesson = nullptr;
  return m_lessons->findSnippet(path, &lesson) && !m_lessons->isUserLesson(QString::fromStdString(lesson->id));
}

QString MainWindow::suggestedCopyOfLessonSnippet() const {
  const lessons::Lesson* lesson = nullptr;
  m_lessons->findSnippet(m_snippetPath, &lesson);
  QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  if (folder.isEmpty()) folder = QDir::homePath();
  folder = QDir(folder).filePath(QStringLiteral("Loopscope"));
  if (lesson) folder = QDir(folder).filePath(QString::fromStdString(lesson->id));
  return QDir(folder).filePath(m_snippetName);
}

// A saved, unchanged snippet runs from where it is (so its require() of neighbours works); the
// editor's text otherwise runs from a copy in a private folder of its own, under the same name,
// removed when the run ends.
bool MainWindow::prepareRun(RunSettings& settings, TrustDecision& trust) {
  QString error;
  const bool edited = m_snippetPath.isEmpty() || m_editor->document()->isModified();
  trust = decideRun({m_snippetPath, edited, snippetText()});
  if (edited) {
    auto folder = PrivateRunFolder::create(m_snippetName, snippetText().toUtf8(), &error);
    if (!folder) {
      showBanner(error, BannerKind::Error);
      return false;
    }
    settings.snippetPath = folder->file();
    settings.privateFolder = std::move(folder);
  } else {
    settings.snippetPath = m_snippetPath;
  }
  settings.sandboxed = trust.sandboxed;
  settings.folderCanBeTrusted = !trust.folderToTrust.isEmpty();
  settings.threadpoolSize = m_poolSize->value();
  settings.timeoutSeconds = m_timeout->value();
  // A lesson snippet keeps its lesson's options and arguments even when edited: a one-slot pool
  // lesson stays about one slot.
  if (const lessons::Snippet* snippet = m_lessons->findSnippet(m_snippetPath)) {
    settings.extraOptions = optionsBeyondToolbar(snippetRunOptions(*snippet));
    settings.programArguments = snippetProgramArguments(*snippet);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Runs

void MainWindow::setThreadpoolSize(int size) { m_poolSize->setValue(size); }
void MainWindow::setTimeoutSeconds(double seconds) { m_timeout->setValue(seconds); }

void MainWindow::setStepMode(bool on) { m_run.setStepMode(on); }

void MainWindow::step() { m_run.step(); }

void MainWindow::continueRun() { m_continueAction->trigger(); }

bool MainWindow::run(bool playFromStartWhenDone) {
  if (isRunning()) return false;
  RunSettings settings;
  TrustDecision trust;
  if (!prepareRun(settings, trust)) return false;
  if (m_perturbSeed) settings.extraOptions << QStringLiteral("--perturb") << QString::number(*m_perturbSeed);
  hideBanner();
  m_editor->setErrorLine(0);
  m_runIsForQuiz = false;
  m_sandboxBadge->showDecision(trust);
  m_run.start(settings, playFromStartWhenDone);
  m_runStatus->setText(tr("Starting the engine…"));
  m_dashboard->setFocus();  // so ← → and Space drive the transport, not the editor's cursor
  updateActions();
  return true;
}

bool MainWindow::runPerturbed(quint64 seed) {
  m_perturbSeed = seed;
  const bool started = run(true);
  m_perturbSeed.reset();
  if (started) statusBar()->showMessage(tr("Running with timing perturbed by seed %1.").arg(seed), 6000);
  return started;
}

void MainWindow::markErrorLine() {
  // The last uncaught error (a syntax error is one too) that names the snippet itself: an error
  // inside Node's own code or a required module has no line in the editor to mark.
  const Trace& trace = m_run.recording().trace();
  for (auto it = trace.events().rbegin(); it != trace.events().rend(); ++it) {
    if (it->kind != EventKind::UncaughtError) continue;
    const auto error = as<record::UncaughtError>(*it);
    const QString script = QString::fromUtf8(trace.str(error.scriptString));
    if (QFileInfo(script).fileName() != m_snippetName || error.line <= 0) return;
    const QString name = QString::fromUtf8(trace.str(error.errorNameString));
    const QString message = QString::fromUtf8(trace.str(error.messageString));
    m_editor->setErrorLine(int(error.line), tr("Line %1, column %2: %3: %4")
                                                .arg(error.line)
                                                .arg(error.column)
                                                .arg(name.isEmpty() ? tr("Error") : name, message));
    return;
  }
}

void MainWindow::stop() {
  if (!isRunning()) return;
  m_run.stop();
  m_runStatus->setText(tr("Stopping…"));
}

void MainWindow::onRunFinished(const RunOutcome& outcome, bool previousRestored) {
  if (previousRestored) m_sandboxBadge->showPrevious();
  m_memoryPanel->setLive(false);
  const Recording& recording = m_run.recording();
  const size_t recorded = recording.size();
  QString sentence = outcome.describe(recorded);
  if (!recording.problem().isEmpty()) sentence += QLatin1Char(' ') + recording.problem();
  // A huge run records the site of its first promises only (engine/host/js_probes.cpp).
  const std::string promiseSites = recording.trace().meta("promise sites");
  if (!promiseSites.empty()) sentence += tr(" Promise lines were %1.").arg(QString::fromStdString(promiseSites));
  BannerKind kind = BannerKind::Info;
  switch (outcome.kind) {
    case RunOutcome::Kind::Finished: kind = BannerKind::Success; break;
    case RunOutcome::Kind::ExitCode:
    case RunOutcome::Kind::Stopped:
    case RunOutcome::Kind::TimedOut: kind = BannerKind::Warning; break;
    case RunOutcome::Kind::Crashed:
    case RunOutcome::Kind::OutOfMemory:
    case RunOutcome::Kind::FailedToStart: kind = BannerKind::Error; break;
  }
  // A damaged trace (the snippet can write into its pipe) is worth a banner even after a clean exit.
  if (kind == BannerKind::Success && !recording.problem().isEmpty()) kind = BannerKind::Warning;
  markErrorLine();
  // A clean finish needs no banner in the way of the dashboard; the status bar says it.
  if (kind != BannerKind::Success) showBanner(sentence, kind);
  m_runStatus->setText(outcome.sandboxFailed                        ? tr("Not run")
                       : outcome.kind == RunOutcome::Kind::Finished ? tr("Finished · %1 events").arg(recorded)
                                                                    : tr("Ended · %1 events").arg(recorded));
  statusBar()->showMessage(sentence, 10000);
  // The recording may have been re-sorted at its end: the health findings and the timeline are
  // made again over it.
  m_health->setTrace(&recording.trace());
  m_shownTraceSize = size_t(-1);
  if (m_originPanel->selectedCallback() != 0)  // ... and the selected callback's chain found again
    m_originPanel->selectCallback(m_originPanel->selectedCallback());
  updateActions();
  if (m_runIsForQuiz) {
    m_runIsForQuiz = false;
    m_lessonPanel->gradeRun(outcome, recording.trace());
  }
  Q_EMIT runFinished(outcome);
}

bool MainWindow::openTraceFile(const QString& path, QString* error) {
  QString problem;
  if (!m_run.openTrace(path, error, &problem)) return false;
  hideBanner();
  if (!problem.isEmpty()) showBanner(problem, BannerKind::Warning);
  // Show the snippet the trace names, when it is still there, so the running line can be marked.
  const QString snippet = m_run.recording().snippetFile();
  if (!snippet.isEmpty() && QFileInfo(snippet).isFile() && QFileInfo(snippet).absoluteFilePath() != m_snippetPath &&
      maybeDiscardEdits())
    readSnippetFile(snippet);
  statusBar()->showMessage(tr("Opened %1 (%2 events)").arg(path).arg(m_run.recording().size()), 6000);
  updateActions();
  return true;
}

void MainWindow::showRecording() {
  const Recording& recording = m_run.recording();
  // The same recording again (put in time order at its end): the selected callback stays.
  const int64_t selected = &recording == m_shownRecording ? m_originPanel->selectedCallback() : 0;
  // The shared loop-health findings first: the views read them when they take the trace.
  m_health->setTrace(&recording.trace());
  const RecordingSource source{&recording.trace(), &recording.timeline(), &recording.keepAlive()};
  for (RecordingView* view : m_views) view->showRecording(source);
  if (selected != 0) m_originPanel->selectCallback(selected);
  m_shownRecording = nullptr;  // forces a full render
}

// ---------------------------------------------------------------------------------------------
// Replay

void MainWindow::seek(size_t position) { m_run.seek(position); }

void MainWindow::play() { m_run.play(); }

void MainWindow::pause() { m_run.pause(); }

void MainWindow::setReplaySpeedIndex(int index) { m_speed->setCurrentIndex(index); }

void MainWindow::onShowInternalsChanged(bool show) {
  m_showInternalsAction->setChecked(show);
  m_queues->setShowInternals(show);
  m_eventTable->eventModel()->setShowInternals(show);
  m_console->setShowInternals(show);
  if (isVisible()) render();
}

void MainWindow::stepBy(LoopTimeline::Step step, bool forward) {
  m_run.stepBy(step, forward, m_analysis.showInternals());
}

void MainWindow::jumpToEventAt(size_t eventIndex) {
  pause();
  // Selecting an event shows the moment just after it happened.
  seek(eventIndex + 1);
}

void MainWindow::tick() {
  m_run.tick();
  const Recording& rec = m_run.recording();
  if (position() != m_shownPosition || rec.size() != m_shownTraceSize || &rec != m_shownRecording) render();
}

void MainWindow::refreshNow() { render(); }

void MainWindow::render() {
  const Recording& rec = m_run.recording();
  const bool newRecording = m_shownRecording != &rec;
  const bool grew = newRecording || rec.size() != m_shownTraceSize;
  const size_t position = std::min(m_run.position(), rec.size());
  if (grew) {
    if (!newRecording) {
      m_health->traceGrew();
      for (RecordingView* view : m_views) view->recordingGrew();
    }
    QSignalBlocker block(m_slider);
    m_slider->setRange(0, int(std::min<size_t>(rec.size(), size_t(std::numeric_limits<int>::max()))));
  }

  // The one place a LoopState is computed for the screen: every view gets this same value.
  m_shownState = rec.timeline().stateAt(position);
  for (RecordingView* view : m_views) view->showMoment(position, m_shownState);

  int markedLine = 0;
  if (m_shownState.current && sameFile(m_shownState.current->file, m_snippetName))
    markedLine = m_shownState.current->line;
  m_editor->setMarkedLine(markedLine);
  {
    QSignalBlocker block(m_slider);
    m_slider->setValue(int(position));
  }
  updatePositionLabel(m_shownState);

  m_shownRecording = &rec;
  m_shownPosition = position;
  m_shownTraceSize = rec.size();
  updateActions();
}

void MainWindow::updatePositionLabel(const LoopState& state) {
  const size_t total = m_run.recording().size();
  if (total == 0) {
    m_positionLabel->setText(isRunning() ? tr("waiting for the first events…")
                                         : tr("nothing recorded yet — press Run (F5)"));
    return;
  }
  m_positionLabel->setText(playheadLabel(m_run.recording().trace(), state, total));
}

void MainWindow::updateActions() {
  const bool running = isRunning();
  const bool hasEvents = m_run.recording().size() > 0;
  m_runAction->setEnabled(!running);
  m_stopAction->setEnabled(running);
  m_runManyAction->setEnabled(!running);
  m_compareWithNodeAction->setEnabled(!running);
  m_stepAction->setEnabled(running && m_run.isStepMode());
  m_continueAction->setEnabled(running ? m_run.isStepMode() : hasEvents);
  m_saveTraceAction->setEnabled(!running && hasEvents);
  for (QAction* a : m_exportActions) a->setEnabled(!running && hasEvents);
  m_heapSnapshotAction->setEnabled(running);
  m_poolSize->setEnabled(!running);
}

// ---------------------------------------------------------------------------------------------
// Banner

void MainWindow::showBanner(const QString& text, BannerKind kind) {
  static const char* const kinds[] = {"info", "success", "warning", "error"};
  m_banner->setProperty("kind", QString::fromLatin1(kinds[int(kind)]));
  // The palette decides readable colours for the current theme; the style sheet picks the tint.
  const bool dark = isDarkPalette(palette());
  QColor tint = kind == BannerKind::Error     ? errorColor(palette())
                : kind == BannerKind::Warning ? warningColor(palette())
                : kind == BannerKind::Success ? QColor(0x2e, 0x9d, 0x4f)
                                              : palette().color(QPalette::Highlight);
  QColor fill = tint;
  fill.setAlphaF(dark ? 0.30 : 0.16);
  m_banner->setStyleSheet(
      QStringLiteral("#Banner { background: %1; border: 2px solid %2; border-radius: 4px; margin: 4px; }")
          .arg(fill.name(QColor::HexArgb), tint.name()));
  m_bannerLabel->setText(text);
  m_banner->show();
}

void MainWindow::hideBanner() {
  m_bannerLabel->clear();
  m_banner->hide();
}

QString MainWindow::bannerText() const {
  return m_banner->isVisibleTo(const_cast<MainWindow*>(this)) ? m_bannerLabel->text() : QString();
}

// ---------------------------------------------------------------------------------------------
// Files and pictures

void MainWindow::openTraceDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open trace"), QString(),
                                                    tr("Loopscope traces (*.lstrace);;All files (*)"));
  if (path.isEmpty()) return;
  QString error;
  if (!openTraceFile(path, &error)) showBanner(error, BannerKind::Error);
}

QString MainWindow::exportBaseName() const {
  // The recording's own snippet, not whatever the editor holds now: a picture or trace of a run
  // is named after what ran.
  const QString traced = m_run.recording().snippetFile();
  return QFileInfo(traced.isEmpty() ? m_snippetName : traced).completeBaseName();
}

void MainWindow::saveTraceDialog() {
  const QString suggested = exportBaseName() + QStringLiteral(".lstrace");
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Save trace"), suggested, tr("Loopscope traces (*.lstrace)"));
  if (path.isEmpty()) return;
  QString error;
  if (!m_run.recording().saveTrace(path, &error))
    showBanner(error, BannerKind::Error);
  else
    statusBar()->showMessage(tr("Saved the trace to %1").arg(path), 5000);
}

void MainWindow::exportDialog(const QString& kind) {
  const QString base = exportBaseName();
  QString path, error;
  bool ok = false;
  if (kind == QLatin1String("chrome")) {
    path = QFileDialog::getSaveFileName(this, tr("Export Chrome trace"), base + QStringLiteral(".json"),
                                        tr("Chrome Trace Event JSON (*.json)"));
    if (path.isEmpty()) return;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    ok = m_run.recording().exportChrome(path, &error);
    QApplication::restoreOverrideCursor();
  } else if (kind == QLatin1String("csv")) {
    path = QFileDialog::getSaveFileName(this, tr("Export CSV"), base + QStringLiteral(".csv"), tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    ok = m_run.recording().exportCsv(path, &error);
    QApplication::restoreOverrideCursor();
  } else {
    const bool timeline = kind == QLatin1String("timeline");
    path = QFileDialog::getSaveFileName(this, timeline ? tr("Save timeline picture") : tr("Save window picture"),
                                        base + (timeline ? QStringLiteral("-timeline.png") : QStringLiteral(".png")),
                                        tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"));
    if (path.isEmpty()) return;
    ok = timeline ? saveTimelinePicture(path, &error) : saveWindowPicture(path, &error);
  }
  if (!ok)
    showBanner(error, BannerKind::Error);
  else
    statusBar()->showMessage(tr("Wrote %1").arg(path), 5000);
}

bool MainWindow::saveWindowPicture(const QString& path, QString* error) { return saveWidgetPicture(this, path, error); }

bool MainWindow::saveTimelinePicture(const QString& path, QString* error) {
  // The timeline renders itself (PNG, SVG, PDF) at full size, whichever tab is shown.
  if (!m_timeline->saveImage(path)) {
    if (error)
      *error = tr("Cannot write the timeline picture '%1': use .png, .pdf or .svg in a writable folder.").arg(path);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Dialogs

void MainWindow::runManyDialog() {
  RunSettings settings;
  TrustDecision trust;
  if (!prepareRun(settings, trust)) return;
  RunManyDialog dialog(settings, this);
  std::optional<quint64> replaySeed;
  connect(&dialog, &RunManyDialog::replayRequested, &dialog, [&](quint64 seed) {
    replaySeed = seed;
    dialog.accept();
  });
  dialog.exec();
  // The order the learner picked, recorded and replayed here step by step.
  if (replaySeed) runPerturbed(*replaySeed);
}

void MainWindow::compareWithNodeDialog() {
  const QString node = CompareWithNodeDialog::nodeOnPath();
  if (node.isEmpty()) {
    showBanner(tr("There is no node program on your PATH: install Node.js to compare its output with this engine's."),
               BannerKind::Info);
    return;
  }
  RunSettings settings;
  TrustDecision trust;
  if (!prepareRun(settings, trust)) return;
  // node knows nothing of the sandbox: code that would run inside it is not handed to node.
  if (trust.sandboxed) {
    showBanner(tr("Comparing runs the snippet on %1, outside Loopscope's sandbox. Save it in a folder and trust "
                  "that folder first (Run ▸ Trust this snippet's folder…) if you trust the code.")
                   .arg(node),
               BannerKind::Warning);
    return;
  }
  CompareWithNodeDialog dialog(settings, node, this);
  dialog.exec();
}

void MainWindow::showAbout() {
  auto show = [this](const EngineVersions& v) {
    QString engine = v.known() ? tr("<p>Runs snippets on the real, instrumented engine:<br>"
                                    "<b>Node.js %1</b> · <b>V8 %2</b> · <b>libuv %3</b></p>")
                                     .arg(v.node, v.v8, v.uv)
                               : tr("<p>The engine's versions are not known: %1</p>")
                                     .arg(EngineProcess::enginePath().isEmpty() ? tr("loopscope-engine was not found.")
                                                                                : tr("it did not answer."));
    QMessageBox::about(this, tr("About Loopscope"),
                       tr("<h3>Loopscope %1</h3>"
                          "<p>Shows exactly what Node's event loop does with a snippet, live and in replay: "
                          "the libuv phases, the nextTick and microtask queues, the thread pool, "
                          "garbage collections and stream buffers. Nothing is simulated.</p>%2"
                          "<p>Qt %3</p>")
                           .arg(QCoreApplication::applicationVersion(), engine, QString::fromLatin1(qVersion())));
  };
  if (m_run.versions().known()) return show(m_run.versions());
  if (m_probedVersions.known()) return show(m_probedVersions);
  // No run has named the versions yet: ask the engine with a tiny traced run.
  auto probe = PrivateRunFolder::create(QStringLiteral("versions.js"), "0;\n", nullptr);
  if (!probe) return show(m_probedVersions);
  auto* engine = new EngineProcess(this);
  auto recording = std::make_shared<Recording>();
  connect(engine, &EngineProcess::batchArrived, this,
          [recording](const std::shared_ptr<const TraceBatch>& batch) { recording->append(*batch); });
  connect(engine, &EngineProcess::finished, this, [this, engine, recording, show](const RunOutcome&) {
    QApplication::restoreOverrideCursor();
    if (recording->versions().known()) m_probedVersions = recording->versions();
    engine->deleteLater();
    show(m_probedVersions);
  });
  QApplication::setOverrideCursor(Qt::WaitCursor);
  statusBar()->showMessage(tr("Asking the engine for its versions…"));
  RunSettings settings;
  settings.snippetPath = probe->file();
  settings.privateFolder = probe;
  settings.timeoutSeconds = 10;
  engine->start(settings);
}

void MainWindow::showShortcuts() {
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Keyboard shortcuts"));
  auto* layout = new QVBoxLayout(&dialog);
  auto* table = new QTableWidget(&dialog);
  table->setColumnCount(2);
  table->setHorizontalHeaderLabels({tr("Action"), tr("Keys")});
  table->verticalHeader()->hide();
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionMode(QAbstractItemView::NoSelection);
  // Built from the actions themselves, so the list can never disagree with the keys.
  for (QAction* action : actions()) {
    if (action->shortcuts().isEmpty()) continue;
    QStringList keys;
    for (const QKeySequence& k : action->shortcuts()) keys << k.toString(QKeySequence::NativeText);
    const int row = table->rowCount();
    table->insertRow(row);
    table->setItem(row, 0, new QTableWidgetItem(action->text().remove(QLatin1Char('&'))));
    table->setItem(row, 1, new QTableWidgetItem(keys.join(tr("  or  "))));
  }
  table->resizeColumnsToContents();
  table->horizontalHeader()->setStretchLastSection(true);
  auto* note =
      new QLabel(tr("While the snippet editor has the keyboard, arrows, Space, Home and End edit text: "
                    "click the dashboard (or press Esc) to give them back to the transport."));
  note->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
  connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  layout->addWidget(table);
  layout->addWidget(note);
  layout->addWidget(buttons);
  dialog.resize(560, 620);
  dialog.exec();
}

void MainWindow::setPresentationMode(bool on) {
  if (on == m_presentation) return;
  m_presentation = on;
  applyLook();
  if (on) {
    m_lessonTextShownBeforePresentation = isLessonPanelShown();
    showFullScreen();
  } else {
    showNormal();
  }
  applyPresentationLayout();
  if (!on && m_lessonTextShownBeforePresentation) m_lessonPanelDock->show();
  m_presentationAction->setChecked(on);
}

void MainWindow::applyPresentationLayout() {
  menuBar()->setVisible(!m_presentation);
  // The toolbar is the teacher's, read from the desk: a little smaller than the presentation
  // font, so every action fits a 1280 px projector without the "»" overflow menu.
  QFont toolbarFont;  // empty: follow the application's font
  if (m_presentation) {
    toolbarFont = QApplication::font();
    if (toolbarFont.pointSizeF() > 0)
      toolbarFont.setPointSizeF(toolbarFont.pointSizeF() * 0.86);
    else
      toolbarFont.setPixelSize(int(toolbarFont.pixelSize() * 0.86));
  }
  // Set on each button: with the application's style sheet active, a font set on the toolbar
  // alone does not reach the widgets in it.
  m_runToolBar->setFont(toolbarFont);
  for (QWidget* child : m_runToolBar->findChildren<QWidget*>()) child->setFont(toolbarFont);
  // In presentation the editor keeps its width when the window changes and the dashboard takes
  // the difference; otherwise most of any change goes to the dashboard, as the window opened.
  m_columns->setStretchFactor(0, m_presentation ? 0 : 1);
  m_columns->setStretchFactor(1, m_presentation ? 1 : 4);
  // A line longer than the pane continues on the next row rather than off the projector's edge,
  // where no one in the room can scroll to it.
  m_editor->setLineWrapMode(m_presentation ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
  if (m_presentation && lessonTextFoldedForProjector()) m_lessonPanelDock->hide();
  if (m_presentation && isLessonPanelShown()) resizeDocks({m_lessonPanelDock}, {lessonTextWidth()}, Qt::Horizontal);
  // Deferred: the full-screen geometry and the new font's metrics arrive with the next layout.
  QTimer::singleShot(0, this, [this] { keepEditorReadable(); });
}

bool MainWindow::lessonTextFoldedForProjector() const {
  if (!m_presentation) return false;
  // Right after showFullScreen() the window still has its old size; it is about to fill the
  // screen. (A window never shown full screen, as for an automation picture, is its own size.)
  const int presentedWidth = isFullScreen() && screen() ? screen()->geometry().width() : width();
  return presentedWidth < kPresentationWidthForLessonText;
}

int MainWindow::lessonTextWidth() const {
  // In presentation the lesson text gets a quarter of the width (its font is big, but the code
  // and the views are what the class reads from afar); otherwise about 30 %.
  return m_presentation ? std::max(320, width() / 4) : std::max(340, width() * 3 / 10);
}

int MainWindow::editorColumnsWanted() const {
  // As wide as the snippet's longest line, within reason: short snippets need no more, and a
  // long comment line must not take the dashboard's room (it wraps in presentation mode).
  int longest = 0;
  for (QTextBlock block = m_editor->document()->begin(); block.isValid(); block = block.next())
    longest = std::max(longest, int(block.text().size()));
  return std::clamp(longest + 1, kEditorColumns, kMaxEditorColumns);
}

void MainWindow::keepEditorReadable() {
  if (!m_columns) return;
  const QFontMetrics code(m_editor->font());
  // Outside presentation a readable minimum is enough: the user sizes the editor as they like.
  const int columns = m_presentation ? editorColumnsWanted() : kEditorColumns;
  const int wanted = code.horizontalAdvance(QString(columns, QLatin1Char('m'))) + m_editor->lineNumberAreaWidth() +
                     style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 2 * m_editor->frameWidth() + 12;
  QList<int> sizes = m_columns->sizes();
  if (sizes.size() != 2) return;
  const int total = sizes[0] + sizes[1];
  if (total <= 0) return;
  // The dashboard keeps at least half: the wheel and the queues are the lesson.
  const int editor = std::min(wanted, total / 2);
  // Outside presentation the user's own wider editor is kept; only a squeezed one is widened
  // (both lesson docks open on a small screen left it a couple of dozen characters).
  if (sizes[0] == editor || (!m_presentation && sizes[0] > editor)) return;
  // The dashboard cannot go below its minimum, so what it cannot give comes from the lesson docks:
  // the list first (it is for choosing), then the text, each down to a width it still reads at.
  const int room = total - m_columns->widget(1)->minimumSizeHint().width();
  if (editor > room && !m_shrinkingDocks) {
    int deficit = editor - room;
    QList<QDockWidget*> docks;
    QList<int> widths;
    for (QDockWidget* dock : {m_lessonBrowserDock, m_lessonPanelDock}) {
      if (!dock->isVisible() || dock->isFloating()) continue;
      const int floor = std::max(dock->minimumSizeHint().width(), dock == m_lessonBrowserDock ? 190 : 300);
      const int give = std::clamp(dock->width() - floor, 0, deficit);
      deficit -= give;
      docks << dock;
      widths << dock->width() - give;
    }
    if (deficit < editor - room) {
      resizeDocks(docks, widths, Qt::Horizontal);
      // Lay the window out now, then give the editor the room the docks gave (once: no loop if
      // they cannot give more).
      if (layout()) layout()->activate();
      m_shrinkingDocks = true;
      keepEditorReadable();
      m_shrinkingDocks = false;
      return;
    }
  }
  m_columns->setSizes({editor, total - editor});
}

void MainWindow::updateToolbarIcons() {
  const QPalette pal = palette();
  m_runAction->setIcon(toolbarIcon(ToolbarGlyph::Run, pal));
  m_stopAction->setIcon(toolbarIcon(ToolbarGlyph::Stop, pal));
  m_stepModeAction->setIcon(toolbarIcon(ToolbarGlyph::StepMode, pal));
  m_stepAction->setIcon(toolbarIcon(ToolbarGlyph::Step, pal));
  m_continueAction->setIcon(toolbarIcon(ToolbarGlyph::Continue, pal));
  m_heapSnapshotAction->setIcon(toolbarIcon(ToolbarGlyph::HeapSnapshot, pal));
  m_lessonsAction->setIcon(toolbarIcon(ToolbarGlyph::Lessons, pal));
  m_lessonTextAction->setIcon(toolbarIcon(ToolbarGlyph::LessonText, pal));
}

void MainWindow::resizeEvent(QResizeEvent* event) {
  QMainWindow::resizeEvent(event);
  // After the splitter has shared out the new width by its stretch factors.
  QTimer::singleShot(0, this, [this] { keepEditorReadable(); });
}

void MainWindow::changeEvent(QEvent* event) {
  QMainWindow::changeEvent(event);
  // A theme switch replaces the application palette: the icons are drawn in its text colour.
  if (event->type() == QEvent::PaletteChange && m_runAction) updateToolbarIcons();
}

void MainWindow::applyLook() {
  if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance()))
    applyAppearance(*app, m_theme, m_presentation, m_zoomSteps);
  // Qt tells widgets of a new application font only while its event loop runs (not yet at
  // start-up, nor in a nested loop), and the code views choose their own font: told directly.
  m_editor->followApplicationFont();
  m_console->followApplicationFont();
}

void MainWindow::zoomBy(int steps) {
  const int zoom = std::clamp(m_zoomSteps + steps, kMinZoomSteps, kMaxZoomSteps);
  if (zoom == m_zoomSteps) return;
  m_zoomSteps = zoom;
  applyLook();
  applyPresentationLayout();  // the toolbar's font and the editor's width follow the new size
  statusBar()->showMessage(tr("Zoom %1 %").arg(int(std::lround(100 * std::pow(kZoomStepFactor, m_zoomSteps)))), 2000);
}

void MainWindow::setTheme(Theme theme) {
  m_theme = theme;
  applyLook();
  m_darkThemeAction->setChecked(theme == Theme::Dark);
  if (m_banner->isVisible()) {
    // Re-tint the banner for the new palette.
    const QString kind = m_banner->property("kind").toString();
    showBanner(m_bannerLabel->text(), kind == QLatin1String("error")     ? BannerKind::Error
                                      : kind == QLatin1String("warning") ? BannerKind::Warning
                                      : kind == QLatin1String("success") ? BannerKind::Success
                                                                         : BannerKind::Info);
  }
}

// ---------------------------------------------------------------------------------------------
// The analysis tabs

QStringList MainWindow::analysisTabNames() {
  QStringList names;
  for (const char* name : kAnalysisTabs) names << QString::fromLatin1(name);
  for (const char* page : kWhyPages) names << QString::fromLatin1(page);
  return names;
}

bool MainWindow::showAnalysisTab(const QString& name) {
  for (const char* page : kWhyPages)
    if (name.toLower() == QLatin1String(page)) {
      m_whyTab->showPage(page == kWhyPages[0] ? WhyTab::Page::Origin : WhyTab::Page::KeepAlive);
      m_bottomTabs->setCurrentWidget(m_whyTab);
      return true;
    }
  const int index = int(analysisTabNames().indexOf(name.toLower()));
  if (index < 0 || index >= m_bottomTabs->count()) return false;
  m_bottomTabs->setCurrentIndex(index);
  return true;
}

QString MainWindow::currentAnalysisTab() const {
  const int index = m_bottomTabs->currentIndex();
  return index >= 0 && index < int(std::size(kAnalysisTabs)) ? QString::fromLatin1(kAnalysisTabs[index]) : QString();
}

bool MainWindow::requestHeapSnapshot() {
  if (!m_run.requestHeapSnapshot(tr("taken in the app #%1").arg(m_heapSnapshotsTaken + 1))) return false;
  ++m_heapSnapshotsTaken;
  statusBar()->showMessage(tr("Asked the engine for a heap snapshot; it appears in the Memory tab."), 4000);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Lessons

bool MainWindow::openLesson(const QString& idOrNumber, QString* error) {
  const lessons::Lesson* lesson = m_lessons->resolve(idOrNumber);
  if (!lesson) {
    // The automation helper words the sentence (which lessons exist), for the GUI and CLI alike.
    QString sentence;
    lessonSnippetForAutomation(*m_lessons, idOrNumber, &sentence);
    if (error) *error = sentence;
    return false;
  }
  const QString id = QString::fromStdString(lesson->id);
  m_lessonBrowser->selectLesson(id);
  const bool wasShown = isLessonPanelShown();
  m_lessonTextButton->setVisible(true);
  // On a narrow projector the lesson opens folded: the class sees the code and the views, and
  // the teacher unfolds the text (toolbar or Ctrl+Shift+L) when it is time to read it.
  if (!lessonTextFoldedForProjector()) {
    m_lessonPanelDock->show();
    m_lessonPanelDock->raise();
  }
  // Opened for the first time: about 30 % of the window, enough for the text and the quiz even
  // with the presentation font (the user's own width is kept after that).
  // Deferred: a dock can be resized only once the window has laid it out.
  // The editor's readable width is checked after that, or the dock would take it back.
  if (!wasShown)
    QTimer::singleShot(0, this, [this] {
      resizeDocks({m_lessonPanelDock}, {lessonTextWidth()}, Qt::Horizontal);
      if (layout()) layout()->activate();
      keepEditorReadable();
    });
  // The last run belongs to what was open before, even if its snippet stays in the editor.
  forgetRun();
  // showLesson() asks for its first snippet to be previewed (snippetPreviewRequested).
  return m_lessonPanel->showLesson(id);
}

bool MainWindow::loadLessonSnippet(const QString& path) {
  if (!maybeDiscardEdits()) return false;
  QString error;
  if (!loadSnippetFile(path, &error)) {
    showBanner(error, BannerKind::Error);
    return false;
  }
  if (const lessons::Snippet* snippet = m_lessons->findSnippet(path))
    setThreadpoolSize(snippetThreadpoolSize(*snippet, kDefaultPoolSize));
  return true;
}

bool MainWindow::runLessonSnippet(const QString& path, bool playFromStartWhenDone) {
  if (isRunning()) {
    showBanner(tr("A run is still going on: stop it (Shift+F5) before running the lesson's snippet."),
               BannerKind::Warning);
    return false;
  }
  // The editor may already hold this snippet, unchanged: no need to read it again.
  const bool alreadyLoaded = !m_editor->document()->isModified() && QFileInfo(m_snippetPath) == QFileInfo(path);
  if (!alreadyLoaded && !loadLessonSnippet(path)) return false;
  if (const lessons::Snippet* snippet = m_lessons->findSnippet(path))
    setThreadpoolSize(snippetThreadpoolSize(*snippet, kDefaultPoolSize));
  return run(playFromStartWhenDone);
}

bool MainWindow::isLessonPanelShown() const { return m_lessonPanelDock->isVisibleTo(const_cast<MainWindow*>(this)); }
bool MainWindow::isLessonBrowserShown() const {
  return m_lessonBrowserDock->isVisibleTo(const_cast<MainWindow*>(this));
}
void MainWindow::setLessonBrowserShown(bool shown) { m_lessonBrowserDock->setVisible(shown); }

void MainWindow::chooseLessonsFolder() {
  if (LessonLibrary::chooseUserLessonFolder(this).isEmpty()) return;
  m_lessons->reload();
  if (!m_lessons->folderProblems().isEmpty())
    showBanner(m_lessons->folderProblems().join(QLatin1Char(' ')), BannerKind::Warning);
  m_lessonBrowserDock->show();
}

}  // namespace loopscope::ui
