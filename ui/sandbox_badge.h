// What the user sees of the sandbox (ui/run_trust.h decides who goes in): a badge in the status
// bar for the run on screen, the question before trusting a folder, and the list of trusted
// folders (Settings ▸ Trusted folders…), where trust is taken back.
//
// GUI thread only.
#pragma once

#include <QString>
#include <QWidget>

#include "run_trust.h"

class QLabel;

namespace loopscope::ui {

// "SANDBOXED  no network except loopback, no home folder, writes only to a scratch copy ·
// Trust this folder…" for a sandboxed run; "NOT SANDBOXED  you trust ~/code" for a trusted one;
// nothing for code that shipped with Loopscope (a classroom's lessons look as they always did).
class SandboxBadge : public QWidget {
  Q_OBJECT
 public:
  explicit SandboxBadge(QWidget* parent = nullptr);

  // The run that is starting (and then shown) was decided so.
  void showDecision(const TrustDecision& decision);
  void clear();
  // Back to what it showed before the last showDecision() (that run never ran: the recording
  // shown before it is back on screen).
  void showPrevious();
  bool showsSandboxed() const { return !isHidden() && m_decision.sandboxed; }
  // The badge's words, as read on screen (for tests and the automation's pictures).
  QString text() const;

 Q_SIGNALS:
  // The user trusted a folder (from the badge's link): the next run goes without the sandbox.
  void folderTrusted(const QString& folder);

 private:
  void onLink(const QString& link);
  void restyle();

  TrustDecision m_decision;
  TrustDecision m_previous;
  bool m_previousShown = false;
  QLabel* m_pill = nullptr;
  QLabel* m_details = nullptr;
  bool m_trustedSince = false;  // the folder was trusted after this run started
};

// Asks before trusting `folder`, saying what trust gives away. Returns true when it was trusted.
bool askToTrustFolder(QWidget* parent, const QString& folder);

// Settings ▸ Trusted folders…: every trusted folder, with Stop trusting and Add folder….
void showTrustedFoldersDialog(QWidget* parent);

}  // namespace loopscope::ui
