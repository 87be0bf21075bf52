#include "lessons/lesson_panel.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QCheckBox>
#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabBar>
#include <QTextBrowser>
#include <QTextCursor>
#include <QUrl>
#include <QTextDocumentFragment>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "engine_process.h"
#include "lessons/lesson_library.h"
#include "lessons/prediction_grade.h"
#include "run_trust.h"

namespace loopscope::ui {

namespace {

constexpr int kLineTextRole = Qt::UserRole;
// The checkers promise to end within about 20 s; a busy classroom machine gets a wide margin.
constexpr int kCheckerTimeoutMs = 60'000;

QString fromStd(const std::string& text) { return QString::fromStdString(text); }

QColor rightColor() { return QColor(46, 160, 67); }
QColor wrongColor() { return QColor(207, 34, 46); }

QIcon markIcon(bool right) {
  const int side = 48;
  QPixmap pixmap(side, side);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(Qt::NoPen);
  p.setBrush(right ? rightColor() : wrongColor());
  p.drawEllipse(QRectF(4, 4, side - 8, side - 8));
  p.setPen(QPen(Qt::white, 5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  QPainterPath mark;
  if (right) {
    mark.moveTo(14, 25);
    mark.lineTo(21, 32);
    mark.lineTo(34, 17);
  } else {
    mark.moveTo(16, 16);
    mark.lineTo(32, 32);
    mark.moveTo(32, 16);
    mark.lineTo(16, 32);
  }
  p.drawPath(mark);
  return QIcon(pixmap);
}

// A grade box: tinted background in the verdict's colour, readable on light and dark palettes.
QString gradeStyle(bool correct) {
  QColor c = correct ? rightColor() : wrongColor();
  return QStringLiteral(
             "QLabel { background: rgba(%1,%2,%3,40); border: 1px solid rgba(%1,%2,%3,160);"
             " border-radius: 4px; padding: 6px; }")
      .arg(c.red())
      .arg(c.green())
      .arg(c.blue());
}

QLabel* markdownLabel(const QString& markdown, QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setTextFormat(Qt::MarkdownText);
  label->setText(markdown.trimmed());
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
  label->setOpenExternalLinks(true);
  return label;
}

QString htmlList(const QStringList& lines) {
  QString html = QStringLiteral("<ol style=\"margin-top:2px\">");
  for (const QString& line : lines)
    html += QStringLiteral("<li><code>%1</code></li>")
                .arg(line.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;")));
  return html + QStringLiteral("</ol>");
}

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

// Clicking an option's text ticks its button, as clicking a button's own label would.
class ClickForwarder : public QObject {
 public:
  ClickForwarder(QAbstractButton* button, QObject* parent) : QObject(parent), m_button(button) {}
  bool eventFilter(QObject*, QEvent* event) override {
    if (event->type() == QEvent::MouseButtonRelease && static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton &&
        m_button->isEnabled())
      m_button->click();
    return false;
  }

 private:
  QAbstractButton* m_button;
};

// Alt+Up / Alt+Down on the list move the selected line. A key filter rather than a QShortcut:
// shortcuts fire only in the active window, and without one the list's own Up/Down handling
// would silently move the selection instead of the line.
class LineMoveKeys : public QObject {
 public:
  LineMoveKeys(LessonPanel* panel, QObject* parent) : QObject(parent), m_panel(panel) {}
  bool eventFilter(QObject*, QEvent* event) override {
    if (event->type() != QEvent::KeyPress) return false;
    auto* key = static_cast<QKeyEvent*>(event);
    if (!(key->modifiers() & Qt::AltModifier)) return false;
    if (key->key() == Qt::Key_Up)
      m_panel->moveSelectedLine(-1);
    else if (key->key() == Qt::Key_Down)
      m_panel->moveSelectedLine(+1);
    else
      return false;
    return true;
  }

 private:
  LessonPanel* m_panel;
};

// Rows sized for the right/wrong marks added after grading, so the list does not jump then.
void fillLines(QListWidget* list, const QStringList& lines) {
  list->clear();
  int markSide = list->fontMetrics().height();
  list->setIconSize(QSize(markSide, markSide));
  int rowHeight = markSide + 8;
  for (const QString& line : lines) {
    auto* row = new QListWidgetItem(line, list);
    row->setData(kLineTextRole, line);
    row->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
    row->setSizeHint(QSize(list->fontMetrics().horizontalAdvance(line) + markSide + 16, rowHeight));
  }
  // Every line visible without a vertical scroll bar: the whole output is the puzzle. Room for a
  // horizontal bar is added only while one is needed (long lines in a narrow panel).
  list->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  int linesHeight = rowHeight * int(lines.size()) + 2 * list->frameWidth();
  QScrollBar* bar = list->horizontalScrollBar();
  auto fit = [list, bar, linesHeight] {
    list->setFixedHeight(linesHeight + (bar->maximum() > 0 ? bar->sizeHint().height() : 0));
  };
  // One fitting connection per fill: its context object is replaced, never the list's own
  // scroll-bar connections (QAbstractScrollArea relies on them).
  delete list->findChild<QObject*>(QStringLiteral("heightFitter"), Qt::FindDirectChildrenOnly);
  auto* fitter = new QObject(list);
  fitter->setObjectName(QStringLiteral("heightFitter"));
  QObject::connect(bar, &QScrollBar::rangeChanged, fitter, fit);
  fit();
}

}  // namespace

struct QuizItemView {
  bool predict = false;
  bool passed = false;
  // Predict.
  QString snippetPath;
  QList<QStringList> allowed;
  QListWidget* lines = nullptr;
  QPushButton* check = nullptr;
  QPushButton* showEngineOrder = nullptr;
  QStringList lastActual;
  bool marked = false;
  bool settingOrder = false;  // our own reordering must not count as the learner's change
  // Choice.
  QList<QAbstractButton*> options;
  QList<QLabel*> optionLabels;
  QList<bool> right;
  QLabel* explanation = nullptr;
  // Both.
  QLabel* grade = nullptr;
};

LessonPanel::LessonPanel(LessonLibrary& library, QWidget* parent) : QWidget(parent), m_library(library) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_pages = new QStackedWidget(this);
  layout->addWidget(m_pages);

  m_placeholder = new QWidget(m_pages);
  auto* placeholderLayout = new QVBoxLayout(m_placeholder);
  auto* hint = new QLabel(tr("Choose a lesson from the list.\n\nEach lesson explains one part of the "
                             "machine, gives you snippets to run and watch, and ends with a quiz."),
                          m_placeholder);
  hint->setWordWrap(true);
  hint->setAlignment(Qt::AlignCenter);
  placeholderLayout->addWidget(hint);
  m_pages->addWidget(m_placeholder);

  // Reloading (a teacher saved a lesson) must not leave the panel pointing at freed structs.
  connect(&m_library, &LessonLibrary::lessonsChanged, this, [this] {
    if (m_lessonId.isEmpty()) return;
    if (const auto* l = lesson())
      buildLesson(*l);
    else
      clearLesson();
  });
}

LessonPanel::~LessonPanel() {
  if (m_checker) {
    m_checker->disconnect(this);
    m_checker->kill();
    m_checker->waitForFinished(2000);  // no orphan engine left behind when the window closes
  }
}

const lessons::Lesson* LessonPanel::lesson() const { return m_library.find(m_lessonId); }

bool LessonPanel::showLesson(const QString& id) {
  const lessons::Lesson* l = m_library.find(id);
  if (!l) return false;
  m_lessonId = id;
  m_library.advanceProgress(id, LessonProgress::Opened);
  buildLesson(*l);
  if (!l->snippets.empty()) Q_EMIT snippetPreviewRequested(fromStd(l->snippets.front().path));
  return true;
}

void LessonPanel::clearLesson() {
  stopChecker();
  m_lessonId.clear();
  m_quiz.clear();
  m_waitingItem = -1;
  m_pages->setCurrentWidget(m_placeholder);
  if (m_lessonPage) m_lessonPage->deleteLater();
  m_lessonPage = nullptr;
  m_practice = nullptr;
  m_quizTabs = nullptr;
  m_quizStack = nullptr;
  m_exerciseResult = nullptr;
  m_checkExercise = m_startExercise = nullptr;
}

void LessonPanel::stopChecker() {
  // The checker belongs to the lesson on screen: its verdict must not land on another lesson.
  if (!m_checker) return;
  m_checker->disconnect(this);
  m_checker->kill();
  m_checker->deleteLater();
  m_checker = nullptr;
}

void LessonPanel::buildLesson(const lessons::Lesson& l) {
  stopChecker();
  m_quiz.clear();
  m_waitingItem = -1;
  m_gradeText.clear();
  m_lastGradeCorrect = false;
  m_exerciseResult = nullptr;
  m_checkExercise = m_startExercise = nullptr;
  m_practice = nullptr;
  m_quizTabs = nullptr;
  m_quizStack = nullptr;
  if (m_lessonPage) {
    m_pages->removeWidget(m_lessonPage);
    m_lessonPage->deleteLater();
  }

  m_lessonPage = new QWidget(m_pages);
  auto* layout = new QVBoxLayout(m_lessonPage);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(buildHeader(l));

  auto* splitter = new QSplitter(Qt::Vertical, m_lessonPage);
  splitter->setChildrenCollapsible(false);
  m_text = new QTextBrowser(splitter);
  // Images and links in a teacher's Markdown are relative to the lesson folder.
  m_text->setSearchPaths({fromStd(l.dir)});
  const QString text = withoutLeadingTitle(fromStd(l.text));
  // An interview question's model answer waits until the learner has tried (and revealing it is
  // what marks such a lesson done), unless they have already seen it.
  const bool foldAnswer = hasModelAnswer(text) && m_library.progress(m_lessonId) < LessonProgress::QuizPassed;
  m_text->setMarkdown(foldAnswer ? withModelAnswerFolded(text) : text);
  // Links are followed here, so the one that reveals the model answer can be told apart.
  m_text->setOpenLinks(false);
  connect(m_text, &QTextBrowser::anchorClicked, this, [this, text](const QUrl& url) {
    if (url.toString() == QLatin1String(kRevealModelAnswerUrl)) {
      m_text->setMarkdown(text);
      if (m_text->find(tr("Model answer"))) {
        QTextCursor cursor = m_text->textCursor();
        cursor.clearSelection();
        m_text->setTextCursor(cursor);
      }
      m_library.advanceProgress(m_lessonId, LessonProgress::QuizPassed);
      return;
    }
    const QString scheme = url.scheme();
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("mailto"))
      QDesktopServices::openUrl(url);
    else if (url.isRelative() && url.path().isEmpty() && url.hasFragment())
      m_text->scrollToAnchor(url.fragment());
    else
      m_text->setSource(url);
  });
  splitter->addWidget(m_text);

  auto* practice = new QWidget;
  auto* practiceLayout = new QVBoxLayout(practice);
  practiceLayout->setContentsMargins(0, 0, 0, 0);
  if (!l.snippets.empty()) practiceLayout->addWidget(buildSnippets(l));
  if (l.exercise) practiceLayout->addWidget(buildExercise(l));
  if (!l.quiz.empty()) practiceLayout->addWidget(buildQuiz(l));
  practiceLayout->addStretch(1);
  bool hasPractice = !l.snippets.empty() || l.exercise || !l.quiz.empty();
  auto* scroll = new QScrollArea(splitter);
  m_practice = scroll;
  scroll->setVisible(hasPractice);
  scroll->setWidgetResizable(true);
  // Word-wrapped labels settle their width only after the vertical scroll bar appears; without
  // this the content keeps the wider first guess and is clipped behind a horizontal bar.
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(practice);
  splitter->addWidget(scroll);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  layout->addWidget(splitter, 1);

  m_pages->addWidget(m_lessonPage);
  m_pages->setCurrentWidget(m_lessonPage);
}

QWidget* LessonPanel::buildHeader(const lessons::Lesson& l) {
  auto* header = new QWidget(m_lessonPage);
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

QWidget* LessonPanel::buildSnippets(const lessons::Lesson& l) {
  auto* box = new QGroupBox(tr("Snippets"), m_lessonPage);
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

QWidget* LessonPanel::buildExercise(const lessons::Lesson& l) {
  auto* box = new QGroupBox(tr("Exercise"), m_lessonPage);
  auto* layout = new QVBoxLayout(box);
  auto* intro = new QLabel(tr("Work on your own copy of <code>starter.js</code>; the lesson's checker runs "
                              "it and says what is still missing."),
                           box);
  intro->setWordWrap(true);
  layout->addWidget(intro);

  auto* buttons = new QHBoxLayout;
  m_startExercise =
      new QPushButton(QFileInfo::exists(exerciseFile()) ? tr("Open my copy") : tr("Start the exercise"), box);
  m_checkExercise = new QPushButton(tr("Check my solution"), box);
  m_checkExercise->setEnabled(QFileInfo::exists(exerciseFile()));
  buttons->addWidget(m_startExercise);
  buttons->addWidget(m_checkExercise);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  connect(m_startExercise, &QPushButton::clicked, this, &LessonPanel::startExercise);
  connect(m_checkExercise, &QPushButton::clicked, this, &LessonPanel::checkExercise);

  m_exerciseResult = new QLabel(box);
  m_exerciseResult->setWordWrap(true);
  m_exerciseResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_exerciseResult->setVisible(false);
  layout->addWidget(m_exerciseResult);
  if (m_library.progress(fromStd(l.id)) >= LessonProgress::ExercisePassed) {
    m_exerciseResult->setText(tr("You have passed this exercise."));
    m_exerciseResult->setStyleSheet(gradeStyle(true));
    m_exerciseResult->setVisible(true);
  }

  // The hint stays folded: a learner should try first, and a projected screen should not spoil
  // the exercise for the class.
  QString hintPath = QDir(fromStd(l.dir)).filePath(QStringLiteral("hint.md"));
  QFile hintFile(hintPath);
  if (hintFile.open(QIODevice::ReadOnly)) {
    auto* toggle = new QToolButton(box);
    toggle->setText(tr("Show the hint"));
    toggle->setCheckable(true);
    toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toggle->setArrowType(Qt::RightArrow);
    toggle->setAutoRaise(true);
    auto* hint = markdownLabel(QString::fromUtf8(hintFile.readAll()), box);
    hint->setVisible(false);
    auto* solution = new QPushButton(tr("Open the reference solution"), box);
    solution->setVisible(false);
    QString solutionPath = QDir(fromStd(l.dir)).filePath(QStringLiteral("solution.js"));
    solution->setEnabled(QFileInfo::exists(solutionPath));
    connect(solution, &QPushButton::clicked, this,
            [this, solutionPath] { Q_EMIT snippetPreviewRequested(solutionPath); });
    connect(toggle, &QToolButton::toggled, this, [toggle, hint, solution](bool open) {
      toggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
      toggle->setText(open ? tr("Hide the hint") : tr("Show the hint"));
      hint->setVisible(open);
      solution->setVisible(open);
    });
    layout->addWidget(toggle, 0, Qt::AlignLeft);
    layout->addWidget(hint);
    layout->addWidget(solution, 0, Qt::AlignLeft);
  }
  return box;
}

QWidget* LessonPanel::buildQuiz(const lessons::Lesson& l) {
  auto* box = new QGroupBox(tr("Quiz"), m_lessonPage);
  auto* layout = new QVBoxLayout(box);
  m_quizTabs = new QTabBar(box);
  m_quizTabs->setExpanding(false);
  m_quizTabs->setDrawBase(false);
  m_quizStack = new QStackedWidget(box);
  QList<int> passed = m_library.passedQuizItems(fromStd(l.id));
  for (int i = 0; i < int(l.quiz.size()); ++i) {
    auto view = std::make_unique<QuizItemView>();
    view->passed = passed.contains(i);
    QWidget* page = l.quiz[i].kind == lessons::QuizItem::Kind::Predict ? buildPredictItem(l, i, *view)
                                                                       : buildChoiceItem(l, i, *view);
    m_quizStack->addWidget(page);
    m_quizTabs->addTab(QString());
    m_quiz.push_back(std::move(view));
  }
  updateTabTitles();
  connect(m_quizTabs, &QTabBar::currentChanged, m_quizStack, &QStackedWidget::setCurrentIndex);
  layout->addWidget(m_quizTabs);
  layout->addWidget(m_quizStack);
  return box;
}

QWidget* LessonPanel::buildPredictItem(const lessons::Lesson& l, int index, QuizItemView& view) {
  const lessons::QuizItem& item = l.quiz[index];
  view.predict = true;
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(0, 4, 0, 0);
  layout->addWidget(markdownLabel(fromStd(item.question), page));

  const lessons::Snippet* snippet = nullptr;
  for (const auto& s : l.snippets)
    if (s.file == item.snippet) snippet = &s;
  if (snippet) {
    view.snippetPath = fromStd(snippet->path);
    for (const auto& output : snippet->outputs) {
      QStringList lines;
      for (const auto& line : output) lines << fromStd(line);
      view.allowed << lines;
    }
  }
  using E = lessons::Snippet::Expectation;
  bool gradable =
      snippet && !view.allowed.isEmpty() && (snippet->expectation == E::Exact || snippet->expectation == E::Orders);

  auto* how = new QLabel(page);
  how->setWordWrap(true);
  how->setForegroundRole(QPalette::PlaceholderText);
  layout->addWidget(how);
  view.lines = new QListWidget(page);
  view.lines->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  view.lines->setDragDropMode(QAbstractItemView::InternalMove);
  view.lines->setDefaultDropAction(Qt::MoveAction);
  view.lines->setSelectionMode(QAbstractItemView::SingleSelection);
  view.lines->setAlternatingRowColors(true);
  view.lines->setAccessibleName(tr("Output lines in your predicted order"));
  layout->addWidget(view.lines);

  auto* buttons = new QHBoxLayout;
  auto* up = new QToolButton(page);
  up->setArrowType(Qt::UpArrow);
  up->setToolTip(tr("Move the selected line up (Alt+Up)"));
  auto* down = new QToolButton(page);
  down->setArrowType(Qt::DownArrow);
  down->setToolTip(tr("Move the selected line down (Alt+Down)"));
  view.check = new QPushButton(tr("Check by running"), page);
  view.check->setToolTip(tr("Run the snippet on the engine and compare its output with your order"));
  view.showEngineOrder = new QPushButton(tr("Put the lines in the engine's order"), page);
  view.showEngineOrder->setVisible(false);
  buttons->addWidget(up);
  buttons->addWidget(down);
  buttons->addStretch(1);
  buttons->addWidget(view.check);
  layout->addLayout(buttons);
  layout->addWidget(view.showEngineOrder, 0, Qt::AlignRight);

  view.grade = new QLabel(page);
  view.grade->setWordWrap(true);
  view.grade->setTextFormat(Qt::RichText);
  view.grade->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
  view.grade->setVisible(false);
  connect(view.grade, &QLabel::linkActivated, this, [this](const QString& link) {
    if (link.startsWith(QStringLiteral("callback:")))
      Q_EMIT callbackRequested(link.mid(int(qstrlen("callback:"))).toLongLong());
    else
      Q_EMIT timelineRequested();
  });
  layout->addWidget(view.grade);

  if (!gradable) {
    how->setText(snippet ? tr("This snippet's output changes from run to run, so it cannot be graded "
                              "line by line: load it, run it and compare with your guess.")
                         : tr("This question names a snippet the lesson does not have."));
    view.lines->setVisible(false);
    up->setVisible(false);
    down->setVisible(false);
    view.check->setVisible(false);
    return page;
  }

  how->setText(view.allowed.size() > 1
                   ? tr("Drag the lines into the order you expect (or select one and press Alt+Up / "
                        "Alt+Down). Node may print this in %1 orders: any of them counts.")
                         .arg(view.allowed.size())
                   : tr("Drag the lines into the order you expect (or select one and press Alt+Up / "
                        "Alt+Down), then check."));
  // Seeded by lesson and snippet: the same puzzle for everyone in the class, every time.
  QStringList shuffled = shuffledForPrediction(view.allowed.front(),
                                               fromStd(l.id) + QLatin1Char('/') + fromStd(item.snippet), view.allowed);
  fillLines(view.lines, shuffled);

  connect(view.lines->model(), &QAbstractItemModel::rowsMoved, this, [this, index] {
    if (!m_quiz[index]->settingOrder) clearMarks(index);
  });
  connect(up, &QToolButton::clicked, this, [this] { moveSelectedLine(-1); });
  connect(down, &QToolButton::clicked, this, [this] { moveSelectedLine(+1); });
  view.lines->installEventFilter(new LineMoveKeys(this, view.lines));
  connect(view.check, &QPushButton::clicked, this, [this, index] { requestRun(index); });
  connect(view.showEngineOrder, &QPushButton::clicked, this, [this, index] {
    selectQuizItem(index);
    setPredictionOrder(m_quiz[index]->lastActual);
  });
  return page;
}

QWidget* LessonPanel::buildChoiceItem(const lessons::Lesson& l, int index, QuizItemView& view) {
  const lessons::QuizItem& item = l.quiz[index];
  auto* page = new QWidget;
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(0, 4, 0, 0);
  layout->addWidget(markdownLabel(fromStd(item.question), page));

  int rightCount = 0;
  for (const auto& choice : item.choices) rightCount += choice.right ? 1 : 0;
  bool several = rightCount > 1;
  if (several) {
    auto* note = new QLabel(tr("Tick every answer that is right."), page);
    note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(note);
  }
  auto* group = new QButtonGroup(page);
  group->setExclusive(!several);
  auto* grid = new QGridLayout;
  grid->setColumnStretch(1, 1);
  for (int i = 0; i < int(item.choices.size()); ++i) {
    // The button has no text of its own: option texts are Markdown (`code`) and must wrap in a
    // narrow panel, which a button's text cannot.
    QAbstractButton* button = several ? static_cast<QAbstractButton*>(new QCheckBox(page))
                                      : static_cast<QAbstractButton*>(new QRadioButton(page));
    auto* text = markdownLabel(fromStd(item.choices[i].text), page);
    text->setTextInteractionFlags(Qt::LinksAccessibleByMouse);
    text->installEventFilter(new ClickForwarder(button, text));
    button->setAccessibleName(text->text());
    group->addButton(button, i);
    grid->addWidget(button, i, 0, Qt::AlignTop);
    grid->addWidget(text, i, 1);
    view.options << button;
    view.optionLabels << text;
    view.right << item.choices[i].right;
    connect(button, &QAbstractButton::toggled, this, [this, index] { clearMarks(index); });
  }
  layout->addLayout(grid);

  auto* check = new QPushButton(tr("Check"), page);
  connect(check, &QPushButton::clicked, this, [this, index] {
    selectQuizItem(index);
    checkChoice();
  });
  layout->addWidget(check, 0, Qt::AlignRight);

  view.grade = new QLabel(page);
  view.grade->setWordWrap(true);
  view.grade->setVisible(false);
  layout->addWidget(view.grade);
  // quiz.md's "Explanation:" prefix is stripped by the loader; it is put back in bold so the
  // paragraph reads as the answer's reason, not as one more option.
  view.explanation =
      markdownLabel(item.explanation.empty() ? QString() : tr("**Why:** %1").arg(fromStd(item.explanation)), page);
  view.explanation->setVisible(false);
  layout->addWidget(view.explanation);
  return page;
}

void LessonPanel::updateTabTitles() {
  if (!m_quizTabs) return;
  for (int i = 0; i < int(m_quiz.size()); ++i) {
    const QuizItemView& view = *m_quiz[i];
    QString kind = view.predict ? tr("Predict") : tr("Choice");
    m_quizTabs->setTabText(
        i, QStringLiteral("%1. %2%3").arg(i + 1).arg(kind, view.passed ? QStringLiteral(" ✓") : QString()));
    m_quizTabs->setTabToolTip(i, view.passed ? tr("Answered right") : tr("Not answered right yet"));
  }
}

int LessonPanel::quizCount() const { return int(m_quiz.size()); }

int LessonPanel::currentQuizItem() const { return m_quizTabs && !m_quiz.empty() ? m_quizTabs->currentIndex() : -1; }

void LessonPanel::selectQuizItem(int index) {
  if (!m_quizTabs || index < 0 || index >= quizCount()) return;
  m_quizTabs->setCurrentIndex(index);
}

QuizItemView* LessonPanel::currentView() const {
  int index = currentQuizItem();
  return index < 0 ? nullptr : m_quiz[index].get();
}

QStringList LessonPanel::predictionOrder() const {
  QStringList order;
  QuizItemView* view = currentView();
  if (!view || !view->predict) return order;
  for (int i = 0; i < view->lines->count(); ++i) order << view->lines->item(i)->data(kLineTextRole).toString();
  return order;
}

void LessonPanel::setPredictionOrder(const QStringList& lines) {
  QuizItemView* view = currentView();
  if (!view || !view->predict) return;
  QStringList current = predictionOrder();
  QStringList wanted = lines, have = current;
  wanted.sort();
  have.sort();
  if (wanted != have) return;  // not a reordering of this item's lines
  fillLines(view->lines, lines);
  clearMarks(currentQuizItem());
}

void LessonPanel::moveSelectedLine(int delta) {
  QuizItemView* view = currentView();
  if (!view || !view->predict) return;
  int row = view->lines->currentRow();
  int target = row + delta;
  if (row < 0 || target < 0 || target >= view->lines->count()) return;
  QListWidgetItem* item = view->lines->takeItem(row);
  view->lines->insertItem(target, item);
  view->lines->setCurrentRow(target);
  clearMarks(currentQuizItem());
}

void LessonPanel::requestRun(int index) {
  QuizItemView& view = *m_quiz[index];
  selectQuizItem(index);
  m_waitingItem = index;
  view.check->setEnabled(false);
  view.check->setText(tr("Running…"));
  Q_EMIT runForQuiz(view.snippetPath);
}

void LessonPanel::gradePrediction(const QStringList& actualStdoutLines, const QString& why, qint64 whyPosition) {
  int index = m_waitingItem >= 0 ? m_waitingItem : currentQuizItem();
  m_waitingItem = -1;
  if (index < 0 || index >= quizCount() || !m_quiz[index]->predict) return;
  gradeItem(index, actualStdoutLines, why, whyPosition);
}

void LessonPanel::predictionRunFailed(const QString& sentence) {
  int index = m_waitingItem;
  m_waitingItem = -1;
  if (index < 0 || index >= quizCount()) return;
  QuizItemView& view = *m_quiz[index];
  view.check->setEnabled(true);
  view.check->setText(tr("Check by running"));
  showGrade(view, tr("The run gave no answer: %1 Fix that and check again.").arg(sentence.toHtmlEscaped()), false);
}

void LessonPanel::gradeItem(int index, const QStringList& actual, const QString& why, qint64 whyPosition) {
  m_whyPosition = why.isEmpty() ? -1 : whyPosition;
  QuizItemView& view = *m_quiz[index];
  view.check->setEnabled(true);
  view.check->setText(tr("Check by running"));
  QStringList guess;
  for (int i = 0; i < view.lines->count(); ++i) guess << view.lines->item(i)->data(kLineTextRole).toString();

  if (actual.isEmpty()) {
    showGrade(view,
              tr("The run printed nothing, so there is nothing to compare with. Look at the console "
                 "for an error, then check again."),
              false);
    return;
  }

  PredictionGrade grade = loopscope::ui::gradePrediction(guess, view.allowed, actual);
  view.lastActual = actual;
  for (int i = 0; i < view.lines->count(); ++i) {
    QListWidgetItem* row = view.lines->item(i);
    bool right = i < int(grade.lineRight.size()) && grade.lineRight[i];
    row->setIcon(markIcon(right));
    QColor tint = right ? rightColor() : wrongColor();
    tint.setAlpha(45);
    row->setBackground(tint);
  }
  view.marked = true;

  QString html;
  if (grade.correct) {
    html = tr("<b>Correct — this is what the engine printed.</b>");
    if (grade.nondeterministic) {
      html = actual == guess ? tr("<b>Correct — this is what the engine printed.</b>")
                             : tr("<b>Correct — Node allows this order too.</b> This run printed the other one:") +
                                   htmlList(actual);
      html += tr("<br>Node itself is nondeterministic here: the lesson accepts any of its %1 orders. Run it a "
                 "few times and watch which phase comes first.")
                  .arg(view.allowed.size());
    }
  } else {
    html = tr("<b>Not yet: %1 of %2 lines are in the right place.</b> The engine printed:")
               .arg(grade.rightCount())
               .arg(guess.size()) +
           htmlList(actual);
    if (grade.nondeterministic)
      html += tr("Node itself is nondeterministic here: any of the lesson's %1 orders would have been right.<br>")
                  .arg(view.allowed.size());
    if (!why.isEmpty()) {
      // The first place the orders part, and the rule of the loop that decided it.
      html += QStringLiteral("<p>") + why.toHtmlEscaped();
      if (whyPosition >= 0)
        html += tr(" <a href=\"callback:%1\">Show the callback that printed it</a>.").arg(whyPosition);
      html += QStringLiteral("</p>");
    }
    html +=
        tr("Why this order? <a href=\"timeline\">See it in the timeline</a>: each line is printed by one "
           "callback, and its lane shows the phase or queue it ran in.");
  }
  if (!grade.runMatchesLesson)
    html +=
        tr("<br><i>This run printed something the lesson does not list. The engine is right; the lesson "
           "may be out of date (<code>loopscope-engine lessons check</code> finds out).</i>");
  view.showEngineOrder->setVisible(!grade.correct);
  showGrade(view, html, grade.correct);
  if (grade.correct) itemPassed(index);
}

void LessonPanel::chooseOptions(const QList<int>& options) {
  QuizItemView* view = currentView();
  if (!view || view->predict) return;
  QButtonGroup* group = view->options.isEmpty() ? nullptr : view->options.front()->group();
  // An exclusive group refuses to untick its checked button, so it is lifted while resetting.
  bool exclusive = group && group->exclusive();
  if (group) group->setExclusive(false);
  for (int i = 0; i < view->options.size(); ++i) view->options[i]->setChecked(options.contains(i));
  if (group) group->setExclusive(exclusive);
}

void LessonPanel::checkChoice() {
  QuizItemView* view = currentView();
  if (!view || view->predict) return;
  bool correct = true, anyChosen = false;
  for (int i = 0; i < view->options.size(); ++i) {
    bool chosen = view->options[i]->isChecked();
    anyChosen = anyChosen || chosen;
    if (chosen != view->right[i]) correct = false;
  }
  if (!anyChosen) {
    showGrade(*view, tr("Choose an answer first."), false);
    return;
  }
  // Mark the right answers, and the wrong ones the learner picked, so the explanation below
  // can be read against the options.
  for (int i = 0; i < view->options.size(); ++i) {
    bool chosen = view->options[i]->isChecked();
    QLabel* label = view->optionLabels[i];
    if (view->right[i])
      label->setStyleSheet(QStringLiteral("QLabel { color: rgb(26,127,55); font-weight: bold; }"));
    else if (chosen)
      label->setStyleSheet(QStringLiteral("QLabel { color: rgb(207,34,46); text-decoration: line-through; }"));
  }
  int rightCount = int(std::count(view->right.begin(), view->right.end(), true));
  QString html = correct          ? tr("<b>Correct.</b>")
                 : rightCount > 1 ? tr("<b>Not quite.</b> The right answers are in bold.")
                                  : tr("<b>Not quite.</b> The right answer is in bold.");
  view->explanation->setVisible(!view->explanation->text().isEmpty());
  showGrade(*view, html, correct);
  if (correct) itemPassed(currentQuizItem());
}

void LessonPanel::clearMarks(int index) {
  if (index < 0 || index >= quizCount()) return;
  QuizItemView& view = *m_quiz[index];
  if (view.predict) {
    if (!view.marked) return;
    for (int i = 0; i < view.lines->count(); ++i) {
      view.lines->item(i)->setIcon(QIcon());
      view.lines->item(i)->setBackground(QBrush());
    }
    view.marked = false;
    view.showEngineOrder->setVisible(false);
  } else {
    for (QLabel* label : view.optionLabels) label->setStyleSheet(QString());
    view.explanation->setVisible(false);
  }
  view.grade->setVisible(false);
}

void LessonPanel::showGrade(QuizItemView& view, const QString& html, bool correct) {
  view.grade->setText(html);
  view.grade->setStyleSheet(gradeStyle(correct));
  view.grade->setVisible(true);
  m_gradeText = QTextDocumentFragment::fromHtml(html).toPlainText();
  // The verdict may land below the fold of a short panel while the learner watches the views.
  if (m_practice) m_practice->ensureWidgetVisible(view.grade);
  m_lastGradeCorrect = correct;
}

void LessonPanel::itemPassed(int index) {
  m_quiz[index]->passed = true;
  updateTabTitles();
  m_library.markQuizItemPassed(m_lessonId, index);
  bool all = std::all_of(m_quiz.begin(), m_quiz.end(), [](const auto& v) { return v->passed; });
  if (all) m_library.advanceProgress(m_lessonId, LessonProgress::QuizPassed);
}

// --- the exercise ---

QString LessonPanel::exerciseWorkspace() {
  QString folder = QSettings().value(QStringLiteral("lessons/exerciseFolder")).toString();
  if (folder.isEmpty())
    folder =
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("exercises"));
  return folder;
}

QString LessonPanel::exerciseFile() const {
  if (m_lessonId.isEmpty()) return {};
  return QDir(exerciseWorkspace()).filePath(m_lessonId + QStringLiteral("/my-solution.js"));
}

void LessonPanel::startExercise() {
  const lessons::Lesson* l = lesson();
  if (!l || !l->exercise) return;
  QString file = exerciseFile();
  if (!QFileInfo::exists(file)) {
    QString starter = QDir(fromStd(l->dir)).filePath(QStringLiteral("starter.js"));
    if (!QDir().mkpath(QFileInfo(file).absolutePath()) || !QFile::copy(starter, file)) {
      if (m_exerciseResult) {
        m_exerciseResult->setText(tr("Could not copy %1 to %2; check that the folder is writable (Settings "
                                     "key lessons/exerciseFolder chooses another).")
                                      .arg(QDir::toNativeSeparators(starter), QDir::toNativeSeparators(file)));
        m_exerciseResult->setStyleSheet(gradeStyle(false));
        m_exerciseResult->setVisible(true);
      }
      return;
    }
    // The copy inherits the read-only bit of an installed lessons tree; the learner must edit it.
    QFile::setPermissions(file, QFile::permissions(file) | QFileDevice::WriteOwner);
  }
  if (m_startExercise) m_startExercise->setText(tr("Open my copy"));
  if (m_checkExercise) m_checkExercise->setEnabled(true);
  Q_EMIT snippetPreviewRequested(file);
}

bool LessonPanel::isCheckingExercise() const { return m_checker && m_checker->state() != QProcess::NotRunning; }

QString LessonPanel::exerciseResultText() const { return m_exerciseResult ? m_exerciseResult->text() : QString(); }

void LessonPanel::checkExercise() {
  const lessons::Lesson* l = lesson();
  if (!l || !l->exercise || isCheckingExercise() || !m_exerciseResult) return;
  QString file = exerciseFile();
  auto fail = [this](const QString& sentence) {
    m_exerciseResult->setText(sentence);
    m_exerciseResult->setStyleSheet(gradeStyle(false));
    m_exerciseResult->setVisible(true);
  };
  if (!QFileInfo::exists(file)) return fail(tr("Start the exercise first: it creates your copy of starter.js."));
  QString whereLooked;
  QString engine = EngineProcess::enginePath(&whereLooked);
  if (engine.isEmpty())
    return fail(tr("The checker needs loopscope-engine, which was not found (looked in %1).").arg(whereLooked));

  Q_EMIT aboutToCheckExercise(file);
  // The learner's file did not ship with Loopscope (nor did a teacher's lesson): unless both are
  // trusted the checker runs in the sandbox, from a scratch copy of the lesson folder, with the
  // learner's file shown read-only at its own path (LOOPSCOPE_SANDBOX_READ, docs/sandbox.md).
  const TrustDecision trust = decideCheck(fromStd(l->dir), file);
  m_checkerSandboxed = trust.sandboxed;
  m_checkerFolderCanBeTrusted = !trust.folderToTrust.isEmpty();
  m_checker = new QProcess(this);
  m_checker->setProgram(engine);
  // The checker runs as plain Node from the lesson folder (lessons/README.md §5).
  QStringList arguments{QStringLiteral("check.js"), QFileInfo(file).absoluteFilePath()};
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  if (trust.sandboxed) {
    arguments.prepend(QStringLiteral("--sandbox"));
    environment.insert(QStringLiteral("LOOPSCOPE_SANDBOX_READ"), QFileInfo(file).absoluteFilePath());
  } else {
    environment.remove(QStringLiteral("LOOPSCOPE_SANDBOX_READ"));
  }
  m_checker->setArguments(arguments);
  m_checker->setProcessEnvironment(environment);
  m_checker->setWorkingDirectory(fromStd(l->dir));
  m_checker->setProcessChannelMode(QProcess::MergedChannels);
  connect(m_checker, &QProcess::finished, this, &LessonPanel::onCheckerFinished);
  connect(m_checker, &QProcess::errorOccurred, this, [this, fail](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart) {
      fail(tr("The checker could not be started: %1").arg(m_checker->errorString()));
      m_checker->deleteLater();
      m_checker = nullptr;
      m_checkExercise->setEnabled(true);
    }
  });
  QPointer<QProcess> checker = m_checker;
  QTimer::singleShot(kCheckerTimeoutMs, this, [checker] {
    if (checker && checker->state() != QProcess::NotRunning) checker->kill();
  });
  m_checkExercise->setEnabled(false);
  m_exerciseResult->setText(trust.sandboxed ? tr("Checking in the sandbox… (the checker may take up to 20 seconds)")
                                            : tr("Checking… (the checker may take up to 20 seconds)"));
  m_exerciseResult->setStyleSheet(QString());
  m_exerciseResult->setVisible(true);
  m_checker->start();
}

void LessonPanel::onCheckerFinished() {
  QProcess* checker = m_checker;
  if (!checker) return;
  m_checkExercise->setEnabled(true);
  QStringList lines = outputLinesOf(checker->readAll());
  bool passed = checker->exitStatus() == QProcess::NormalExit && checker->exitCode() == 0;
  // The engine's own sentences start with its name; with exit 125 they say the sandbox never stood.
  QStringList engineLines;
  for (const QString& line : lines)
    if (line.startsWith(QLatin1String("loopscope-engine: ")))
      engineLines << line.mid(int(sizeof("loopscope-engine: ")) - 1);
  const bool sandboxFailed = m_checkerSandboxed && checker->exitStatus() == QProcess::NormalExit &&
                             checker->exitCode() == kSandboxFailedExitCode && !engineLines.isEmpty();
  QString html;
  if (sandboxFailed) {
    html = sandboxFailureSentence(tr("The checker"), engineLines.join(QLatin1Char(' ')), m_checkerFolderCanBeTrusted)
               .toHtmlEscaped();
  } else if (passed) {
    html = tr("<b>Passed.</b>");
    for (const QString& line : lines) html += QStringLiteral("<br>") + line.toHtmlEscaped();
    m_library.advanceProgress(m_lessonId, LessonProgress::ExercisePassed);
  } else if (checker->exitStatus() != QProcess::NormalExit) {
    html = tr("<b>The checker did not finish</b> (stopped after %1 s or crashed). Does your code leave a timer, "
              "server or worker running?")
               .arg(kCheckerTimeoutMs / 1000);
  } else if (lines.isEmpty()) {
    html = tr("<b>Not yet.</b> The checker exited with code %1 without saying why; run <code>loopscope-engine "
              "check.js</code> on your file in a terminal to see its errors.")
               .arg(checker->exitCode());
  } else {
    html = tr("<b>Not yet.</b> The checker says:") + QStringLiteral("<ul>");
    for (const QString& line : lines) html += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
    html += QStringLiteral("</ul>");
  }
  m_exerciseResult->setText(html);
  m_exerciseResult->setStyleSheet(gradeStyle(passed));
  m_exerciseResult->setVisible(true);
  checker->deleteLater();
  Q_EMIT exerciseChecked(passed);
}

}  // namespace loopscope::ui
