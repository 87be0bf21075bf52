#include "lessons/lesson_reader.h"

#include <QDesktopServices>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QTextCursor>
#include <QUrl>
#include <QVBoxLayout>

#include "lessons/lesson_library.h"
#include "lessons/lesson_widgets.h"

namespace loopscope::ui {

namespace {

// Lessons open with "# Title", which the header already shows in a fixed place; dropping the
// repeat gives a projected screen a few more lines of the text itself.
QString withoutLeadingTitle(const QString& markdown) {
  QString text = markdown;
  while (text.startsWith(QLatin1Char('\n'))) text.remove(0, 1);
  if (!text.startsWith(QLatin1String("# "))) return markdown;
  qsizetype end = text.indexOf(QLatin1Char('\n'));
  return end < 0 ? QString() : text.mid(end + 1);
}

QString describeExpectation(const lessons::Snippet& snippet) {
  using E = lessons::Snippet::Expectation;
  switch (snippet.expectation) {
    case E::Exact: {
      size_t n = snippet.outputs.empty() ? 0 : snippet.outputs.front().size();
      return n == 1 ? QObject::tr("prints 1 line") : QObject::tr("prints %1 lines").arg(n);
    }
    case E::Orders: return QObject::tr("Node may print it in %1 orders").arg(snippet.outputs.size());
    case E::Patterns: return QObject::tr("output varies from run to run");
    case E::Missing: return QObject::tr("no expected output recorded");
  }
  return {};
}

}  // namespace

LessonReader::LessonReader(LessonLibrary& library, const lessons::Lesson& lesson, QWidget* page)
    : QObject(page), m_library(library), m_lessonId(fromStd(lesson.id)) {
  m_header = buildHeader(lesson, page);
  m_text = buildText(lesson, page);
  if (!lesson.snippets.empty()) m_snippets = buildSnippets(lesson, page);
}

QWidget* LessonReader::buildHeader(const lessons::Lesson& l, QWidget* page) {
  auto* header = new QWidget(page);
  auto* layout = new QVBoxLayout(header);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);

  auto* title = new QLabel(l.title.empty() ? fromStd(l.id) : fromStd(l.title), header);
  QFont big = title->font();
  big.setPointSizeF(big.pointSizeF() * 1.3);
  big.setBold(true);
  title->setFont(big);
  title->setWordWrap(true);
  layout->addWidget(title);

  QStringList about;
  bool numbered = false;
  int number = fromStd(l.id).section(QLatin1Char('-'), 0, 0).toInt(&numbered);
  if (numbered) about << tr("Lesson %1").arg(number);
  about << (l.track.empty() ? tr("no track") : fromStd(l.track));
  if (l.exercise) about << tr("exercise");
  if (m_library.isUserLesson(fromStd(l.id))) about << tr("from your lessons folder");
  QStringList tags;
  for (const auto& tag : l.covers) tags << fromStd(tag);
  auto* subtitle = new QLabel(about.join(QStringLiteral("  ·  ")), header);
  subtitle->setToolTip(tr("Folder %1\nTopics: %2").arg(fromStd(l.id), tags.join(QStringLiteral(", "))));
  subtitle->setWordWrap(true);
  subtitle->setForegroundRole(QPalette::PlaceholderText);
  layout->addWidget(subtitle);

  if (!l.problems.empty()) {
    // A teacher writing a lesson sees every problem here, in the words of the checker.
    QStringList problems;
    for (const auto& problem : l.problems) problems << QStringLiteral("• ") + fromStd(problem).toHtmlEscaped();
    auto* warning =
        new QLabel(tr("<b>This lesson has problems</b> (run <code>loopscope-engine lessons check</code> after fixing "
                      "them):<br>%1")
                       .arg(problems.join(QStringLiteral("<br>"))),
                   header);
    warning->setWordWrap(true);
    warning->setStyleSheet(
        QStringLiteral("QLabel { background: rgba(191,135,0,45); border: 1px solid "
                       "rgba(191,135,0,170); border-radius: 4px; padding: 6px; }"));
    layout->addWidget(warning);
  }
  return header;
}

QTextBrowser* LessonReader::buildText(const lessons::Lesson& l, QWidget* page) {
  auto* browser = new QTextBrowser(page);
  // Images and links in a teacher's Markdown are relative to the lesson folder.
  browser->setSearchPaths({fromStd(l.dir)});
  const QString text = withoutLeadingTitle(fromStd(l.text));
  // An interview question's model answer waits until the learner has tried (and revealing it is
  // what marks such a lesson done), unless they have already seen it.
  const bool foldAnswer = hasModelAnswer(text) && m_library.progress(m_lessonId) < LessonProgress::QuizPassed;
  browser->setMarkdown(foldAnswer ? withModelAnswerFolded(text) : text);
  // Links are followed here, so the one that reveals the model answer can be told apart.
  browser->setOpenLinks(false);
  connect(browser, &QTextBrowser::anchorClicked, this, [this, browser, text](const QUrl& url) {
    if (url.toString() == QLatin1String(kRevealModelAnswerUrl)) return revealModelAnswer(text);
    const QString scheme = url.scheme();
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("mailto"))
      QDesktopServices::openUrl(url);
    else if (url.isRelative() && url.path().isEmpty() && url.hasFragment())
      browser->scrollToAnchor(url.fragment());
    else
      browser->setSource(url);
  });
  return browser;
}

void LessonReader::revealModelAnswer(const QString& text) {
  m_text->setMarkdown(text);
  if (m_text->find(tr("Model answer"))) {
    QTextCursor cursor = m_text->textCursor();
    cursor.clearSelection();
    m_text->setTextCursor(cursor);
  }
  m_library.advanceProgress(m_lessonId, LessonProgress::QuizPassed);
}

QWidget* LessonReader::buildSnippets(const lessons::Lesson& l, QWidget* page) {
  auto* box = new QGroupBox(tr("Snippets"), page);
  auto* grid = new QGridLayout(box);
  grid->setColumnStretch(1, 1);
  int row = 0;
  for (const auto& snippet : l.snippets) {
    QString path = fromStd(snippet.path);
    auto* load = new QPushButton(tr("Load && run"), box);
    load->setToolTip(tr("Load %1 into the editor and run it").arg(fromStd(snippet.file)));
    connect(load, &QPushButton::clicked, this, [this, path] { Q_EMIT snippetRequested(path); });
    QString options = snippetRunOptions(snippet).join(QLatin1Char(' '));
    auto* name = new QLabel(
        QStringLiteral("<code>%1</code> <span style=\"color:gray\">— %2%3</span>")
            .arg(fromStd(snippet.file).toHtmlEscaped(), describeExpectation(snippet).toHtmlEscaped(),
                 options.isEmpty() ? QString() : QStringLiteral(", runs with %1").arg(options.toHtmlEscaped())),
        box);
    name->setWordWrap(true);
    grid->addWidget(load, row, 0);
    grid->addWidget(name, row, 1);
    ++row;
  }
  return box;
}

}  // namespace loopscope::ui
