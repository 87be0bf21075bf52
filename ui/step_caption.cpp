#include "step_caption.h"

#include <QCoreApplication>

#include "interpret/callback_family.h"
#include "views/human_units.h"
#include "views/phase_colors.h"

namespace loopscope::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("StepCaption", text); }
}  // namespace

QString playheadPlace(const LoopState& state) {
  QString where;
  if (!state.started)
    where = tr("before the run");
  else if (state.finished)
    where = tr("run ended");
  else if (state.inLoop)
    where = tr("iteration %1 · %2 phase").arg(state.iteration).arg(phaseTitle(state.phase));
  else
    where = tr("main script");
  if (state.paused) where += tr(" · paused");
  return where;
}

QString playheadCounter(const Trace& trace, const LoopState& state, size_t total) {
  const Event* runStart = trace.runStart();
  const uint64_t origin = runStart ? runStart->ts : 0;
  const uint64_t sinceRunStart = state.timeNs > origin ? state.timeNs - origin : 0;
  return tr("event %1 / %2 · %3").arg(state.position).arg(total).arg(humanDuration(int64_t(sinceRunStart)));
}

QString playheadLabel(const Trace& trace, const LoopState& state, size_t total) {
  return playheadCounter(trace, state, total) + QStringLiteral(" · ") + playheadPlace(state);
}

QString callbackApi(const QueueEntry& entry) {
  switch (callbackFamily(entry.type)) {
    case CallbackFamily::MainScript: return tr("main script");
    case CallbackFamily::Timer: return entry.repeat ? QStringLiteral("setInterval") : QStringLiteral("setTimeout");
    case CallbackFamily::Immediate: return QStringLiteral("setImmediate");
    case CallbackFamily::NextTick: return QStringLiteral("process.nextTick");
    case CallbackFamily::Microtask:
      return entry.type == "Microtask" ? QStringLiteral("queueMicrotask") : tr("promise reaction");
    case CallbackFamily::Io: return tr("I/O callback");
    case CallbackFamily::Close: return tr("close callback");
    case CallbackFamily::Other: break;
  }
  return entry.type.empty() ? tr("a callback") : qstr(entry.type);
}

QString runningCallbackText(const LoopState& state) {
  if (!state.current) return {};
  const QueueEntry& entry = *state.current;
  const QString api = callbackApi(entry);
  QString text = api;
  if (callbackFamily(entry.type) == CallbackFamily::MainScript) return text;
  // The function's own name tells which of the snippet's callbacks this is; a label that only
  // repeats the request's type ("Immediate", "FSREQCALLBACK") adds nothing to the API's name.
  const QString name = qstr(entry.label);
  // "setImmediate callback", but "promise reaction" and "I/O callback" already say what they are.
  if (!api.contains(QLatin1Char(' '))) text += tr(" callback");
  if (!name.isEmpty() && name != qstr(entry.type) && name != api) text += QStringLiteral(" ") + name;
  // A line number means the snippet's line; Node's own callbacks (a console.log's afterWriteTick)
  // say whose code they are instead, or a class would look for line 485 in a 30-line snippet.
  if (entry.internal)
    text += entry.file.empty() ? tr(" (Node's own code)") : tr(" (Node's own code, %1)").arg(entryWhere(entry));
  else if (entry.line > 0)
    text += tr(" from line %1").arg(entry.line);
  return text;
}

QString stepCaption(const LoopState& state) {
  const QString place = playheadPlace(state);
  const QString running = runningCallbackText(state);
  if (running.isEmpty() || running == place) return place;
  return place + QStringLiteral(" — ") + running;
}

}  // namespace loopscope::ui
