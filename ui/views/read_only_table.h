// The tables the analysis panels list things in (warnings, an origin chain, what keeps the loop
// alive, heap comparisons): read-only rows chosen whole, one line each, columns as wide as their
// contents except the long ones, which share what is left (a narrow projector elides them, never
// hides one).
#pragma once

#include <QStringList>

#include <initializer_list>

class QTableWidget;

namespace loopscope::ui {

QTableWidget* makeReadOnlyTable(const QStringList& headers, std::initializer_list<int> stretchedColumns);

// Each row's cells joined by `separator` (what the panels' tests and --dump-state read).
QStringList rowTexts(const QTableWidget& table, const QString& separator);

}  // namespace loopscope::ui
