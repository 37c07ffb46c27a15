#pragma once

#include "app/onboarding/onboardingstate.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace provbench {

// Filters and sorts a DeviceModel for the devices table.
//
// A row is accepted when all of these hold: the free text (case-insensitive,
// plain substring) occurs in its port, bridge, identity or protocol column;
// its state equals the state filter, when one is set; it is present, when
// "present only" is on. The State column sorts by workflow order
// (StateRole), the others by their text.
class DeviceFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DeviceFilterProxy(QObject *parent = nullptr);

    QString filterText() const { return m_text; }
    void setFilterText(const QString &text);

    std::optional<OnboardingState> stateFilter() const { return m_state; }
    void setStateFilter(std::optional<OnboardingState> state);

    bool presentOnly() const { return m_presentOnly; }
    void setPresentOnly(bool on);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_text;
    std::optional<OnboardingState> m_state;
    bool m_presentOnly = false;
};

} // namespace provbench
