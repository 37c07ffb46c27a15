#pragma once

#include "app/onboarding/devicerecord.h"
#include "app/onboarding/onboardingstate.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace provbench {

// Filters and sorts a DeviceModel for the devices table.
//
// A row is accepted when all of these hold: the free text (case-insensitive,
// plain substring) occurs in its port/address, transport, bridge, identity or
// protocol column; its state equals the state filter, when one is set; its
// transport equals the transport filter, when one is set; it is present, when
// "present only" is on. Two filters apply to BLE rows only, with the meaning
// of ble::Filter: a minimum RSSI (0: none; a device whose RSSI is unknown is
// hidden while a limit is set) and "provisionable only" (advertises Improv or
// SMP). The State column sorts by workflow order (StateRole), Signal by RSSI
// (unknown last), the others by their text.
class DeviceFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DeviceFilterProxy(QObject *parent = nullptr);

    QString filterText() const { return m_text; }
    void setFilterText(const QString &text);

    std::optional<OnboardingState> stateFilter() const { return m_state; }
    void setStateFilter(std::optional<OnboardingState> state);

    std::optional<Transport> transportFilter() const { return m_transport; }
    void setTransportFilter(std::optional<Transport> transport);

    bool presentOnly() const { return m_presentOnly; }
    void setPresentOnly(bool on);

    int minRssi() const { return m_minRssi; }
    void setMinRssi(int dBm);

    bool provisionableOnly() const { return m_provisionableOnly; }
    void setProvisionableOnly(bool on);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_text;
    std::optional<OnboardingState> m_state;
    std::optional<Transport> m_transport;
    bool m_presentOnly = false;
    int m_minRssi = 0;
    bool m_provisionableOnly = false;
};

} // namespace provbench
