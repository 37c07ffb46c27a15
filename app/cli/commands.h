#pragma once

#include <QStringList>

namespace provbench::cli {

// Each command parses its own arguments (args[0] is the command name) and
// returns the process exit code. They run inside a QCoreApplication.
int portsCommand(const QStringList &args);
int improvCommand(const QStringList &args);
int demoCommand(const QStringList &args);
int profileCommand(const QStringList &args);
int caCommand(const QStringList &args);
int certCommand(const QStringList &args);
int smpCommand(const QStringList &args);
int atCommand(const QStringList &args);
int provisionCommand(const QStringList &args);
int bleCommand(const QStringList &args);
int auditCommand(const QStringList &args);
int inventoryCommand(const QStringList &args);
int estCommand(const QStringList &args);
int tokenCommand(const QStringList &args);
int statusCommand(const QStringList &args);
int batchCommand(const QStringList &args);

} // namespace provbench::cli
