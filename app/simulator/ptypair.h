#pragma once

#include "app/core/error.h"

#include <QString>

#include <memory>

namespace provbench::sim {

// A pseudo-terminal pair in raw mode. The simulator reads and writes the master
// side; clients open the slave. The slave is also held open here so the master
// never sees EIO while no client is connected (a client may come and go).
// Optionally a symlink to the slave is created (and removed on destruction).
class PtyPair
{
public:
    static Result<std::unique_ptr<PtyPair>> open(const QString &linkPath = {});
    ~PtyPair();
    PtyPair(const PtyPair &) = delete;
    PtyPair &operator=(const PtyPair &) = delete;

    int masterFd() const { return m_master; }
    QString slavePath() const { return m_slavePath; }
    QString linkPath() const { return m_linkPath; }
    // Bytes written to the master that no client has read yet (0 on error).
    // Lets a caller let the line drain before it "pulls the cable".
    qsizetype unreadByClient() const;

private:
    PtyPair() = default;
    int m_master = -1;
    int m_slaveHold = -1;
    QString m_slavePath;
    QString m_linkPath;
};

} // namespace provbench::sim
