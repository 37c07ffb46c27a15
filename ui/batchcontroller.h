#pragma once

#include "app/core/error.h"
#include "app/onboarding/batch/batchrunner.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QWidget;

namespace provbench {

class CredentialLedger;
class Vault;
class Workbench;
namespace crypto {
class CertificateAuthority;
}

// A batch inside a GUI session: composes a BatchRunner from the Workbench's
// engine objects the way `provbench-cli batch run` composes it from its own,
// and feeds it the devices the workbench sees. The Batch page (BatchPanel)
// only shows what happens.
//
// start(): opens the workspace store (Workbench::openStore), resolves every
// profile the batch names, unlocks the vault only when one of them needs the
// workspace CA for some protocol (VaultPrompt, which may ask over
// `dialogParent`) and opens the CA; the credential ledger is opened whenever
// the vault is unlocked (a ledger that cannot be opened is a warning). Then
// the runner is started and fed the serial ports and provisionable BLE
// devices present now and those that appear later, until stop().
//
// Sharing devices with the Devices page: before the batch opens a device it
// asks the registry's session for it to close its own handle
// (DeviceSession::releasePort, refused while an operation runs: the batch
// then fails that device with the reason). A device the Devices page is busy
// with when it appears is handed to the batch once that operation ends.
// While the batch takes devices the registry does not probe new ports on its
// own (the batch identifies them); stop() restores that.
//
// A batch does not end by itself: new devices are taken until stop(); those
// in progress then finish. The runner of the last batch stays (with its
// entries) until the next start().
class BatchController : public QObject
{
    Q_OBJECT
public:
    explicit BatchController(Workbench *workbench, QObject *parent = nullptr);
    ~BatchController() override;

    Result<void> start(const onboarding::batch::BatchOptions &options, QWidget *dialogParent);
    void stop();

    onboarding::batch::BatchRunner *runner() const { return m_runner.get(); }
    // Started and not stopped: devices that appear are taken.
    bool isRunning() const { return m_runner && !m_stopped; }
    // A stopped batch whose last devices are still being worked on.
    bool isFinishing() const;

Q_SIGNALS:
    // A new batch replaced the last one (it has started already).
    void runnerChanged(onboarding::batch::BatchRunner *runner);
    // Started, stopped, or the batch became idle.
    void stateChanged();
    // Something was not recorded or tracked; the batch goes on.
    void problem(const QString &message);

private:
    // Hands `source` to the runner through `add`, now or once the Devices
    // page is done with it.
    void offer(const QString &source, std::function<void()> add);
    void forget(const QString &source);
    void connectDiscovery();
    void disconnectDiscovery();

    QPointer<Workbench> m_workbench;
    std::unique_ptr<crypto::CertificateAuthority> m_ca;
    std::unique_ptr<CredentialLedger> m_ledger;
    // Last: destroyed first, while what it uses is still there.
    std::unique_ptr<onboarding::batch::BatchRunner> m_runner;
    bool m_stopped = false;
    bool m_autoIdentifyBefore = true;
    bool m_holdingAutoIdentify = false; // the registry's auto-identify is off for the batch
    QList<QMetaObject::Connection> m_connections; // discovery -> runner
    QHash<QString, QMetaObject::Connection> m_deferred;
};

} // namespace provbench
