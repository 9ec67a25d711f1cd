#!/usr/bin/env python3
"""Checks that the shell sessions shown in the docs print what the docs say, and that
the docs' links point at files a clone has.

  scripts/refresh-doc-output.py --check  [--cordon BIN] [--only TEXT] [FILE.md ...]
  scripts/refresh-doc-output.py --update [--cordon BIN] [--only TEXT] [FILE.md ...]
  scripts/refresh-doc-output.py --links  [FILE.md ...]

A session is a fenced block (```, ```text or ```console) whose first line is
`$ cordon ...` or `$ ./build/cordon ...`. Each `$ CMD` line is run with bash from a
scratch copy of the repository (so commands that rewrite files change nothing here),
with `cordon` and `./build/cordon` meaning BIN (default build/cordon) and NO_COLOR set;
the lines up to the next `$ ` are what CMD must print (stdout and stderr together).
`echo $?` after a command prints that command's exit status.

A line `...` in the output marks a shortening made on purpose: the lines before it must
match the start of the output, each later run of lines must follow in order, and the last
run must end the output unless `...` ends it. `--update` rewrites every block with the
real output (for a shortened block, the shown runs only, when they can still be found
with digests masked); review `git diff` afterwards.

A block preceded by `<!-- not-checked: REASON -->` is skipped. A block whose output
contains today's date and whose commands do not pass `--as-of` is an error: its output
would change tomorrow.

--check exits 1 when a block differs (each with a unified diff), --update exits 1 when
a shortened block could not be rewritten, --links exits 1 when a link of a Markdown
file points at a file (or a heading) the repository does not have, or when a doc, rule
or data file names an absolute path of a machine (a home, temporary or work folder).
"""
import argparse
import datetime
import difflib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ["README.md", "docs/*.md", "docs/commands/*.md", "policies/us/README.md", "examples/README.md"]
COPY = ["README.md", "docs", "examples", "policies", "tests", "bench"]  # the scratch copy
FENCE = re.compile(r"^```([a-z]*)\s*$")
NOT_CHECKED = re.compile(r"<!--\s*not-checked:\s*(.+?)\s*-->")
HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")
DIGEST = re.compile(r"sha256:[0-9a-f]{12,64}")


def doc_files(args):
    if args:
        return [pathlib.Path(a).resolve() for a in args]
    files = []
    for pattern in DOCS:
        files.extend(sorted(ROOT.glob(pattern)))
    return files


def rel(path):
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


class Block:
    """One fenced session: its lines in the file, its commands and their shown output."""

    def __init__(self, path, start, end, lines, skip_reason):
        self.path, self.start, self.end = path, start, end  # body lines [start, end)
        self.lines, self.skip_reason = lines, skip_reason
        self.steps = []  # [command, [output lines]]
        i = 0
        while i < len(lines):
            cmd = lines[i][2:]
            i += 1
            while cmd.endswith("\\") and i < len(lines):
                cmd += "\n" + lines[i]
                i += 1
            for word in HEREDOC.findall(cmd):  # a here-document is input, not output
                while i < len(lines):
                    cmd += "\n" + lines[i]
                    i += 1
                    if lines[i - 1].strip() == word:
                        break
            out = []
            while i < len(lines) and not lines[i].startswith("$ "):
                out.append(lines[i])
                i += 1
            self.steps.append([cmd, out])


def find_blocks(path, text):
    lines = text.split("\n")
    blocks, i, skip = [], 0, None
    while i < len(lines):
        m = NOT_CHECKED.search(lines[i])
        if m:
            skip = m.group(1)
        f = FENCE.match(lines[i])
        if not f:
            if lines[i].strip() and not m:
                skip = None
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        body = lines[i + 1:j]
        if f.group(1) in ("", "text", "console") and body and re.match(r"\$ (\./build/)?cordon\b", body[0]):
            blocks.append(Block(path, i + 1, j, body, skip))
        skip = None
        i = j + 1
    return lines, blocks


def run_block(block, cordon, scratch_parent):
    """Runs the block's commands in one bash, in a fresh scratch copy; one output per command."""
    scratch = pathlib.Path(tempfile.mkdtemp(dir=scratch_parent))
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, scratch / name, symlinks=True)
        elif src.exists():
            shutil.copy2(src, scratch / name)
    marker = "@@cordon-doc-step@@"
    script = ["exec 2>&1", f'cordon() {{ "{cordon}" "$@"; }}', "__rc=0"]
    for cmd, _ in block.steps:  # each on lines of its own, so here-documents end where they should
        cmd = re.sub(r"(^|[\s;&|(])\./build/cordon\b", r"\1cordon", cmd)
        script += [f"echo '{marker}'; (exit $__rc)", cmd, "__rc=$?"]
    env = {"NO_COLOR": "1", "PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C.UTF-8", "HOME": str(scratch)}
    try:
        out = subprocess.run(["bash", "-c", "\n".join(script)], cwd=scratch, capture_output=True,
                             text=True, env=env, timeout=300).stdout
    except subprocess.TimeoutExpired:
        out = f"{marker}\n(timed out after 300 s)\n"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    out = out.replace(str(scratch) + "/", "").replace(str(scratch), ".")
    parts = out.split(marker + "\n")[1:]
    parts += [""] * (len(block.steps) - len(parts))
    return [p[:-1].split("\n") if p.endswith("\n") else (p.split("\n") if p else []) for p in parts]


def segments(shown):
    segs, cur = [], []
    for line in shown:
        if line.strip() == "...":
            segs.append(cur)
            cur = []
        else:
            cur.append(line)
    segs.append(cur)
    return segs  # len > 1 when shortened; an empty first/last segment means "..." starts/ends it


def match_shortened(shown, actual, norm):
    """Where each run of `shown` sits in `actual` (list of (start, end)), or None."""
    segs = segments(shown)
    a = [norm(x) for x in actual]
    spans, pos = [], 0
    for k, seg in enumerate(segs):
        s = [norm(x) for x in seg]
        last = k == len(segs) - 1
        if k == 0:
            if a[:len(s)] != s:
                return None
            spans.append((0, len(s)))
            pos = len(s)
            continue
        if last and s:  # the last run ends the output
            start = len(a) - len(s)
            if start < pos or a[start:] != s:
                return None
            spans.append((start, len(a)))
            continue
        found = next((st for st in range(pos, len(a) - len(s) + 1) if a[st:st + len(s)] == s), None)
        if found is None:
            return None
        spans.append((found, found + len(s)))
        pos = found + len(s)
    return spans


def rewrite_shortened(shown, actual):
    spans = match_shortened(shown, actual, lambda x: DIGEST.sub("sha256:#", x))
    if spans is None:
        return None
    segs, out = segments(shown), []
    for k, (st, en) in enumerate(spans):
        if k:
            out.append("...")
        out.extend(actual[st:en])
    return out


def check_docs(opts):
    today = datetime.date.today().isoformat()
    failures, updated_files, unfixable, checked, skipped = 0, [], 0, 0, 0
    cordon = str(pathlib.Path(opts.cordon).resolve())
    if not os.access(cordon, os.X_OK):
        print(f"error: {opts.cordon}: no cordon binary there (build it, or pass --cordon)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="cordon-docs-") as scratch_parent:
        for path in doc_files(opts.files):
            text = path.read_text()
            lines, blocks = find_blocks(path, text)
            changed = False
            for block in reversed(blocks):  # bottom-up, so line numbers above stay valid
                if opts.only and not any(opts.only in c for c, _ in block.steps):
                    continue
                where = f"{rel(path)}:{block.start}"
                if block.skip_reason:
                    skipped += 1
                    continue
                checked += 1
                outputs = run_block(block, cordon, scratch_parent)
                new_body, ok, fixable = [], True, True
                for (cmd, shown), actual in zip(block.steps, outputs):
                    new_body.append("$ " + cmd)
                    shortened = any(l.strip() == "..." for l in shown)
                    if shortened:
                        same = match_shortened(shown, actual, lambda x: x) is not None
                        fixed = rewrite_shortened(shown, actual)
                        if fixed is None:
                            fixable = False
                            fixed = shown
                    else:
                        same, fixed = shown == actual, actual
                    new_body.extend(fixed)
                    if not same:
                        ok = False
                    if today in "\n".join(actual) and "--as-of" not in cmd:
                        ok = fixable = False
                        print(f"{where}: `{cmd.splitlines()[0]}` prints today's date ({today}): pass --as-of, "
                              f"or mark the block <!-- not-checked: reason -->")
                if not ok:
                    failures += 1
                    print(f"{where}: output differs{' (--update cannot rewrite it: fix by hand)' if not fixable else ''}")
                    shown_all = block.lines
                    actual_all = [l for (c, _), out in zip(block.steps, outputs) for l in ["$ " + c] + out]
                    sys.stdout.writelines(difflib.unified_diff(
                        [l + "\n" for l in shown_all], [l + "\n" for l in actual_all],
                        f"{rel(path)} (shown)", f"{rel(path)} (actual)", n=2))
                    if opts.update:
                        if fixable:
                            lines[block.start:block.end] = new_body
                            changed = True
                        else:
                            unfixable += 1
            if changed:
                path.write_text("\n".join(lines))
                updated_files.append(rel(path))
    for f in updated_files:
        print(f"updated {f}")
    print(f"{checked} block(s) run, {skipped} not checked, {failures} differ"
          + (f", {unfixable} to fix by hand" if opts.update else ""))
    if opts.update:
        return 1 if unfixable else 0
    return 1 if failures else 0


# --- links and machine paths ---------------------------------------------------------

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:work|home|tmp|Users|root|mnt|var/folders)/[\w.-]")
SCANNED = ["README.md", "docs", "policies", "examples"]  # for machine paths
COPIES = [  # the worked example of docs/language-guide.md uses the shipped schema and data
    ("docs/examples/worked/schema.yaml", "policies/us/schema.yaml"),
    ("docs/examples/worked/data/chips.yaml", "policies/us/data/chips.yaml"),
    ("docs/examples/worked/data/country_groups.yaml", "policies/us/data/country_groups.yaml"),
    # its stages are policy sets of their own (a policy set reads no file outside its
    # directory, so they hold copies, not links)
    *[(f"docs/examples/worked-stages/{stage}/{f}", f"docs/examples/worked/{f}")
      for stage in ("1-first-draft", "2-fixed")
      for f in ("schema.yaml", "data/chips.yaml", "data/country_groups.yaml")],
]
SCANNED_EXT = {".md", ".cordon", ".yaml", ".yml", ".json", ".jsonl", ".txt", ".sh", ".c", ".cpp", ".h", ".hpp"}


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r"[`*_]", "", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    text, out, in_code = path.read_text(), set(), False
    for line in text.split("\n"):
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            base, n = slug(line.lstrip("#")), 0
            name = base
            while name in out:
                n += 1
                name = f"{base}-{n}"
            out.add(name)
    return out


LISTING = re.compile(r"<!--\s*(same-as|start-of):\s*(\S+)\s*-->")


def check_listings(files):
    """A fenced block after `<!-- same-as: PATH -->` must be that file (relative to the
    repository root); after `<!-- start-of: PATH -->`, its first lines."""
    bad = 0
    for path in files:
        lines = path.read_text().split("\n")
        for n, line in enumerate(lines):
            m = LISTING.search(line)
            if not m:
                continue
            k = n + 1
            while k < len(lines) and not lines[k].startswith("```"):
                k += 1
            end = k + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            shown = "\n".join(lines[k + 1:end]) + "\n"
            target = ROOT / m.group(2)
            real = target.read_text() if target.is_file() else None
            ok = real is not None and (real == shown if m.group(1) == "same-as" else real.startswith(shown))
            if not ok:
                bad += 1
                what = "no such file" if real is None else "the listing differs from the file"
                print(f"{rel(path)}:{n + 1}: {m.group(1)} {m.group(2)}: {what}")
    return bad


def check_links(opts):
    bad = 0
    files = doc_files(opts.files) if opts.files else sorted(
        set(ROOT.glob("*.md")) | set(ROOT.glob("docs/**/*.md")) | set(ROOT.glob("policies/**/*.md"))
        | set(ROOT.glob("examples/**/*.md")) | set(ROOT.glob("bench/**/*.md")))
    for path in files:
        in_code = False
        for n, line in enumerate(path.read_text().split("\n"), 1):
            if line.startswith("```"):
                in_code = not in_code
                continue
            if in_code:
                continue
            for target in LINK.findall(line):
                if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
                    continue
                file_part, _, anchor = target.partition("#")
                dest = (path.parent / file_part).resolve() if file_part else path
                problem = None
                if not dest.exists():
                    problem = "no such file"
                elif not dest.is_relative_to(ROOT):
                    problem = "outside the repository"
                elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                    problem = f"no heading #{anchor} there"
                if problem:
                    bad += 1
                    print(f"{rel(path)}:{n}: link `{target}`: {problem}")
    for top in SCANNED:
        base = ROOT / top
        paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in paths:
            if path.suffix not in SCANNED_EXT:
                continue
            try:
                text = path.read_text()
            except (UnicodeDecodeError, OSError):
                continue
            for n, line in enumerate(text.split("\n"), 1):
                m = MACHINE_PATH.search(line)
                if m:
                    bad += 1
                    print(f"{rel(path)}:{n}: names an absolute path of a machine: {line.strip()[:100]}")
    bad += check_listings(files)
    for copy, original in COPIES:
        if (ROOT / copy).read_bytes() != (ROOT / original).read_bytes():
            bad += 1
            print(f"{copy}: differs from {original}, of which the docs say it is a copy (cp {original} {copy})")
    print(f"links, paths and copies: {bad} problem(s)")
    return 1 if bad else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="exit 1 if a block's output differs")
    mode.add_argument("--update", action="store_true", help="rewrite the blocks with the real output")
    mode.add_argument("--links", action="store_true", help="check links and absolute machine paths")
    p.add_argument("--cordon", default=str(ROOT / "build" / "cordon"), help="the cordon binary")
    p.add_argument("--only", help="only the blocks whose commands contain this text")
    p.add_argument("files", nargs="*", help="Markdown files (default: the project's docs)")
    opts = p.parse_args()
    return check_links(opts) if opts.links else check_docs(opts)


if __name__ == "__main__":
    sys.exit(main())
