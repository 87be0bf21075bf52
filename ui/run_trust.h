// Which runs the app walls off in the engine's sandbox (`loopscope-engine --sandbox`,
// docs/sandbox.md), the folders the user trusts, and the private folder an unsaved snippet runs
// from.
//
// The rule, in the words docs/sandbox.md uses for users:
//   * code that shipped with Loopscope, unchanged, runs as it always did: the built-in lessons
//     (LessonLibrary::builtInFolder()) and the bundled demo (the first-run snippet);
//   * so does code in a folder the user trusts (QSettings "sandbox/trustedFolders"), saved or
//     with unsaved edits;
//   * everything else runs sandboxed: a snippet opened from any other folder (Downloads, a shared
//     trace's snippet, a teacher's lessons folder), a new unsaved snippet, an edited copy of a
//     built-in snippet, and a lesson's checker running the learner's own file.
// LOOPSCOPE_SANDBOX=1 in the environment sandboxes every run, shipped code included.
//
// GUI thread only (QSettings).
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace loopscope::ui {

// The engine's exit code when the sandbox could not be set up (engine/cli/sandbox.cpp); the
// program did not run then.
inline constexpr int kSandboxFailedExitCode = 125;

// What the window is about to run.
struct RunCode {
  QString file;         // the saved file the editor shows ("" = none)
  bool edited = false;  // the editor's text is not that file's (always true without a file)
  QString text;         // the editor's text
};

struct TrustDecision {
  enum class Reason {
    Shipped,              // a built-in lesson or the bundled demo, unchanged
    TrustedFolder,        // lies in a folder the user trusts
    NotTrusted,           // a file in a folder nobody trusted
    UnsavedText,          // a new snippet, or an edited copy of shipped code: no folder to trust
    ForcedByEnvironment,  // LOOPSCOPE_SANDBOX=1
  };
  bool sandboxed = true;
  Reason reason = Reason::NotTrusted;
  // The folder "Trust this folder" would trust ("" when there is none, e.g. unsaved text).
  QString folderToTrust;
  // TrustedFolder: the trusted folder that holds the code.
  QString trustedFolder;
  // One sentence for a tooltip or the status bar: why the run is (not) sandboxed.
  QString explanation() const;
};

// What a sandboxed run may do, in one line for the badge.
QString sandboxSummary();

// --- trusted folders (QSettings "sandbox/trustedFolders": canonical paths) ---
QStringList trustedFolders();
// Remembers `folder` (made canonical). Returns false with one sentence for a folder that does not
// exist, or for "/", which would trust every file on the machine.
bool trustFolder(const QString& folder, QString* error = nullptr);
void stopTrustingFolder(const QString& folder);
// The trusted folder that holds `path` (a file or folder; symbolic links resolved), or "".
QString trustedFolderHolding(const QString& path);

// --- what shipped with Loopscope ---
// Whether `path` lies in the built-in lessons folder.
bool isShippedFile(const QString& path);
// Whether `text` is the bundled demo (resources: snippets/default.js), byte for byte.
bool isBundledDemoText(const QString& text);

// --- decisions ---
TrustDecision decideRun(const RunCode& code);
// A lesson's checker runs check.js from `lessonFolder` on the learner's file: unsandboxed only
// when both the lesson (shipped or trusted) and the learner's file (trusted) are.
TrustDecision decideCheck(const QString& lessonFolder, const QString& learnerFile);

// The plain sentence for a run the sandbox could not start (engine exit 125): what failed, in
// words drawn from the engine's own message, and what to do. `subject` is "The snippet" or "The
// checker"; `folderCanBeTrusted` says whether "trust this folder" is a way out (not for unsaved
// text, which has no folder of its own).
QString sandboxFailureSentence(const QString& subject, const QString& engineMessage, bool folderCanBeTrusted);

// A folder only this user can enter (mkdtemp: mode 0700, an unpredictable name in the temporary
// folder), holding one file: the editor's text, run from there. Removed with everything in it
// when the last owner lets go (the run, or the Run ×N dialog, has ended).
class PrivateRunFolder {
 public:
  // `fileName` is the snippet's name (any folders in it are dropped). nullptr with one sentence
  // in `error` when the folder or the file cannot be made.
  static std::shared_ptr<PrivateRunFolder> create(const QString& fileName, const QByteArray& text, QString* error);
  ~PrivateRunFolder();
  PrivateRunFolder(const PrivateRunFolder&) = delete;
  PrivateRunFolder& operator=(const PrivateRunFolder&) = delete;

  QString folder() const { return m_folder; }
  QString file() const { return m_file; }

 private:
  PrivateRunFolder(QString folder, QString file) : m_folder(std::move(folder)), m_file(std::move(file)) {}
  QString m_folder;
  QString m_file;
};

}  // namespace loopscope::ui
