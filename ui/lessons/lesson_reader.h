// The lesson's own words: its header (title, track, a teacher's problems), its Markdown text and
// a "Load & run" button per snippet. The panel places the three pieces: the header above
// everything, the text in the top half of its splitter, the snippets first in the practice area.
//
// GUI thread only.
#pragma once

#include <QObject>
#include <QString>

class QTextBrowser;
class QWidget;

namespace loopscope::lessons {
struct Lesson;
}

namespace loopscope::ui {

class LessonLibrary;

class LessonReader : public QObject {
  Q_OBJECT
 public:
  // Builds the pieces for `lesson` as children of `page`; they live as long as the page does.
  LessonReader(LessonLibrary& library, const lessons::Lesson& lesson, QWidget* page);

  QWidget* header() const { return m_header; }
  QTextBrowser* text() const { return m_text; }
  // nullptr when the lesson has no snippets.
  QWidget* snippets() const { return m_snippets; }

 Q_SIGNALS:
  // "Load & run" on a snippet.
  void snippetRequested(const QString& path);

 private:
  QWidget* buildHeader(const lessons::Lesson& lesson, QWidget* page);
  QTextBrowser* buildText(const lessons::Lesson& lesson, QWidget* page);
  QWidget* buildSnippets(const lessons::Lesson& lesson, QWidget* page);
  void revealModelAnswer(const QString& text);

  LessonLibrary& m_library;
  QString m_lessonId;
  QWidget* m_header = nullptr;
  QTextBrowser* m_text = nullptr;
  QWidget* m_snippets = nullptr;
};

}  // namespace loopscope::ui
