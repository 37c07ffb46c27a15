#pragma once

#include "app/onboarding/journey/board.h"

#include <QList>
#include <QWidget>

namespace provbench {

// Devices onboarded per minute over the last N minutes, painted as one bar per
// minute with a y axis (devices) and an x axis (minutes ago). Reads
// Board::throughput() when refresh() is called (the panel calls it after each
// batch of changes, and every few seconds so the bars move with the clock).
class ThroughputView : public QWidget
{
    Q_OBJECT
public:
    explicit ThroughputView(QWidget *parent = nullptr);

    // The board must outlive the view; null shows an empty chart.
    void setBoard(const journey::Board *board);
    void setFilter(const journey::BoardFilter &filter);
    void setMinutes(int minutes);
    int minutes() const { return m_minutes; }

    // Re-reads the board.
    void refresh();
    // Onboardings per minute, oldest first (the bars).
    const QList<int> &bars() const { return m_bars; }

    QSize sizeHint() const override { return QSize(360, 170); }
    QSize minimumSizeHint() const override { return QSize(220, 120); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    const journey::Board *m_board = nullptr;
    journey::BoardFilter m_filter;
    int m_minutes = 30;
    QList<int> m_bars;
    double m_rate = 0; // per minute over the last 5 minutes
};

} // namespace provbench
