// `cordon check`: decide requests (files, stdin, or .jsonl batches on all cores).
#include <algorithm>
#include <atomic>
#include <cstring>
#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

#include "common.hpp"
#include "cordon/dsl/parse.hpp"
#include "cordon/engine/batch.hpp"
#include "cordon/engine/json_text.hpp"

namespace cordon::cli {

namespace {

struct CheckOptions {
    std::string policy_dir;
    std::vector<std::string> requests;
    EvalFlags eval;
    std::string fail_on;  // "", deny, report
    unsigned threads = 0;
    std::string native;  // --native FILE.so
    bool reference = false;  // --reference: decide with the reference evaluator
    PassFlags passes;    // --passes, --no-pass (hidden)
};

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Tally {
    std::size_t decided = 0, deny = 0, report = 0, allow = 0, bad = 0, bad_lines = 0;
    void count(Verdict v) {
        ++decided;
        if (v == Verdict::Deny) ++deny;
        else if (v == Verdict::Report) ++report;
        else ++allow;
    }
};

// Decides a .jsonl batch: lines split across threads in blocks, output in input order.
int check_batch(const PolicySet& set, const NativeCode* native, const CheckOptions& o, const std::string& path,
                const DayPolicy& day, const std::vector<Status>& include, const std::vector<std::uint32_t>* policies,
                Tally& tally, bool colour) {
    // The file is read in blocks of whole lines, so memory stays flat however long it is.
    if (const auto problem = input_problem(path); !problem.empty()) {
        fmt::print(stderr, "error: {}\n", problem);
        return kInputError;
    }
    std::FILE* in = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (!in) {
        fmt::print(stderr, "error: {}: cannot open file\n", path);
        return kInputError;
    }
    BatchRunner runner(set, o.threads, native, o.reference);
    const unsigned threads = runner.threads();
    const bool json = o.eval.format == "json";
    const bool progress = isatty(STDERR_FILENO) != 0;
    constexpr std::size_t kBlock = 16384;          // lines per thread per round
    constexpr std::size_t kChunk = 32u << 20;      // bytes read at a time
    std::vector<std::string> outputs(threads);
    std::vector<Tally> tallies(threads);
    std::string text;                               // carried-over partial line + the new chunk, then padding
    std::vector<std::pair<std::size_t, std::size_t>> lines;  // begin, length
    std::size_t line_base = 0;                      // lines before this chunk
    std::size_t carried = 0;
    bool eof = false;
    bool skipping = false;  // inside a line longer than the request limit: drop it up to its newline
    // A line past the request limit is not kept in memory: it is decided deny and skipped.
    auto deny_long_line = [&](std::size_t line) {
        std::string out;
        const auto message = fmt::format("{}:{}: request is more than {} bytes (the limit); not read", path, line,
                                         set.limits().request_bytes);
        if (json) {
            const std::string input;
            write_input_error_json(&set, {}, &input, message, day.as_of, out, day.source);
            out += '\n';
        } else {
            out = fmt::format("DENY  <no id>  (input error)\n          {}\n", message);
        }
        std::fwrite(out.data(), 1, out.size(), stdout);
        ++tallies[0].bad_lines;
        skipping = true;
        carried = 0;
    };
    while (!eof) {
        text.resize(carried + kChunk);
        const std::size_t got = std::fread(text.data() + carried, 1, kChunk, in);
        eof = got < kChunk;
        std::size_t data_size = carried + got;
        if (skipping) {
            const auto nl = std::string_view(text.data(), data_size).find('\n');
            if (nl == std::string_view::npos) {
                carried = 0;
                continue;
            }
            data_size -= nl + 1;
            std::memmove(text.data(), text.data() + nl + 1, data_size);
            skipping = false;
            ++line_base;
        }
        // Process up to the last newline; keep the rest for the next chunk (all of it at the end).
        std::size_t usable = data_size;
        if (!eof) {
            const auto nl = text.rfind('\n', data_size ? data_size - 1 : 0);
            usable = (nl == std::string::npos || nl >= data_size) ? 0 : nl + 1;
            if (usable == 0 && data_size > set.limits().request_bytes) {
                deny_long_line(line_base + 1);
                continue;
            }
            if (usable == 0) {  // one line longer than a chunk: read more before deciding it
                carried = data_size;
                continue;
            }
        }
        text.resize(data_size);
        text.append(kJsonPadding, '\0');
        lines.clear();
        for (std::size_t at = 0; at < usable;) {
            std::size_t end = text.find('\n', at);
            if (end == std::string::npos || end > usable) end = usable;
            std::size_t len = end - at;
            if (len && text[at + len - 1] == '\r') --len;
            lines.emplace_back(at, len);
            at = end + 1;
        }
        std::size_t emitted = 0;  // lines decided and written in this chunk
        runner.run_ordered(
            lines.size(), kBlock,
            [&](Session& s, unsigned t, std::size_t begin, std::size_t end) {
                auto& out = outputs[t];
                out.clear();
                for (std::size_t i = begin; i < end; ++i) {
                    const auto [at, len] = lines[i];
                    std::string_view line(text.data() + at, len);
                    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
                    auto err = s.decoder.decode_json(line, s.request, true);
                    EvalOptions opts;
                    if (!err) err = set.options(s.request, day, opts, include, policies);
                    if (err) {
                        ++tallies[t].bad_lines;
                        const auto where = fmt::format("{}:{}", path, line_base + i + 1);
                        if (json) {
                            write_input_error_json(&set, s.request.id, &err->path,
                                                   fmt::format("{}: {}{}{}", where, err->path, err->path.empty() ? "" : ": ", err->message),
                                                   day.as_of, out, day.source);
                            out += '\n';
                        } else {
                            out += fmt::format("DENY  {}  (input error)\n          {}\n",
                                               s.request.id.empty() ? "<no id>" : printable(s.request.id),
                                               printable(fmt::format("{}: {}{}{}", where, err->path,
                                                                     err->path.empty() ? "" : ": ", err->message)));
                        }
                        continue;
                    }
                    s.decide(opts);
                    tallies[t].count(s.decision.verdict);
                    if (json) {
                        s.write_json(out);
                        out += '\n';
                    } else {
                        s.write_text(out, colour);
                    }
                }
            },
            [&](unsigned t) {
                std::fwrite(outputs[t].data(), 1, outputs[t].size(), stdout);
                if (t + 1 < threads) return;
                emitted = std::min(lines.size(), emitted + kBlock * threads);
                if (progress) fmt::print(stderr, "\r{}: {} requests", path, line_base + emitted);
            });
        line_base += lines.size();
        // Carry the unprocessed tail to the front of the buffer.
        carried = data_size - usable;
        if (!eof && carried > set.limits().request_bytes) {
            deny_long_line(line_base + 1);  // the next line is already too long
            continue;
        }
        std::memmove(text.data(), text.data() + usable, carried);
    }
    if (in != stdin) std::fclose(in);
    if (progress) fmt::print(stderr, "\n");
    for (const auto& t : tallies) {
        tally.decided += t.decided;
        tally.deny += t.deny;
        tally.report += t.report;
        tally.allow += t.allow;
        tally.bad_lines += t.bad_lines;
    }
    return kOk;
}

int run_check(const CheckOptions& o) {
    DayPolicy day;
    std::vector<Status> include;
    CompileOptions passes;
    if (!o.eval.resolve(day, include) || !o.passes.resolve(passes)) return kUsage;
    auto set = load_or_report(o.policy_dir, o.eval.colour_stderr(), passes);
    if (!set) return kPolicyError;
    std::vector<std::uint32_t> policies;
    if (!o.eval.resolve_policies(*set, policies)) return kUsage;
    std::unique_ptr<NativeCode> native;
    if (!o.native.empty() && !(native = load_native_or_report(o.native, *set))) return kInputError;
    const bool colour = o.eval.colour_stdout();
    const bool json = o.eval.format == "json";
    Tally tally;
    int status = kOk;
    Session s(*set);
    s.evaluator.set_native(native.get());
    s.use_reference = o.reference;
    std::string out;
    for (const auto& path : o.requests) {
        if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson")) {
            const int rc = check_batch(*set, native.get(), o, path, day, include, &policies, tally, colour);
            if (rc != kOk) status = rc;
            continue;
        }
        EvalOptions opts;
        if (!read_request(path, s) || !day_or_report(*set, s, path, day, opts, include, &policies)) {
            ++tally.bad;
            status = kInputError;
            continue;
        }
        s.decide(opts);
        tally.count(s.decision.verdict);
        out.clear();
        if (json) {
            s.write_json(out);
            out += '\n';
        } else {
            s.write_text(out, colour);
        }
        std::fwrite(out.data(), 1, out.size(), stdout);
    }
    std::fflush(stdout);
    if (tally.bad > 0) {
        fmt::print(stderr, "{} request{} could not be read\n", tally.bad, tally.bad == 1 ? "" : "s");
        status = kInputError;
    }
    if (tally.bad_lines > 0) {
        fmt::print(stderr, "{} batch line{} could not be read and {} decided deny (fail closed)\n", tally.bad_lines,
                   tally.bad_lines == 1 ? "" : "s", tally.bad_lines == 1 ? "was" : "were");
        status = kInputError;
    }
    if (status == kOk && ((o.fail_on == "deny" && tally.deny > 0) || (o.fail_on == "report" && (tally.deny + tally.report) > 0)))
        status = kFailOn;
    return status;
}

}  // namespace

void setup_check(CLI::App& app) {
    auto o = std::make_shared<CheckOptions>();
    auto* cmd = app.add_subcommand("check", "Decide requests: allow, deny or report, with the rules that fired");
    cmd->footer(
        "REQUEST is a .json or .yaml file, - for standard input, or a .jsonl batch\n"
        "(one JSON request per line; one decision per line, in order, on all cores).\n"
        "\n"
        "Exit status: 0 decided (whatever the decision), 1 usage, 2 policy error,\n"
        "3 bad request input (a .jsonl line that cannot be read is decided deny, with the reason)\n"
        "or a --native file that cannot be used, 4 --fail-on matched.\n"
        "\n"
        "--native FILE.so runs the rules' plans as machine code made by `cordon native` from this\n"
        "very policy set: the same decisions, faster. A file made from another policy set or\n"
        "cordon build is refused (exit 3), never run and never silently replaced by the interpreter.\n"
        "\n"
        "--reference decides with the reference evaluator instead: the language's definition\n"
        "walked rule by rule over the checked rules (no index, no compiled program). Its output\n"
        "is byte-identical to the default's; any difference is a bug in the fast path.\n"
        "\n"
        "Examples:\n"
        "  cordon check -p policies/us examples/requests/shenzhen_university.json\n"
        "  cordon check -p policies/us --include proposed,bill --as-of 2026-01-01 request.yaml\n"
        "  cordon check -p policies/us --format json --fail-on deny log.jsonl > decisions.jsonl\n"
        "  cordon native -p policies/us -o us.so && cordon check -p policies/us --native us.so log.jsonl");
    add_policy_option(cmd, o->policy_dir);
    cmd->add_option("requests", o->requests, "Request files (.json, .yaml, .jsonl) or - for stdin")->required();
    o->eval.add_to(*cmd);
    o->eval.add_request_time_to(*cmd);
    cmd->add_option("--fail-on", o->fail_on, "Exit 4 when a decision is deny (or, with report, deny or report)")
        ->check(CLI::IsMember({"deny", "report"}));
    cmd->add_option("--threads", o->threads, "Threads for .jsonl batches (default: all cores)")
        ->check(threads_validator());
    add_native_option(cmd, o->native);
    cmd->add_flag("--reference", o->reference,
                  "Decide with the reference evaluator (the plain definition of the language, no "
                  "compiled program): the same output, slowly; for checking the fast path")
        ->excludes("--native");
    o->passes.add_to(*cmd);
    run_with_exit_status(cmd, [o] { return run_check(*o); });
}

}  // namespace cordon::cli
