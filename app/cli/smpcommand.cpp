#include "app/cli/cliutil.h"
#include "app/cli/commands.h"

namespace provbench::cli {

int smpCommand(const QStringList &)
{
    return reportError(Error::make(Error::Code::Unsupported,
        QStringLiteral("'smp' is being built and not available in this build yet.")));
}

} // namespace provbench::cli
