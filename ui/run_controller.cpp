#include "run_controller.h"

#include <algorithm>
#include <utility>

namespace loopscope::ui {

RunController::RunController(QObject* parent) : QObject(parent), m_recording(std::make_unique<Recording>()) {
  m_clock.setSpeed(replaySpeeds()[size_t(defaultReplaySpeedIndex())]);
  connect(&m_engine, &EngineProcess::batchArrived, this, &RunController::onBatch);
  connect(&m_engine, &EngineProcess::finished, this, &RunController::onEngineFinished);
  connect(&m_engine, &EngineProcess::started, this, &RunController::runStarted);
  m_recording->finishLive();  // nothing recorded, and nothing on its way
}

RunController::~RunController() = default;

bool RunController::start(RunSettings settings, bool replayWhenDone) {
  if (m_engine.isRunning()) return false;
  settings.startInStepMode = m_stepMode;
  if (m_stepMode) settings.timeoutSeconds = 0;
  pause();
  // In step mode the user drives the run gate by gate; a replay afterwards would undo that.
  m_replayWhenDone = replayWhenDone && !m_stepMode;
  m_recordingBeforeRun = std::move(m_recording);
  adopt(std::make_unique<Recording>());
  m_followLive = true;
  m_engine.start(settings);
  Q_EMIT runStateChanged();
  return true;
}

void RunController::stop(int graceMs) {
  if (m_engine.isRunning()) m_engine.stop(graceMs);
}

void RunController::forget() {
  if (m_engine.isRunning()) return;
  pause();
  m_replayWhenDone = false;
  auto nothingYet = std::make_unique<Recording>();
  nothingYet->finishLive();
  adopt(std::move(nothingYet));
  m_followLive = false;
}

void RunController::setStepMode(bool on) {
  if (on == m_stepMode) return;
  m_stepMode = on;
  if (m_engine.isRunning()) on ? m_engine.pause() : m_engine.resume();
  Q_EMIT runStateChanged();
}

void RunController::step() {
  if (!m_engine.isRunning()) return;
  m_followLive = true;
  m_engine.step();
}

void RunController::continueRun() {
  if (!m_engine.isRunning()) return play();
  m_stepMode = false;
  m_followLive = true;
  m_engine.resume();
  Q_EMIT runStateChanged();
}

bool RunController::requestHeapSnapshot(const QString& label) {
  if (!m_engine.isRunning()) return false;
  m_engine.requestHeapSnapshot(label);
  return true;
}

bool RunController::openTrace(const QString& path, QString* error, QString* problem) {
  if (m_engine.isRunning()) {
    if (error) *error = tr("A run is still going on: stop it (Shift+F5) before opening a trace.");
    return false;
  }
  QString damage;
  std::unique_ptr<Recording> recording = Recording::open(path, &damage);
  if (!recording) {
    if (error) *error = damage;
    return false;
  }
  if (problem) *problem = damage;
  adopt(std::move(recording));
  m_followLive = false;
  seek(0);
  return true;
}

void RunController::adopt(std::unique_ptr<Recording> recording) {
  // The recording shown until now outlives the signal: views still hold its trace until they
  // take the new one.
  std::unique_ptr<Recording> previous = std::exchange(m_recording, std::move(recording));
  if (m_recording->versions().known()) m_versions = m_recording->versions();
  m_position = 0;
  m_clock.restartAt(m_recording->trace(), 0);
  Q_EMIT recordingReplaced();
}

void RunController::onBatch(const std::shared_ptr<const TraceBatch>& batch) {
  if (m_recording->isLive()) m_recording->append(*batch);
}

void RunController::onEngineFinished(const RunOutcome& engineOutcome) {
  // Records of a slow thread may have arrived late: put in place, the views take them again.
  if (m_recording->finishLive()) Q_EMIT recordingReplaced();
  bool previousRestored = false;
  // Nothing ran: the recording on screen before is worth more than an empty one.
  if (engineOutcome.sandboxFailed && m_recording->size() == 0 && m_recordingBeforeRun) {
    adopt(std::move(m_recordingBeforeRun));
    m_replayWhenDone = false;
    m_followLive = true;  // shown at its end, as it was
    previousRestored = true;
  }
  m_recordingBeforeRun.reset();
  if (m_recording->versions().known()) m_versions = m_recording->versions();

  RunOutcome outcome = engineOutcome;
  // V8's own heap limit, when the engine recorded it, beats the estimate from its GC report.
  if (outcome.kind == RunOutcome::Kind::OutOfMemory && (outcome.heapLimitMb <= 0 || outcome.heapLimitEstimated)) {
    bool ok = false;
    const double limitBytes = QString::fromStdString(m_recording->trace().meta("v8.heap_size_limit")).toDouble(&ok);
    if (ok && limitBytes > 0) {
      outcome.heapLimitMb = limitBytes / (1024.0 * 1024.0);
      outcome.heapLimitEstimated = false;
    }
  }

  // Replay only if nobody took the play head during the run (Play, a seek, a step, a click):
  // whoever did keeps the moment they chose.
  const size_t recorded = m_recording->size();
  const bool followedToTheEnd = m_followLive;
  const bool replay = m_replayWhenDone && followedToTheEnd && recorded > 0;
  m_replayWhenDone = false;
  m_followLive = false;
  if (replay) {
    seek(0);
    play();
  } else if (followedToTheEnd) {
    m_position = recorded;
  }
  Q_EMIT runStateChanged();
  Q_EMIT runFinished(outcome, previousRestored);
}

void RunController::seek(size_t position) {
  m_position = std::min(position, m_recording->size());
  m_followLive = false;
  m_clock.restartAt(m_recording->trace(), m_position);
}

void RunController::seekToEnd() {
  seek(m_recording->size());
  if (m_recording->isLive()) m_followLive = true;
}

void RunController::play() {
  if (m_recording->size() == 0) return;
  if (m_position >= m_recording->size() && !m_recording->isLive()) m_position = 0;  // replay from the start
  m_playing = true;
  m_followLive = false;
  m_clock.restartAt(m_recording->trace(), m_position);
  m_frameClock.restart();
}

void RunController::setSpeed(const ReplaySpeed& speed) {
  m_clock.setSpeed(speed);
  m_clock.restartAt(m_recording->trace(), m_position);
}

void RunController::stepBy(LoopTimeline::Step unit, bool forward, bool includeInternals) {
  pause();
  if (unit == LoopTimeline::Step::Callback && !includeInternals) unit = LoopTimeline::Step::UserCallback;
  const Recording& rec = *m_recording;
  seek(forward ? stepForward(rec.timeline(), rec.trace(), m_position, unit)
               : stepBackward(rec.timeline(), rec.trace(), m_position, unit));
}

void RunController::tick() { advanceBy(m_frameClock.isValid() ? double(m_frameClock.restart()) / 1000.0 : 0.0); }

void RunController::advanceBy(double elapsedSeconds) {
  if (!m_frameClock.isValid()) m_frameClock.start();
  if (m_recording->isLive() && m_followLive) {
    m_position = m_recording->size();
  } else if (m_playing) {
    m_position = m_clock.advance(m_recording->timeline(), m_recording->trace(), m_position, elapsedSeconds);
    if (m_position >= m_recording->size() && !m_recording->isLive()) pause();
  }
}

}  // namespace loopscope::ui
