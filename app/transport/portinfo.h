#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace provbench {

// What the system tells about one serial port, before anything is sent to it.
struct PortInfo
{
    QString path;        // what to open: /dev/ttyUSB0, or a user-added path
    QString portName;    // short name: ttyUSB0
    QString description; // from the USB descriptor, e.g. "CP2102 USB to UART Bridge Controller"
    QString manufacturer;
    QString serialNumber;
    std::optional<quint16> vendorId;
    std::optional<quint16> productId;
    QString bridge;         // known USB-UART bridge, e.g. "Silicon Labs CP210x"
    bool userAdded = false; // a pty or socat link the user asked us to watch

    // "10c4:ea60", or empty for ports without USB ids.
    QString vidPid() const;
    bool operator==(const PortInfo &) const = default;
};

// Names the common USB-UART bridges found on development boards by VID:PID
// (CP210x, CH34x, FTDI, Prolific, ESP32 USB-Serial/JTAG, ...); empty when
// unknown. Vendor-wide fallbacks apply when only the vendor is known.
QString bridgeName(quint16 vendorId, quint16 productId);

} // namespace provbench

Q_DECLARE_METATYPE(provbench::PortInfo)
