// The one QApplication of the GUI test program, shared by every test file.
#pragma once

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QKeySequence>
#include <QProcess>
#include <QStringList>
#include <QSettings>
#include <QString>
#include <QTemporaryDir>

#include <string>

namespace loopscope::test {

// Created on first use, on the offscreen platform unless QT_QPA_PLATFORM says otherwise, and
// never destroyed: static destruction after main() would race Qt's own clean-up.
inline QApplication& testApplication() {
  if (auto* existing = qobject_cast<QApplication*>(QCoreApplication::instance())) return *existing;
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  static int argc = 1;
  static char name[] = "loopscope-ui-tests";
  static char* argv[] = {name, nullptr};
  return *new QApplication(argc, argv);
}

// Where tests leave screenshots for people to look at (build/test-artifacts).
inline QString artifactPath(const QString& name) {
  QDir().mkpath(QStringLiteral(LOOPSCOPE_TEST_ARTIFACTS));
  return QDir(QStringLiteral(LOOPSCOPE_TEST_ARTIFACTS)).filePath(name);
}

// Runs the real `loopscope` program with `arguments` and returns how it ended; the picture it
// was asked for is then at `png`.
struct AppRun {
  bool finished = false;
  bool normalExit = false;
  int exitCode = -1;
  std::string stderrText;
  QImage picture;
};
inline AppRun runApp(const QStringList& arguments, const QString& png) {
  QProcess app;
  app.start(QStringLiteral(LOOPSCOPE_APP), arguments);
  AppRun run;
  run.finished = app.waitForFinished(60000);
  run.normalExit = app.exitStatus() == QProcess::NormalExit;
  run.exitCode = app.exitCode();
  run.stderrText = app.readAllStandardError().toStdString();
  run.picture = QImage(png);
  return run;
}

// Empty settings in a temporary folder for as long as it lives, so that a test never reads or
// touches the user's own settings (lesson progress, lesson folder, window state).
class IsolatedSettings {
 public:
  explicit IsolatedSettings(const QString& name)
      : m_savedOrganization(QCoreApplication::organizationName()),
        m_savedApplication(QCoreApplication::applicationName()) {
    QCoreApplication::setOrganizationName(name);
    QCoreApplication::setApplicationName(name);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    QSettings().setValue(QStringLiteral("lessons/exerciseFolder"), m_dir.filePath(QStringLiteral("exercises")));
  }
  ~IsolatedSettings() {
    QSettings().clear();
    QCoreApplication::setOrganizationName(m_savedOrganization);
    QCoreApplication::setApplicationName(m_savedApplication);
  }
  bool isValid() const { return m_dir.isValid(); }
  QString path() const { return m_dir.path(); }
  QString filePath(const QString& name) const { return m_dir.filePath(name); }

 private:
  QTemporaryDir m_dir;
  QString m_savedOrganization, m_savedApplication;
};

// The window's action bound to `key`, as a user's key press would find it.
template <typename Window>
QAction* actionFor(Window& window, const QKeySequence& key) {
  for (QAction* action : window.actions())
    if (action->shortcuts().contains(key)) return action;
  return nullptr;
}

}  // namespace loopscope::test
