// NativeCode: compiling native_source with the system's C++ compiler, and loading the
// result with dlopen after checking it was made from this very program.
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <fstream>

#include "cordon/dsl/check.hpp"
#include "cordon/engine/evaluate.hpp"
#include "cordon/engine/native.hpp"
#include "program/program.hpp"

namespace cordon {

// The generated code's layouts (native_source.cpp's prelude) are these.
static_assert(sizeof(Value) == 16 && offsetof(Value, aux) == 4 && offsetof(Value, n) == 8);
static_assert(sizeof(Request::ListSpan) == 8);
static_assert(sizeof(NativeContext) == 9 * 8 && offsetof(NativeContext, set_window) == 8 * 8);

NativeCode::~NativeCode() {
    if (handle_) dlclose(handle_);
}

namespace {

/// The largest native object read (its digest is computed before it is loaded).
constexpr std::size_t kMaxObjectBytes = 512u << 20;

/// The fingerprint native_source(program) embeds.
std::string expected_fingerprint(const Program& program) {
    const std::string source = native_source(program);
    const std::string marker = "cordon_native_fingerprint[] = \"";
    const auto at = source.rfind(marker);
    return at == std::string::npos ? "" : source.substr(at + marker.size(), 16);
}

/// The bytes of the open regular file `fd`, at most kMaxObjectBytes; false on failure.
bool read_fd(int fd, std::string& out) {
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) > kMaxObjectBytes)
        return false;
    // Read to the end of the file: a read may return fewer bytes than asked (network and
    // FUSE file systems), and the file may have changed since the fstat. One byte more than
    // its size is asked for, so the loop ends at the read that returns 0 (the end) or when
    // the buffer is full; the bytes read must be exactly the size.
    const auto size = static_cast<std::size_t>(st.st_size);
    out.resize(size + 1);
    std::size_t done = 0;
    for (ssize_t n; (n = pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(done))) > 0;)
        done += static_cast<std::size_t>(n);
    out.resize(done);
    return done == size;
}

/// `<so>.sha256`: "SHA256-OF-THE-OBJECT FINGERPRINT\n", written by build().
std::string digest_line(const std::string& bytes, const std::string& fingerprint) {
    return sha256_hex(bytes) + " " + fingerprint + "\n";
}

}  // namespace

std::unique_ptr<NativeCode> NativeCode::load(const std::string& path, const Program& program, std::string& error) {
    // Nothing of the file runs before it is checked: dlopen runs an object's constructors, so
    // its bytes are read and compared with the digest `cordon native` recorded beside it, and
    // the very bytes read (the open descriptor) are what is loaded.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        error = "cannot load native code " + path + ": cannot open file";
        return nullptr;
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    std::string bytes;
    if (!read_fd(fd, bytes)) {
        error = "cannot load native code " + path + ": not a regular file of at most " +
                std::to_string(kMaxObjectBytes >> 20) + " MiB, or it changed while it was read";
        return nullptr;
    }
    std::string recorded;
    {
        std::ifstream f(path + ".sha256", std::ios::binary);
        std::getline(f, recorded);
        if (!f || recorded.size() > 200) recorded.clear();
        if (!recorded.empty()) recorded += '\n';
    }
    const std::string wanted = expected_fingerprint(program);
    if (recorded.empty()) {
        error = path + " has no digest beside it (" + path + ".sha256, written by `cordon native`): not loaded, "
                "never run; rebuild it with `cordon native`";
        return nullptr;
    }
    if (recorded.size() > 66 && recorded.compare(65, 16, wanted) != 0) {
        error = path + " was made from a different policy set or cordon version (fingerprint " +
                recorded.substr(65, 16) + ", this one " + wanted + "): rebuild it with `cordon native`";
        return nullptr;
    }
    if (recorded != digest_line(bytes, wanted)) {
        error = path + " is not the object `cordon native` wrote (its bytes do not match " + path +
                ".sha256: changed or truncated since): not loaded, never run; rebuild it with `cordon native`";
        return nullptr;
    }
    // The very bytes checked are what is loaded: they are written to a new private file
    // (mkstemp: mode 0600, a name no other load has used, so dlopen cannot hand back an
    // object it loaded before under the same name, as it does for a reused /proc/self/fd/N),
    // loaded, and the file removed. (RTLD_LOCAL: two policy sets' objects never see each
    // other's symbols.)
    const char* tmp = std::getenv("TMPDIR");
    std::string private_path = std::string(tmp && *tmp ? tmp : "/tmp") + "/cordon-native-XXXXXX";
    static constexpr const char* kNoPrivateCopy = "cannot write a private copy in the temporary directory";
    const int out = ::mkstemp(private_path.data());  // (never 0: `fd` holds the lowest free descriptor)
    if (out == -1) {
        error = "cannot load native code " + path + ": " + kNoPrivateCopy;
        return nullptr;
    }
    // One write: a regular file takes it whole, and a short write (a full disk) is a failure.
    const bool written = ::write(out, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
    ::close(out);
    void* handle = written ? dlopen(private_path.c_str(), RTLD_NOW | RTLD_LOCAL) : nullptr;
    ::unlink(private_path.c_str());
    if (!handle) {
        const char* why = written ? dlerror() : kNoPrivateCopy;
        error = "cannot load native code " + path + ": " + (why ? why : "unknown error");
        return nullptr;
    }
    std::unique_ptr<NativeCode> code(new NativeCode());
    code->handle_ = handle;
    const auto* fingerprint = static_cast<const char*>(dlsym(handle, "cordon_native_fingerprint"));
    const auto* rules = static_cast<const std::uint32_t*>(dlsym(handle, "cordon_native_rules"));
    const auto* plans = static_cast<const void* const*>(dlsym(handle, "cordon_native_plans"));
    const auto* unless = static_cast<const void* const*>(dlsym(handle, "cordon_native_unless"));
    if (!fingerprint || !rules || !plans || !unless) {
        error = path + " is not cordon native code (a symbol cordon_native_* is missing)";
        return nullptr;
    }
    const std::string& expected = wanted;
    if (*rules != program.rules.size() || expected != std::string(fingerprint, strnlen(fingerprint, 16))) {
        error = path + " was made from a different policy set or cordon version (fingerprint " +
                std::string(fingerprint, strnlen(fingerprint, 16)) + ", this one " + expected +
                "): rebuild it with `cordon native`";
        return nullptr;
    }
    code->plans_ = plans + 1;  // (each array starts with a null entry: never empty)
    code->unless_ = unless + 1;
    return code;
}

namespace {

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

}  // namespace

bool NativeCode::build(const Program& program, const std::string& so_path, const std::string& compiler, std::string& error) {
    const std::string cpp_path = so_path + ".cpp";
    {
        std::ofstream f(cpp_path, std::ios::binary);
        const std::string source = native_source(program);
        f.write(source.data(), static_cast<std::streamsize>(source.size()));
        if (!f) {
            error = "cannot write " + cpp_path;
            return false;
        }
    }
    const std::string log_path = so_path + ".log";
    const std::string command = compiler + " -std=c++17 -O2 -fPIC -shared -fno-plt -o " + shell_quote(so_path) + " " +
                                shell_quote(cpp_path) + " > " + shell_quote(log_path) + " 2>&1";
    const int status = std::system(command.c_str());
    std::string output;
    {
        std::ifstream log(log_path);  // (closed here: its descriptor is not held while the object is read)
        output.assign(std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>());
    }
    std::remove(log_path.c_str());
    if (status != 0) {
        error = "compiling " + cpp_path + " failed (" + compiler + ", exit " +
                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")" + (output.empty() ? "" : ":\n" + output);
        return false;
    }
    // The digest load() checks before it lets dlopen run anything of the file.
    const int fd = ::open(so_path.c_str(), O_RDONLY | O_CLOEXEC);
    std::string bytes;
    const bool read_ok = fd >= 0 && read_fd(fd, bytes);
    if (fd >= 0) ::close(fd);
    std::ofstream digest(so_path + ".sha256", std::ios::binary | std::ios::trunc);
    digest << digest_line(bytes, expected_fingerprint(program));
    if (!read_ok || !digest.flush()) {
        error = "cannot write the digest " + so_path + ".sha256";
        return false;
    }
    return true;
}

}  // namespace cordon
