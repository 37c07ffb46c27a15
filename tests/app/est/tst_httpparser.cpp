// HttpParser: every limit, what it refuses and why, and that splitting the
// input anywhere changes nothing.
#include "app/protocol/est/httpparser.h"

#include <QTest>

using provbench::est::HttpLimits;
using provbench::est::HttpParser;

namespace {

const QByteArray kPost = "POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: localhost\r\n"
                         "Content-Type: application/pkcs10\r\nContent-Length: 5\r\n\r\nhello";

HttpLimits smallLimits()
{
    HttpLimits l;
    l.maxRequestLine = 64;
    l.maxHeaderBytes = 128;
    l.maxHeaders = 4;
    l.maxBody = 16;
    return l;
}

// "n requests" or "error <status>" or "incomplete".
QString outcome(HttpParser &parser, const QByteArray &input, bool byteByByte)
{
    int requests = 0;
    auto feed = [&](QByteArrayView bytes) -> std::optional<int> {
        auto r = parser.feed(bytes);
        requests += int(r.requests.size());
        if (r.error)
            return r.error->status;
        return std::nullopt;
    };
    if (byteByByte) {
        for (qsizetype i = 0; i < input.size(); ++i) {
            if (auto e = feed(QByteArrayView(input).sliced(i, 1)))
                return QStringLiteral("error %1").arg(*e);
        }
    } else if (auto e = feed(input)) {
        return QStringLiteral("error %1").arg(*e);
    }
    if (parser.inRequest())
        return QStringLiteral("incomplete after %1").arg(requests);
    return QStringLiteral("%1 requests").arg(requests);
}

} // namespace

class tst_HttpParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        const QByteArray host = "Host: a\r\n";
        QTest::newRow("get") << QByteArray("GET /.well-known/est/cacerts HTTP/1.1\r\n" + host
            + "\r\n") << "1 requests";
        QTest::newRow("post with body") << kPost << "1 requests";
        QTest::newRow("pipelined")
            << (kPost + kPost + "GET / HTTP/1.1\r\n" + host + "\r\n") << "3 requests";
        QTest::newRow("blank lines between requests")
            << (kPost + "\r\n\r\n" + kPost) << "2 requests";
        QTest::newRow("http/1.0 without host")
            << QByteArray("GET / HTTP/1.0\r\n\r\n") << "1 requests";
        QTest::newRow("incomplete head")
            << QByteArray("GET / HTTP/1.1\r\nHo") << "incomplete after 0";
        QTest::newRow("incomplete body") << kPost.chopped(2) << "incomplete after 0";
        QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << "error 400";
        QTest::newRow("missing host, connection close")
            << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") << "error 400";
        QTest::newRow("two hosts")
            << QByteArray("GET / HTTP/1.1\r\n" + host + host + "\r\n") << "error 400";
        QTest::newRow("chunked") << QByteArray(
            "POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n")
                                 << "error 501";
        QTest::newRow("folding") << QByteArray(
            "GET / HTTP/1.1\r\n" + host + "X-A: 1\r\n  continued\r\n\r\n")
                                 << "error 400";
        QTest::newRow("same content-length twice") << QByteArray(
            "POST / HTTP/1.1\r\n" + host + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nok")
                                                   << "1 requests";
        QTest::newRow("conflicting content-length") << QByteArray(
            "POST / HTTP/1.1\r\n" + host + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nok!")
                                                    << "error 400";
        QTest::newRow("content-length list")
            << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 2, 2\r\n\r\nok")
            << "error 400";
        QTest::newRow("content-length sign")
            << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: +2\r\n\r\nok")
            << "error 400";
        QTest::newRow("content-length negative")
            << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n")
            << "error 400";
        QTest::newRow("content-length huge") << QByteArray(
            "POST / HTTP/1.1\r\n" + host + "Content-Length: 99999999999999999999999\r\n\r\n")
                                             << "error 400";
        QTest::newRow("body over limit")
            << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 17\r\n\r\n")
            << "error 413";
        QTest::newRow("body at limit") << QByteArray(
            "POST / HTTP/1.1\r\n" + host + "Content-Length: 16\r\n\r\n" + QByteArray(16, 'x'))
                                       << "1 requests";
        QTest::newRow("request line over limit")
            << QByteArray("GET /" + QByteArray(64, 'a') + " HTTP/1.1\r\n" + host + "\r\n")
            << "error 414";
        // 64 bytes exactly: the CR arriving before its LF is no reason to refuse.
        QTest::newRow("request line at limit")
            << QByteArray("GET /" + QByteArray(50, 'a') + " HTTP/1.1\r\n" + host + "\r\n")
            << "1 requests";
        QTest::newRow("request line without end over limit")
            << QByteArray("GET /" + QByteArray(80, 'a')) << "error 414";
        QTest::newRow("headers over limit") << QByteArray(
            "GET / HTTP/1.1\r\n" + host + "X-Long: " + QByteArray(120, 'v') + "\r\n\r\n")
                                            << "error 431";
        QTest::newRow("headers over limit, unterminated")
            << QByteArray("GET / HTTP/1.1\r\n" + host + "X-Long: " + QByteArray(300, 'v'))
            << "error 431";
        QTest::newRow("too many headers")
            << QByteArray("GET / HTTP/1.1\r\n" + host + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n")
            << "error 431";
        QTest::newRow("http/2") << QByteArray("GET / HTTP/2\r\n" + host + "\r\n") << "error 505";
        QTest::newRow("absolute form")
            << QByteArray("GET http://a/ HTTP/1.1\r\n" + host + "\r\n") << "error 400";
        QTest::newRow("asterisk form")
            << QByteArray("OPTIONS * HTTP/1.1\r\n" + host + "\r\n") << "error 400";
        QTest::newRow("double space")
            << QByteArray("GET  / HTTP/1.1\r\n" + host + "\r\n") << "error 400";
        QTest::newRow("bad method")
            << QByteArray("G(T / HTTP/1.1\r\n" + host + "\r\n") << "error 400";
        QTest::newRow("space before colon")
            << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << "error 400";
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\n" + host + "Junk\r\n\r\n")
                                  << "error 400";
        QTest::newRow("control character in value")
            << QByteArray("GET / HTTP/1.1\r\n" + host + "X-A: a\x01b\r\n\r\n") << "error 400";
        QTest::newRow("nul in target") << QByteArray("GET /a\0b HTTP/1.1\r\n", 19) + host + "\r\n"
                                       << "error 400";
        QTest::newRow("error after a good request")
            << (kPost + "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" + host + "\r\n")
            << "error 501";
    }

    void table()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        HttpParser whole(smallLimits());
        QCOMPARE(outcome(whole, input, false), expected);
    }

    // The same input one byte at a time gives the same outcome.
    void table_splitAtEveryByte_data() { table_data(); }
    void table_splitAtEveryByte()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        HttpParser bytes(smallLimits());
        QCOMPARE(outcome(bytes, input, true), expected);
    }

    void splitAtEveryPosition_givesTheSameRequests()
    {
        const QByteArray input = kPost + kPost;
        for (qsizetype cut = 0; cut <= input.size(); ++cut) {
            HttpParser parser;
            auto a = parser.feed(QByteArrayView(input).first(cut));
            auto b = parser.feed(QByteArrayView(input).sliced(cut));
            QVERIFY(!a.error && !b.error);
            const auto all = a.requests + b.requests;
            QCOMPARE(all.size(), 2);
            for (const auto &r : all) {
                QCOMPARE(r.method, QByteArray("POST"));
                QCOMPARE(r.path, QByteArray("/.well-known/est/simpleenroll"));
                QCOMPARE(r.body, QByteArray("hello"));
                QCOMPARE(r.header("content-type"), QByteArray("application/pkcs10"));
            }
        }
    }

    void fields_areParsed()
    {
        HttpParser parser;
        auto r
            = parser.feed("GET /a/b?x=1 HTTP/1.1\r\nHOST:  example  \r\nConnection: close\r\n\r\n");
        QVERIFY(!r.error);
        QCOMPARE(r.requests.size(), 1);
        const auto &req = r.requests.first();
        QCOMPARE(req.target, QByteArray("/a/b?x=1"));
        QCOMPARE(req.path, QByteArray("/a/b"));
        QCOMPARE(req.header("host"), QByteArray("example"));
        QVERIFY(!req.keepAlive);
        QVERIFY(!req.header("missing"));
    }

    void afterAnError_everyFeedRepeatsIt()
    {
        HttpParser parser;
        auto r = parser.feed("BROKEN\r\n\r\n");
        QVERIFY(r.error);
        auto again = parser.feed(kPost);
        QVERIFY(again.error);
        QCOMPARE(again.error->status, r.error->status);
        QVERIFY(again.requests.isEmpty());
    }

    void stateForTimeouts()
    {
        HttpParser parser;
        QVERIFY(!parser.inRequest());
        parser.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n");
        QVERIFY(parser.inRequest());
        QVERIFY(!parser.inBody());
        parser.feed("\r\nab");
        QVERIFY(parser.inBody());
        parser.feed("cd");
        QVERIFY(!parser.inRequest());
    }

    void response_hasLengthAndConnection()
    {
        const QByteArray r
            = provbench::est::httpResponse(202, "text/plain", "wait\n", {"Retry-After: 10"}, false);
        QVERIFY(r.startsWith("HTTP/1.1 202 Accepted\r\n"));
        QVERIFY(r.contains("\r\nContent-Length: 5\r\n"));
        QVERIFY(r.contains("\r\nRetry-After: 10\r\n"));
        QVERIFY(r.contains("\r\nConnection: close\r\n\r\nwait\n"));
    }
};

QTEST_GUILESS_MAIN(tst_HttpParser)
#include "tst_httpparser.moc"
