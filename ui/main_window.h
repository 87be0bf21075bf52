// The Loopscope window: the snippet editor, the dashboard of views, the analysis tabs under it
// (timeline, event table, V8, memory, loop health), the console, a toolbar to run, a transport
// bar to replay, and the lessons: a list of them (a dock, Ctrl+L) and the open lesson's text and
// quiz beside the views (a dock), whose snippets run here with the lesson's options.
//
// The window only arranges: what runs and where the play head is belongs to a RunController (no
// widgets), the analysis choices to AnalysisSettings, and the views are told everything through
// one interface (views/recording_view.h). One refresh timer (60 Hz) drives what is shown: when the
// play head moved or the trace grew, it computes `timeline.stateAt(position)` once and hands that
// LoopState to every view, so views never disagree and hold no state of their own. Runs happen in
// a separate engine process; whatever the snippet does, the window stays and says what happened.
//
// GUI thread only.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

#include "engine_process.h"
#include "recording.h"
#include "replay_clock.h"
#include "run_controller.h"
#include "theme.h"
#include "trace/loop_state.h"
#include "views/analysis_settings.h"

class QAction;
class QComboBox;
class QDockWidget;
class QDoubleSpinBox;
class QFrame;
class QLabel;
class QSlider;
class QSpinBox;
class QSplitter;
class QTabWidget;
class QToolBar;
class QToolButton;

namespace loopscope::ui {

class CodeEditor;
class ConsoleView;
class EventTableView;
class HealthAnalysis;
class HealthPanel;
class HeapView;
class KeepAlivePanel;
class LessonBrowser;
class LessonLibrary;
class LessonPanel;
class LoopWheelView;
class MemoryPanel;
class OriginPanel;
class QueuesView;
class RecordingView;
class SandboxBadge;
class StreamsView;
class ThreadPoolView;
class TimelineView;
class V8Panel;
struct TrustDecision;
class WhyTab;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  struct Options {
    // Read and write QSettings (window geometry, theme, pool size, time-out, last snippet).
    // Off for the automation interface and tests, which must not touch the user's settings.
    bool useSettings = true;
  };
  explicit MainWindow(QWidget* parent = nullptr) : MainWindow(Options{}, parent) {}
  explicit MainWindow(const Options& options, QWidget* parent = nullptr);
  ~MainWindow() override;

  // --- the snippet ---
  // Loads a snippet file into the editor. Returns false with one sentence in `error`.
  bool loadSnippetFile(const QString& path, QString* error = nullptr);
  // Puts text into the editor as an unsaved snippet called `name` ("default.js").
  void setSnippetText(const QString& text, const QString& name);
  // The bundled first-run snippet (resources/snippets/default.js).
  void loadDefaultSnippet();
  QString snippetText() const;
  // The file the editor shows ("" for a snippet not saved anywhere yet).
  QString snippetPath() const { return m_snippetPath; }
  bool hasUnsavedEdits() const;
  // Scrolls the editor so `line` (1-based) is in view, without moving the user's cursor.
  void revealSnippetLine(int line);

  // --- runs ---
  void setThreadpoolSize(int size);
  void setTimeoutSeconds(double seconds);
  // Runs the editor's snippet live; `playFromStartWhenDone` replays it in slow motion afterwards
  // (what a first-time user sees at start-up). Returns false if a run is already going on.
  bool run(bool playFromStartWhenDone = false);
  // Runs it with the engine varying timing by `seed` (Run ×N's "Replay this order";
  // docs/perturbation.md), replayed from its start when done.
  bool runPerturbed(quint64 seed);
  void stop();
  bool isRunning() const { return m_run.isRunning(); }
  // Live step mode (the toolbar's Step mode, Step and Continue). With step mode on, the next run
  // starts paused; during a run it pauses or resumes the engine.
  void setStepMode(bool on);
  // During a run in step mode: let the engine go to its next gate. Does nothing otherwise (the
  // replay's play head moves with the transport keys, not with Step).
  void step();
  // During a run: leave step mode and run freely. In replay: play.
  void continueRun();
  // Opens a native trace file for replay. Returns false with one sentence in `error`.
  bool openTraceFile(const QString& path, QString* error = nullptr);

  // --- replay ---
  const Recording* recording() const { return &m_run.recording(); }
  size_t position() const { return m_run.position(); }
  // Moves the play head (clamped to the recording) and stops following the live end.
  void seek(size_t position);
  void play();
  void pause();
  // Index into replaySpeeds() (the toolbar's Replay choice).
  void setReplaySpeedIndex(int index);
  bool isPlaying() const { return m_run.isPlaying(); }
  // What runs and where the play head is; the analysis choices the views follow.
  RunController& runController() { return m_run; }
  AnalysisSettings& analysisSettings() { return m_analysis; }
  HealthAnalysis* healthAnalysis() const { return m_health; }

  // --- the look ---
  // Zooms every font (code, console, dashboard, tabs) by `steps` of kZoomStepFactor, as
  // Ctrl+Plus / Ctrl+Minus do; Ctrl+0 is zoomBy(-zoomSteps()).
  void zoomBy(int steps);
  int zoomSteps() const { return m_zoomSteps; }
  void setPresentationMode(bool on);
  bool isPresentationMode() const { return m_presentation; }
  // Pushes the state at the play head to every view now, instead of at the next timer tick.
  void refreshNow();
  // The state the views were last given.
  const LoopState& shownState() const { return m_shownState; }
  // The sentence in the banner ("" when it is hidden): how the last run ended, or an error.
  QString bannerText() const;

  // --- pictures ---
  // The file name (without folder and suffix) that exports of the shown recording suggest: the
  // snippet that was run, whatever the editor shows now.
  QString exportBaseName() const;
  bool saveWindowPicture(const QString& path, QString* error = nullptr);
  bool saveTimelinePicture(const QString& path, QString* error = nullptr);

  // --- the analysis tabs under the dashboard ---
  // Their names as --tab takes them: "timeline", "events", "v8", "memory", "health", "why" — and
  // "origin" and "alive", the Why tab's two pages.
  static QStringList analysisTabNames();
  // Brings one of them to the front. Returns false for a name not in analysisTabNames().
  bool showAnalysisTab(const QString& name);
  QString currentAnalysisTab() const;
  V8Panel* v8Panel() const { return m_v8Panel; }
  MemoryPanel* memoryPanel() const { return m_memoryPanel; }
  HealthPanel* healthPanel() const { return m_healthPanel; }
  // "Why did this run?" (the selected callback's origin chain) and "what keeps the loop alive".
  OriginPanel* originPanel() const { return m_originPanel; }
  KeepAlivePanel* keepAlivePanel() const { return m_keepAlivePanel; }
  // Selects the callback an event is about (or that was running then): its origin is shown and
  // drawn on the timeline; Ctrl+J jumps to where it was created.
  bool selectCallbackAt(size_t eventIndex);
  TimelineView* timelineView() const { return m_timeline; }
  // During a live run: asks the engine for a V8 heap snapshot (the Memory tab compares them).
  // Returns false when no run is going on.
  bool requestHeapSnapshot();

  // --- lessons ---
  // Opens a lesson by id or number ("02"): selects it in the browser, shows its text beside the
  // views and loads its first snippet into the editor (without running it). Returns false with
  // one sentence in `error` (which lessons exist) for an unknown id.
  bool openLesson(const QString& idOrNumber, QString* error = nullptr);
  // Loads a lesson snippet and runs it with the options the lesson gives it (pool size, X.args),
  // as "Load & run" does. Returns false (with a banner) if it could not be loaded or started.
  bool runLessonSnippet(const QString& path, bool playFromStartWhenDone = false);
  LessonLibrary* lessonLibrary() const { return m_lessons; }
  LessonBrowser* lessonBrowser() const { return m_lessonBrowser; }
  LessonPanel* lessonPanel() const { return m_lessonPanel; }
  // Whether the lesson text is shown beside the views / the lesson list is shown.
  bool isLessonPanelShown() const;
  bool isLessonBrowserShown() const;
  void setLessonBrowserShown(bool shown);

 Q_SIGNALS:
  // A run ended (and everything it recorded is in recording()).
  void runFinished(const loopscope::ui::RunOutcome& outcome);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  enum class BannerKind { Info, Success, Warning, Error };

  void buildActions();
  void buildMenus();
  void buildToolBar();
  void buildCentralArea();
  void buildLessons();
  QWidget* buildTransportBar();
  void restoreSettings();
  void saveSettings();

  // Hands the recording on screen to every view (RunController::recordingReplaced).
  void showRecording();
  // Shows nothing recorded: a different snippet (or lesson) makes the last run's dashboard,
  // console, plots and running-line arrow stale. Does nothing while a run is going on.
  void forgetRun();
  // Puts a snippet file into the editor (loadSnippetFile without forgetting the recording).
  bool readSnippetFile(const QString& path, QString* error = nullptr);
  void onRunFinished(const RunOutcome& outcome, bool previousRestored);
  // Marks in the editor the snippet line where the run stopped on an uncaught error, if any.
  void markErrorLine();
  void tick();
  void render();
  void updateActions();
  void updatePositionLabel(const LoopState& state);
  void showBanner(const QString& text, BannerKind kind);
  void hideBanner();
  void stepBy(LoopTimeline::Step step, bool forward);
  void onShowInternalsChanged(bool show);
  void jumpToEventAt(size_t eventIndex);
  // What a run of the editor's code needs: where it runs from (its file, or a private copy of
  // unsaved text), whether it goes into the sandbox (ui/run_trust.h), the toolbar's pool size and
  // time-out, and a lesson snippet's own options. Returns false after a banner saying why not.
  bool prepareRun(RunSettings& settings, TrustDecision& trust);
  bool maybeDiscardEdits();
  // Lesson snippets live in the lessons tree, which saving must never overwrite.
  bool isInLessonsTree(const QString& path) const;
  QString suggestedCopyOfLessonSnippet() const;
  // Loads a lesson's snippet for the lesson panel (asking first if the editor has unsaved edits)
  // and sets the pool size its lesson asks for.
  bool loadLessonSnippet(const QString& path);
  void chooseLessonsFolder();

  void openSnippetDialog();
  bool saveSnippet(bool askForName);
  void openTraceDialog();
  void saveTraceDialog();
  void exportDialog(const QString& kind);
  void runManyDialog();
  // Run ▸ Compare with node: this engine and the PATH's node side by side (compare_node_dialog.h).
  void compareWithNodeDialog();
  void showAbout();
  void showShortcuts();
  // What presentation mode changes besides the look: no menu bar, the lesson text folded on a
  // narrow projector, the editor wide enough for a line of code.
  void applyPresentationLayout();
  bool lessonTextFoldedForProjector() const;
  int lessonTextWidth() const;
  // Presentation mode: gives the editor column room for its snippet's lines (editorColumnsWanted()
  // characters), up to half the width. Otherwise widens it to kEditorColumns if it is narrower.
  void keepEditorReadable();
  int editorColumnsWanted() const;
  void updateToolbarIcons();
  void setTheme(Theme theme);
  // Applies the theme, presentation look and zoom to the application.
  void applyLook();

  Options m_options;
  QString m_snippetPath;  // the file the editor shows ("" = not saved anywhere)
  QString m_snippetName = QStringLiteral("snippet.js");
  Theme m_theme = Theme::Light;
  bool m_presentation = false;
  bool m_lessonTextShownBeforePresentation = false;
  int m_zoomSteps = 0;            // Ctrl+Plus/Minus, see applyAppearance()
  bool m_shrinkingDocks = false;  // keepEditorReadable() waits for the docks it narrowed

  RunController m_run;
  AnalysisSettings m_analysis;
  HealthAnalysis* m_health = nullptr;  // the loop-health findings the Health tab and timeline share
  // The running run was asked for by a predict quiz: its stdout goes back to the lesson panel.
  bool m_runIsForQuiz = false;
  std::optional<quint64> m_perturbSeed;  // for the next run only (runPerturbed)
  int m_heapSnapshotsTaken = 0;          // numbers the labels of snapshots taken from the app
  EngineVersions m_probedVersions;       // asked by Help ▸ About before any run named them

  QTimer m_refreshTimer;
  // What the views show now; render() runs only when one of these is stale.
  size_t m_shownPosition = size_t(-1);
  size_t m_shownTraceSize = size_t(-1);
  const Recording* m_shownRecording = nullptr;
  LoopState m_shownState;

  // Widgets.
  CodeEditor* m_editor = nullptr;
  LoopWheelView* m_wheel = nullptr;
  QueuesView* m_queues = nullptr;
  ThreadPoolView* m_pool = nullptr;
  HeapView* m_heap = nullptr;
  StreamsView* m_streams = nullptr;
  TimelineView* m_timeline = nullptr;
  ConsoleView* m_console = nullptr;
  EventTableView* m_eventTable = nullptr;
  V8Panel* m_v8Panel = nullptr;
  MemoryPanel* m_memoryPanel = nullptr;
  HealthPanel* m_healthPanel = nullptr;
  OriginPanel* m_originPanel = nullptr;
  KeepAlivePanel* m_keepAlivePanel = nullptr;
  WhyTab* m_whyTab = nullptr;  // holds the two above
  LessonLibrary* m_lessons = nullptr;
  LessonBrowser* m_lessonBrowser = nullptr;
  LessonPanel* m_lessonPanel = nullptr;
  QDockWidget* m_lessonBrowserDock = nullptr;
  QDockWidget* m_lessonPanelDock = nullptr;
  std::vector<RecordingView*> m_views;  // every view of the recording, told through one interface
  QWidget* m_dashboard = nullptr;
  QTabWidget* m_bottomTabs = nullptr;
  QSplitter* m_columns = nullptr;  // the editor and console | the dashboard and the tabs
  QToolBar* m_runToolBar = nullptr;
  QFrame* m_banner = nullptr;
  QLabel* m_bannerLabel = nullptr;
  QSlider* m_slider = nullptr;
  QLabel* m_positionLabel = nullptr;
  QLabel* m_runStatus = nullptr;
  SandboxBadge* m_sandboxBadge = nullptr;  // the status bar's "SANDBOXED" for the run on screen
  QSpinBox* m_poolSize = nullptr;
  QDoubleSpinBox* m_timeout = nullptr;
  QComboBox* m_speed = nullptr;

  // Actions (each has a shortcut; Help ▸ Shortcuts lists them all).
  QAction* m_runAction = nullptr;
  QAction* m_stopAction = nullptr;
  QAction* m_stepModeAction = nullptr;
  QAction* m_stepAction = nullptr;
  QAction* m_continueAction = nullptr;
  QAction* m_runManyAction = nullptr;
  QAction* m_compareWithNodeAction = nullptr;
  QAction* m_playAction = nullptr;
  QAction* m_presentationAction = nullptr;
  QAction* m_darkThemeAction = nullptr;
  QAction* m_showInternalsAction = nullptr;  // View ▸ Show Node internals, kept in the settings
  QAction* m_zoomInAction = nullptr;
  QAction* m_zoomOutAction = nullptr;
  QAction* m_zoomResetAction = nullptr;
  QAction* m_saveTraceAction = nullptr;
  QAction* m_heapSnapshotAction = nullptr;
  QAction* m_lessonsAction = nullptr;
  QAction* m_lessonTextAction = nullptr;  // shows or folds the lesson text dock
  QAction* m_lessonTextButton = nullptr;  // its toolbar button, shown once a lesson is open
  QList<QAction*> m_exportActions;
  QList<QAction*> m_transportActions;
};

}  // namespace loopscope::ui
