#include "code_editor.h"

#include <QApplication>
#include <QFontDatabase>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QTextBlock>
#include <QHelpEvent>
#include <QToolTip>

#include "javascript_highlighter.h"
#include "phase_colors.h"
#include "theme.h"

namespace loopscope::ui {

// The gutter: a plain widget that asks the editor to paint it (QPlainTextEdit gives the block
// geometry only to itself).
class LineNumberArea : public QWidget {
 public:
  explicit LineNumberArea(CodeEditor* editor) : QWidget(editor), m_editor(editor) {}
  QSize sizeHint() const override { return {m_editor->lineNumberAreaWidth(), 0}; }

 protected:
  void paintEvent(QPaintEvent* event) override { m_editor->paintLineNumbers(event); }
  bool event(QEvent* event) override {
    // The error's message where its cross is, without a click.
    if (event->type() == QEvent::ToolTip) {
      auto* help = static_cast<QHelpEvent*>(event);
      const int line = m_editor->lineAt(help->pos().y());
      if (line > 0 && line == m_editor->errorLine() && !m_editor->errorMessage().isEmpty())
        QToolTip::showText(help->globalPos(), m_editor->errorMessage(), this);
      else
        QToolTip::hideText();
      return true;
    }
    return QWidget::event(event);
  }

 private:
  CodeEditor* m_editor;
};

CodeEditor::CodeEditor(QWidget* parent)
    : QPlainTextEdit(parent),
      m_lineNumbers(new LineNumberArea(this)),
      m_highlighter(new JavaScriptHighlighter(document())) {
  setLineWrapMode(QPlainTextEdit::NoWrap);
  applyFontAndColours();
  connect(this, &QPlainTextEdit::blockCountChanged, this,
          [this] { setViewportMargins(lineNumberAreaWidth(), 0, 0, 0); });
  connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateGutter);
  connect(document(), &QTextDocument::contentsChanged, this, [this] {
    if (m_errorLine > 0) setErrorLine(0);
  });
  setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void CodeEditor::applyFontAndColours() {
  // Monospace, following the application font (presentation mode, zoom) with a floor for the
  // projector. Qt's own per-class font for text editors is the platform's fixed font, which
  // neither of those would reach.
  const QFont mono = codeFont();
  document()->setDefaultFont(mono);
  setFont(mono);
  setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 2);
  m_highlighter->setPalette(palette());
  setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
  updateMarkedLineSelection();
}

void CodeEditor::changeEvent(QEvent* event) {
  QPlainTextEdit::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) applyFontAndColours();
}

bool CodeEditor::event(QEvent* event) {
  const bool handled = QPlainTextEdit::event(event);
  // QWidget::event() resolves the font on ApplicationFontChange and never passes it on to
  // changeEvent(): caught here, or presentation mode and the zoom would pass the code by.
  if (event->type() == QEvent::ApplicationFontChange) applyFontAndColours();
  return handled;
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

void CodeEditor::setErrorLine(int line, const QString& message) {
  if (line < 0 || line > blockCount()) line = 0;
  m_errorLine = line;
  m_errorMessage = line > 0 ? message : QString();
  updateMarkedLineSelection();
  if (line > 0) {
    QScrollBar* bar = verticalScrollBar();
    const int visible = std::max(1, viewport()->height() / std::max(1, fontMetrics().height()));
    if (line - 1 < bar->value() || line - 1 >= bar->value() + visible - 1)
      bar->setValue(std::max(0, line - 1 - visible / 2));
  }
  m_lineNumbers->update();
}

int CodeEditor::lineAt(int y) const {
  for (QTextBlock block = firstVisibleBlock(); block.isValid(); block = block.next()) {
    const QRectF box = blockBoundingGeometry(block).translated(contentOffset());
    if (box.top() > y) break;
    if (y < box.bottom()) return block.blockNumber() + 1;
  }
  return 0;
}

void CodeEditor::updateMarkedLineSelection() {
  QList<QTextEdit::ExtraSelection> selections;
  if (m_errorLine > 0) {
    QTextEdit::ExtraSelection error;
    QColor band = errorColor(palette());
    band.setAlphaF(isDarkPalette(palette()) ? 0.40f : 0.22f);
    error.format.setBackground(band);
    error.format.setProperty(QTextFormat::FullWidthSelection, true);
    error.format.setToolTip(m_errorMessage);
    error.cursor = QTextCursor(document()->findBlockByNumber(m_errorLine - 1));
    error.cursor.clearSelection();
    selections << error;
  }
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
      const bool error = number + 1 == m_errorLine;
      if (error && !marked) {
        // A cross: "the run stopped here".
        const QColor c = errorColor(pal);
        const double side = lineHeight * 0.5, x = 4, y = top + (lineHeight - side) / 2;
        p.setPen(QPen(c, std::max(2.0, lineHeight / 8.0), Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(x, y), QPointF(x + side, y + side));
        p.drawLine(QPointF(x + side, y), QPointF(x, y + side));
      }
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
