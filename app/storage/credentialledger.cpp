#include "app/storage/credentialledger.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QSet>

namespace provbench {

namespace {

constexpr const char *kKindNames[]
    = {"private-key", "certificate", "psk", "password", "wifi-passphrase"};

std::optional<CredentialLedger::Kind> kindFromName(const QString &name)
{
    for (int i = 0; i < int(std::size(kKindNames)); ++i) {
        if (name == QLatin1String(kKindNames[i]))
            return CredentialLedger::Kind(i);
    }
    return std::nullopt;
}

QByteArray entryLine(const CredentialLedger::Entry &e)
{
    return QJsonDocument(
               QJsonObject{{QStringLiteral("kind"), CredentialLedger::kindName(e.kind)},
                   {QStringLiteral("fingerprint"), e.fingerprint},
                   {QStringLiteral("device"), e.device}, {QStringLiteral("profile"), e.profile},
                   {QStringLiteral("time"), e.time.toString(Qt::ISODate)}})
               .toJson(QJsonDocument::Compact)
        + '\n';
}

} // namespace

QString CredentialLedger::kindName(Kind kind)
{
    return QLatin1String(kKindNames[int(kind)]);
}

Result<CredentialLedger> CredentialLedger::open(const Workspace &workspace, QByteArray hmacKey)
{
    if (hmacKey.size() < 32)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The credential ledger needs a key of at least 32 bytes from "
                           "the vault."));
    CredentialLedger ledger(workspace.filePath(QStringLiteral("ledger.jsonl")), std::move(hmacKey));
    if (auto ok = ledger.load(); !ok)
        return std::unexpected(ok.error());
    return ledger;
}

Result<void> CredentialLedger::load()
{
    if (!QFile::exists(m_path))
        return {};
    auto bytes = Workspace::readFile(m_path, qint64(64) << 20);
    if (!bytes)
        return std::unexpected(bytes.error());
    int lineNo = 0;
    for (const QByteArray &line : bytes->split('\n')) {
        ++lineNo;
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const auto kind = kindFromName(o.value(QStringLiteral("kind")).toString());
        const QString fp = o.value(QStringLiteral("fingerprint")).toString();
        if (!kind || fp.size() != 64)
            return fail(Error::Code::Protocol,
                QStringLiteral("%1, line %2, is not a ledger entry: the file was edited "
                               "or damaged. Restore it from a backup; reuse detection "
                               "cannot be trusted until then.")
                    .arg(m_path)
                    .arg(lineNo));
        m_entries.append(Entry{*kind, fp, o.value(QStringLiteral("device")).toString(),
            o.value(QStringLiteral("profile")).toString(),
            QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODate)});
    }
    return {};
}

Result<CredentialLedger::ProfileFacts> CredentialLedger::usageOf(
    const Workspace &workspace, const QString &profile)
{
    // No key: this instance only reads, it never fingerprints anything.
    CredentialLedger ledger(workspace.filePath(QStringLiteral("ledger.jsonl")), QByteArray());
    if (auto ok = ledger.load(); !ok)
        return std::unexpected(ok.error());
    return ledger.factsFor(profile);
}

QString CredentialLedger::fingerprint(QByteArrayView material) const
{
    return QString::fromLatin1(
        QMessageAuthenticationCode::hash(material.toByteArray(), m_key, QCryptographicHash::Sha256)
            .toHex());
}

CredentialLedger::Reuse CredentialLedger::check(
    Kind kind, QByteArrayView material, const QString &device) const
{
    const QString fp = fingerprint(material);
    Reuse reuse{kind, {}};
    for (const Entry &e : m_entries) {
        if (e.fingerprint == fp && e.kind == kind && e.device != device
            && !reuse.otherDevices.contains(e.device))
            reuse.otherDevices.append(e.device);
    }
    return reuse;
}

Result<CredentialLedger::Reuse> CredentialLedger::record(
    Kind kind, QByteArrayView material, const QString &device, const QString &profile)
{
    const Reuse reuse = check(kind, material, device);
    const Entry e{kind, fingerprint(material), device, profile, QDateTime::currentDateTimeUtc()};
    // Rewrite the whole file atomically: at bench scale (thousands of lines)
    // this is cheap, and a crash never leaves half a line behind.
    QByteArray all;
    for (const Entry &old : std::as_const(m_entries))
        all += entryLine(old);
    all += entryLine(e);
    if (auto ok = Workspace::writeFile(m_path, all); !ok)
        return std::unexpected(ok.error());
    m_entries.append(e);
    return reuse;
}

CredentialLedger::ProfileFacts CredentialLedger::factsFor(const QString &profile) const
{
    ProfileFacts facts;
    QSet<QString> devices;
    QHash<QString, QSet<QString>> holders; // fingerprint -> devices
    QHash<QString, Kind> kinds;
    for (const Entry &e : m_entries) {
        if (e.profile != profile)
            continue;
        devices.insert(e.device);
        holders[e.fingerprint].insert(e.device);
        kinds.insert(e.fingerprint, e.kind);
    }
    facts.devices = int(devices.size());
    for (auto it = holders.cbegin(); it != holders.cend(); ++it) {
        if (it->size() > 1) {
            ++facts.reusedCredentials;
            facts.examples.append(QStringLiteral("the same %1 on %2 devices")
                                      .arg(kindName(kinds.value(it.key())))
                                      .arg(it->size()));
        }
    }
    facts.examples.sort();
    return facts;
}

} // namespace provbench
