#include "app/profiles/comparison.h"

#include "app/profiles/findings.h"

#include <QJsonArray>

#include <algorithm>

namespace provbench::profiles {

namespace {

const QString kSchema = QStringLiteral("provbench.comparison/1");

QString minutes(double m)
{
    return QStringLiteral("%1 min").arg(m, 0, 'f', 1);
}

QJsonObject effortToJson(const Effort &e, int devices)
{
    QJsonArray steps;
    for (const CostStep &s : e.steps)
        steps.append(QJsonObject{{QStringLiteral("id"), s.id}, {QStringLiteral("label"), s.label},
            {QStringLiteral("operatorMinutes"), s.operatorMinutes},
            {QStringLiteral("automatedMinutes"), s.automatedMinutes},
            {QStringLiteral("perDevice"), s.perDevice},
            {QStringLiteral("calibrated"), s.calibrated}});
    return QJsonObject{{QStringLiteral("setupMinutes"), e.setupMinutes},
        {QStringLiteral("perDeviceMinutes"), e.perDeviceMinutes},
        {QStringLiteral("automatedMinutesPerDevice"), e.automatedPerDevice},
        {QStringLiteral("manualStepsPerDevice"), e.manualStepsPerDevice},
        {QStringLiteral("totalMinutes"), e.totalMinutes(devices)},
        {QStringLiteral("steps"), steps}};
}

QJsonObject assessmentToJson(const Assessment &a, int devices)
{
    QJsonArray flex;
    for (const ChangeImpact &c : a.flexibility)
        flex.append(QJsonObject{{QStringLiteral("change"), c.change},
            {QStringLiteral("how"), changeHowName(c.how)}, {QStringLiteral("why"), c.why}});
    QJsonArray findings;
    for (const Finding &f : a.findings)
        findings.append(QJsonObject{{QStringLiteral("rule"), f.rule},
            {QStringLiteral("severity"), severityName(f.severity)},
            {QStringLiteral("title"), f.title}, {QStringLiteral("detail"), f.detail},
            {QStringLiteral("path"), f.path}, {QStringLiteral("reference"), f.reference}});
    return QJsonObject{{QStringLiteral("name"), a.profileName},
        {QStringLiteral("kind"), kindName(a.kind)},
        {QStringLiteral("effort"), effortToJson(a.effort, devices)},
        {QStringLiteral("scalability"),
            QJsonObject{{QStringLiteral("rating"), a.scalability.rating},
                {QStringLiteral("summary"), a.scalability.summary}}},
        {QStringLiteral("flexibility"), flex}, {QStringLiteral("findings"), findings}};
}

// Left-aligned columns separated by two spaces, for a fixed-width terminal.
QString table(const QList<QStringList> &rows, const QString &indent)
{
    QList<qsizetype> widths;
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths.append(0);
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    QString out;
    for (const QStringList &row : rows) {
        QString line = indent;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row[i].leftJustified(widths[i] + 2) : row[i];
        out += line + QLatin1Char('\n');
    }
    return out;
}

// Terminal cells stay readable: long free text (descriptions) is cut.
QString cut(const QString &text)
{
    constexpr qsizetype kMax = 48;
    return text.size() <= kMax ? text : text.left(kMax - 3) + QStringLiteral("...");
}

QString mdCell(QString text)
{
    return text.replace(QLatin1Char('|'), QStringLiteral("\\|")).replace(QLatin1Char('\n'), u' ');
}

QString mdTable(const QStringList &header, const QList<QStringList> &rows)
{
    QString out = QStringLiteral("| %1 |\n").arg(header.join(QStringLiteral(" | ")));
    out += QStringLiteral("|%1\n").arg(QStringLiteral("---|").repeated(header.size()));
    for (QStringList row : rows) {
        for (QString &cell : row)
            cell = mdCell(cell);
        out += QStringLiteral("| %1 |\n").arg(row.join(QStringLiteral(" | ")));
    }
    return out;
}

// The changes of both assessments, in first-seen order, with each side's answer.
struct FlexRow
{
    QString change;
    const ChangeImpact *left = nullptr;
    const ChangeImpact *right = nullptr;
};

QList<FlexRow> flexRows(const Comparison &c)
{
    QList<FlexRow> rows;
    auto place = [&rows](const ChangeImpact &impact, bool left) {
        auto it = std::find_if(
            rows.begin(), rows.end(), [&](const FlexRow &r) { return r.change == impact.change; });
        if (it == rows.end()) {
            rows.append(FlexRow{impact.change});
            it = rows.end() - 1;
        }
        (left ? it->left : it->right) = &impact;
    };
    for (const ChangeImpact &i : c.left.flexibility)
        place(i, true);
    for (const ChangeImpact &i : c.right.flexibility)
        place(i, false);
    return rows;
}

QString howOrDash(const ChangeImpact *i)
{
    return i ? changeHowName(i->how) : QStringLiteral("-");
}

QList<QStringList> effortRows(const Comparison &c)
{
    const Effort &l = c.left.effort;
    const Effort &r = c.right.effort;
    return {
        {QStringLiteral("One-time setup"), formatDuration(l.setupMinutes),
            formatDuration(r.setupMinutes)},
        {QStringLiteral("Operator time per device"), minutes(l.perDeviceMinutes),
            minutes(r.perDeviceMinutes)},
        {QStringLiteral("Manual steps per device"), QString::number(l.manualStepsPerDevice),
            QString::number(r.manualStepsPerDevice)},
        {QStringLiteral("Automated time per device"), minutes(l.automatedPerDevice),
            minutes(r.automatedPerDevice)},
        {QStringLiteral("Total for %1 device(s)").arg(c.devices),
            formatDuration(l.totalMinutes(c.devices)), formatDuration(r.totalMinutes(c.devices))},
        {QStringLiteral("Scalability"), QStringLiteral("%1/5").arg(c.left.scalability.rating),
            QStringLiteral("%1/5").arg(c.right.scalability.rating)},
        {QStringLiteral("Changes needing a site visit"), QString::number(c.left.siteVisitChanges()),
            QString::number(c.right.siteVisitChanges())},
    };
}

QString breakEvenText(const Comparison &c)
{
    return c.breakEvenDevices ? QStringLiteral("%1 devices").arg(*c.breakEvenDevices)
                              : QStringLiteral("none (the effort lines do not cross)");
}

} // namespace

QString severityName(Severity s)
{
    switch (s) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Low:
        return QStringLiteral("low");
    case Severity::Medium:
        return QStringLiteral("medium");
    case Severity::High:
        return QStringLiteral("high");
    }
    return QString();
}

QString changeHowName(ChangeHow h)
{
    switch (h) {
    case ChangeHow::SiteVisit:
        return QStringLiteral("site-visit");
    case ChangeHow::Pushed:
        return QStringLiteral("pushed");
    case ChangeHow::Automatic:
        return QStringLiteral("automatic");
    }
    return QString();
}

QJsonObject comparisonToJson(const Comparison &c)
{
    QJsonArray diff;
    for (const DiffRow &row : c.diff)
        diff.append(
            QJsonObject{{QStringLiteral("path"), row.path}, {QStringLiteral("label"), row.label},
                {QStringLiteral("left"), row.left}, {QStringLiteral("right"), row.right},
                {QStringLiteral("differs"), row.differs}, {QStringLiteral("secret"), row.secret}});
    return QJsonObject{{QStringLiteral("schema"), kSchema}, {QStringLiteral("devices"), c.devices},
        {QStringLiteral("recommendation"), c.recommendation},
        {QStringLiteral("breakEvenDevices"),
            c.breakEvenDevices ? QJsonValue(*c.breakEvenDevices) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("profiles"),
            QJsonArray{assessmentToJson(c.left, c.devices), assessmentToJson(c.right, c.devices)}},
        {QStringLiteral("diff"), diff}};
}

QString comparisonToText(const Comparison &c)
{
    const QString indent = QStringLiteral("  ");
    QString out;
    out += QStringLiteral("Comparison for %1 device(s)\n").arg(c.devices);
    out += table({{QStringLiteral("left:"), c.left.profileName,
                      QStringLiteral("(%1)").arg(kindName(c.left.kind))},
                     {QStringLiteral("right:"), c.right.profileName,
                         QStringLiteral("(%1)").arg(kindName(c.right.kind))}},
        indent);

    QList<QStringList> effort{{QString(), QStringLiteral("left"), QStringLiteral("right")}};
    effort += effortRows(c);
    out += QStringLiteral("\nEffort\n") + table(effort, indent);
    out += indent + QStringLiteral("Break-even: ") + breakEvenText(c) + QLatin1Char('\n');
    out += indent + QStringLiteral("left:  ") + c.left.scalability.summary + QLatin1Char('\n');
    out += indent + QStringLiteral("right: ") + c.right.scalability.summary + QLatin1Char('\n');

    for (const Assessment *a : {&c.left, &c.right}) {
        out += QStringLiteral("\nFindings: %1 (%2 high, %3 medium, %4 low)\n")
                   .arg(a->profileName)
                   .arg(a->count(Severity::High))
                   .arg(a->count(Severity::Medium))
                   .arg(a->count(Severity::Low));
        if (a->findings.isEmpty()) {
            out += indent + QStringLiteral("none\n");
            continue;
        }
        for (const Finding &f : a->findings) {
            out += QStringLiteral("%1%2  %3  %4 [%5]\n")
                       .arg(indent, severityName(f.severity).toUpper().leftJustified(6), f.title,
                           f.path, f.reference);
            out += indent + QStringLiteral("        ") + f.detail + QLatin1Char('\n');
        }
    }

    QList<QStringList> flex{
        {QStringLiteral("Change"), QStringLiteral("left"), QStringLiteral("right")}};
    for (const FlexRow &r : flexRows(c))
        flex.append({r.change, howOrDash(r.left), howOrDash(r.right)});
    out += QStringLiteral("\nFlexibility\n") + table(flex, indent);

    QList<QStringList> diff{
        {QStringLiteral("Field"), QStringLiteral("left"), QStringLiteral("right")}};
    for (const DiffRow &row : c.diff) {
        if (row.differs)
            diff.append({row.label, cut(row.left), cut(row.right)});
    }
    out += QStringLiteral("\nDifferences\n");
    out += diff.size() > 1 ? table(diff, indent) : indent + QStringLiteral("none\n");

    out += QStringLiteral("\nRecommendation\n") + indent + c.recommendation + QLatin1Char('\n');
    return out;
}

QString comparisonToMarkdown(const Comparison &c)
{
    const QString l = c.left.profileName;
    const QString r = c.right.profileName;
    QString out = QStringLiteral("# Comparison for %1 device(s)\n\n").arg(c.devices);
    out += QStringLiteral("- left: **%1** (%2)\n- right: **%3** (%4)\n\n")
               .arg(mdCell(l), kindName(c.left.kind), mdCell(r), kindName(c.right.kind));

    out += QStringLiteral("## Recommendation\n\n%1\n\n").arg(c.recommendation);

    out += QStringLiteral("## Effort\n\n")
        + mdTable({QString(), mdCell(l), mdCell(r)}, effortRows(c));
    out += QStringLiteral("\nBreak-even: %1.\n\n").arg(breakEvenText(c));
    out += QStringLiteral("- %1: %2\n- %3: %4\n\n")
               .arg(mdCell(l), c.left.scalability.summary, mdCell(r), c.right.scalability.summary);

    for (const Assessment *a : {&c.left, &c.right}) {
        out += QStringLiteral("## Findings: %1\n\n").arg(mdCell(a->profileName));
        if (a->findings.isEmpty()) {
            out += QStringLiteral("None.\n\n");
            continue;
        }
        QList<QStringList> rows;
        for (const Finding &f : a->findings)
            rows.append({severityName(f.severity), f.title, QStringLiteral("`%1`").arg(f.path),
                f.detail, f.reference});
        out += mdTable(
                   {QStringLiteral("Severity"), QStringLiteral("Finding"), QStringLiteral("Field"),
                       QStringLiteral("Detail"), QStringLiteral("Reference")},
                   rows)
            + QLatin1Char('\n');
    }

    QList<QStringList> flex;
    auto cell = [](const ChangeImpact *i) {
        return i ? QStringLiteral("%1: %2").arg(changeHowName(i->how), i->why)
                 : QStringLiteral("-");
    };
    for (const FlexRow &row : flexRows(c))
        flex.append({row.change, cell(row.left), cell(row.right)});
    out += QStringLiteral("## Flexibility\n\n")
        + mdTable({QStringLiteral("Change"), mdCell(l), mdCell(r)}, flex) + QLatin1Char('\n');

    QList<QStringList> diff;
    for (const DiffRow &row : c.diff) {
        if (row.differs)
            diff.append({row.label, QStringLiteral("`%1`").arg(row.path), row.left, row.right});
    }
    out += QStringLiteral("## Differences\n\n");
    out += diff.isEmpty()
        ? QStringLiteral("None.\n")
        : mdTable({QStringLiteral("Field"), QStringLiteral("Path"), mdCell(l), mdCell(r)}, diff);
    return out;
}

} // namespace provbench::profiles
