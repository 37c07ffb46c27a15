#pragma once

#include "app/profiles/comparison.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTableView;

namespace provbench {

namespace profiles {
class ProfileLibrary;
}
class AssessmentView;
class ProfileDiffModel;
class ProfileListModel;

// Two profiles side by side for a fleet of N devices: the engine's
// recommendation at the top, the field-by-field diff (differences
// highlighted), and each profile's assessment below. Everything is
// recomputed by compareProfiles() whenever either profile, the device count
// or the library changes; nothing on the panel is fixed text. "Export
// report" writes comparisonToMarkdown() to a file.
class ComparePanel : public QWidget
{
    Q_OBJECT
public:
    explicit ComparePanel(profiles::ProfileLibrary *library, QWidget *parent = nullptr);

    void setProfiles(const QString &leftId, const QString &rightId);
    void setDevices(int devices);
    QString leftId() const;
    QString rightId() const;
    // The comparison on screen; nullopt while a profile is missing or unreadable.
    const std::optional<profiles::Comparison> &comparison() const { return m_comparison; }

    ProfileDiffModel *diffModel() const { return m_diffModel; }
    AssessmentView *leftView() const { return m_leftView; }
    AssessmentView *rightView() const { return m_rightView; }

    QByteArray saveSplitterState() const;
    void restoreSplitterState(const QByteArray &state);
    void resetLayout();

    void exportReport();

private:
    void recompute();
    void pickDefaults(bool force);

    profiles::ProfileLibrary *m_library;
    ProfileListModel *m_profiles;
    QComboBox *m_left;
    QComboBox *m_right;
    QSpinBox *m_devices;
    QPushButton *m_export;
    QLabel *m_recommendation;
    ProfileDiffModel *m_diffModel;
    QTableView *m_diff;
    QLabel *m_diffSummary;
    AssessmentView *m_leftView;
    AssessmentView *m_rightView;
    QSplitter *m_splitter;
    std::optional<profiles::Comparison> m_comparison;
    QString m_keepLeft;
    QString m_keepRight;
};

} // namespace provbench
