#include "app/onboarding/batch/deviceprovisioning.h"

#include "app/core/logging.h"
#include "app/onboarding/batch/batchrunner.h"
#include "app/onboarding/cryptomaterial.h"
#include "app/onboarding/enrollment/tokenservice.h"
#include "app/onboarding/enrollmentmaterial.h"
#include "app/onboarding/handout.h"
#include "app/onboarding/journey/journeyevents.h"
#include "app/onboarding/protocoltargets.h"
#include "app/onboarding/provisioningjob.h"
#include "app/onboarding/servicetokenissuer.h"
#include "app/storage/credentialledger.h"
#include "app/storage/store/store.h"
#include "app/transport/seriallink.h"

#include <QDateTime>
#include <QJsonArray>
#include <QPointer>

namespace provbench::onboarding::batch {

namespace {

// Inventory states after which a batch leaves a device alone: its credentials
// are written and verified, and a dynamic device goes on by itself.
bool isDoneState(const QString &state)
{
    return state == u"verified" || state == u"pending-approval" || state == u"enrolled"
        || state == u"checked-in" || state == u"onboarded" || state == u"provisioned";
}

} // namespace

DeviceProvisioning::DeviceProvisioning(BatchRunner *runner, int row)
    : QObject(runner), m_runner(runner), m_row(row)
{
}

DeviceProvisioning::~DeviceProvisioning() = default;

void DeviceProvisioning::note(const Error &error)
{
    qCWarning(lcOnboarding).noquote() << "batch:" << error.message;
    Q_EMIT m_runner->problem(error.message);
}

template<typename T> bool DeviceProvisioning::check(const Result<T> &result)
{
    if (!result)
        note(result.error());
    return bool(result);
}

void DeviceProvisioning::startSerial(const PortInfo &port)
{
    m_port = port;
    m_runner->setStatus(m_row, BatchEntry::Status::Identifying);
    if (m_runner->m_env.acquire)
        if (auto ok = m_runner->m_env.acquire(port.path); !ok)
            return fail(ok.error().message);
    m_link = std::make_unique<SerialLink>(port.path);
    if (auto opened = m_link->open(); !opened)
        return fail(opened.error().message);
    m_identifier = std::make_unique<SerialIdentifier>(m_link.get(), port);
    m_identifier->setProbeTimeout(m_runner->m_options.probeTimeout);
    QPointer<DeviceProvisioning> self(this);
    m_identifier->run([this, self](Result<DeviceIdentity> identity) {
        if (self)
            onIdentified(std::move(identity));
    });
}

void DeviceProvisioning::startBle(const ble::BleDevice &device)
{
    m_bleDevice = device;
    m_runner->setStatus(m_row, BatchEntry::Status::Identifying);
    if (!m_runner->m_env.bleBackend)
        return fail(QStringLiteral("Bluetooth LE is not enabled for this batch."));
    if (m_runner->m_env.acquire)
        if (auto ok = m_runner->m_env.acquire(QStringLiteral("ble:") + device.advert.address); !ok)
            return fail(ok.error().message);
    m_ble = std::make_unique<BleSession>(m_runner->m_env.bleBackend, device.advert.address);
    QPointer<DeviceProvisioning> self(this);
    m_ble->identify([this, self, device](Result<BleSession::Identity> found) {
        if (!self)
            return;
        if (!found)
            return onIdentified(std::unexpected(found.error()));
        DeviceIdentity id;
        id.transport = QStringLiteral("ble");
        id.address = device.advert.address;
        id.protocol
            = found->kind == BleSession::Kind::Smp ? DeviceProtocol::Smp : DeviceProtocol::Improv;
        id.addKey(device.advert.address);
        if (found->info) {
            id.addKey(found->info->deviceName);
            id.name = found->info->deviceName;
            id.facts.insert(QStringLiteral("firmware"),
                QStringLiteral("%1 %2")
                    .arg(found->info->firmwareName, found->info->firmwareVersion)
                    .trimmed());
            id.facts.insert(QStringLiteral("hardware"), found->info->hardware);
        }
        id.addKey(device.advert.name);
        if (id.name.isEmpty())
            id.name = device.advert.name;
        id.facts.insert(QStringLiteral("protocol"), protocolName(id.protocol));
        id.facts.insert(QStringLiteral("rssi"), device.advert.rssi);
        onIdentified(id);
    });
}

// Which device this is and with which profile: the CSV row its keys (or a
// name the bench wrote to it) match, else, without a CSV, its first key. Sets
// the entry's id, site, name and profile; false when the device ended here
// (not in the CSV, or nothing to record it under).
bool DeviceProvisioning::matchDevice()
{
    BatchEntry &e = m_runner->m_entries[m_row];
    store::Store &st = *m_runner->m_env.store;
    const auto &expected = m_runner->m_options.expected;
    QString profileName = m_runner->m_options.defaultProfile;
    // A name the bench wrote earlier (an Improv device renamed by its profile)
    // still leads to the device it was written to.
    QString aliasOf;
    for (const QString &key : std::as_const(m_identity.keys)) {
        auto id = st.inventory().deviceForAlias(key);
        if (!check(id))
            break;
        if (!id->isEmpty()) {
            aliasOf = *id;
            break;
        }
    }
    if (!expected.isEmpty()) {
        int match = matchExpected(m_identity, expected);
        if (match < 0 && !aliasOf.isEmpty()) {
            DeviceIdentity byAlias;
            byAlias.addKey(aliasOf);
            match = matchExpected(byAlias, expected);
        }
        if (match < 0) {
            // Listed, never written: a device the site did not expect.
            check(st.audit().append(QStringLiteral("batch.unknown"),
                m_identity.keys.value(0, m_identity.address),
                QJsonObject{{QStringLiteral("batch"), m_runner->m_batchSeq},
                    {QStringLiteral("transport"), m_identity.transport},
                    {QStringLiteral("address"), m_identity.address},
                    {QStringLiteral("keys"), QJsonArray::fromStringList(m_identity.keys)},
                    {QStringLiteral("identity"), m_identity.facts}}));
            m_runner->setStatus(m_row, BatchEntry::Status::Unknown,
                m_identity.keys.isEmpty()
                    ? QStringLiteral("Not in the CSV: the device reports no serial number or name.")
                    : QStringLiteral("Not in the CSV (it reports %1); not touched.")
                          .arg(m_identity.keys.join(QStringLiteral(", "))));
            end();
            return false;
        }
        const journey::ExpectedDevice &x = expected[match];
        e.deviceId = x.serialNumber.trimmed();
        e.site = x.site;
        e.csvLine = x.line;
        if (!x.name.isEmpty())
            e.name = x.name;
        if (!x.profile.isEmpty())
            profileName = x.profile;
    } else {
        if (m_identity.keys.isEmpty()) {
            fail(QStringLiteral("The device reports no serial number or name to record it "
                                "under; list it in a CSV instead."));
            return false;
        }
        e.deviceId = aliasOf.isEmpty() ? m_identity.keys.first() : aliasOf;
    }
    e.profile = profileName;
    return true;
}

void DeviceProvisioning::onIdentified(Result<DeviceIdentity> identity)
{
    BatchEntry &e = m_runner->m_entries[m_row];
    if (!identity)
        return fail(
            QStringLiteral("Could not identify the device: %1").arg(identity.error().message));
    m_identity = *identity;
    e.keys = m_identity.keys;
    e.protocol = protocolName(m_identity.protocol);
    e.name = m_identity.name;
    if (!matchDevice())
        return;
    store::Store &st = *m_runner->m_env.store;
    const QString profileName = e.profile;

    // The same device on two ports (or a CSV row matched twice) is worked on once.
    for (qsizetype i = 0; i < m_runner->m_entries.size(); ++i) {
        const BatchEntry &other = m_runner->m_entries[i];
        if (i != m_row && other.deviceId.compare(e.deviceId, Qt::CaseInsensitive) == 0
            && (other.isActive() || other.status == BatchEntry::Status::Done)
            && m_runner->m_rowBySource.value(other.source, -1) == int(i))
            return fail(QStringLiteral("%1 is already being worked on at %2; this looks like the "
                                       "same device twice.")
                            .arg(e.deviceId, other.source));
    }

    // Done before (this batch, an earlier one, or by hand): leave it alone.
    if (auto known = st.inventory().get(e.deviceId); known && isDoneState(known->state)) {
        check(st.audit().append(QStringLiteral("batch.skipped"), e.deviceId,
            QJsonObject{{QStringLiteral("batch"), m_runner->m_batchSeq},
                {QStringLiteral("state"), known->state},
                {QStringLiteral("address"), m_identity.address}}));
        m_runner->setStatus(m_row, BatchEntry::Status::Skipped,
            QStringLiteral("Already %1; not touched.").arg(known->state));
        return end();
    }

    auto profile = m_runner->m_profiles.value(profileName);
    if (!m_runner->m_profiles.contains(profileName))
        return fail(QStringLiteral("Profile \"%1\" is not part of this batch.").arg(profileName));

    // Into the inventory, then claim it: another bench on the same store
    // must not write the same device at the same time.
    store::InventoryDevice d;
    d.id = e.deviceId;
    d.serialNumber = m_identity.keys.value(0);
    d.name = e.name;
    d.site = e.site;
    d.transport = m_identity.transport;
    d.transportId = m_identity.address;
    d.profile = profile.name;
    if (!check(st.inventory().upsert(d)))
        return fail(QStringLiteral("The inventory could not be updated, so the device was not "
                                   "written."));
    auto claim = st.inventory().claim(e.deviceId, m_runner->m_env.benchId);
    if (!claim)
        return fail(claim.error().message);
    if (!claim->granted) {
        m_runner->setStatus(m_row, BatchEntry::Status::Busy,
            QStringLiteral("Held by %1; not touched.").arg(claim->holder));
        return end();
    }
    m_claimed = true;

    journey::DeviceSighting sighting;
    sighting.transport = m_identity.transport;
    sighting.address = m_identity.address;
    sighting.name = e.name;
    sighting.profileKind
        = profile.dynamicSettings() ? QStringLiteral("dynamic") : QStringLiteral("static");
    sighting.identity = m_identity.facts;
    if (!e.site.isEmpty())
        sighting.identity.insert(QStringLiteral("site"), e.site);
    sighting.identity.insert(QStringLiteral("batch"), m_runner->m_batchSeq);
    // The workbench may have put this device on the board under its port
    // (or BLE address) before anyone knew what it was: that journey becomes
    // this one.
    const QString placeholder = m_identity.transport == u"ble"
        ? QStringLiteral("ble:") + m_identity.address
        : m_identity.address;
    if (placeholder != e.deviceId) {
        store::AuditFilter byPlaceholder;
        byPlaceholder.deviceId = placeholder;
        byPlaceholder.limit = 1;
        auto earlier = st.audit().records(byPlaceholder);
        if (check(earlier) && !earlier->isEmpty())
            check(st.audit().append(QStringLiteral("device.merged"), placeholder,
                QJsonObject{{QStringLiteral("into"), e.deviceId}}));
    }
    check(journey::recordDiscovered(st.audit(), e.deviceId, sighting));
    check(journey::recordIdentified(st.audit(), e.deviceId, sighting));
    provision(profile);
}

void DeviceProvisioning::provision(const profiles::Profile &profile)
{
    m_runner->setStatus(m_row, BatchEntry::Status::Provisioning);
    PlanOptions planOptions;
    planOptions.secTag = m_runner->m_env.secTag;
    m_plan = planCredentials(profile, m_identity.protocol, planOptions);
    if (planNeedsCa(m_plan) && !m_runner->m_env.ca)
        return fail(QStringLiteral("Profile \"%1\" needs the workspace CA, which this batch has "
                                   "not opened.")
                        .arg(profile.name));
    QPointer<DeviceProvisioning> self(this);
    openTarget([this, self, profile](Result<void> opened) {
        if (!self)
            return;
        if (!opened)
            return fail(opened.error().message);
        runJob(profile);
    });
}

void DeviceProvisioning::openTarget(std::function<void(Result<void>)> done)
{
    if (m_ble) {
        QPointer<DeviceProvisioning> self(this);
        m_ble->openCredentialAccess(
            [this, self, done = std::move(done)](Result<BleCredentialAccess> access) {
                if (!self)
                    return;
                if (!access)
                    return done(std::unexpected(access.error()));
                m_access = std::move(*access);
                done({});
            });
        return;
    }
    // The identifier's client is gone; a fresh one for the writes.
    m_identifier.reset();
    m_serial = makeSerialAccess(m_identity.protocol, m_link.get());
    done({});
}

void DeviceProvisioning::runJob(const profiles::Profile &profile)
{
    BatchEntry &e = m_runner->m_entries[m_row];
    const BatchEnvironment &env = m_runner->m_env;
    store::Store &st = *env.store;

    if (env.ca && planNeedsCa(m_plan))
        m_crypto = std::make_unique<CryptoMaterial>(profile, *env.ca);
    m_profileMaterial
        = std::make_unique<ProfileMaterial>(profile, env.workspacePath, m_crypto.get());
    m_tokens = std::make_unique<enrollment::TokenService>(st);
    m_issuer = std::make_unique<ServiceTokenIssuer>(*m_tokens);
    m_enrollment = std::make_unique<EnrollmentMaterial>(m_profileMaterial.get(), m_issuer.get(),
        e.deviceId, tokenTtl(profile), tokenSingleUse(profile));
    m_material = std::make_unique<RecordingMaterial>(m_enrollment.get());

    CredentialTarget *inner = m_access.target ? m_access.target.get() : m_serial.target.get();
    m_audited = std::make_unique<AuditedTarget>(inner, &st,
        AuditedTarget::DeviceInfo{
            e.deviceId, e.name, m_identity.transport, m_identity.address, profile.name});
    m_audited->setPlan(m_plan);

    profiles::DeviceVars vars;
    vars.serial = e.deviceId;
    vars.name = e.name;
    vars.site = e.site;
    if (m_bleDevice)
        vars.mac = m_bleDevice->advert.address;
    // {seq}: one number per device and profile, never handed out twice.
    auto seq = st.inventory().nextSequence(QStringLiteral("seq.") + profile.name);
    vars.seq = seq ? int(*seq) : 0;
    if (!seq)
        note(seq.error());

    m_job = std::make_unique<ProvisioningJob>(m_plan, m_audited.get(), m_material.get(), vars);
    QPointer<DeviceProvisioning> self(this);
    connect(m_job.get(), &ProvisioningJob::finished, this,
        [this, self, profile](bool ok, const QString &message) {
            if (self)
                jobFinished(ok, message, profile);
        });
    m_job->start();
}

void DeviceProvisioning::jobFinished(
    bool ok, const QString &message, const profiles::Profile &profile)
{
    const BatchEntry &e = m_runner->m_entries[m_row];
    if (m_runner->m_env.ledger) {
        auto reused = recordHandout(*m_runner->m_env.ledger, m_plan, m_job->outcomes(),
            m_material->given(), e.deviceId, profile.name);
        if (!reused)
            note(Error::make(Error::Code::Io,
                QStringLiteral("The credential ledger could not be updated for %1: %2")
                    .arg(e.deviceId, reused.error().message)));
        else
            for (const QString &w : std::as_const(*reused))
                Q_EMIT m_runner->problem(w);
    }
    recordAliases();
    for (const QString &p : m_audited->auditProblems())
        Q_EMIT m_runner->problem(p);
    if (ok) {
        m_runner->setStatus(m_row, BatchEntry::Status::Done,
            profile.dynamicSettings()
                ? QStringLiteral("%1; the device now enrolls by itself.").arg(message)
                : message);
    } else {
        // The summary counts; the first problem says what to fix.
        QString first;
        const auto &outcomes = m_job->outcomes();
        for (qsizetype i = 0; i < outcomes.size() && i < m_plan.size() && first.isEmpty(); ++i) {
            const ItemOutcome &o = outcomes[i];
            if (o.state == ItemOutcome::State::Verified
                || (o.state == ItemOutcome::State::Unsupported && m_plan[i].notApplicable)
                || o.detail.startsWith(u"not attempted"))
                continue;
            first = describeOutcome(m_plan[i], o);
        }
        // The reason first: it is what a narrow table column still shows.
        const bool stop = first.endsWith(QLatin1Char('.')) || first.endsWith(QLatin1Char('!'));
        m_runner->setStatus(m_row, BatchEntry::Status::Failed,
            first.isEmpty() || message.contains(first)
                ? message
                : first + (stop ? QStringLiteral(" ") : QStringLiteral(". ")) + message);
    }
    end();
}

// Names written to the device that it will report from now on (the Improv
// device name) become aliases, so the next batch still knows it. A fixed name
// shared by every device of a profile would be ambiguous and is not recorded.
void DeviceProvisioning::recordAliases()
{
    const BatchEntry &e = m_runner->m_entries[m_row];
    for (qsizetype i = 0; i < m_plan.size() && i < m_job->outcomes().size(); ++i) {
        const PlanItem &item = m_plan[i];
        if (item.target != PlanItem::Target::DeviceName
            && item.target != PlanItem::Target::Hostname)
            continue;
        if (m_job->outcomes()[i].state != ItemOutcome::State::Verified
            || !profiles::isPerDevice(item.profileValue))
            continue;
        const QString written = QString::fromUtf8(m_material->given().value(item.id)).trimmed();
        if (written.isEmpty() || written.compare(e.deviceId, Qt::CaseInsensitive) == 0)
            continue;
        check(m_runner->m_env.store->inventory().addAlias(written, e.deviceId));
    }
}

void DeviceProvisioning::fail(const QString &message)
{
    BatchEntry &e = m_runner->m_entries[m_row];
    // A matched device that fails before its job records the failure itself,
    // so the board shows why; the job's own failures are recorded by AuditedTarget.
    if (!e.deviceId.isEmpty() && m_claimed && !m_job) {
        check(m_runner->m_env.store->audit().append(QStringLiteral("failure"), e.deviceId,
            QJsonObject{{QStringLiteral("reason"), message},
                {QStringLiteral("step"), QStringLiteral("connect")}}));
        check(m_runner->m_env.store->inventory().setState(
            e.deviceId, QStringLiteral("failed"), message));
    }
    m_runner->setStatus(m_row, BatchEntry::Status::Failed, message);
    end();
}

void DeviceProvisioning::end()
{
    if (m_ended)
        return;
    m_ended = true;
    const BatchEntry &e = m_runner->m_entries[m_row];
    if (m_claimed)
        check(m_runner->m_env.store->inventory().release(e.deviceId, m_runner->m_env.benchId));
    // Close the port now, from the event loop: callers may still be on the
    // stack of a client that lives on the link.
    QPointer<DeviceProvisioning> self(this);
    QMetaObject::invokeMethod(
        this,
        [this, self] {
            if (!self)
                return;
            m_job.reset();
            m_audited.reset();
            m_access = {};
            m_serial = {};
            m_identifier.reset();
            if (m_ble)
                m_ble->close();
            m_ble.reset();
            if (m_link)
                m_link->close();
            m_link.reset();
            Q_EMIT finished();
        },
        Qt::QueuedConnection);
}

} // namespace provbench::onboarding::batch
