#include "javascript_highlighter.h"

#include <QPalette>
#include <QSet>

#include "phase_colors.h"

namespace loopscope::ui {
namespace {

// Block states carried to the next line: inside a /* comment */ or inside a `template string`.
enum BlockState { Normal = 0, InBlockComment = 1, InTemplate = 2 };

const QSet<QString>& keywords() {
  static const QSet<QString> set{"async",    "await",      "break",   "case",   "catch",    "class", "const",
                                 "continue", "debugger",   "default", "delete", "do",       "else",  "export",
                                 "extends",  "false",      "finally", "for",    "function", "if",    "import",
                                 "in",       "instanceof", "let",     "new",    "null",     "of",    "return",
                                 "static",   "super",      "switch",  "this",   "throw",    "true",  "try",
                                 "typeof",   "undefined",  "var",     "void",   "while",    "with",  "yield"};
  return set;
}

// The scheduling APIs and objects the lessons teach; `nextTick` is matched after "process.".
const QSet<QString>& nodeApis() {
  static const QSet<QString> set{"setTimeout",     "setInterval",    "setImmediate", "clearTimeout", "clearInterval",
                                 "clearImmediate", "queueMicrotask", "Promise",      "process",      "nextTick",
                                 "require",        "console",        "Buffer",       "module",       "exports",
                                 "__dirname",      "__filename",     "globalThis"};
  return set;
}

bool isIdentStart(QChar c) { return c.isLetter() || c == QLatin1Char('_') || c == QLatin1Char('$'); }
bool isIdentPart(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$'); }

}  // namespace

JavaScriptHighlighter::JavaScriptHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {
  setPalette(QPalette());
}

void JavaScriptHighlighter::setPalette(const QPalette& pal) {
  const bool dark = isDarkPalette(pal);
  m_keyword = {};
  m_keyword.setForeground(dark ? QColor(0xc6, 0x92, 0xff) : QColor(0x7a, 0x1f, 0xa2));
  m_keyword.setFontWeight(QFont::Bold);
  m_string = {};
  m_string.setForeground(dark ? QColor(0xa5, 0xd6, 0x7a) : QColor(0x2e, 0x7d, 0x32));
  m_template = m_string;
  m_template.setForeground(dark ? QColor(0x80, 0xcb, 0xc4) : QColor(0x00, 0x69, 0x5c));
  m_comment = {};
  m_comment.setForeground(pal.color(QPalette::PlaceholderText));
  m_comment.setFontItalic(true);
  m_number = {};
  m_number.setForeground(dark ? QColor(0xff, 0xcc, 0x80) : QColor(0xb2, 0x4d, 0x00));
  // The APIs that queue callbacks get the colour of the queue they feed would be too many
  // colours; one strong, underlined-free colour marks them all as "this schedules something".
  m_nodeApi = {};
  m_nodeApi.setForeground(phaseColor(Phase::Poll, pal));
  m_nodeApi.setFontWeight(QFont::Bold);
  rehighlight();
}

QTextCharFormat JavaScriptHighlighter::format(Token token) const {
  switch (token) {
    case Token::Keyword: return m_keyword;
    case Token::String: return m_string;
    case Token::Template: return m_template;
    case Token::Comment: return m_comment;
    case Token::Number: return m_number;
    case Token::NodeApi: return m_nodeApi;
  }
  return {};
}

void JavaScriptHighlighter::highlightBlock(const QString& text) {
  const int n = int(text.size());
  int i = 0;
  int state = previousBlockState() < 0 ? Normal : previousBlockState();
  // Finish a construct left open by the previous line.
  if (state == InBlockComment) {
    int end = int(text.indexOf(QStringLiteral("*/")));
    if (end < 0) {
      setFormat(0, n, m_comment);
      setCurrentBlockState(InBlockComment);
      return;
    }
    setFormat(0, end + 2, m_comment);
    i = end + 2;
  } else if (state == InTemplate) {
    int k = 0;
    while (k < n && text[k] != QLatin1Char('`')) k += text[k] == QLatin1Char('\\') ? 2 : 1;
    if (k >= n) {
      setFormat(0, n, m_template);
      setCurrentBlockState(InTemplate);
      return;
    }
    setFormat(0, k + 1, m_template);
    i = k + 1;
  }
  setCurrentBlockState(Normal);
  while (i < n) {
    const QChar c = text[i];
    if (c == QLatin1Char('/') && i + 1 < n && text[i + 1] == QLatin1Char('/')) {
      setFormat(i, n - i, m_comment);
      return;
    }
    if (c == QLatin1Char('/') && i + 1 < n && text[i + 1] == QLatin1Char('*')) {
      int end = int(text.indexOf(QStringLiteral("*/"), i + 2));
      if (end < 0) {
        setFormat(i, n - i, m_comment);
        setCurrentBlockState(InBlockComment);
        return;
      }
      setFormat(i, end + 2 - i, m_comment);
      i = end + 2;
      continue;
    }
    if (c == QLatin1Char('"') || c == QLatin1Char('\'') || c == QLatin1Char('`')) {
      int k = i + 1;
      while (k < n && text[k] != c) k += text[k] == QLatin1Char('\\') ? 2 : 1;
      if (k >= n && c == QLatin1Char('`')) {
        setFormat(i, n - i, m_template);
        setCurrentBlockState(InTemplate);
        return;
      }
      k = std::min(k, n - 1);
      setFormat(i, k + 1 - i, c == QLatin1Char('`') ? m_template : m_string);
      i = k + 1;
      continue;
    }
    if (c.isDigit() || (c == QLatin1Char('.') && i + 1 < n && text[i + 1].isDigit())) {
      int k = i;
      while (k < n && (text[k].isLetterOrNumber() || text[k] == QLatin1Char('.') || text[k] == QLatin1Char('_'))) ++k;
      setFormat(i, k - i, m_number);
      i = k;
      continue;
    }
    if (isIdentStart(c)) {
      int k = i;
      while (k < n && isIdentPart(text[k])) ++k;
      const QString word = text.mid(i, k - i);
      // A property (after a dot) is not a keyword (`x.default`), but `process.nextTick` and
      // `Promise.resolve` are APIs.
      const bool afterDot = i > 0 && text[i - 1] == QLatin1Char('.');
      if (nodeApis().contains(word))
        setFormat(i, k - i, m_nodeApi);
      else if (!afterDot && keywords().contains(word))
        setFormat(i, k - i, m_keyword);
      i = k;
      continue;
    }
    ++i;
  }
}

}  // namespace loopscope::ui
