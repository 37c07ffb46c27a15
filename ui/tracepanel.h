#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace provbench {

class DeviceSession;
class TraceModel;

// The protocol trace of the selected device: time, direction, decoded summary
// and bytes (monospace). Follows new entries to the bottom unless the user has
// scrolled up. "Copy" puts the selected rows (all rows when none is selected)
// on the clipboard as tab-separated lines; "Clear" clears the session's trace.
// Shows what the engine recorded: secrets are already redacted there.
class TracePanel : public QWidget
{
    Q_OBJECT
public:
    explicit TracePanel(QWidget *parent = nullptr);

    void setSession(DeviceSession *session);
    TraceModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    // The text "Copy" would put on the clipboard.
    QString selectedText() const;

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray &state);
    void resetLayout();

private:
    void copy();
    void updateTitle();

    TraceModel *m_model;
    QTableView *m_view;
    QLabel *m_title;
    QPushButton *m_copy;
    QPushButton *m_clear;
    bool m_follow = true;
};

} // namespace provbench
