// The one QApplication of the GUI test program, shared by every test file.
#pragma once

#include <QApplication>

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

}  // namespace loopscope::test
