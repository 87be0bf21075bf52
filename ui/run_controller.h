// What is running and where the play head is: the live run (an EngineProcess), the recording on
// screen and its replay — stepping, slow motion, following the live end, replaying a finished run
// from its start. No widgets: the window draws what this says and turns its buttons and keys into
// these calls, and tests drive it without a window (tests/ui/run_controller_test.cpp).
//
// GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QObject>

#include <memory>

#include "engine_process.h"
#include "recording.h"
#include "replay_clock.h"

namespace loopscope::ui {

class RunController : public QObject {
  Q_OBJECT
 public:
  explicit RunController(QObject* parent = nullptr);
  ~RunController() override;

  // The recording on screen: never absent (an empty one before the first run).
  const Recording& recording() const { return *m_recording; }
  // From the latest recording that named them (a run that failed to start names none).
  const EngineVersions& versions() const { return m_versions; }

  // --- live runs ---
  // Starts a run; its live recording goes on screen and the play head follows its end. In step
  // mode it starts paused, with no time-out (the engine waits for the user, not for a hang).
  // With `replayWhenDone` the finished run is replayed from its start in slow motion — unless
  // someone took the play head during the run (a seek, a step, Play), who then keeps it.
  // Returns false if a run is already going on.
  bool start(RunSettings settings, bool replayWhenDone);
  // Asks the run to stop (the engine completes its trace first); `graceMs` later it is killed.
  void stop(int graceMs = 2000);
  bool isRunning() const { return m_engine.isRunning(); }
  // During a run it pauses or resumes the engine; otherwise the next run starts paused.
  void setStepMode(bool on);
  bool isStepMode() const { return m_stepMode; }
  // During a run in step mode: let the engine run to its next gate. Nothing otherwise (the
  // replay's play head moves with stepBy(), never with Step: that would look like the engine ran).
  void step();
  // During a run: leave step mode and run freely. In replay: play.
  void continueRun();
  // During a run: asks V8 for a heap snapshot, recorded in the trace. False when nothing runs.
  bool requestHeapSnapshot(const QString& label);

  // Shows nothing recorded (another snippet makes the last run's recording stale). Does nothing
  // while a run is going on: it keeps streaming into its own recording and ends as usual.
  void forget();

  // --- recordings from files ---
  // Puts a native trace file on screen, the play head at its start. Returns false with one
  // sentence in `error` (the recording on screen stays); a damaged file that still opens sets
  // `problem` to what was lost.
  bool openTrace(const QString& path, QString* error, QString* problem);

  // --- the play head ---
  size_t position() const { return m_position; }
  // Moves it (clamped to the recording) and stops following the live end.
  void seek(size_t position);
  // To the end; during a run, follows the end again.
  void seekToEnd();
  void play();
  void pause() { m_playing = false; }
  bool isPlaying() const { return m_playing; }
  bool isFollowingLiveEnd() const { return m_recording->isLive() && m_followLive; }
  void setSpeed(const ReplaySpeed& speed);
  const ReplaySpeed& speed() const { return m_clock.speed(); }
  // One step of `unit` back or forward, pausing the replay. Callback steps pass over Node's own
  // callbacks unless `includeInternals`.
  void stepBy(LoopTimeline::Step unit, bool forward, bool includeInternals);
  // The frame clock's tick: during a followed live run the play head is at the end; playing, it
  // moves by the time since the last tick (advanceBy() with that time).
  void tick();
  void advanceBy(double elapsedSeconds);

 Q_SIGNALS:
  // Another recording is on screen (a run started, a trace was opened, or a sandbox that could
  // not start gave the previous one back), or the finished run's records were put in time order:
  // views must take the recording again.
  void recordingReplaced();
  // The engine process started (the run's first events are on their way).
  void runStarted();
  // A run started or ended, or step mode changed: what can be pressed changed.
  void runStateChanged();
  // A run ended and everything it recorded is in recording(). `outcome` names V8's heap limit
  // from the trace when it recorded one. `previousRestored`: nothing ran (the sandbox could not
  // start) and the recording shown before the run is back on screen.
  void runFinished(const loopscope::ui::RunOutcome& outcome, bool previousRestored);

 private:
  void adopt(std::unique_ptr<Recording> recording);
  void onBatch(const std::shared_ptr<const TraceBatch>& batch);
  void onEngineFinished(const RunOutcome& outcome);

  EngineProcess m_engine;
  std::unique_ptr<Recording> m_recording;
  // What was on screen before the run started: back on screen if the sandbox could not start.
  std::unique_ptr<Recording> m_recordingBeforeRun;
  EngineVersions m_versions;
  bool m_stepMode = false;
  bool m_replayWhenDone = false;

  size_t m_position = 0;
  bool m_followLive = true;  // live runs: the play head stays at the end of the trace
  bool m_playing = false;
  ReplayClock m_clock;
  QElapsedTimer m_frameClock;
};

}  // namespace loopscope::ui
