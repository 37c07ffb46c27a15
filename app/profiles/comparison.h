#pragma once

#include "app/profiles/profile.h"

#include <QJsonObject>
#include <QList>
#include <QString>

// Side-by-side comparison of two provisioning profiles and an assessment of
// each: configuration effort, scalability, flexibility and security findings,
// all computed from the profiles themselves (docs/profiles.md documents the
// cost model and every rule). Nothing here is fixed text: change a profile and
// the numbers, findings and recommendation change with it.
namespace provbench::profiles {

// --- field-by-field diff ------------------------------------------------------

struct DiffRow
{
    QString path;  // JSON path, e.g. "network.wifi.security"
    QString label; // for people, e.g. "Wi-Fi security"
    QString left;  // display value; secrets as "set (hidden)" / "not set"
    QString right;
    bool differs = false;
    bool secret = false;
};

// Every field present in either profile, in a stable order (the canonical JSON
// order); kind-specific fields appear with an empty value on the other side.
// Secrets are never shown: equal secrets read "set (same)", different ones
// "set (differs)".
QList<DiffRow> diffProfiles(const Profile &left, const Profile &right);

// --- cost model ---------------------------------------------------------------

// One step of commissioning. Operator time is a person's attention at the
// bench or on site; automated time elapses without anyone (a device enrolling
// on its own).
struct CostStep
{
    QString id;    // stable, e.g. "write-wifi", used for calibration
    QString label; // "Write Wi-Fi credentials"
    double operatorMinutes = 0;
    double automatedMinutes = 0;
    bool perDevice = true;   // false: once per deployment (set up the EST server)
    bool calibrated = false; // operator minutes measured, not the documented default
};

// Default minutes per step, documented in docs/profiles.md. Calibration
// replaces a step's operator minutes by a measured mean (from job durations
// the audit log records); steps without a measurement keep their defaults.
class CostModel
{
public:
    CostModel(); // the documented defaults
    double operatorMinutes(const QString &stepId) const;
    double automatedMinutes(const QString &stepId) const;
    void calibrate(const QString &stepId, double measuredOperatorMinutes, int samples);
    bool isCalibrated(const QString &stepId) const;
    QStringList stepIds() const;
    QString label(const QString &stepId) const;

private:
    struct Entry
    {
        QString label;
        double operatorMinutes = 0;
        double automatedMinutes = 0;
        int samples = 0;
    };
    QList<std::pair<QString, Entry>> m_entries;
    const Entry *find(const QString &stepId) const;
};

struct Effort
{
    QList<CostStep> steps;       // what this profile takes, derived from its fields
    double setupMinutes = 0;     // once per deployment
    double perDeviceMinutes = 0; // operator time per device
    double automatedPerDevice = 0;
    int manualStepsPerDevice = 0;
    double totalMinutes(int devices) const { return setupMinutes + perDeviceMinutes * devices; }
};

// --- scalability and flexibility ------------------------------------------------

struct Scalability
{
    int rating = 0;  // 1 (poor) .. 5 (excellent), from the numbers below
    QString summary; // one computed sentence
    double hoursFor(int devices, const Effort &e) const { return e.totalMinutes(devices) / 60.0; }
};

enum class ChangeHow { SiteVisit, Pushed, Automatic };

struct ChangeImpact
{
    QString change; // "Change the Wi-Fi password", "Rotate device credentials", ...
    ChangeHow how = ChangeHow::SiteVisit;
    QString why; // derived from the profile's fields
};

// --- security findings ----------------------------------------------------------

enum class Severity { Info, Low, Medium, High };

struct Finding
{
    QString rule; // stable id, e.g. "shared-secret"
    Severity severity = Severity::Medium;
    QString title;     // "Secret shared across devices"
    QString detail;    // which field and why, computed
    QString path;      // the field it points at
    QString reference; // "ETSI EN 303 645 provision 5.1-1" or "OWASP IoT Top 10 I1"
};

// --- assessment ------------------------------------------------------------------

struct Assessment
{
    QString profileName;
    ProfileKind kind = ProfileKind::Static;
    Effort effort;
    Scalability scalability;
    QList<ChangeImpact> flexibility;
    QList<Finding> findings;
    int siteVisitChanges() const;
    int count(Severity s) const;
};

// What the workspace's credential ledger has seen of a profile in use: how
// many devices got it and how many credentials went to more than one device.
struct UsageFacts
{
    int devicesProvisioned = 0;
    int reusedCredentials = 0;
    QStringList examples; // "the same psk on 3 devices"
};

// `devices` feeds the rules that depend on fleet size (collisions, effort);
// `usage` adds what was observed when the profile was used.
Assessment assess(const Profile &profile, int devices, const CostModel &model = CostModel(),
    const UsageFacts &usage = {});

struct Comparison
{
    int devices = 1;
    QList<DiffRow> diff;
    Assessment left;
    Assessment right;
    QString recommendation; // follows from the numbers; never canned
    // Device count at which the two total-effort lines cross, if they do.
    std::optional<int> breakEvenDevices;
};

Comparison compareProfiles(const Profile &left, const Profile &right, int devices,
    const CostModel &model = CostModel(), const UsageFacts &leftUsage = {},
    const UsageFacts &rightUsage = {});

// Stable machine-readable form ("schema": "provbench.comparison/1"); documented
// in docs/profiles.md so scripts can rely on its keys.
QJsonObject comparisonToJson(const Comparison &comparison);
QString comparisonToMarkdown(const Comparison &comparison);
QString comparisonToText(const Comparison &comparison); // the CLI's table form

// Operator time for people: "45 min", "3 h 05 min".
QString formatDuration(double minutes);

QString severityName(Severity s);   // "high"
QString changeHowName(ChangeHow h); // "site-visit", "pushed", "automatic"

} // namespace provbench::profiles
