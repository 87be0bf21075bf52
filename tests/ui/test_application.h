// The one QApplication of the GUI test program, shared by every test file.
#pragma once

#include <QApplication>
#include <QSettings>
#include <QString>
#include <QTemporaryDir>

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

}  // namespace loopscope::test
