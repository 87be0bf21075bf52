#include "event_table_view.h"

#include <QHeaderView>

namespace loopscope::ui {

EventTableView::EventTableView(QWidget* parent) : QTableView(parent), m_model(new EventTableModel(this)) {
  setModel(m_model);
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setWordWrap(false);
  setAlternatingRowColors(true);
  verticalHeader()->setVisible(false);
  // Fixed row heights: with millions of rows, QTableView must not measure each one.
  verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  horizontalHeader()->setStretchLastSection(true);
  // Widths from the widest text each column usually holds, so they follow the font size.
  auto fit = [this](int column, const QString& sample) {
    QString header = m_model->headerData(column, Qt::Horizontal).toString();
    int text = std::max(fontMetrics().horizontalAdvance(sample), fontMetrics().horizontalAdvance(header));
    setColumnWidth(column, text + fontMetrics().height() * 2);
  };
  fit(EventTableModel::TimeColumn, QStringLiteral("00000.000"));
  fit(EventTableModel::ThreadColumn, QStringLiteral("pool #16"));
  fit(EventTableModel::KindColumn, QStringLiteral("microtask-drain-end"));
  fit(EventTableModel::PhaseColumn, QStringLiteral("main script"));
  setToolTip(tr("Every recorded event. Click one to move the play head there."));
  auto emitFor = [this](const QModelIndex& index) {
    if (index.isValid()) Q_EMIT eventActivated(m_model->eventIndexAt(index.row()));
  };
  connect(this, &QAbstractItemView::clicked, this, emitFor);
  connect(this, &QAbstractItemView::activated, this, emitFor);
}

void EventTableView::setCurrentPosition(size_t position) {
  if (position == 0) {
    clearSelection();
    return;
  }
  int row = m_model->rowAtOrBefore(position - 1);
  if (row < 0) {
    clearSelection();
    return;
  }
  QModelIndex index = m_model->index(row, 0);
  if (selectionModel()->currentIndex().row() == row && selectionModel()->isRowSelected(row, {})) return;
  selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  scrollTo(index, QAbstractItemView::EnsureVisible);
}

}  // namespace loopscope::ui
