#include "app/onboarding/batch/batchrunner.h"

#include "app/onboarding/batch/deviceprovisioning.h"
#include "app/profiles/profilejson.h"
#include "app/storage/store/store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>
#include <QTimer>

namespace provbench::onboarding::batch {

QString statusName(BatchEntry::Status status)
{
    switch (status) {
    case BatchEntry::Status::Waiting:
        return QStringLiteral("waiting");
    case BatchEntry::Status::Identifying:
        return QStringLiteral("identifying");
    case BatchEntry::Status::Provisioning:
        return QStringLiteral("provisioning");
    case BatchEntry::Status::Done:
        return QStringLiteral("done");
    case BatchEntry::Status::Skipped:
        return QStringLiteral("skipped");
    case BatchEntry::Status::Unknown:
        return QStringLiteral("unknown");
    case BatchEntry::Status::Busy:
        return QStringLiteral("busy");
    case BatchEntry::Status::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

BatchRunner::BatchRunner(BatchEnvironment env, BatchOptions options, QObject *parent)
    : QObject(parent), m_env(std::move(env)), m_options(std::move(options))
{
    m_options.parallel = qMax(1, m_options.parallel);
}

BatchRunner::~BatchRunner()
{
    // Jobs still running are cut off; their intents stay open and the next
    // start() closes them as interrupted, exactly as after a crash.
    qDeleteAll(m_running);
}

Result<void> BatchRunner::start()
{
    if (m_started)
        return {};
    if (!m_env.store)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A batch needs the workspace store: it records every device there and "
                           "resumes from it."));
    if (m_env.benchId.isEmpty())
        return fail(Error::Code::InvalidArgument, QStringLiteral("A batch needs a bench id."));

    // Every profile named must resolve and be valid before anything is written.
    QStringList names;
    if (!m_options.defaultProfile.isEmpty())
        names << m_options.defaultProfile;
    for (const auto &x : std::as_const(m_options.expected)) {
        if (!x.profile.isEmpty() && !names.contains(x.profile))
            names << x.profile;
        else if (x.profile.isEmpty() && m_options.defaultProfile.isEmpty())
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("CSV line %1 (%2) names no profile and no default profile was "
                               "given; add --profile.")
                    .arg(x.line)
                    .arg(x.serialNumber));
    }
    if (names.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("No profile: give one for the batch, or a CSV with a profile column."));
    for (const QString &name : std::as_const(names)) {
        auto profile = m_env.resolveProfile(name);
        if (!profile)
            return std::unexpected(profile.error());
        const bool est = profile->dynamicSettings()
            && profile->dynamicSettings()->method == profiles::EnrollmentMethod::Est;
        if (est && !m_env.estUrl.isEmpty())
            profile->dynamicSettings()->est.url = m_env.estUrl;
        if (const profiles::Issues issues = profiles::validate(*profile); !issues.isEmpty())
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("Profile \"%1\" has problems; fix them first:\n%2")
                    .arg(name, profiles::describe(issues)));
        m_profiles.insert(name, *profile);
    }

    if (auto ok = recoverInterrupted(); !ok)
        return ok;

    QJsonObject details{{QStringLiteral("parallel"), m_options.parallel},
        {QStringLiteral("expected"), int(m_options.expected.size())},
        {QStringLiteral("profiles"), QJsonArray::fromStringList(names)},
        {QStringLiteral("interruptedClosed"), m_interruptedClosed}};
    auto started = m_env.store->audit().append(QStringLiteral("batch.started"), QString(), details);
    if (!started)
        return std::unexpected(started.error());
    m_batchSeq = started->seq;
    m_started = true;
    QTimer::singleShot(0, this, [this] { schedule(); });
    return {};
}

Result<void> BatchRunner::recoverInterrupted()
{
    store::Store &st = *m_env.store;
    store::DeviceQuery query;
    query.claimedBy = m_env.benchId;
    auto held = st.inventory().list(query);
    if (!held)
        return std::unexpected(held.error());
    if (held->isEmpty())
        return {};
    QSet<QString> ours;
    for (const auto &d : std::as_const(*held))
        ours.insert(d.id);
    auto open = st.audit().openIntents();
    if (!open)
        return std::unexpected(open.error());
    const QString reason = QStringLiteral(
        "interrupted: the bench stopped during this write, so the device may hold the old or the "
        "new value; the batch writes it again");
    for (const auto &intent : std::as_const(*open)) {
        if (!ours.contains(intent.deviceId))
            continue;
        auto closed = st.audit().appendOutcome(intent.seq, false, reason,
            QJsonObject{{QStringLiteral("reason"), reason}, {QStringLiteral("interrupted"), true},
                {QStringLiteral("step"), QStringLiteral("write")}});
        if (!closed)
            return std::unexpected(closed.error());
        ++m_interruptedClosed;
    }
    for (const auto &d : std::as_const(*held)) {
        // A device that completed keeps its state (it is skipped); one cut
        // off before it did is failed, so it is written again.
        if (d.state == u"provisioning" || d.state == u"credentials-written"
            || d.state == u"discovered") {
            if (auto ok = st.inventory().setState(d.id, QStringLiteral("failed"), reason); !ok)
                return ok;
        }
        if (auto ok = st.inventory().release(d.id, m_env.benchId); !ok)
            return ok;
    }
    return {};
}

void BatchRunner::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    // Devices still waiting will not get their turn.
    for (qsizetype i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].status == BatchEntry::Status::Waiting)
            setStatus(int(i), BatchEntry::Status::Failed,
                QStringLiteral("The batch was stopped before its turn; nothing was written."));
    if (m_started) {
        const BatchSummary s = summary();
        auto ok = m_env.store->audit().append(QStringLiteral("batch.finished"), QString(),
            QJsonObject{{QStringLiteral("batch"), m_batchSeq}, {QStringLiteral("seen"), s.seen},
                {QStringLiteral("done"), s.done}, {QStringLiteral("skipped"), s.skipped},
                {QStringLiteral("unknown"), s.unknown}, {QStringLiteral("failed"), s.failed},
                {QStringLiteral("busy"), s.busy},
                {QStringLiteral("notSeen"), QJsonArray::fromStringList(s.notSeen)}});
        if (!ok)
            Q_EMIT problem(ok.error().message);
    }
}

int BatchRunner::addEntry(BatchEntry entry)
{
    const int row = int(m_entries.size());
    m_rowBySource.insert(entry.source, row);
    m_entries.append(std::move(entry));
    Q_EMIT entryAdded(row);
    return row;
}

void BatchRunner::addSerialPort(const PortInfo &port)
{
    if (m_stopped || m_rowBySource.contains(port.path))
        return;
    BatchEntry e;
    e.source = port.path;
    e.transport = QStringLiteral("serial");
    m_ports.insert(port.path, port);
    addEntry(std::move(e));
    if (m_started)
        schedule();
}

void BatchRunner::removeSerialPort(const QString &path)
{
    const int row = m_rowBySource.value(path, -1);
    if (row < 0)
        return;
    m_rowBySource.remove(path);
    if (m_entries[row].status == BatchEntry::Status::Waiting) {
        m_ports.remove(path);
        setStatus(row, BatchEntry::Status::Failed,
            QStringLiteral("Unplugged before its turn; nothing was written."));
    }
    // A running device notices by itself: its link fails and the job says
    // what was written.
}

void BatchRunner::addBleDevice(const ble::BleDevice &device)
{
    const QString source = QStringLiteral("ble:") + device.advert.address;
    if (m_stopped || !device.isProvisionable() || m_rowBySource.contains(source))
        return;
    BatchEntry e;
    e.source = source;
    e.transport = QStringLiteral("ble");
    e.name = device.advert.name;
    m_ble.insert(source, device);
    addEntry(std::move(e));
    if (m_started)
        schedule();
}

void BatchRunner::removeBleDevice(const QString &address)
{
    const QString source = QStringLiteral("ble:") + address;
    const int row = m_rowBySource.value(source, -1);
    if (row < 0)
        return;
    // A device that stops advertising while connected is being worked on:
    // most peripherals go quiet once connected. Its turn ends normally; only
    // then is it forgotten, so coming back later starts a new turn.
    if (m_entries[row].isActive()) {
        m_goneWhileActive.insert(source);
        return;
    }
    m_rowBySource.remove(source);
    if (m_entries[row].status == BatchEntry::Status::Waiting) {
        m_ble.remove(source);
        setStatus(row, BatchEntry::Status::Failed,
            QStringLiteral("Out of range before its turn; nothing was written."));
    }
}

int BatchRunner::activeCount() const
{
    return int(m_running.size());
}

void BatchRunner::schedule()
{
    if (!m_started)
        return;
    for (qsizetype i = 0; i < m_entries.size() && activeCount() < m_options.parallel; ++i)
        if (m_entries[i].status == BatchEntry::Status::Waiting && !m_running.contains(int(i)))
            launch(int(i));
    if (isIdle())
        Q_EMIT idle();
}

void BatchRunner::launch(int row)
{
    BatchEntry &e = m_entries[row];
    e.startedMs = QDateTime::currentMSecsSinceEpoch();
    auto *job = new DeviceProvisioning(this, row);
    m_running.insert(row, job);
    connect(job, &DeviceProvisioning::finished, this, [this, row] { onFinished(row); });
    if (e.transport == u"ble")
        job->startBle(m_ble.value(e.source));
    else
        job->startSerial(m_ports.value(e.source));
}

void BatchRunner::onFinished(int row)
{
    if (DeviceProvisioning *job = m_running.take(row))
        job->deleteLater();
    BatchEntry &e = m_entries[row];
    if (!e.isSettled()) { // a device ends settled; be safe
        e.status = BatchEntry::Status::Failed;
        e.finishedMs = QDateTime::currentMSecsSinceEpoch();
        Q_EMIT entryChanged(row);
    }
    // Gone while it was worked on: forget the port, so a replug starts afresh.
    if (m_goneWhileActive.remove(e.source))
        m_rowBySource.remove(e.source);
    if (m_rowBySource.value(e.source, -1) != row) {
        m_ports.remove(e.source);
        m_ble.remove(e.source);
    }
    schedule();
}

void BatchRunner::setStatus(int row, BatchEntry::Status status, const QString &message)
{
    BatchEntry &e = m_entries[row];
    e.status = status;
    if (!message.isEmpty() || e.isSettled())
        e.message = message;
    if (e.isSettled())
        e.finishedMs = QDateTime::currentMSecsSinceEpoch();
    Q_EMIT entryChanged(row);
}

bool BatchRunner::isIdle() const
{
    if (!m_running.isEmpty())
        return false;
    for (const BatchEntry &e : m_entries)
        if (e.status == BatchEntry::Status::Waiting)
            return false;
    return true;
}

BatchSummary BatchRunner::summary() const
{
    BatchSummary s;
    s.seen = int(m_entries.size());
    s.expected = int(m_options.expected.size());
    s.interruptedClosed = m_interruptedClosed;
    QSet<QString> settled;
    for (const BatchEntry &e : m_entries) {
        switch (e.status) {
        case BatchEntry::Status::Done:
            ++s.done;
            break;
        case BatchEntry::Status::Skipped:
            ++s.skipped;
            break;
        case BatchEntry::Status::Unknown:
            ++s.unknown;
            break;
        case BatchEntry::Status::Busy:
            ++s.busy;
            break;
        case BatchEntry::Status::Failed:
            ++s.failed;
            break;
        default:
            ++s.inProgress;
            break;
        }
        if (!e.deviceId.isEmpty())
            settled.insert(e.deviceId.toLower());
    }
    for (const auto &x : m_options.expected)
        if (!settled.contains(x.serialNumber.trimmed().toLower()))
            s.notSeen << x.serialNumber;
    return s;
}

bool BatchRunner::allExpectedDone() const
{
    if (m_options.expected.isEmpty() || !isIdle())
        return false;
    QSet<QString> settled;
    for (const BatchEntry &e : m_entries)
        if (e.status == BatchEntry::Status::Done || e.status == BatchEntry::Status::Skipped)
            settled.insert(e.deviceId.toLower());
    for (const auto &x : m_options.expected)
        if (!settled.contains(x.serialNumber.trimmed().toLower()))
            return false;
    return true;
}

} // namespace provbench::onboarding::batch
