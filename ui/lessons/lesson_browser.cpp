#include "lessons/lesson_browser.h"

#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QVBoxLayout>
#include <algorithm>

#include "lessons/lesson_library.h"

namespace loopscope::ui {

namespace {

constexpr int kIdRole = Qt::UserRole;
constexpr int kSearchTextRole = Qt::UserRole + 1;

QString fromStd(const std::string& text) { return QString::fromStdString(text); }

// "02-nexttick-…" -> "2": the number a teacher says aloud.
QString lessonNumber(const lessons::Lesson& lesson) {
  QString digits = fromStd(lesson.id).section(QLatin1Char('-'), 0, 0);
  bool ok = false;
  int number = digits.toInt(&ok);
  return ok ? QString::number(number) : QString();
}

// What "done" means depends on the lesson: an exercise is done when its checker passed, a lesson
// with a quiz when every item was answered right, an interview question once its model answer
// was revealed (after answering; opening it is not answering it), any other lesson once read.
bool isComplete(const lessons::Lesson& lesson, LessonProgress progress) {
  if (lesson.exercise) return progress >= LessonProgress::ExercisePassed;
  if (!lesson.quiz.empty() || hasModelAnswer(fromStd(lesson.text))) return progress >= LessonProgress::QuizPassed;
  return progress >= LessonProgress::Opened;
}

// Progress marks drawn rather than loaded, so they follow the palette and stay crisp when the
// classroom presentation mode enlarges the font.
QIcon progressIcon(bool complete, LessonProgress progress, const QPalette& palette) {
  const int side = 64;
  QPixmap pixmap(side, side);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  QRectF circle(8, 8, side - 16, side - 16);
  QColor green(46, 160, 67);
  if (complete) {
    p.setPen(Qt::NoPen);
    p.setBrush(green);
    p.drawEllipse(circle);
    QPainterPath tick;
    tick.moveTo(19, 33);
    tick.lineTo(28, 42);
    tick.lineTo(45, 23);
    p.setPen(QPen(Qt::white, 6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    p.drawPath(tick);
  } else {
    QColor ring = palette.color(QPalette::PlaceholderText);
    p.setPen(QPen(ring, 4));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(circle.adjusted(2, 2, -2, -2));
    if (progress >= LessonProgress::Opened) {
      // Started but not finished: the left half filled, like a half-read page.
      QPainterPath half;
      half.moveTo(circle.center());
      half.arcTo(circle.adjusted(2, 2, -2, -2), 90, 180);
      half.closeSubpath();
      p.setPen(Qt::NoPen);
      p.setBrush(progress >= LessonProgress::QuizPassed ? green : ring);
      p.drawPath(half);
    }
  }
  return QIcon(pixmap);
}

QString progressSentence(const lessons::Lesson& lesson, LessonProgress progress) {
  if (isComplete(lesson, progress))
    return lesson.exercise       ? QObject::tr("Done: the checker passed your solution")
           : lesson.quiz.empty() ? QObject::tr("Done: read")
                                 : QObject::tr("Done: every quiz question answered right");
  switch (progress) {
    case LessonProgress::NotStarted: return QObject::tr("Not started");
    case LessonProgress::Opened:
      return lesson.quiz.empty() && !lesson.exercise ? QObject::tr("Read")
                                                     : QObject::tr("Opened; the quiz or exercise is still to do");
    default: return QObject::tr("Quiz passed; the exercise is still to do");
  }
}

}  // namespace

LessonBrowser::LessonBrowser(LessonLibrary& library, QWidget* parent) : QWidget(parent), m_library(library) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);

  m_filter = new QLineEdit(this);
  m_filter->setPlaceholderText(tr("Filter lessons by title or topic…"));
  m_filter->setClearButtonEnabled(true);
  layout->addWidget(m_filter);

  m_message = new QLabel(this);
  m_message->setWordWrap(true);
  m_message->setVisible(false);
  layout->addWidget(m_message);

  m_tree = new QTreeWidget(this);
  m_tree->setHeaderHidden(true);
  m_tree->setColumnCount(1);
  m_tree->setRootIsDecorated(true);
  m_tree->setUniformRowHeights(true);
  m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
  m_tree->setAccessibleName(tr("Lessons"));
  layout->addWidget(m_tree, 1);

  connect(m_filter, &QLineEdit::textChanged, this, &LessonBrowser::applyFilter);
  auto open = [this](QTreeWidgetItem* item) {
    if (!item) return;
    QString id = item->data(0, kIdRole).toString();
    if (!id.isEmpty()) Q_EMIT lessonOpened(id);
  };
  // A click opens a lesson (that is what a list of lessons is for); Enter does too, for keyboards.
  connect(m_tree, &QTreeWidget::itemClicked, this, open);
  connect(m_tree, &QTreeWidget::itemActivated, this, open);
  connect(m_tree, &QWidget::customContextMenuRequested, this, &LessonBrowser::showContextMenu);
  connect(&m_library, &LessonLibrary::lessonsChanged, this, &LessonBrowser::rebuild);
  connect(&m_library, &LessonLibrary::progressChanged, this, &LessonBrowser::refreshProgress);
  rebuild();
}

void LessonBrowser::rebuild() {
  QString selected = selectedLessonId();
  m_tree->clear();
  int fontHeight = fontMetrics().height();
  m_tree->setIconSize(QSize(fontHeight, fontHeight));

  QStringList trackNames;
  for (const auto& track : lessons::tracks()) trackNames << fromStd(track);
  QList<QTreeWidgetItem*> trackItems;
  for (const QString& name : trackNames) {
    auto* item = new QTreeWidgetItem(m_tree, {name});
    item->setFlags(Qt::ItemIsEnabled);
    trackItems << item;
  }
  QTreeWidgetItem* otherTrack = nullptr;  // lessons whose track is missing or misspelt

  for (const auto& lesson : m_library.lessons()) {
    qsizetype index = trackNames.indexOf(fromStd(lesson.track));
    QTreeWidgetItem* parent = nullptr;
    if (index >= 0) {
      parent = trackItems[index];
    } else {
      if (!otherTrack) {
        otherTrack = new QTreeWidgetItem(m_tree, {tr("Lessons with an unknown track")});
        otherTrack->setFlags(Qt::ItemIsEnabled);
        trackItems << otherTrack;
      }
      parent = otherTrack;
    }
    auto* item = new QTreeWidgetItem(parent);
    item->setData(0, kIdRole, fromStd(lesson.id));
    QStringList search{fromStd(lesson.title), fromStd(lesson.id), fromStd(lesson.track)};
    for (const auto& tag : lesson.covers)
      search << fromStd(tag) << fromStd(tag).replace(QLatin1Char('-'), QLatin1Char(' '));
    item->setData(0, kSearchTextRole, search.join(QLatin1Char('\n')));
    decorateLesson(item);
  }

  for (QTreeWidgetItem* track : trackItems) {
    QFont bold = track->font(0);
    bold.setBold(true);
    track->setFont(0, bold);
  }
  // A teacher's own folder may add a track's first lesson; empty built-in tracks stay listed so
  // the curriculum's shape is visible, but only if the library has lessons at all.
  m_tree->expandAll();

  QStringList problems = m_library.folderProblems();
  m_message->setText(problems.join(QLatin1Char('\n')));
  m_message->setVisible(!problems.isEmpty());
  applyFilter();
  if (!selected.isEmpty()) selectLesson(selected);
}

void LessonBrowser::decorateLesson(QTreeWidgetItem* item) {
  QString id = item->data(0, kIdRole).toString();
  const lessons::Lesson* lesson = m_library.find(id);
  if (!lesson) return;
  LessonProgress progress = m_library.progress(id);
  bool complete = isComplete(*lesson, progress);

  QString title = lesson->title.empty() ? id : fromStd(lesson->title);
  QString number = lessonNumber(*lesson);
  item->setText(0, number.isEmpty() ? title : QStringLiteral("%1 · %2").arg(number, title));

  QStringList tip;
  tip << QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped());
  tip << tr("Lesson %1").arg(id.toHtmlEscaped());
  if (!lesson->covers.empty()) {
    QStringList tags;
    for (const auto& tag : lesson->covers) tags << fromStd(tag);
    tip << tr("Topics: %1").arg(tags.join(QStringLiteral(", ")).toHtmlEscaped());
  }
  if (m_library.isUserLesson(id)) tip << tr("From your lessons folder");
  tip << progressSentence(*lesson, progress);
  if (!lesson->problems.empty()) {
    item->setIcon(0, style()->standardIcon(QStyle::SP_MessageBoxWarning));
    tip << QStringLiteral("<br><b>%1</b>").arg(tr("This lesson has problems:"));
    for (const auto& problem : lesson->problems) tip << QStringLiteral("• %1").arg(fromStd(problem).toHtmlEscaped());
  } else {
    item->setIcon(0, progressIcon(complete, progress, palette()));
  }
  item->setToolTip(0, tip.join(QStringLiteral("<br>")));

  // The track's heading counts what is done, so a learner sees how far they got at a glance.
  if (QTreeWidgetItem* track = item->parent()) {
    int done = 0;
    for (int i = 0; i < track->childCount(); ++i) {
      const lessons::Lesson* sibling = m_library.find(track->child(i)->data(0, kIdRole).toString());
      if (sibling && isComplete(*sibling, m_library.progress(fromStd(sibling->id)))) ++done;
    }
    QString name = track->data(0, kSearchTextRole).toString();
    if (name.isEmpty()) {
      name = track->text(0);
      track->setData(0, kSearchTextRole, name);
    }
    track->setText(0, tr("%1  (%2/%3)").arg(name).arg(done).arg(track->childCount()));
  }
}

void LessonBrowser::refreshProgress(const QString& id) {
  for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
    if ((*it)->data(0, kIdRole).toString() == id) decorateLesson(*it);
}

void LessonBrowser::applyFilter() {
  const QStringList words = m_filter->text().simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
  int shown = 0;
  for (int t = 0; t < m_tree->topLevelItemCount(); ++t) {
    QTreeWidgetItem* track = m_tree->topLevelItem(t);
    int shownInTrack = 0;
    for (int i = 0; i < track->childCount(); ++i) {
      QTreeWidgetItem* item = track->child(i);
      QString haystack = item->data(0, kSearchTextRole).toString();
      // Every word must match somewhere: "thread pool size" narrows, it does not widen.
      bool match = std::all_of(words.begin(), words.end(),
                               [&](const QString& word) { return haystack.contains(word, Qt::CaseInsensitive); });
      item->setHidden(!match);
      shownInTrack += match ? 1 : 0;
    }
    track->setHidden(!words.isEmpty() && shownInTrack == 0);
    shown += shownInTrack;
  }
  if (m_library.folderProblems().isEmpty()) {
    bool nothing = shown == 0 && !words.isEmpty();
    m_message->setText(nothing ? tr("No lesson matches “%1”.").arg(m_filter->text()) : QString());
    m_message->setVisible(nothing);
  }
}

int LessonBrowser::visibleLessonCount() const {
  int count = 0;
  for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
    if (!(*it)->data(0, kIdRole).toString().isEmpty() && !(*it)->isHidden()) ++count;
  return count;
}

void LessonBrowser::selectLesson(const QString& id) {
  for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
    if ((*it)->data(0, kIdRole).toString() == id) {
      m_tree->setCurrentItem(*it);
      m_tree->scrollToItem(*it);
      return;
    }
}

QString LessonBrowser::selectedLessonId() const {
  QTreeWidgetItem* item = m_tree->currentItem();
  return item ? item->data(0, kIdRole).toString() : QString();
}

void LessonBrowser::setFilterText(const QString& text) { m_filter->setText(text); }

void LessonBrowser::showContextMenu(const QPoint& position) {
  QMenu menu(this);
  QTreeWidgetItem* item = m_tree->itemAt(position);
  QString id = item ? item->data(0, kIdRole).toString() : QString();
  if (!id.isEmpty()) {
    menu.addAction(tr("Open"), this, [this, id] { Q_EMIT lessonOpened(id); });
    menu.addAction(tr("Mark as not started"), this,
                   [this, id] { m_library.setProgress(id, LessonProgress::NotStarted); });
    menu.addSeparator();
  }
  menu.addAction(tr("Reload lessons"), this, [this] { m_library.reload(); });
  menu.addAction(tr("Forget all progress…"), this, [this] {
    if (QMessageBox::question(this, tr("Forget all progress"),
                              tr("Mark every lesson as not started and forget quiz answers?")) == QMessageBox::Yes)
      m_library.resetProgress();
  });
  menu.exec(m_tree->viewport()->mapToGlobal(position));
}

}  // namespace loopscope::ui
