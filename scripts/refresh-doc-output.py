#!/usr/bin/env python3
"""Re-runs the `$ cordon ...` examples in docs/*.md and pastes their real output back.

Each fenced block whose first line starts with `$ ` is a shell session: every `$ CMD` line
is run from the repository root (with `cordon` meaning build/cordon, colour off), and the
lines up to the next `$ ` are replaced by what CMD printed (stdout and stderr).

  scripts/refresh-doc-output.py [--only PATTERN] [FILE.md ...]   (default: every docs/**/*.md)

Blocks with a line `...` (output shortened by hand) are left alone. --only runs just the blocks whose commands contain PATTERN (e.g. `timeline`); blocks with
commands that write files (`cordon fmt` without --check/--diff) are run as written, so
review `git diff` afterwards.
"""
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
args = sys.argv[1:]
only = None
if args[:1] == ["--only"]:
    only, args = args[1], args[2:]
files = [pathlib.Path(a) for a in args] or sorted((root / "docs").rglob("*.md"))
cordon = root / "build" / "cordon"

def run_block(commands):
    script = [f'cordon() {{ "{cordon}" "$@"; }}', "__rc=0"]
    for cmd in commands:
        quoted = cmd.replace("'", "'\\''")
        script.append(f"echo '$ {quoted}'; (exit $__rc); {cmd} 2>&1; __rc=$?")
    out = subprocess.run(["bash", "-c", "\n".join(script)], cwd=root, capture_output=True, text=True,
                         env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    text = out.stdout
    return re.sub(r"sha256:[0-9a-f]{12,64}", lambda m: m.group(0), text)

changed = 0
for path in files:
    text = path.read_text()
    parts = re.split(r"(```[a-z]*\n)(.*?)(```)", text, flags=re.S)
    # re.split with 3 groups: [before, open, body, close, before, ...]
    out = []
    i = 0
    while i < len(parts):
        out.append(parts[i])
        if i + 3 < len(parts) + 1 and i + 1 < len(parts):
            opener, body, closer = parts[i + 1], parts[i + 2], parts[i + 3]
            lines = body.splitlines()
            commands = [l[2:] for l in lines if l.startswith("$ ")]
            elided = any(l.strip() == "..." for l in lines)  # a hand-shortened example: leave it
            if lines and lines[0].startswith("$ ") and not elided and (only is None or any(only in c for c in commands)):
                new_body = run_block(commands)
                if new_body != body:
                    changed += 1
                body = new_body
            out.extend([opener, body, closer])
        i += 4
    new_text = "".join(out)
    if new_text != text:
        path.write_text(new_text)
        print(f"updated {path.relative_to(root)}")
print(f"{changed} block(s) changed")
