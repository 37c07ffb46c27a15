#include "app/onboarding/journey/expecteddevices.h"

#include <QFile>
#include <QHash>
#include <QStringDecoder>

#include <array>
#include <optional>

namespace provbench::journey {

namespace {

enum Column { Serial, Site, Name, Profile, ColumnCount };
constexpr std::array<const char *, ColumnCount> kColumnNames
    = {"serial number", "site", "name", "profile"};

std::optional<Column> columnFor(const QString &header)
{
    QString key;
    for (QChar c : header) {
        if (c != u' ' && c != u'_' && c != u'-' && c != u'\t')
            key.append(c.toLower());
    }
    if (key == u"serialnumber" || key == u"serial" || key == u"serialno" || key == u"sn")
        return Serial;
    if (key == u"site")
        return Site;
    if (key == u"name" || key == u"devicename")
        return Name;
    if (key == u"profile" || key == u"profilename")
        return Profile;
    return std::nullopt;
}

struct Field
{
    QString text;
    int line = 0;
    bool quoted = false;
};

struct Record
{
    QList<Field> fields;
    int line = 0;
};

// RFC 4180 records with the physical line each field starts on. Stops at an
// unterminated quote (a fatal problem); stray quotes are problems but parsing
// goes on.
class Tokenizer
{
public:
    Tokenizer(const QString &text, QList<CsvProblem> &problems) : m_text(text), m_problems(problems)
    {
    }

    // False at the end of the input or after a fatal problem.
    bool next(Record &record)
    {
        record = {};
        if (m_pos >= m_text.size() || m_fatal)
            return false;
        record.line = m_line;
        Field field{{}, m_line, false};
        enum { Start, Unquoted, Quoted, AfterQuote } state = Start;
        auto endField = [&] {
            if (!field.quoted)
                field.text = field.text.trimmed();
            record.fields.append(field);
            field = Field{{}, m_line, false};
            state = Start;
        };
        while (m_pos < m_text.size()) {
            const QChar c = m_text[m_pos++];
            const bool lineBreak = c == u'\n' || c == u'\r';
            if (lineBreak && c == u'\r' && m_pos < m_text.size() && m_text[m_pos] == u'\n')
                ++m_pos; // CRLF is one line break
            if (state == Quoted) {
                if (c == u'"') {
                    state = AfterQuote;
                } else {
                    field.text.append(c);
                    if (lineBreak) {
                        if (c == u'\r' && m_text[m_pos - 1] == u'\n')
                            field.text.append(u'\n');
                        ++m_line;
                    }
                }
                continue;
            }
            if (c == u',' || lineBreak) {
                endField();
                if (lineBreak) {
                    ++m_line;
                    return true;
                }
                continue;
            }
            switch (state) {
            case Start:
            case Unquoted:
                if (c == u'"' && field.text.trimmed().isEmpty()) {
                    field.text.clear();
                    field.quoted = true;
                    state = Quoted;
                } else {
                    if (c == u'"')
                        problem(record, field,
                            "has a quote inside a field that is not quoted: "
                            "enclose the whole field in quotes and double the "
                            "quote (\"\")");
                    field.text.append(c);
                    state = Unquoted;
                }
                break;
            case AfterQuote:
                if (c == u'"') {
                    field.text.append(c); // "" inside a quoted field
                    state = Quoted;
                } else if (!c.isSpace()) {
                    problem(record, field,
                        "has text after its closing quote: put the whole "
                        "field inside the quotes, or double a quote that is "
                        "part of the text (\"\")");
                    field.text.append(c);
                    field.quoted = false;
                    state = Unquoted;
                }
                break;
            case Quoted:
                break;
            }
        }
        if (state == Quoted) {
            m_problems.append(CsvProblem{field.line, int(record.fields.size()) + 1, {},
                QStringLiteral("the quoted field that starts here has no closing quote: add the "
                               "closing \" (a quote inside a quoted field is written \"\")")});
            m_fatal = true;
            return false;
        }
        endField();
        return true;
    }

private:
    void problem(const Record &record, const Field &field, const char *what)
    {
        m_problems.append(CsvProblem{field.line, int(record.fields.size()) + 1, {},
            QStringLiteral("this field ") + QLatin1StringView(what)});
    }

    const QString &m_text;
    QList<CsvProblem> &m_problems;
    qsizetype m_pos = 0;
    int m_line = 1;
    bool m_fatal = false;
};

bool isBlank(const Record &r)
{
    return r.fields.size() == 1 && !r.fields[0].quoted && r.fields[0].text.isEmpty();
}

// The line of the first byte sequence that is not UTF-8.
int firstBadUtf8Line(const QByteArray &bytes)
{
    int line = 1;
    qsizetype start = 0;
    while (start <= bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        QStringDecoder decoder(QStringDecoder::Utf8);
        const QString text = decoder.decode(QByteArrayView(bytes).sliced(start, end - start));
        if (decoder.hasError())
            return line;
        ++line;
        start = end + 1;
    }
    return 1;
}

} // namespace

QString CsvProblem::text() const
{
    QString where = QStringLiteral("line %1").arg(line);
    if (column > 0) {
        where += QStringLiteral(", column %1").arg(column);
        if (!columnName.isEmpty())
            where += QStringLiteral(" (%1)").arg(columnName);
    }
    return where + QStringLiteral(": ") + message;
}

ExpectedDevicesImport parseExpectedDevices(
    const QByteArray &csv, const ExpectedDevicesOptions &options)
{
    ExpectedDevicesImport out;
    QByteArray bytes = csv;
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        out.problems.append(CsvProblem{firstBadUtf8Line(bytes), 0, {},
            QStringLiteral("this line is not UTF-8 text: save the file as UTF-8 (CSV UTF-8 in a "
                           "spreadsheet)")});
        return out;
    }

    Tokenizer tokens(text, out.problems);
    Record header;
    while (tokens.next(header) && isBlank(header)) { }
    if (header.fields.isEmpty() || isBlank(header)) {
        if (out.problems.isEmpty())
            out.problems.append(CsvProblem{1, 0, {},
                QStringLiteral("the file has no header row: start it with the line \"serial "
                               "number,site,name,profile\"")});
        return out;
    }

    std::array<int, ColumnCount> index;
    index.fill(-1);
    QStringList names;
    for (int i = 0; i < header.fields.size(); ++i) {
        names.append(header.fields[i].text);
        const auto col = columnFor(header.fields[i].text);
        if (!col)
            continue; // an extra column: ignored
        if (index[*col] >= 0) {
            out.problems.append(CsvProblem{header.line, i + 1, header.fields[i].text,
                QStringLiteral("the column '%1' appears twice (also column %2): remove one")
                    .arg(QLatin1StringView(kColumnNames[*col]))
                    .arg(index[*col] + 1)});
            continue;
        }
        index[*col] = i;
    }
    for (int c = 0; c < ColumnCount; ++c) {
        if (index[c] >= 0 || (c == Profile && !options.defaultProfile.isEmpty()))
            continue;
        out.problems.append(CsvProblem{header.line, 0, {},
            QStringLiteral("the header has no '%1' column: add it (the header reads \"%2\"; the "
                           "columns are serial number, site, name, profile)")
                .arg(QLatin1StringView(kColumnNames[c]), names.join(u',').left(200))});
    }
    if (!out.problems.isEmpty())
        return out;

    QHash<QString, int> seen; // case-folded serial -> line
    Record row;
    while (tokens.next(row)) {
        if (isBlank(row))
            continue;
        if (row.fields.size() != header.fields.size()) {
            out.problems.append(CsvProblem{row.line, 0, {},
                QStringLiteral("this row has %1 fields but the header has %2: check for a "
                               "missing or extra comma, and quote fields that contain commas")
                    .arg(row.fields.size())
                    .arg(header.fields.size())});
            continue;
        }
        auto cell = [&](Column c) -> const Field & { return row.fields[index[c]]; };
        auto problem = [&](Column c, const QString &message) {
            out.problems.append(CsvProblem{cell(c).line, index[c] + 1, names[index[c]], message});
        };
        ExpectedDevice d{cell(Serial).text, cell(Site).text, cell(Name).text,
            index[Profile] >= 0 ? cell(Profile).text : QString(), row.line};
        bool good = true;
        if (d.serialNumber.isEmpty()) {
            problem(Serial,
                QStringLiteral("the serial number is empty: fill it in, or delete "
                               "the row"));
            good = false;
        } else {
            const QString key = d.serialNumber.toCaseFolded();
            if (const int first = seen.value(key, 0); first > 0) {
                problem(Serial,
                    QStringLiteral("the serial number '%1' is already on line %2: "
                                   "list each device once")
                        .arg(d.serialNumber.left(80))
                        .arg(first));
                good = false;
            } else {
                seen.insert(key, row.line);
            }
        }
        if (d.profile.isEmpty())
            d.profile = options.defaultProfile;
        if (d.profile.isEmpty()) {
            problem(Profile,
                QStringLiteral("the profile is empty: name the profile this device "
                               "gets"));
            good = false;
        } else if (!options.knownProfiles.isEmpty() && !options.knownProfiles.contains(d.profile)) {
            problem(Profile,
                QStringLiteral("there is no profile '%1': use one of %2")
                    .arg(d.profile.left(80), options.knownProfiles.join(u", ")));
            good = false;
        }
        if (good)
            out.devices.append(d);
    }
    return out;
}

Result<QList<ExpectedDevice>> readExpectedDevices(
    const QString &path, const ExpectedDevicesOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.exists() ? Error::Code::Io : Error::Code::NotFound,
            QStringLiteral("Cannot read the expected devices file %1: %2. Check the path and "
                           "its permissions.")
                .arg(path, file.errorString()));
    const ExpectedDevicesImport parsed = parseExpectedDevices(file.readAll(), options);
    if (parsed.ok())
        return parsed.devices;
    QStringList lines;
    for (const CsvProblem &p :
        parsed.problems.first(std::min<qsizetype>(20, parsed.problems.size())))
        lines.append(p.text());
    QString message = QStringLiteral("%1 has %2 problem(s); fix them and import again:\n%3")
                          .arg(path)
                          .arg(parsed.problems.size())
                          .arg(lines.join(u'\n'));
    if (parsed.problems.size() > 20)
        message += QStringLiteral("\n(and %1 more)").arg(parsed.problems.size() - 20);
    return fail(Error::Code::InvalidArgument, message);
}

QByteArray writeExpectedDevices(const QList<ExpectedDevice> &devices)
{
    auto quote = [](const QString &v) -> QString {
        const bool needs = v.contains(u',') || v.contains(u'"') || v.contains(u'\n')
            || v.contains(u'\r') || v != v.trimmed() || v.isEmpty();
        if (!needs)
            return v;
        QString q = v;
        q.replace(u'"', QStringLiteral("\"\""));
        return QString(u'"' + q + u'"');
    };
    QString out = QStringLiteral("serial number,site,name,profile\r\n");
    for (const ExpectedDevice &d : devices)
        out += quote(d.serialNumber) + u',' + quote(d.site) + u',' + quote(d.name) + u','
            + quote(d.profile) + QStringLiteral("\r\n");
    return out.toUtf8();
}

} // namespace provbench::journey
