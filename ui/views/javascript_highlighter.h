// JavaScript syntax colours for the snippet editor: keywords, strings, template strings, comments
// (including /* */ across lines), numbers, and the Node APIs the lessons are about (setTimeout,
// setImmediate, process.nextTick, Promise, queueMicrotask, ...) in a colour of their own, so the
// scheduling calls stand out in the code. Colours come from the editor's palette. GUI thread only.
#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace loopscope::ui {

class JavaScriptHighlighter : public QSyntaxHighlighter {
  Q_OBJECT
 public:
  enum class Token { Keyword, String, Template, Comment, Number, NodeApi };

  explicit JavaScriptHighlighter(QTextDocument* document);
  // Re-derives the colours from `palette` (theme change) and re-highlights.
  void setPalette(const QPalette& palette);
  QTextCharFormat format(Token token) const;

 protected:
  void highlightBlock(const QString& text) override;

 private:
  QTextCharFormat m_keyword, m_string, m_template, m_comment, m_number, m_nodeApi;
};

}  // namespace loopscope::ui
