// The Enrollment page's models without a database: the events model's
// summaries (a table of audit records) and its newest-first order and cap,
// the pending requests model's diffing (removed and new requests, selection
// kept), both under QAbstractItemModelTester.

#include "app/crypto/csr.h"
#include "app/crypto/key.h"
#include "app/onboarding/enrollment/approvalqueue.h"
#include "app/storage/store/auditrecord.h"
#include "models/enrollmenteventsmodel.h"
#include "models/pendingrequestsmodel.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QTest>

using namespace provbench;

namespace {

store::AuditRecord record(
    qint64 seq, const QString &kind, const QString &device, const QJsonObject &details = {})
{
    store::AuditRecord r;
    r.seq = seq;
    r.time = QStringLiteral("2024-05-01T12:00:%1.000Z").arg(seq % 60, 2, 10, QLatin1Char('0'));
    r.kind = kind;
    r.deviceId = device;
    r.details = store::canonicalJson(details);
    return r;
}

PendingRequestsModel::Row row(qint64 id, const QString &device)
{
    PendingRequestsModel::Row r;
    r.id = id;
    r.deviceId = device;
    return r;
}

} // namespace

class tst_EnrollmentModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void summary_data();
    void summary();
    void events_keepOnlyEnrollmentKinds_newestFirst_capped();
    void pending_diff_removesDecided_appendsNew_keepsSelection();
    void pending_describe_readsKeyAndSubjectFromTheCsr();
};

void tst_EnrollmentModels::summary_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QJsonObject>("details");
    QTest::addColumn<QString>("expected");
    QTest::newRow("denied with reason")
        << QStringLiteral("enroll.denied")
        << QJsonObject{{QStringLiteral("request"), 3},
               {QStringLiteral("decided_by"), QStringLiteral("ann@b1")},
               {QStringLiteral("reason"), QStringLiteral("wrong batch")}}
        << QStringLiteral("request 3 denied by ann@b1 \u2014 wrong batch");
    QTest::newRow("failure with status and peer")
        << QStringLiteral("failure")
        << QJsonObject{{QStringLiteral("status"), 401},
               {QStringLiteral("reason"), QStringLiteral("Replayed token.")},
               {QStringLiteral("peer"), QStringLiteral("10.0.0.5:4000")}}
        << QStringLiteral("401 \u2014 Replayed token. (from 10.0.0.5:4000)");
    QTest::newRow("request") << QStringLiteral("enroll.request")
                             << QJsonObject{{QStringLiteral("operation"),
                                                QStringLiteral("simpleenroll")},
                                    {QStringLiteral("auth"), QStringLiteral("token")},
                                    {QStringLiteral("peer"), QStringLiteral("127.0.0.1:1")}}
                             << QStringLiteral("simpleenroll by token (from 127.0.0.1:1)");
    QTest::newRow("pending") << QStringLiteral("enroll.pending")
                             << QJsonObject{{QStringLiteral("request"), 7}}
                             << QStringLiteral("request 7 waits for approval");
    QTest::newRow("checkin without firmware")
        << QStringLiteral("checkin") << QJsonObject{} << QString();
}

void tst_EnrollmentModels::summary()
{
    QFETCH(QString, kind);
    QFETCH(QJsonObject, details);
    QFETCH(QString, expected);
    QCOMPARE(EnrollmentEventsModel::summary(record(1, kind, QStringLiteral("dev-1"), details)),
        expected);
}

void tst_EnrollmentModels::events_keepOnlyEnrollmentKinds_newestFirst_capped()
{
    EnrollmentEventsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addRecords({record(1, QStringLiteral("token.issued"), QStringLiteral("a")),
        record(2, QStringLiteral("device.discovered"), QStringLiteral("a")),
        record(3, QStringLiteral("cert.issued"), QStringLiteral("a"))});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.lastSeq(), 3);
    QCOMPARE(model.index(0, 0).data(EnrollmentEventsModel::KindRole).toString(),
        QStringLiteral("cert.issued"));

    QList<store::AuditRecord> many;
    for (qint64 seq = 4; seq < 4 + EnrollmentEventsModel::kMaxRows + 10; ++seq)
        many.append(record(seq, QStringLiteral("failure"), QStringLiteral("b")));
    model.addRecords(many);
    QCOMPARE(model.rowCount(), EnrollmentEventsModel::kMaxRows);
    QCOMPARE(model.index(0, 0).data(EnrollmentEventsModel::SeqRole).toLongLong(), many.last().seq);
    QVERIFY(model.index(0, 0).data(EnrollmentEventsModel::FailureRole).toBool());
}

void tst_EnrollmentModels::pending_diff_removesDecided_appendsNew_keepsSelection()
{
    PendingRequestsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QItemSelectionModel selection(&model);
    model.setRequests(
        {row(1, QStringLiteral("a")), row(2, QStringLiteral("b")), row(3, QStringLiteral("c"))});
    QCOMPARE(model.rowCount(), 3);
    selection.select(model.index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);

    model.setRequests(
        {row(1, QStringLiteral("a")), row(3, QStringLiteral("c")), row(4, QStringLiteral("d"))});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.requestIdAt(0), 1);
    QCOMPARE(model.requestIdAt(1), 3);
    QCOMPARE(model.requestIdAt(2), 4);
    const QModelIndexList selected = selection.selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(model.requestIdAt(selected.first().row()), 3);

    model.setRequests({});
    QCOMPARE(model.rowCount(), 0);
}

void tst_EnrollmentModels::pending_describe_readsKeyAndSubjectFromTheCsr()
{
    auto key = crypto::Key::generate(profiles::KeyAlgorithm::Ed25519);
    QVERIFY(key);
    auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("CN=dev-9"));
    QVERIFY(csr);
    enrollment::EnrollmentRequest request;
    request.id = 9;
    request.deviceId = QStringLiteral("dev-9");
    request.csrDer = *csr->toDer();
    request.createdAt = QStringLiteral("2024-05-01T12:00:00.000Z");
    const PendingRequestsModel::Row r
        = PendingRequestsModel::describe(request, QStringLiteral("10.1.2.3:5"));
    QCOMPARE(r.keyType, QStringLiteral("Ed25519"));
    QVERIFY(r.subject.contains(QStringLiteral("dev-9")));
    QCOMPARE(r.peer, QStringLiteral("10.1.2.3:5"));

    request.csrDer = "not a csr";
    QCOMPARE(PendingRequestsModel::describe(request, {}).keyType, QStringLiteral("unreadable CSR"));
}

QTEST_MAIN(tst_EnrollmentModels)
#include "tst_enrollmentmodels.moc"
