// The list of lessons: a tree of tracks (in the curriculum's order) and their lessons, each with
// its number, title and a progress mark; a filter field matches titles, topic tags and ids.
// A lesson with problems (a teacher's half-written lesson) shows a warning icon, and its problems
// in the tooltip; it can still be opened.
//
// GUI thread only.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace loopscope::ui {

class LessonLibrary;

class LessonBrowser : public QWidget {
  Q_OBJECT
 public:
  explicit LessonBrowser(LessonLibrary& library, QWidget* parent = nullptr);

  // Marks the lesson as the current one (without emitting lessonOpened).
  void selectLesson(const QString& id);
  QString selectedLessonId() const;
  void setFilterText(const QString& text);
  // Lessons shown under the current filter (for tests and the "no match" hint).
  int visibleLessonCount() const;
  QTreeWidget* tree() const { return m_tree; }

 Q_SIGNALS:
  // The learner clicked a lesson or pressed Enter on it.
  void lessonOpened(const QString& id);

 private:
  void rebuild();
  void applyFilter();
  void refreshProgress(const QString& id);
  void decorateLesson(QTreeWidgetItem* item);
  void showContextMenu(const QPoint& position);

  LessonLibrary& m_library;
  QLineEdit* m_filter = nullptr;
  QTreeWidget* m_tree = nullptr;
  QLabel* m_message = nullptr;  // folder problems, or "no lesson matches"
};

}  // namespace loopscope::ui
