#include "read_only_table.h"

#include <QHeaderView>
#include <QTableWidget>

namespace loopscope::ui {

QTableWidget* makeReadOnlyTable(const QStringList& headers, std::initializer_list<int> stretchedColumns) {
  auto* table = new QTableWidget(0, int(headers.size()));
  table->setHorizontalHeaderLabels(headers);
  table->verticalHeader()->hide();
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setWordWrap(false);
  QHeaderView* header = table->horizontalHeader();
  for (int c = 0; c < headers.size(); ++c) header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  for (int c : stretchedColumns) header->setSectionResizeMode(c, QHeaderView::Stretch);
  return table;
}

QStringList rowTexts(const QTableWidget& table, const QString& separator) {
  QStringList rows;
  for (int r = 0; r < table.rowCount(); ++r) {
    QStringList cells;
    for (int c = 0; c < table.columnCount(); ++c) cells << (table.item(r, c) ? table.item(r, c)->text() : QString());
    rows << cells.join(separator);
  }
  return rows;
}

}  // namespace loopscope::ui
