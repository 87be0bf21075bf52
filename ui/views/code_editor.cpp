#include "code_editor.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QTextBlock>

#include "javascript_highlighter.h"
#include "phase_colors.h"

namespace loopscope::ui {

// The gutter: a plain widget that asks the editor to paint it (QPlainTextEdit gives the block
// geometry only to itself).
class LineNumberArea : public QWidget {
 public:
  explicit LineNumberArea(CodeEditor* editor) : QWidget(editor), m_editor(editor) {}
  QSize sizeHint() const override { return {m_editor->lineNumberAreaWidth(), 0}; }

 protected:
  void paintEvent(QPaintEvent* event) override { m_editor->paintLineNumbers(event); }

 private:
  CodeEditor* m_editor;
};

CodeEditor::CodeEditor(QWidget* parent)
    : QPlainTextEdit(parent), m_lineNumbers(new LineNumberArea(this)),
      m_highlighter(new JavaScriptHighlighter(document())) {
  setLineWrapMode(QPlainTextEdit::NoWrap);
  applyFontAndColours();
  connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { setViewportMargins(lineNumberAreaWidth(), 0, 0, 0); });
  connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateGutter);
  setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void CodeEditor::applyFontAndColours() {
  // Monospace at the widget's (application's) font size: presentation mode enlarges it.
  QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  // The application font, not ours: ours is already the monospace one and would never grow.
  const QFont appFont = QApplication::font(this);
  if (appFont.pointSizeF() > 0) mono.setPointSizeF(appFont.pointSizeF() * 1.05);
  document()->setDefaultFont(mono);
  setFont(mono);
  setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 2);
  m_highlighter->setPalette(palette());
  setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
  updateMarkedLineSelection();
}

void CodeEditor::changeEvent(QEvent* event) {
  QPlainTextEdit::changeEvent(event);
  if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationFontChange)
    applyFontAndColours();
}

int CodeEditor::lineNumberAreaWidth() const {
  int digits = 2;
  for (int max = std::max(1, blockCount()); max >= 100; max /= 10) ++digits;
  // Room for the digits plus the "running" arrow.
  return fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits + fontMetrics().height() + 8;
}

void CodeEditor::resizeEvent(QResizeEvent* event) {
  QPlainTextEdit::resizeEvent(event);
  QRect cr = contentsRect();
  m_lineNumbers->setGeometry(QRect(cr.left(), cr.top(), lineNumberAreaWidth(), cr.height()));
}

void CodeEditor::updateGutter(const QRect& rect, int dy) {
  if (dy)
    m_lineNumbers->scroll(0, dy);
  else
    m_lineNumbers->update(0, rect.y(), m_lineNumbers->width(), rect.height());
}

void CodeEditor::setMarkedLine(int line) {
  if (line < 0 || line > blockCount()) line = 0;
  if (line == m_markedLine) return;
  m_markedLine = line;
  updateMarkedLineSelection();
  if (line > 0) {
    // Scroll without moving the user's cursor: the first visible block is the scroll value.
    QScrollBar* bar = verticalScrollBar();
    int first = bar->value();
    int visible = std::max(1, viewport()->height() / std::max(1, fontMetrics().height()));
    int block = line - 1;
    if (block < first || block >= first + visible - 1) bar->setValue(std::max(0, block - visible / 2));
  }
  m_lineNumbers->update();
}

void CodeEditor::updateMarkedLineSelection() {
  QList<QTextEdit::ExtraSelection> selections;
  if (m_markedLine > 0) {
    QTextEdit::ExtraSelection marked;
    QColor band = palette().color(QPalette::Highlight);
    band.setAlphaF(isDarkPalette(palette()) ? 0.35f : 0.22f);
    marked.format.setBackground(band);
    marked.format.setProperty(QTextFormat::FullWidthSelection, true);
    marked.cursor = QTextCursor(document()->findBlockByNumber(m_markedLine - 1));
    marked.cursor.clearSelection();
    selections << marked;
  }
  setExtraSelections(selections);
}

void CodeEditor::paintLineNumbers(QPaintEvent* event) {
  QPainter p(m_lineNumbers);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(event->rect(), pal.color(QPalette::Window));
  QTextBlock block = firstVisibleBlock();
  int number = block.blockNumber();
  int top = int(blockBoundingGeometry(block).translated(contentOffset()).top());
  int bottom = top + int(blockBoundingRect(block).height());
  const int lineHeight = fontMetrics().height();
  const int arrowWidth = lineHeight;
  p.setFont(font());
  while (block.isValid() && top <= event->rect().bottom()) {
    if (block.isVisible() && bottom >= event->rect().top()) {
      const bool marked = number + 1 == m_markedLine;
      if (marked) {
        // An arrow: "the code running now is here".
        QColor c = pal.color(QPalette::Highlight);
        double h = lineHeight * 0.7, y = top + (lineHeight - h) / 2;
        QPainterPath arrow;
        arrow.moveTo(3, y);
        arrow.lineTo(3 + arrowWidth * 0.6, y + h / 2);
        arrow.lineTo(3, y + h);
        arrow.closeSubpath();
        p.fillPath(arrow, c);
      }
      QFont f = font();
      f.setBold(marked);
      p.setFont(f);
      p.setPen(marked ? pal.color(QPalette::WindowText) : pal.color(QPalette::PlaceholderText));
      p.drawText(QRect(arrowWidth, top, m_lineNumbers->width() - arrowWidth - 4, lineHeight),
                 Qt::AlignRight | Qt::AlignVCenter, QString::number(number + 1));
    }
    block = block.next();
    top = bottom;
    bottom = top + int(blockBoundingRect(block).height());
    ++number;
  }
}

}  // namespace loopscope::ui
