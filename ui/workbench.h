#pragma once

#include "app/core/error.h"
#include "app/transport/ble/adapterstatus.h"

#include <QObject>
#include <QStringList>

#include <chrono>
#include <memory>
#include <optional>

class QTemporaryDir;

namespace provbench {

class DeviceRegistry;
class SerialDiscovery;
namespace ble {
class Backend;
class Discovery;
} // namespace ble
namespace profiles {
class ProfileLibrary;
}
namespace sim {
class SimulatedBleBackend;
class SimulatorHost;
} // namespace sim
namespace store {
class Store;
}
namespace journey {
class RegistryJourneyRecorder;
}

// The engine objects one GUI session runs on, built in one place so that the
// executable (ui/main.cpp) and the GUI tests compose them the same way:
// a SerialDiscovery, a DeviceRegistry listening to it and, in demo mode, a
// SimulatorHost whose pty links live in a private temporary folder that is
// watched for "ttySIM*"; and the ProfileLibrary of the workspace (the
// --workspace folder, else Workspace::defaultPath(); in demo mode a temporary
// folder, so a demo never touches the user's profiles), filled with the sample
// profiles when it is empty. Bluetooth LE: in demo mode a SimulatedBleBackend
// with the demo peripherals (optionally with a simulated adapter problem),
// otherwise the system's backend when this build has one; a ble::Discovery
// over it feeds the same registry. Owns everything it creates.
class Workbench : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int demoCount = 0; // simulated Improv devices; 0 turns demo mode off
        // Also a Zephyr board (MCUmgr SMP) and an nRF91 modem, after the Improv ones.
        bool demoOtherKinds = false;
        QStringList ports;              // user-added pty/socat paths to watch
        QStringList watchDirs;          // folders whose every entry is a port
        bool includeSystemPorts = true; // demo mode always leaves them out
        // Tests speed the simulated devices up; unset keeps the demo's pace.
        std::optional<int> simLatencyMs;
        std::optional<int> simConnectMs;
        // Workspace folder; empty: a temporary one in demo mode, else the default.
        QString workspacePath;
        // Demo mode: simulated BLE peripherals (an Improv device that needs its
        // button pressed, an authorized one, a Zephyr board with SMP).
        bool demoBle = false;
        // Demo mode: the simulated adapter starts with this problem.
        ble::AdapterProblem demoBleProblem = ble::AdapterProblem::None;
        // Tests speed BLE up: advertising interval and how long a silent device stays.
        std::optional<int> bleAdvertisingMs;
        std::optional<std::chrono::seconds> bleMaxAge;
        // Off: no BLE at all (the CLI-like composition, or a user who does not want it).
        bool ble = true;
    };

    explicit Workbench(QObject *parent = nullptr);
    ~Workbench() override;

    // Builds the engine and starts discovery. When the simulator or the
    // workspace cannot start the error says why; discovery still runs so real
    // ports keep working.
    Result<void> start(const Options &options);

    SerialDiscovery *discovery() const { return m_discovery; }
    DeviceRegistry *registry() const { return m_registry; }
    // Null unless demo mode is on and the simulator started.
    sim::SimulatorHost *simulator() const { return m_simulator; }
    // Null when BLE is off or this build has no backend for the system's stack.
    ble::Discovery *bleDiscovery() const { return m_bleDiscovery; }
    ble::Backend *bleBackend() const { return m_bleBackend; }
    // Demo mode only: the simulated BLE stack (adapter status, peripherals).
    sim::SimulatedBleBackend *simulatedBle() const { return m_simulatedBle; }
    int demoBleCount() const;
    // Null when the workspace could not be opened (start() said why).
    profiles::ProfileLibrary *profiles() const { return m_profiles; }
    bool isDemo() const { return m_simulator != nullptr; }
    QString demoDirectory() const;
    int demoCount() const;
    // The workspace folder (a temporary one in demo mode); empty before start().
    QString workspacePath() const { return m_workspacePath; }

    // Opens the workspace's store (its SQLite database) the first time it is
    // asked for (in demo mode at start()), and from then on records the journey of every device the
    // registry sees (device.discovered, device.identified, writes and
    // failures) so the onboarding board shows it. A failure says why and is
    // retried on the next call.
    Result<store::Store *> openStore();
    store::Store *store() const { return m_store.get(); }

private:
    SerialDiscovery *m_discovery = nullptr;
    DeviceRegistry *m_registry = nullptr;
    sim::SimulatorHost *m_simulator = nullptr;
    std::unique_ptr<QTemporaryDir> m_demoDir;
    profiles::ProfileLibrary *m_profiles = nullptr;
    std::unique_ptr<QTemporaryDir> m_workspaceDir;
    ble::Backend *m_bleBackend = nullptr;
    std::unique_ptr<ble::Backend> m_ownedBleBackend; // a system backend that is no QObject child
    sim::SimulatedBleBackend *m_simulatedBle = nullptr;
    ble::Discovery *m_bleDiscovery = nullptr;
    QString m_workspacePath;
    std::unique_ptr<store::Store> m_store;
    journey::RegistryJourneyRecorder *m_recorder = nullptr;

    Result<void> openProfiles(const Options &options);
    void startBle(const Options &options);
};

} // namespace provbench
