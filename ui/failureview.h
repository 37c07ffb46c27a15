#pragma once

#include <QStringList>
#include <QWidget>

class QAbstractItemModel;

namespace provbench {

// The failure breakdown, painted: one row per reason (from a
// FailureBreakdownModel: ReasonRole, CountRole, DeviceIdsRole), most frequent
// first, with a bar for its share and the first device ids behind it. A click
// on a row selects the reason (a second click clears it) and emits
// reasonClicked with its devices, so the panel can list exactly them.
class FailureView : public QWidget
{
    Q_OBJECT
public:
    explicit FailureView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model);
    // Empty: none selected.
    void setSelectedReason(const QString &reason);
    QString selectedReason() const { return m_selected; }

    // Reasons in the order drawn (most devices first); rowRect(i) is where row i is.
    QStringList reasons() const;
    QRect rowRect(int row) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return QSize(220, 80); }

signals:
    // The reason now selected and its devices; empty when cleared.
    void reasonClicked(const QString &reason, const QStringList &deviceIds);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    struct Row
    {
        QString reason;
        int count = 0;
        QStringList devices;
    };
    QList<Row> rows() const;
    int rowHeight() const;
    int headerHeight() const;

    QAbstractItemModel *m_model = nullptr;
    QString m_selected;
};

} // namespace provbench
