// Test helper for cli_status.sh: appends the audit records of one step of a
// device's onboarding journey to a workspace's store, as a bench would.
//   boardevents <workspace> discovered|identified|onboarded <device> [name]
//   boardevents <workspace> failed <device> <reason>
//   boardevents <workspace> fingerprint <device> <fingerprint>

#include "app/onboarding/journey/journeyevents.h"
#include "app/storage/store/store.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QTextStream>

using namespace provbench;

namespace {

int failWith(const QString &message)
{
    QTextStream(stderr) << "boardevents: " << message << '\n';
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() < 3)
        return failWith(QStringLiteral("usage: boardevents <workspace> <step> <device> [text]"));
    const QString &step = args[1];
    const QString &device = args[2];
    const QString text = args.value(3);
    auto opened = store::Store::open(QString(), args[0], QStringLiteral("test@bench"));
    if (!opened)
        return failWith(opened.error().message);
    store::Store &store = **opened;
    const journey::DeviceSighting seen{
        QStringLiteral("serial"), QStringLiteral("/dev/ttySIM"), text, QString(), {}};
    if (step == u"discovered") {
        store::InventoryDevice d;
        d.id = device;
        d.name = text;
        d.transport = QStringLiteral("serial");
        if (auto up = store.inventory().upsert(d); !up)
            return failWith(up.error().message);
        if (auto r = journey::recordDiscovered(store.audit(), device, seen); !r)
            return failWith(r.error().message);
    } else if (step == u"identified") {
        if (auto r = journey::recordIdentified(store.audit(), device, seen); !r)
            return failWith(r.error().message);
    } else if (step == u"onboarded") {
        auto intent = store.audit().appendIntent(QStringLiteral("write"), device);
        if (!intent)
            return failWith(intent.error().message);
        if (auto r = store.audit().appendOutcome(*intent, true, QStringLiteral("written"),
                QJsonObject{{QStringLiteral("verified"), true}});
            !r)
            return failWith(r.error().message);
    } else if (step == u"failed") {
        if (auto r = store.audit().append(QStringLiteral("failure"), device,
                QJsonObject{{QStringLiteral("reason"), text},
                    {QStringLiteral("step"), QStringLiteral("write")}});
            !r)
            return failWith(r.error().message);
    } else if (step == u"fingerprint") {
        store::InventoryDevice d;
        d.id = device;
        d.fingerprints = QStringList{text};
        if (auto up = store.inventory().upsert(d); !up)
            return failWith(up.error().message);
    } else {
        return failWith(QStringLiteral("unknown step '%1'").arg(step));
    }
    return 0;
}
