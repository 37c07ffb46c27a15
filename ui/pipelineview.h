#pragma once

#include "app/onboarding/journey/journey.h"

#include <QWidget>

#include <optional>

class QAbstractItemModel;

namespace provbench {

// The onboarding pipeline, painted: one box per stage in journey order
// (Discovered -> ... -> Onboarded) joined by arrows, and Failed apart at the
// end, each with its device count and, in amber, how many of those are stuck.
// Reads a StageCountsModel (one row per stage; CountRole, StuckCountRole) and
// repaints when it changes. A click on a stage selects it (a second click
// clears the selection) and emits stageClicked.
class PipelineView : public QWidget
{
    Q_OBJECT
public:
    explicit PipelineView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model);
    void setSelectedStage(std::optional<journey::Stage> stage);
    std::optional<journey::Stage> selectedStage() const { return m_selected; }

    // Where a stage's box is drawn (for tests and tooltips).
    QRect stageRect(journey::Stage stage) const;
    std::optional<journey::Stage> stageAt(const QPoint &pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    // The stage now selected; nullopt when the selection was cleared.
    void stageClicked(std::optional<provbench::journey::Stage> stage);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    int count(journey::Stage stage, int role) const;

    QAbstractItemModel *m_model = nullptr;
    std::optional<journey::Stage> m_selected;
    std::optional<journey::Stage> m_hover;
};

} // namespace provbench
