// Includes QCustomPlot in a library built with QT_NO_KEYWORDS: its header still spells `signals`,
// `slots`, `emit` and `foreach`, so they are mapped to the Q_ macros around the include only.
#pragma once

#ifdef QT_NO_KEYWORDS
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
#else
#include <qcustomplot.h>
#endif
