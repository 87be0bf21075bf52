// The colours every view uses for phases, callback families, GC kinds and warnings, in one place so
// the loop wheel, the queues and the timeline agree: a timer card is the colour of the timers
// segment and of the timers spans on the timeline.
//
// Every function takes the palette it will be drawn on: on a dark background the same hue is drawn
// lighter, so light, dark and high-contrast presentation themes stay readable. GUI thread only.
#pragma once

#include <QColor>
#include <QPalette>
#include <QString>
#include <string_view>

#include "interpret/callback_family.h"
#include "trace/events.h"

namespace loopscope::ui {

bool isDarkPalette(const QPalette& palette);

QColor phaseColor(Phase phase, const QPalette& palette);
QColor callbackColor(CallbackFamily family, const QPalette& palette);
QColor nextTickColor(const QPalette& palette);
QColor microtaskColor(const QPalette& palette);
// Scavenge (young generation) vs mark-sweep-compact (old generation) and the rest.
QColor gcColor(int64_t gcTypeBits, const QPalette& palette);
QColor warningColor(const QPalette& palette);
// V8's tiers: baseline Sparkplug code is quiet (it happens to hundreds of functions), TurboFan
// is the one worth seeing; a deoptimization uses warningColor().
QColor jitTierColor(JitTier tier, const QPalette& palette);
// Child processes and the messages crossing to them.
QColor childProcessColor(const QPalette& palette);
// Worker threads' start-up and the arrows between threads.
QColor threadFlowColor(const QPalette& palette);
QColor errorColor(const QPalette& palette);

// `color` pushed towards the palette's background: for what is not active right now.
QColor faded(const QColor& color, const QPalette& palette, double amount = 0.7);
// Black or white, whichever reads better on `fill`.
QColor textColorOn(const QColor& fill);

// What the wheel and the lanes call a phase: "timers", "pending", "idle", "prepare", "poll",
// "check", "close", "main script".
QString phaseTitle(Phase phase);
// One sentence a newcomer can read in a tooltip: what libuv does in this phase.
QString phaseExplanation(Phase phase);

}  // namespace loopscope::ui
