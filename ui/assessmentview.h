#pragma once

#include "app/profiles/comparison.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace provbench {

class FindingsModel;

// Painted 1-5 rating (filled and empty bars), used for scalability.
class RatingBar : public QWidget
{
    Q_OBJECT
public:
    explicit RatingBar(QWidget *parent = nullptr);
    void setRating(int rating);
    int rating() const { return m_rating; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_rating = 0;
};

// The assessment of one profile in a comparison: operator effort (setup, per
// device, total for the fleet), scalability (rating and the engine's
// sentence), flexibility (how each later change reaches the devices: site
// visit, pushed or automatic) and the security findings table.
class AssessmentView : public QWidget
{
    Q_OBJECT
public:
    explicit AssessmentView(QWidget *parent = nullptr);

    void setAssessment(const profiles::Assessment &assessment, int devices);
    void clear();

    FindingsModel *findingsModel() const { return m_findingsModel; }
    QTableView *findingsView() const { return m_findings; }

    // "45 min", "3 h 05 min": the form the recommendation uses.

private:
    QLabel *m_title;
    QLabel *m_kind;
    QLabel *m_setup;
    QLabel *m_perDevice;
    QLabel *m_total;
    QLabel *m_totalCaption;
    QLabel *m_setupCaption = nullptr;
    QLabel *m_perDeviceCaption = nullptr;
    RatingBar *m_rating;
    QLabel *m_scalability;
    QLabel *m_flexibility;
    QLabel *m_noFindings = nullptr;
    FindingsModel *m_findingsModel;
    QTableView *m_findings;
};

} // namespace provbench
