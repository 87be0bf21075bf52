// The snippet editor: a monospace QPlainTextEdit with line numbers, JavaScript colours, and the
// running callback's line marked (background band + an arrow in the gutter). GUI thread only.
#pragma once

#include <QPlainTextEdit>

namespace loopscope::ui {

class JavaScriptHighlighter;

class CodeEditor : public QPlainTextEdit {
  Q_OBJECT
 public:
  explicit CodeEditor(QWidget* parent = nullptr);

  // Marks `line` (1-based; 0 = none) and scrolls it into view if it is not visible.
  void setMarkedLine(int line);
  int markedLine() const { return m_markedLine; }

  int lineNumberAreaWidth() const;
  JavaScriptHighlighter* highlighter() const { return m_highlighter; }

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  friend class LineNumberArea;
  void paintLineNumbers(QPaintEvent* event);
  void updateGutter(const QRect& rect, int dy);
  void updateMarkedLineSelection();
  void applyFontAndColours();

  QWidget* m_lineNumbers;
  JavaScriptHighlighter* m_highlighter;
  int m_markedLine = 0;
};

}  // namespace loopscope::ui
