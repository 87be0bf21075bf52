#include "lessons/lesson_library.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <algorithm>

#include "trace/install_paths.h"

namespace loopscope::ui {

namespace {
// "## Model answer" on a line of its own (any capitalisation, trailing spaces allowed).
const QRegularExpression& modelAnswerHeading() {
  static const QRegularExpression heading(
      QStringLiteral("^##[ \\t]+model answer[ \\t]*$"),
      QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
  return heading;
}
}  // namespace

bool hasModelAnswer(const QString& markdown) { return modelAnswerHeading().match(markdown).hasMatch(); }

QString withModelAnswerFolded(const QString& markdown) {
  const QRegularExpressionMatch heading = modelAnswerHeading().match(markdown);
  if (!heading.hasMatch()) return markdown;
  static const QRegularExpression nextSection(QStringLiteral("^##[ \\t]"), QRegularExpression::MultilineOption);
  const QRegularExpressionMatch next = nextSection.match(markdown, heading.capturedEnd());
  const qsizetype end = next.hasMatch() ? next.capturedStart() : markdown.size();
  return markdown.left(heading.capturedEnd()) +
         QObject::tr(
             "\n\nAnswer the question yourself first, aloud or on paper, as you would in the "
             "interview. Then [show the model answer](%1) and compare.\n\n")
             .arg(QString::fromLatin1(kRevealModelAnswerUrl)) +
         markdown.mid(end);
}

namespace {

const char kUserFolderKey[] = "lessons/userFolder";
const char kProgressGroup[] = "lessons/progress";
const char kQuizGroup[] = "lessons/quizPassed";

QString fromStd(const std::string& text) { return QString::fromStdString(text); }

int trackIndex(const std::string& track) {
  const auto& all = lessons::tracks();
  auto it = std::find(all.begin(), all.end(), track);
  return it == all.end() ? int(all.size()) : int(it - all.begin());
}

// A teacher may point the setting at a single lesson folder instead of a folder of lessons.
bool isLessonFolder(const QString& folder) {
  return QFileInfo::exists(QDir(folder).filePath(QStringLiteral("lesson.md")));
}

}  // namespace

QString progressName(LessonProgress progress) {
  switch (progress) {
    case LessonProgress::NotStarted: return QStringLiteral("not started");
    case LessonProgress::Opened: return QStringLiteral("opened");
    case LessonProgress::QuizPassed: return QStringLiteral("quiz passed");
    case LessonProgress::ExercisePassed: return QStringLiteral("exercise passed");
  }
  return QStringLiteral("not started");
}

LessonProgress progressFromName(const QString& name) {
  for (auto p : {LessonProgress::Opened, LessonProgress::QuizPassed, LessonProgress::ExercisePassed})
    if (name == progressName(p)) return p;
  return LessonProgress::NotStarted;
}

LessonLibrary::LessonLibrary(QObject* parent) : QObject(parent) { reload(); }

QString LessonLibrary::builtInFolder() {
  QString fromEnvironment = qEnvironmentVariable("LOOPSCOPE_LESSONS");
  if (!fromEnvironment.isEmpty()) return fromEnvironment;
  return QString::fromStdString(loopscope::lessonsDir());
}

QString LessonLibrary::userFolder() { return QSettings().value(QLatin1String(kUserFolderKey)).toString(); }

void LessonLibrary::setUserFolder(const QString& folder) {
  QSettings settings;
  if (folder.isEmpty())
    settings.remove(QLatin1String(kUserFolderKey));
  else
    settings.setValue(QLatin1String(kUserFolderKey), QDir::cleanPath(folder));
}

QString LessonLibrary::chooseUserLessonFolder(QWidget* parent) {
  QString start = userFolder();
  if (start.isEmpty()) start = QDir::homePath();
  QString folder = QFileDialog::getExistingDirectory(
      parent, tr("Your lessons folder (one NN-slug folder per lesson, see lessons/README.md)"), start);
  if (folder.isEmpty()) return {};
  setUserFolder(folder);
  return QDir::cleanPath(folder);
}

void LessonLibrary::setFolders(const QString& builtInFolder, const QString& userFolder) {
  m_foldersFixed = true;
  m_builtInFolder = builtInFolder;
  m_userFolder = userFolder;
  reload();
}

void LessonLibrary::reload() {
  if (!m_foldersFixed) {
    m_builtInFolder = builtInFolder();
    m_userFolder = userFolder();
  }
  m_lessons.clear();
  m_userLessonIds.clear();
  m_folderProblems.clear();

  if (!m_builtInFolder.isEmpty()) {
    if (QFileInfo(m_builtInFolder).isDir())
      m_lessons = lessons::loadLessons(m_builtInFolder.toStdString());
    else
      m_folderProblems << tr("The built-in lessons folder %1 does not exist; set LOOPSCOPE_LESSONS "
                             "to the lessons/ folder of the Loopscope sources.")
                              .arg(QDir::toNativeSeparators(m_builtInFolder));
  }

  if (!m_userFolder.isEmpty()) {
    if (!QFileInfo(m_userFolder).isDir()) {
      m_folderProblems << tr("Your lessons folder %1 does not exist; choose another one in "
                             "Settings ▸ Lessons folder…")
                              .arg(QDir::toNativeSeparators(m_userFolder));
    } else {
      std::vector<lessons::Lesson> own = isLessonFolder(m_userFolder)
                                             ? std::vector{lessons::loadLesson(m_userFolder.toStdString())}
                                             : lessons::loadLessons(m_userFolder.toStdString());
      if (own.empty())
        m_folderProblems << tr("Your lessons folder %1 holds no lesson folders (named like "
                               "01-my-lesson, each with a lesson.md).")
                                .arg(QDir::toNativeSeparators(m_userFolder));
      for (auto& lesson : own) {
        // Same id as a built-in lesson: the teacher's version replaces it, so a class can use an
        // adapted lesson without editing the app's copy.
        auto same = std::find_if(m_lessons.begin(), m_lessons.end(),
                                 [&](const lessons::Lesson& l) { return l.id == lesson.id; });
        m_userLessonIds << fromStd(lesson.id);
        if (same != m_lessons.end())
          *same = std::move(lesson);
        else
          m_lessons.push_back(std::move(lesson));
      }
    }
  }

  std::stable_sort(m_lessons.begin(), m_lessons.end(), [](const lessons::Lesson& a, const lessons::Lesson& b) {
    int ta = trackIndex(a.track), tb = trackIndex(b.track);
    if (ta != tb) return ta < tb;
    if (a.order != b.order) return a.order < b.order;
    return a.id < b.id;
  });
  Q_EMIT lessonsChanged();
}

const lessons::Lesson* LessonLibrary::find(const QString& id) const {
  std::string wanted = id.toStdString();
  for (const auto& lesson : m_lessons)
    if (lesson.id == wanted) return &lesson;
  return nullptr;
}

const lessons::Lesson* LessonLibrary::resolve(const QString& idOrNumber) const {
  if (const auto* exact = find(idOrNumber)) return exact;
  static const QRegularExpression number(QStringLiteral("^[0-9]+$"));
  if (!number.match(idOrNumber).hasMatch()) return nullptr;
  const lessons::Lesson* found = nullptr;
  for (const auto& lesson : m_lessons) {
    QString id = fromStd(lesson.id);
    QString digits = id.section(QLatin1Char('-'), 0, 0);
    if (digits.toInt() != idOrNumber.toInt()) continue;
    if (found) return nullptr;  // two lessons share a number (a user folder): be explicit
    found = &lesson;
  }
  return found;
}

const lessons::Snippet* LessonLibrary::findSnippet(const QString& path, const lessons::Lesson** lesson) const {
  QString wanted = QFileInfo(path).absoluteFilePath();
  for (const auto& l : m_lessons)
    for (const auto& snippet : l.snippets)
      if (QFileInfo(fromStd(snippet.path)).absoluteFilePath() == wanted) {
        if (lesson) *lesson = &l;
        return &snippet;
      }
  return nullptr;
}

bool LessonLibrary::isUserLesson(const QString& id) const { return m_userLessonIds.contains(id); }

LessonProgress LessonLibrary::progress(const QString& id) const {
  return progressFromName(QSettings().value(QStringLiteral("%1/%2").arg(QLatin1String(kProgressGroup), id)).toString());
}

void LessonLibrary::setProgress(const QString& id, LessonProgress progress) {
  QSettings settings;
  QString key = QStringLiteral("%1/%2").arg(QLatin1String(kProgressGroup), id);
  if (progress == LessonProgress::NotStarted)
    settings.remove(key);
  else
    settings.setValue(key, progressName(progress));
  Q_EMIT progressChanged(id);
}

void LessonLibrary::advanceProgress(const QString& id, LessonProgress progress) {
  if (progress > this->progress(id)) setProgress(id, progress);
}

QList<int> LessonLibrary::passedQuizItems(const QString& id) const {
  QList<int> passed;
  const QStringList stored =
      QSettings().value(QStringLiteral("%1/%2").arg(QLatin1String(kQuizGroup), id)).toStringList();
  for (const QString& index : stored) passed << index.toInt();
  return passed;
}

void LessonLibrary::markQuizItemPassed(const QString& id, int index) {
  QList<int> passed = passedQuizItems(id);
  if (passed.contains(index)) return;
  passed << index;
  std::sort(passed.begin(), passed.end());
  QStringList stored;
  for (int i : passed) stored << QString::number(i);
  QSettings().setValue(QStringLiteral("%1/%2").arg(QLatin1String(kQuizGroup), id), stored);
  Q_EMIT progressChanged(id);
}

void LessonLibrary::resetProgress() {
  QSettings settings;
  settings.remove(QLatin1String(kProgressGroup));
  settings.remove(QLatin1String(kQuizGroup));
  for (const auto& lesson : m_lessons) Q_EMIT progressChanged(fromStd(lesson.id));
}

QString lessonSnippetForAutomation(const LessonLibrary& library, const QString& id, QString* error) {
  const lessons::Lesson* lesson = library.resolve(id);
  if (!lesson) {
    QStringList known;
    for (const auto& l : library.lessons()) known << fromStd(l.id);
    std::sort(known.begin(), known.end());
    if (error)
      *error = known.isEmpty()
                   ? QStringLiteral("no lesson '%1'; no lessons were found in %2 (set LOOPSCOPE_LESSONS)")
                         .arg(id, QDir::toNativeSeparators(LessonLibrary::builtInFolder()))
                   : QStringLiteral("no lesson '%1'; known lessons: %2").arg(id, known.join(QStringLiteral(", ")));
    return {};
  }
  if (lesson->snippets.empty()) {
    if (error)
      *error = QStringLiteral("lesson '%1' has no snippet to run%2")
                   .arg(fromStd(lesson->id),
                        lesson->exercise ? QStringLiteral(" (it is an exercise: open it in the app)") : QString());
    return {};
  }
  return fromStd(lesson->snippets.front().path);
}

QStringList snippetRunOptions(const lessons::Snippet& snippet) {
  QStringList options;
  for (const auto& option : snippet.options) options << fromStd(option);
  return options;
}

QStringList snippetProgramArguments(const lessons::Snippet& snippet) {
  QStringList args;
  for (const auto& arg : snippet.args) args << fromStd(arg);
  return args;
}

int snippetThreadpoolSize(const lessons::Snippet& snippet, int fallback) {
  const auto& options = snippet.options;
  for (size_t i = 0; i + 1 < options.size(); ++i)
    if (options[i] == "--threadpool-size") {
      bool ok = false;
      int size = QString::fromStdString(options[i + 1]).toInt(&ok);
      if (ok) return size;
    }
  return fallback;
}

}  // namespace loopscope::ui
