#include "run_trust.h"

#include <fcntl.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <cerrno>
#include <cstring>

#include "lessons/lesson_library.h"

namespace loopscope::ui {

namespace {

const char kTrustedFoldersKey[] = "sandbox/trustedFolders";

QString tr(const char* text) { return QCoreApplication::translate("RunTrust", text); }

// The path with symbolic links resolved when it exists, else cleaned: a trusted folder must not
// be reached through a link that someone else controls, nor a link lead out of it.
QString realPath(const QString& path) {
  const QFileInfo info(path);
  const QString canonical = info.canonicalFilePath();
  return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

bool isSameOrInside(const QString& path, const QString& folder) {
  if (path.isEmpty() || folder.isEmpty()) return false;
  if (folder == QLatin1String("/")) return true;
  return path == folder || path.startsWith(folder + QLatin1Char('/'));
}

QString folderOf(const QString& file) { return QFileInfo(realPath(file)).absolutePath(); }

bool sandboxForcedByEnvironment() { return qEnvironmentVariable("LOOPSCOPE_SANDBOX") == QLatin1String("1"); }

}  // namespace

QString sandboxSummary() {
  return tr("Sandboxed: no network except loopback, no home folder, writes only to a scratch copy");
}

QString TrustDecision::explanation() const {
  switch (reason) {
    case Reason::Shipped: return tr("Shipped with Loopscope: runs without the sandbox.");
    case Reason::TrustedFolder:
      return tr("Runs without the sandbox: you trust %1 (Settings ▸ Trusted folders…).")
          .arg(QDir::toNativeSeparators(trustedFolder));
    case Reason::NotTrusted:
      return tr("Runs in the sandbox: %1 is not a folder you trust. If you wrote or checked this code, "
                "trust the folder to run it with your network and files.")
          .arg(QDir::toNativeSeparators(folderToTrust));
    case Reason::UnsavedText:
      return tr(
          "Runs in the sandbox: unsaved text has no folder you trust. Save it in a trusted folder "
          "to run it without the sandbox.");
    case Reason::ForcedByEnvironment:
      return tr("Runs in the sandbox: LOOPSCOPE_SANDBOX=1 is set, so every run is sandboxed.");
  }
  return {};
}

// --- trusted folders ---

QStringList trustedFolders() {
  QStringList folders = QSettings().value(QLatin1String(kTrustedFoldersKey)).toStringList();
  folders.removeAll(QString());
  folders.removeDuplicates();
  return folders;
}

bool trustFolder(const QString& folder, QString* error) {
  const QFileInfo info(folder);
  if (folder.isEmpty() || !info.isDir()) {
    if (error) *error = tr("Cannot trust '%1': there is no such folder.").arg(folder);
    return false;
  }
  const QString real = realPath(folder);
  if (real == QLatin1String("/")) {
    if (error)
      *error =
          tr("Cannot trust '/': that would run every file on this machine without the sandbox. "
             "Trust the folder that holds your own snippets instead.");
    return false;
  }
  QStringList folders = trustedFolders();
  if (!folders.contains(real)) folders << real;
  folders.sort();
  QSettings().setValue(QLatin1String(kTrustedFoldersKey), folders);
  return true;
}

void stopTrustingFolder(const QString& folder) {
  QStringList folders = trustedFolders();
  folders.removeAll(folder);
  folders.removeAll(realPath(folder));
  QSettings settings;
  if (folders.isEmpty())
    settings.remove(QLatin1String(kTrustedFoldersKey));
  else
    settings.setValue(QLatin1String(kTrustedFoldersKey), folders);
}

QString trustedFolderHolding(const QString& path) {
  if (path.isEmpty()) return {};
  const QString real = realPath(path);
  for (const QString& folder : trustedFolders())
    if (isSameOrInside(real, folder)) return folder;
  return {};
}

// --- what shipped ---

bool isShippedFile(const QString& path) {
  const QString builtIn = LessonLibrary::builtInFolder();
  if (path.isEmpty() || builtIn.isEmpty() || !QFileInfo(builtIn).isDir()) return false;
  return isSameOrInside(realPath(path), realPath(builtIn));
}

bool isBundledDemoText(const QString& text) {
  QFile demo(QStringLiteral(":/snippets/default.js"));
  if (!demo.open(QIODevice::ReadOnly)) return false;  // unknown: treated as not shipped
  return text == QString::fromUtf8(demo.readAll());
}

// --- decisions ---

TrustDecision decideRun(const RunCode& code) {
  TrustDecision d;
  if (!code.file.isEmpty()) d.folderToTrust = folderOf(code.file);
  if (sandboxForcedByEnvironment()) {
    d.reason = TrustDecision::Reason::ForcedByEnvironment;
    return d;
  }
  // Edits to a trusted file are the user's own; edits to shipped code are not what shipped.
  if (!code.file.isEmpty()) {
    if (const QString trusted = trustedFolderHolding(code.file); !trusted.isEmpty()) {
      d.sandboxed = false;
      d.reason = TrustDecision::Reason::TrustedFolder;
      d.trustedFolder = trusted;
      return d;
    }
  }
  if (!code.edited && isShippedFile(code.file)) {
    d.sandboxed = false;
    d.reason = TrustDecision::Reason::Shipped;
    return d;
  }
  // The demo's text, wherever it is (the first-run buffer, engine/demo/demo.js): it needs nothing
  // beside it but Node's own modules, which no folder can replace.
  if (isBundledDemoText(code.text)) {
    d.sandboxed = false;
    d.reason = TrustDecision::Reason::Shipped;
    return d;
  }
  if (code.edited) {
    d.reason = TrustDecision::Reason::UnsavedText;
    // A file with unsaved edits still has a folder the user may trust (the edits then run free).
    return d;
  }
  d.reason = TrustDecision::Reason::NotTrusted;
  return d;
}

TrustDecision decideCheck(const QString& lessonFolder, const QString& learnerFile) {
  TrustDecision d;
  const QString learnerTrusted = trustedFolderHolding(learnerFile);
  const QString lessonTrusted = trustedFolderHolding(lessonFolder);
  const bool lessonOk = isShippedFile(lessonFolder) || !lessonTrusted.isEmpty();
  d.folderToTrust = learnerTrusted.isEmpty() ? folderOf(learnerFile) : lessonOk ? QString() : realPath(lessonFolder);
  if (sandboxForcedByEnvironment()) {
    d.reason = TrustDecision::Reason::ForcedByEnvironment;
    return d;
  }
  if (lessonOk && !learnerTrusted.isEmpty()) {
    d.sandboxed = false;
    d.reason = TrustDecision::Reason::TrustedFolder;
    d.trustedFolder = learnerTrusted;
    return d;
  }
  d.reason = TrustDecision::Reason::NotTrusted;
  return d;
}

QString sandboxFailureSentence(const QString& subject, const QString& engineMessage, bool folderCanBeTrusted) {
  // The engine's sentences (engine/cli/sandbox.cpp) name the cause; the app words the way out
  // for someone at a window rather than at a command line.
  QString cause;
  QString remedy;
  if (engineMessage.contains(QLatin1String("bubblewrap (bwrap) is not installed"))) {
    cause = tr("bubblewrap (bwrap), the program that builds the sandbox, is not installed");
    remedy = tr("Install it (sudo apt-get install bubblewrap) and run again");
  } else if (engineMessage.contains(QLatin1String("LOOPSCOPE_BWRAP names"))) {
    // "... LOOPSCOPE_BWRAP names '/x/y', which is not a program that can be run. Install ...".
    const qsizetype from = engineMessage.indexOf(QLatin1String("LOOPSCOPE_BWRAP names"));
    const qsizetype to = engineMessage.indexOf(QLatin1String("can be run"), from);
    cause = to < 0 ? engineMessage.mid(from) : engineMessage.mid(from, to + qsizetype(sizeof("can be run")) - 1 - from);
    remedy =
        tr("Point LOOPSCOPE_BWRAP at bwrap, or unset it and install bubblewrap (sudo apt-get install "
           "bubblewrap), then run again");
  } else if (engineMessage.contains(QLatin1String("could not set up the sandbox"))) {
    cause =
        tr("bubblewrap could not build the sandbox; unprivileged user namespaces may be switched off on "
           "this machine (sysctl kernel.unprivileged_userns_clone, user.max_user_namespaces)");
    remedy = tr("Ask whoever looks after this machine to allow them, then run again");
  } else if (engineMessage.contains(QLatin1String("holds your home")) ||
             engineMessage.contains(QLatin1String("shared by all")) ||
             engineMessage.contains(QLatin1String("too big to copy"))) {
    QString said = engineMessage;
    if (said.endsWith(QLatin1Char('.'))) said.chop(1);
    cause = tr("its folder cannot be copied into the sandbox (the engine says: %1)").arg(said);
    remedy = tr("Move the snippet into a folder of its own and run it from there");
  } else {
    cause = engineMessage.isEmpty() ? tr("the engine gave no reason") : tr("the engine says: %1").arg(engineMessage);
    if (cause.endsWith(QLatin1Char('.'))) cause.chop(1);
    remedy = tr("Fix that and run again");
  }
  const QString trustWay = folderCanBeTrusted
                               ? tr("you trust this code, choose Run ▸ Trust this snippet's folder… and run it again "
                                    "(it then runs without the sandbox)")
                               : tr("you trust this code, save it in a folder you trust (Settings ▸ Trusted "
                                    "folders…) and run it from there");
  QString sentence = tr("%1 did not run: its sandbox could not be set up, because %2.").arg(subject, cause);
  if (remedy.isEmpty())
    sentence += tr(" If %1.").arg(trustWay);
  else
    sentence += tr(" %1, or, if %2.").arg(remedy, trustWay);
  return sentence + tr(" Nothing ran, and what was recorded before is kept.");
}

// --- the private folder of an unsaved snippet ---

std::shared_ptr<PrivateRunFolder> PrivateRunFolder::create(const QString& fileName, const QByteArray& text,
                                                           QString* error) {
  auto fail = [error](const QString& sentence) {
    if (error) *error = sentence;
    return std::shared_ptr<PrivateRunFolder>();
  };
  QString name = QFileInfo(fileName).fileName();
  if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String("..")) name = QStringLiteral("snippet.js");
  // mkdtemp: a fresh name no other user can predict or take first, and mode 0700.
  QByteArray pattern = QFile::encodeName(QDir(QDir::tempPath()).filePath(QStringLiteral("loopscope-run-XXXXXX")));
  if (!::mkdtemp(pattern.data()))
    return fail(tr("Cannot create a private folder in %1 to run the unsaved snippet from: %2.")
                    .arg(QDir::tempPath(), QString::fromLocal8Bit(std::strerror(errno))));
  const QString folder = QFile::decodeName(pattern);
  std::shared_ptr<PrivateRunFolder> made(new PrivateRunFolder(folder, QDir(folder).filePath(name)));
  // O_EXCL | O_NOFOLLOW: the folder is new and ours, so anything already there is an attack.
  const int fd =
      ::open(QFile::encodeName(made->m_file).constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail(
        tr("Cannot write the snippet to '%1': %2.").arg(made->m_file, QString::fromLocal8Bit(std::strerror(errno))));
  qsizetype written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.constData() + written, size_t(text.size() - written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const QString why = QString::fromLocal8Bit(std::strerror(errno));
      ::close(fd);
      return fail(tr("Cannot write the snippet to '%1': %2.").arg(made->m_file, why));
    }
    written += n;
  }
  ::close(fd);
  return made;
}

PrivateRunFolder::~PrivateRunFolder() {
  // A trusted run may have written more files beside the snippet; they go too. (A sandboxed run
  // wrote into its in-memory copy, which vanished with the sandbox.)
  if (!m_folder.isEmpty()) QDir(m_folder).removeRecursively();
}

}  // namespace loopscope::ui
