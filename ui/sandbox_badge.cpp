#include "sandbox_badge.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

namespace loopscope::ui {

namespace {

// The home folder as "~", so a long path still fits the status bar.
QString shortPath(const QString& path) {
  const QString home = QDir::homePath();
  QString shown = QDir::toNativeSeparators(path);
  if (!home.isEmpty() && (path == home || path.startsWith(home + QLatin1Char('/'))))
    shown = QStringLiteral("~") + QDir::toNativeSeparators(path.mid(home.size()));
  return shown;
}

}  // namespace

SandboxBadge::SandboxBadge(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("SandboxBadge"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 0, 8, 0);
  layout->setSpacing(6);
  m_pill = new QLabel;
  m_pill->setObjectName(QStringLiteral("SandboxPill"));
  m_details = new QLabel;
  m_details->setObjectName(QStringLiteral("SandboxDetails"));
  m_details->setTextFormat(Qt::RichText);
  m_details->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
  connect(m_details, &QLabel::linkActivated, this, &SandboxBadge::onLink);
  layout->addWidget(m_pill);
  layout->addWidget(m_details);
  hide();
}

void SandboxBadge::showDecision(const TrustDecision& decision) {
  m_previous = m_decision;
  m_previousShown = !isHidden();
  m_decision = decision;
  m_trustedSince = false;
  if (!decision.sandboxed && decision.reason == TrustDecision::Reason::Shipped) {
    clear();
    return;
  }
  restyle();
  show();
}

void SandboxBadge::showPrevious() {
  if (m_previousShown)
    showDecision(m_previous);
  else
    clear();
}

void SandboxBadge::clear() {
  m_decision = TrustDecision{};
  m_decision.sandboxed = false;
  m_decision.reason = TrustDecision::Reason::Shipped;
  m_pill->clear();
  m_details->clear();
  hide();
}

QString SandboxBadge::text() const {
  if (isHidden()) return {};
  return m_pill->text() + QLatin1String("  ") + QTextDocumentFragment::fromHtml(m_details->text()).toPlainText();
}

void SandboxBadge::restyle() {
  const QString link = QStringLiteral("<a href=\"%1\">%2</a>");
  QString details;
  QString pillColour;
  if (m_decision.sandboxed) {
    m_pill->setText(tr("SANDBOXED"));
    pillColour = QStringLiteral("#1d6fa5");
    // The summary starts "Sandboxed: ..."; the pill already says it.
    QString summary = sandboxSummary();
    summary = summary.mid(summary.indexOf(QLatin1Char(':')) + 1).trimmed();
    details = summary.toHtmlEscaped();
    if (m_trustedSince)
      details += tr(" · <b>folder trusted</b>: the next run goes without the sandbox");
    else if (!m_decision.folderToTrust.isEmpty() && m_decision.reason != TrustDecision::Reason::ForcedByEnvironment)
      details += QStringLiteral(" · ") + link.arg(QStringLiteral("trust"), tr("Trust this folder…"));
    else if (m_decision.reason == TrustDecision::Reason::ForcedByEnvironment)
      details += tr(" · LOOPSCOPE_SANDBOX=1");
  } else {
    m_pill->setText(tr("NOT SANDBOXED"));
    pillColour = QStringLiteral("#9a5b00");
    details = tr("you trust %1").arg(shortPath(m_decision.trustedFolder).toHtmlEscaped()) + QStringLiteral(" · ") +
              link.arg(QStringLiteral("manage"), tr("Trusted folders…"));
  }
  m_pill->setStyleSheet(QStringLiteral("#SandboxPill { background: %1; color: white; font-weight: bold; "
                                       "border-radius: 3px; padding: 1px 6px; }")
                            .arg(pillColour));
  m_details->setText(details);
  const QString why = m_decision.explanation();
  setToolTip(m_decision.sandboxed ? sandboxSummary() + QStringLiteral(".\n") + why +
                                        tr("\nSee docs/sandbox.md for every wall and what gets through.")
                                  : why);
}

void SandboxBadge::onLink(const QString& link) {
  if (link == QLatin1String("manage")) {
    showTrustedFoldersDialog(window());
    return;
  }
  if (link == QLatin1String("trust") && askToTrustFolder(window(), m_decision.folderToTrust)) {
    m_trustedSince = true;
    restyle();
    Q_EMIT folderTrusted(m_decision.folderToTrust);
  }
}

bool askToTrustFolder(QWidget* parent, const QString& folder) {
  if (folder.isEmpty()) {
    QMessageBox::information(parent, QObject::tr("Trust this folder"),
                             QObject::tr("This snippet is not saved, so it has no folder to trust. Save it in a "
                                         "folder of your own first (Ctrl+S)."));
    return false;
  }
  QMessageBox box(QMessageBox::Question, QObject::tr("Trust this folder?"),
                  QObject::tr("Run the snippets in <b>%1</b> (and its sub-folders) without the sandbox?")
                      .arg(QDir::toNativeSeparators(folder).toHtmlEscaped()),
                  QMessageBox::NoButton, parent);
  box.setInformativeText(
      QObject::tr("Without the sandbox a snippet can do anything you can: read your home folder, reach the "
                  "network, change your files. Trust only folders whose code you wrote or read. "
                  "Settings ▸ Trusted folders… lists them and takes trust back."));
  QPushButton* trust = box.addButton(QObject::tr("Trust this folder"), QMessageBox::AcceptRole);
  box.addButton(QMessageBox::Cancel);
  box.setDefaultButton(QMessageBox::Cancel);
  box.exec();
  if (box.clickedButton() != trust) return false;
  QString error;
  if (!trustFolder(folder, &error)) {
    QMessageBox::warning(parent, QObject::tr("Trust this folder"), error);
    return false;
  }
  return true;
}

void showTrustedFoldersDialog(QWidget* parent) {
  QDialog dialog(parent);
  dialog.setWindowTitle(QObject::tr("Trusted folders"));
  auto* layout = new QVBoxLayout(&dialog);
  auto* intro = new QLabel(
      QObject::tr("Snippets and lessons in these folders run <b>without the sandbox</b>, with your network and "
                  "files. Everything else that did not ship with Loopscope runs sandboxed: "
                  "%1.")
          .arg(sandboxSummary().section(QLatin1Char(':'), 1).trimmed().toHtmlEscaped()));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* list = new QListWidget;
  layout->addWidget(list, 1);
  auto* empty =
      new QLabel(QObject::tr("<i>No folder is trusted: every snippet from outside Loopscope runs in the "
                             "sandbox.</i>"));
  empty->setWordWrap(true);
  layout->addWidget(empty);
  auto refill = [list, empty] {
    list->clear();
    for (const QString& folder : trustedFolders()) list->addItem(QDir::toNativeSeparators(folder));
    list->setVisible(list->count() > 0);
    empty->setVisible(list->count() == 0);
    if (list->count() > 0) list->setCurrentRow(0);
  };
  refill();

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  QPushButton* revoke = buttons->addButton(QObject::tr("&Stop trusting"), QDialogButtonBox::ActionRole);
  QPushButton* add = buttons->addButton(QObject::tr("&Add folder…"), QDialogButtonBox::ActionRole);
  revoke->setToolTip(QObject::tr("Snippets in the selected folder run in the sandbox again"));
  QObject::connect(list, &QListWidget::currentRowChanged, revoke, [revoke](int row) { revoke->setEnabled(row >= 0); });
  revoke->setEnabled(list->currentRow() >= 0);
  QObject::connect(revoke, &QPushButton::clicked, &dialog, [list, refill] {
    if (QListWidgetItem* item = list->currentItem()) stopTrustingFolder(QDir::fromNativeSeparators(item->text()));
    refill();
  });
  QObject::connect(add, &QPushButton::clicked, &dialog, [&dialog, refill] {
    const QString folder = QFileDialog::getExistingDirectory(&dialog, QObject::tr("Trust a folder"), QDir::homePath());
    if (!folder.isEmpty() && askToTrustFolder(&dialog, folder)) refill();
  });
  QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  layout->addWidget(buttons);
  dialog.resize(560, 340);
  dialog.exec();
}

}  // namespace loopscope::ui
