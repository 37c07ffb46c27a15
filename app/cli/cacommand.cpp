#include "app/cli/cliutil.h"
#include "app/cli/commands.h"

namespace provbench::cli {

int caCommand(const QStringList &)
{
    return reportError(Error::make(Error::Code::Unsupported,
        QStringLiteral("'ca' is being built and not available in this build yet.")));
}

} // namespace provbench::cli
