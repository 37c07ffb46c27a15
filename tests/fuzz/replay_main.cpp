// Replays saved fuzzer inputs without libFuzzer, so the corpus runs as an
// ordinary test with any compiler:
//
//   fuzz_improv_replay <dir-or-file>...
//
// Every regular file under each directory (recursively) is passed to
// LLVMFuzzerTestOneInput once. A harness check that fails aborts the process,
// which fails the test. A directory without inputs, or a path that does not
// exist, is an error too: an empty corpus would otherwise pass silently.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace fs = std::filesystem;

namespace {

bool runFile(const fs::path &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", file.c_str());
        return false;
    }
    const std::vector<char> bytes{
        std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    // Point at a real object even for an empty input, as libFuzzer does.
    static const uint8_t empty = 0;
    const auto *data = bytes.empty() ? &empty : reinterpret_cast<const uint8_t *>(bytes.data());
    LLVMFuzzerTestOneInput(data, bytes.size());
    return true;
}

// Returns the number of inputs run, or -1 on an error.
long runPath(const fs::path &path)
{
    std::error_code ec;
    if (fs::is_regular_file(path, ec))
        return runFile(path) ? 1 : -1;
    if (!fs::is_directory(path, ec)) {
        std::fprintf(stderr, "%s: no such file or directory\n", path.c_str());
        return -1;
    }

    std::vector<fs::path> files;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec))
            files.push_back(it->path());
    }
    if (ec) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), ec.message().c_str());
        return -1;
    }
    if (files.empty()) {
        std::fprintf(stderr, "%s: no inputs; the corpus is missing or empty\n", path.c_str());
        return -1;
    }
    std::sort(files.begin(), files.end()); // a stable order makes failures reproducible
    for (const auto &file : files) {
        std::fprintf(stderr, "running %s\n", file.c_str());
        if (!runFile(file))
            return -1;
    }
    return long(files.size());
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <corpus-dir-or-file>...\n", argv[0]);
        return 2;
    }
    long total = 0;
    for (int i = 1; i < argc; ++i) {
        const long n = runPath(argv[i]);
        if (n < 0)
            return 1;
        std::printf("%s: %ld inputs\n", argv[i], n);
        total += n;
    }
    std::printf("ran %ld inputs, all passed\n", total);
    return 0;
}
