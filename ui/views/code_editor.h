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

  // Marks the line (1-based) where the last run stopped on an error — a syntax error or an
  // uncaught exception — with a red band and a cross in the gutter; `message` becomes the tooltip
  // of the gutter there. 0 clears it. Editing the text clears it too: the line may have moved.
  void setErrorLine(int line, const QString& message = QString());
  int errorLine() const { return m_errorLine; }
  QString errorMessage() const { return m_errorMessage; }

  int lineNumberAreaWidth() const;
  // Takes the code font for the current appearance (presentation mode, zoom) again.
  void followApplicationFont() { applyFontAndColours(); }
  JavaScriptHighlighter* highlighter() const { return m_highlighter; }

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;
  bool event(QEvent* event) override;

 private:
  friend class LineNumberArea;
  void paintLineNumbers(QPaintEvent* event);
  // The 1-based line at a y position in the gutter (0 = none).
  int lineAt(int y) const;
  void updateGutter(const QRect& rect, int dy);
  void updateMarkedLineSelection();
  void applyFontAndColours();

  QWidget* m_lineNumbers;
  JavaScriptHighlighter* m_highlighter;
  int m_markedLine = 0;
  int m_errorLine = 0;
  QString m_errorMessage;
};

}  // namespace loopscope::ui
