// demoModemConfig() of simulatedmodem.h.
#include "app/simulator/simulatedmodem.h"

#include <QRandomGenerator>

namespace provbench::sim {

namespace {

// PEM-shaped text with a pseudo-random body: the simulator checks the shape of
// PEM, never its ASN.1, so demo credentials need no real key material.
QByteArray demoPem(const QByteArray &label, quint32 seed, int bodyBytes)
{
    QRandomGenerator rng(seed);
    QByteArray body;
    for (int i = 0; i < bodyBytes; ++i)
        body.append(char(rng.bounded(256)));
    const QByteArray b64 = body.toBase64();
    QByteArray pem = "-----BEGIN " + label + "-----\n";
    for (qsizetype i = 0; i < b64.size(); i += 64)
        pem += b64.mid(i, 64) + '\n';
    pem += "-----END " + label + "-----\n";
    return pem;
}

// A 15-digit IMEI with a valid Luhn check digit.
QString demoImei(int index)
{
    const QString body
        = QStringLiteral("35265610%1").arg(36787 + index * 7919, 6, 10, QLatin1Char('0'));
    int sum = 0;
    for (int i = 0; i < body.size(); ++i) {
        int d = body.at(i).digitValue();
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return body + QString::number((10 - sum % 10) % 10);
}

} // namespace

ModemConfig demoModemConfig(int index)
{
    ModemConfig c;
    c.seed = quint32(index + 1);
    c.imei = demoImei(index);
    switch (index % 3) {
    case 0: {
        c.name = QStringLiteral("nrf9160dk-%1").arg(index);
        c.model = QStringLiteral("nRF9160");
        c.firmware = QStringLiteral("mfw_nrf9160_1.3.6");
        c.initialMode = 1;
        const qint64 cloudTag = 16842753; // nRF Cloud's sec_tag
        c.credentials = {
            {cloudTag, 0, demoPem("CERTIFICATE", 11, 600), false},
            {cloudTag, 1, demoPem("CERTIFICATE", 12, 450), false},
            {cloudTag, 2, demoPem("PRIVATE KEY", 13, 138), false},
            // Tags above 2147483647 belong to the modem; it protects them.
            {4294967292LL, 0, demoPem("CERTIFICATE", 14, 500), true},
        };
        break;
    }
    case 1:
        c.name = QStringLiteral("nrf9161dk-%1").arg(index);
        c.model = QStringLiteral("nRF9161");
        c.firmware = QStringLiteral("mfw_nrf91x1_2.0.1");
        c.initialMode = 0;
        break;
    default:
        c.name = QStringLiteral("thingy91-%1").arg(index);
        c.model = QStringLiteral("nRF9160");
        c.firmware = QStringLiteral("mfw_nrf9160_1.3.5");
        c.initialMode = 4;
        c.credentials = {{42, 3, QByteArrayLiteral("000102030405060708090a0b0c0d0e0f"), false},
            {42, 4, QByteArrayLiteral("thingy-psk-id"), false}};
        break;
    }
    return c;
}

} // namespace provbench::sim
