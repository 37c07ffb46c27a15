#include "app/simulator/simconfig.h"

#include <QStringList>

namespace provbench::sim {

namespace {

// The text keys, in the order faultsToString() writes them.
enum class FaultKey { BadChecksum, Drop, Garbage, NoAnswer, DisconnectAt };

struct FaultKeyName
{
    FaultKey key;
    QLatin1String name;
};

constexpr FaultKeyName kFaultKeys[] = {
    {FaultKey::BadChecksum, QLatin1String("bad-checksum")},
    {FaultKey::Drop, QLatin1String("drop")},
    {FaultKey::Garbage, QLatin1String("garbage")},
    {FaultKey::NoAnswer, QLatin1String("no-answer")},
    {FaultKey::DisconnectAt, QLatin1String("disconnect-at")},
};

QString knownKeys()
{
    QStringList names;
    for (const auto &k : kFaultKeys)
        names.append(QString(k.name));
    return names.join(QStringLiteral(", "));
}

} // namespace

Result<SimFaults> parseFaults(const QString &spec)
{
    SimFaults faults;
    QList<FaultKey> seen;
    const QStringList parts = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &rawPart : parts) {
        const QString part = rawPart.trimmed();
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq < 0)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("The fault \"%1\" has no value: write it as key=number, "
                               "e.g. \"bad-checksum=2\".")
                    .arg(part));
        const QString name = part.first(eq).trimmed();
        const QString value = part.sliced(eq + 1).trimmed();

        const FaultKeyName *found = nullptr;
        for (const auto &k : kFaultKeys) {
            if (name == k.name)
                found = &k;
        }
        if (!found)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("Unknown fault \"%1\": use one of %2.").arg(name, knownKeys()));
        if (seen.contains(found->key))
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("The fault \"%1\" is given twice: give it once.").arg(name));
        seen.append(found->key);

        bool ok = false;
        const qint64 number = value.toLongLong(&ok, 10);
        const qint64 limit = found->key == FaultKey::DisconnectAt ? qint64(1) << 40 : 1000000;
        if (!ok || number < 0 || number > limit)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("The fault \"%1\" needs a whole number from 0 to %2, not "
                               "\"%3\".")
                    .arg(name)
                    .arg(limit)
                    .arg(value));
        switch (found->key) {
        case FaultKey::BadChecksum:
            faults.badChecksum = int(number);
            break;
        case FaultKey::Drop:
            faults.dropBytes = int(number);
            break;
        case FaultKey::Garbage:
            faults.garbage = int(number);
            break;
        case FaultKey::NoAnswer:
            faults.noAnswer = int(number);
            break;
        case FaultKey::DisconnectAt:
            faults.disconnectAtByte = number;
            break;
        }
    }
    return faults;
}

QString faultsToString(const SimFaults &faults)
{
    QStringList parts;
    auto add = [&parts](FaultKey key, qint64 value) {
        for (const auto &k : kFaultKeys) {
            if (k.key == key)
                parts.append(k.name + QLatin1Char('=') + QString::number(value));
        }
    };
    if (faults.badChecksum > 0)
        add(FaultKey::BadChecksum, faults.badChecksum);
    if (faults.dropBytes > 0)
        add(FaultKey::Drop, faults.dropBytes);
    if (faults.garbage > 0)
        add(FaultKey::Garbage, faults.garbage);
    if (faults.noAnswer > 0)
        add(FaultKey::NoAnswer, faults.noAnswer);
    if (faults.disconnectAtByte >= 0)
        add(FaultKey::DisconnectAt, faults.disconnectAtByte);
    return parts.join(QLatin1Char(','));
}

QList<SimNetwork> demoNetworks()
{
    return {
        SimNetwork{QStringLiteral("ProvBench-Lab"), -48, QStringLiteral("correct-horse-42")},
        SimNetwork{QStringLiteral("Warehouse-2G"), -67, QStringLiteral("pallet-jack-7")},
        SimNetwork{QStringLiteral("Guest"), -71, QString()},
        SimNetwork{QStringLiteral("Neighbour-5G"), -88, QStringLiteral("unknown-to-us-123")},
    };
}

SimDeviceConfig demoConfig(int index)
{
    SimDeviceConfig c;
    switch (index) {
    case 0:
        c.firmwareName = QStringLiteral("ESPHome");
        c.firmwareVersion = QStringLiteral("2024.6.1");
        c.hardware = QStringLiteral("ESP32-C3");
        c.deviceName = QStringLiteral("kitchen-sensor");
        c.osName = QStringLiteral("ESP-IDF");
        c.osVersion = QStringLiteral("5.1.4");
        break;
    case 1:
        c.firmwareName = QStringLiteral("WLED");
        c.firmwareVersion = QStringLiteral("0.14.4");
        c.hardware = QStringLiteral("ESP8266");
        c.deviceName = QStringLiteral("porch-lights");
        c.osName = QStringLiteral("Arduino");
        c.osVersion = QStringLiteral("3.1.2");
        c.fourStringInfo = true;
        break;
    case 2:
        c.firmwareName = QStringLiteral("ESPHome");
        c.firmwareVersion = QStringLiteral("2023.2.0");
        c.hardware = QStringLiteral("ESP32");
        c.deviceName = QStringLiteral("garage-door");
        c.osName = QStringLiteral("ESP-IDF");
        c.osVersion = QStringLiteral("4.4.2");
        c.legacyFirmware = true;
        break;
    default: {
        // Further devices cycle through plausible chips and releases so a batch
        // of simulated devices does not look like one device repeated.
        static const QLatin1String chips[] = {
            QLatin1String("ESP32-S3"),
            QLatin1String("ESP32"),
            QLatin1String("ESP32-C6"),
            QLatin1String("ESP32-C3"),
            QLatin1String("ESP8266"),
        };
        const int n = int(std::size(chips));
        const int slot = (qMax(index, 3) - 3) % n;
        c.firmwareName = QStringLiteral("ESPHome");
        c.firmwareVersion = QStringLiteral("2024.%1.%2").arg(1 + index % 12).arg(index % 3);
        c.hardware = QString(chips[slot]);
        c.deviceName = QStringLiteral("sim-node-%1").arg(index, 2, 10, QLatin1Char('0'));
        if (c.hardware == QLatin1String("ESP8266")) {
            c.osName = QStringLiteral("Arduino");
            c.osVersion = QStringLiteral("3.1.2");
        } else {
            c.osName = QStringLiteral("ESP-IDF");
            c.osVersion = QStringLiteral("5.1.%1").arg(index % 5);
        }
        break;
    }
    }
    c.hostname = c.deviceName;
    c.networks = demoNetworks();
    c.seed = quint32(qMax(index, 0)) + 1;
    return c;
}

profiles::Profile labWifiProfile(const QString &name, const QString &deviceName)
{
    const SimNetwork lab = demoNetworks().at(0);
    profiles::Profile p = profiles::defaultProfile(profiles::ProfileKind::Static);
    p.name = name;
    p.naming.hostname.clear();
    p.naming.deviceName = deviceName;
    p.ntp.clear();
    p.network.wifi->ssid = lab.ssid;
    p.network.wifi->passphrase.value = lab.password;
    return p;
}

} // namespace provbench::sim
