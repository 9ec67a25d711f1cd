// NativeCode: compiling native_source with the system's C++ compiler, and loading the
// result with dlopen after checking it was made from this very program.
#include <dlfcn.h>
#include <sys/wait.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <fstream>

#include "cordon/engine/evaluate.hpp"
#include "cordon/engine/native.hpp"

namespace cordon {

// The generated code's layouts (native_source.cpp's prelude) are these.
static_assert(sizeof(Value) == 16 && offsetof(Value, aux) == 4 && offsetof(Value, n) == 8);
static_assert(sizeof(Request::ListSpan) == 8);
static_assert(sizeof(NativeContext) == 9 * 8 && offsetof(NativeContext, set_window) == 8 * 8);

NativeCode::~NativeCode() {
    if (handle_) dlclose(handle_);
}

std::unique_ptr<NativeCode> NativeCode::load(const std::string& path, const Program& program, std::string& error) {
    // (RTLD_LOCAL: two policy sets' objects never see each other's symbols.)
    void* handle = dlopen(path.find('/') == std::string::npos ? ("./" + path).c_str() : path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
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
    std::string source = native_source(program);
    const std::string marker = "cordon_native_fingerprint[] = \"";
    const auto at = source.rfind(marker);
    const std::string expected = at == std::string::npos ? "" : source.substr(at + marker.size(), 16);
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
    std::ifstream log(log_path);
    std::string output((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    std::remove(log_path.c_str());
    if (status != 0) {
        error = "compiling " + cpp_path + " failed (" + compiler + ", exit " +
                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")" + (output.empty() ? "" : ":\n" + output);
        return false;
    }
    return true;
}

}  // namespace cordon
