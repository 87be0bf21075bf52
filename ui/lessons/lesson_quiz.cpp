#include "lessons/lesson_quiz.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QCheckBox>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTabBar>
#include <QTextDocumentFragment>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "lessons/lesson_library.h"
#include "lessons/lesson_widgets.h"
#include "lessons/prediction_grade.h"

namespace loopscope::ui {

namespace {

constexpr int kLineTextRole = Qt::UserRole;

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

QString htmlList(const QStringList& lines) {
  QString html = QStringLiteral("<ol style=\"margin-top:2px\">");
  for (const QString& line : lines)
    html += QStringLiteral("<li><code>%1</code></li>")
                .arg(line.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;")));
  return html + QStringLiteral("</ol>");
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
  LineMoveKeys(LessonQuiz* quiz, QObject* parent) : QObject(parent), m_quiz(quiz) {}
  bool eventFilter(QObject*, QEvent* event) override {
    if (event->type() != QEvent::KeyPress) return false;
    auto* key = static_cast<QKeyEvent*>(event);
    if (!(key->modifiers() & Qt::AltModifier)) return false;
    if (key->key() == Qt::Key_Up)
      m_quiz->moveSelectedLine(-1);
    else if (key->key() == Qt::Key_Down)
      m_quiz->moveSelectedLine(+1);
    else
      return false;
    return true;
  }

 private:
  LessonQuiz* m_quiz;
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

LessonQuiz::LessonQuiz(LessonLibrary& library, const lessons::Lesson& l, QWidget* parent)
    : QGroupBox(tr("Quiz"), parent), m_library(library), m_lessonId(fromStd(l.id)) {
  auto* layout = new QVBoxLayout(this);
  m_tabs = new QTabBar(this);
  m_tabs->setExpanding(false);
  m_tabs->setDrawBase(false);
  m_stack = new QStackedWidget(this);
  QList<int> passed = m_library.passedQuizItems(m_lessonId);
  for (int i = 0; i < int(l.quiz.size()); ++i) {
    auto view = std::make_unique<QuizItemView>();
    view->passed = passed.contains(i);
    QWidget* page = l.quiz[i].kind == lessons::QuizItem::Kind::Predict ? buildPredictItem(l, i, *view)
                                                                       : buildChoiceItem(l, i, *view);
    m_stack->addWidget(page);
    m_tabs->addTab(QString());
    m_items.push_back(std::move(view));
  }
  updateTabTitles();
  connect(m_tabs, &QTabBar::currentChanged, m_stack, &QStackedWidget::setCurrentIndex);
  layout->addWidget(m_tabs);
  layout->addWidget(m_stack);
}

LessonQuiz::~LessonQuiz() = default;

QWidget* LessonQuiz::buildPredictItem(const lessons::Lesson& l, int index, QuizItemView& view) {
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
    if (!m_items[index]->settingOrder) clearMarks(index);
  });
  connect(up, &QToolButton::clicked, this, [this] { moveSelectedLine(-1); });
  connect(down, &QToolButton::clicked, this, [this] { moveSelectedLine(+1); });
  view.lines->installEventFilter(new LineMoveKeys(this, view.lines));
  connect(view.check, &QPushButton::clicked, this, [this, index] { requestRun(index); });
  connect(view.showEngineOrder, &QPushButton::clicked, this, [this, index] {
    selectItem(index);
    setPredictionOrder(m_items[index]->lastActual);
  });
  return page;
}

QWidget* LessonQuiz::buildChoiceItem(const lessons::Lesson& l, int index, QuizItemView& view) {
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
    selectItem(index);
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

void LessonQuiz::updateTabTitles() {
  for (int i = 0; i < int(m_items.size()); ++i) {
    const QuizItemView& view = *m_items[i];
    QString kind = view.predict ? tr("Predict") : tr("Choice");
    m_tabs->setTabText(i,
                       QStringLiteral("%1. %2%3").arg(i + 1).arg(kind, view.passed ? QStringLiteral(" ✓") : QString()));
    m_tabs->setTabToolTip(i, view.passed ? tr("Answered right") : tr("Not answered right yet"));
  }
}

int LessonQuiz::currentItem() const { return m_items.empty() ? -1 : m_tabs->currentIndex(); }

void LessonQuiz::selectItem(int index) {
  if (index < 0 || index >= count()) return;
  m_tabs->setCurrentIndex(index);
}

QuizItemView* LessonQuiz::currentView() const {
  int index = currentItem();
  return index < 0 ? nullptr : m_items[index].get();
}

QStringList LessonQuiz::predictionOrder() const {
  QStringList order;
  QuizItemView* view = currentView();
  if (!view || !view->predict) return order;
  for (int i = 0; i < view->lines->count(); ++i) order << view->lines->item(i)->data(kLineTextRole).toString();
  return order;
}

void LessonQuiz::setPredictionOrder(const QStringList& lines) {
  QuizItemView* view = currentView();
  if (!view || !view->predict) return;
  QStringList current = predictionOrder();
  QStringList wanted = lines, have = current;
  wanted.sort();
  have.sort();
  if (wanted != have) return;  // not a reordering of this item's lines
  fillLines(view->lines, lines);
  clearMarks(currentItem());
}

void LessonQuiz::moveSelectedLine(int delta) {
  QuizItemView* view = currentView();
  if (!view || !view->predict) return;
  int row = view->lines->currentRow();
  int target = row + delta;
  if (row < 0 || target < 0 || target >= view->lines->count()) return;
  QListWidgetItem* item = view->lines->takeItem(row);
  view->lines->insertItem(target, item);
  view->lines->setCurrentRow(target);
  clearMarks(currentItem());
}

void LessonQuiz::requestRun(int index) {
  QuizItemView& view = *m_items[index];
  selectItem(index);
  m_waitingItem = index;
  view.check->setEnabled(false);
  view.check->setText(tr("Running…"));
  Q_EMIT runRequested(view.snippetPath);
}

void LessonQuiz::gradePrediction(const QStringList& actualStdoutLines, const QString& why, qint64 whyPosition) {
  int index = m_waitingItem >= 0 ? m_waitingItem : currentItem();
  m_waitingItem = -1;
  if (index < 0 || index >= count() || !m_items[index]->predict) return;
  gradeItem(index, actualStdoutLines, why, whyPosition);
}

void LessonQuiz::predictionRunFailed(const QString& sentence) {
  int index = m_waitingItem;
  m_waitingItem = -1;
  if (index < 0 || index >= count()) return;
  QuizItemView& view = *m_items[index];
  view.check->setEnabled(true);
  view.check->setText(tr("Check by running"));
  showGrade(view, tr("The run gave no answer: %1 Fix that and check again.").arg(sentence.toHtmlEscaped()), false);
}

void LessonQuiz::gradeItem(int index, const QStringList& actual, const QString& why, qint64 whyPosition) {
  m_whyPosition = why.isEmpty() ? -1 : whyPosition;
  QuizItemView& view = *m_items[index];
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

void LessonQuiz::chooseOptions(const QList<int>& options) {
  QuizItemView* view = currentView();
  if (!view || view->predict) return;
  QButtonGroup* group = view->options.isEmpty() ? nullptr : view->options.front()->group();
  // An exclusive group refuses to untick its checked button, so it is lifted while resetting.
  bool exclusive = group && group->exclusive();
  if (group) group->setExclusive(false);
  for (int i = 0; i < view->options.size(); ++i) view->options[i]->setChecked(options.contains(i));
  if (group) group->setExclusive(exclusive);
}

void LessonQuiz::checkChoice() {
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
  if (correct) itemPassed(currentItem());
}

void LessonQuiz::clearMarks(int index) {
  if (index < 0 || index >= count()) return;
  QuizItemView& view = *m_items[index];
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

void LessonQuiz::showGrade(QuizItemView& view, const QString& html, bool correct) {
  view.grade->setText(html);
  view.grade->setStyleSheet(gradeStyle(correct));
  view.grade->setVisible(true);
  m_gradeText = QTextDocumentFragment::fromHtml(html).toPlainText();
  Q_EMIT gradeShown(view.grade);
  m_lastGradeCorrect = correct;
}

void LessonQuiz::itemPassed(int index) {
  m_items[index]->passed = true;
  updateTabTitles();
  m_library.markQuizItemPassed(m_lessonId, index);
  bool all = std::all_of(m_items.begin(), m_items.end(), [](const auto& v) { return v->passed; });
  if (all) m_library.advanceProgress(m_lessonId, LessonProgress::QuizPassed);
}

}  // namespace loopscope::ui
