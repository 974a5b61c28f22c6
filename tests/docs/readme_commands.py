#!/usr/bin/env python3
"""Every command line in README.md names things that exist, and is run by a test or marked as needing a GPU,
a cluster or a container runtime.

For each line (fenced code and inline `code` spans that start with a program, see readme_lines.py):
  * names: a `bgm`/`bgm-aggregate` subcommand and each --flag must be in that command's --help; a `make` target
    in the Makefile; a script, manifest or file path in the source tree; each --flag of a script in its text.
  * coverage: the first row of readme_coverage.tsv whose pattern matches says how the line is exercised:
      run            run here, verbatim, in a scratch folder that links the checkout's folders (PATH has build/bin)
      ctest:A,B      CTest tests that run it, or the same script/command on smaller input (each must exist)
      setup          `make test` runs it before any test (deps, build)
      gpu | cluster | container | network   needs what `make test` does not have; names still checked
      synopsis       a usage line with placeholders: checked against --help, nothing to run
A README line that no row matches fails the test, so a new command in the README needs a way to be exercised.

usage: readme_commands.py SOURCE_DIR BUILD_DIR
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

from readme_lines import ASSIGNMENT, program_of, readme_command_lines

SOURCE, BUILD = (os.path.realpath(p) for p in sys.argv[1:3])
BGM = os.path.join(BUILD, "bin", "bgm")
AGGREGATE = os.path.join(BUILD, "bin", "bgm-aggregate")
IMAGES = re.compile(r"^(localhost/)?bgm-(cpu|cuda)(:\S+)?$")
problems = []


def output_of(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


BGM_COMMANDS = set(re.findall(r"^  bgm ([a-z-]+) ", output_of(BGM, "help"), re.M)) | {"help"}
help_cache = {}


def help_text(program, sub=None):
    key = (program, sub)
    if key not in help_cache:
        help_cache[key] = output_of(program, *([sub] if sub else []), "--help")
    return help_cache[key]


def makefile_targets():
    text = open(os.path.join(SOURCE, "Makefile")).read()
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, re.M))


MAKE_TARGETS = makefile_targets()


def flags(words):
    """--flags among words, without brackets, values or trailing punctuation."""
    out = []
    for w in words:
        w = w.strip("[](),")
        if w.startswith("--") and len(w) > 2:
            out.append(w.split("=", 1)[0].split("|", 1)[0])
    return out


def mentions(text, flag):
    """`flag` appears in text as a whole flag (--path does not count for --pat)."""
    return re.search(re.escape(flag) + r"(?![\w-])", text) is not None


def placeholder(word):
    return word.startswith("<") or (word.isupper() and len(word) > 1)


def check_bgm(args, where, program=BGM, name="bgm"):
    if not args:
        return
    if name == "bgm":
        sub = args[0]
        if sub in ("--help", "-h", "--version", "-V") or placeholder(sub):
            return
        if sub not in BGM_COMMANDS:
            problems.append(f"{where}: `bgm {sub}` is not a bgm command (bgm help lists {sorted(BGM_COMMANDS)})")
            return
        text = help_text(program, sub) if sub != "help" else ""
        rest = args[1:]
    else:
        text, rest = help_text(program), args
    for f in flags(rest):
        if f != "--help" and not mentions(text, f):
            problems.append(f"{where}: {name} {args[0] if name == 'bgm' else ''} has no flag {f} (see its --help)")
    check_paths(rest, where)


def check_paths(words, where):
    for w in words:
        w = w.strip("[](),'\"")
        if re.match(r"^(jobs|slurm|containers|analysis|tests|benchmarks)/\S+\.\w+$", w):
            if not os.path.exists(os.path.join(SOURCE, w)):
                problems.append(f"{where}: {w} does not exist in the source tree")


def script_path(word):
    for prefix in ("$BGM_SHARE/", "~/sw/bgm/share/bgm/"):
        if word.startswith(prefix):
            return word[len(prefix):]
    return word


def check_line(number, line):
    where = f"README.md:{number} `{line}`"
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        words = line.split()
    words = [w for w in words if w != "&&"]
    prog = program_of(words)
    args = words[words.index(prog) + 1:]
    if prog in ("bgm", "build/bin/bgm"):
        check_bgm(args, where)
    elif prog in ("bgm-aggregate", "build/bin/bgm-aggregate"):
        check_bgm(args, where, AGGREGATE, "bgm-aggregate")
    elif prog == "make":
        for t in (a for a in args if not ASSIGNMENT.match(a.strip("[]")) and not a.startswith("-")):
            if t not in MAKE_TARGETS:
                problems.append(f"{where}: make has no target '{t}' (Makefile)")
    elif prog in ("bash", "python3") or "/" in prog:
        script = script_path(args[0] if prog in ("bash", "python3") else prog)
        rest = args[1:] if prog in ("bash", "python3") else args
        if placeholder(script) or script.startswith("-"):
            return
        path = os.path.join(SOURCE, script)
        if not os.path.isfile(path):
            problems.append(f"{where}: {script} does not exist in the source tree")
            return
        text = open(path, errors="replace").read()
        for f in flags(rest):
            if not mentions(text, f):
                problems.append(f"{where}: {script} knows no flag {f}")
        check_paths(rest, where)
    elif prog in ("docker", "podman"):
        if args[:1] == ["build"] and "-f" in args:
            check_paths([args[args.index("-f") + 1]], where)
        if args[:1] == ["run"]:
            image = next((i for i, a in enumerate(args) if IMAGES.match(a)), None)
            if image is not None:
                check_bgm(args[image + 1:], where)  # the images' entrypoint is bgm
    elif prog in ("srun", "mpirun", "apptainer"):
        if "bgm" in args:
            check_bgm(args[args.index("bgm") + 1:], where)
    elif prog == "cmake" and "--target" in args:
        for t in args[args.index("--target") + 1:]:
            if t.startswith("-"):
                break
            if t not in ("bgm", "bgm-aggregate"):
                problems.append(f"{where}: cmake target {t} is not bgm or bgm-aggregate")


def coverage_rows():
    rows = []
    for n, raw in enumerate(open(os.path.join(os.path.dirname(__file__), "readme_coverage.tsv")), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.rstrip("\n").split("\t")
        if len(fields) < 2:
            sys.exit(f"readme_coverage.tsv:{n}: expected PATTERN<TAB>HOW[<TAB>WHY]")
        rows.append((n, re.compile(fields[0]), fields[1]))
    return rows


def ctest_names():
    out = subprocess.run(["ctest", "-N"], cwd=BUILD, capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"Test +#\d+: (\S+)", out))


def run_here(line, scratch):
    env = dict(os.environ, PATH=os.path.join(BUILD, "bin") + os.pathsep + os.environ["PATH"])
    done = subprocess.run(["bash", "-c", "set -o pipefail; " + line], cwd=scratch, env=env, capture_output=True,
                          text=True, timeout=120)
    return done.returncode, (done.stdout + done.stderr)[-600:]


def main():
    lines = readme_command_lines(open(os.path.join(SOURCE, "README.md")).read())
    for number, line in lines:
        check_line(number, line)

    rows, tests = coverage_rows(), ctest_names()
    used, ran, kinds = set(), 0, {}
    with tempfile.TemporaryDirectory(prefix="bgm-readme-") as scratch:
        for d in ("jobs", "slurm", "analysis", "containers", "tests", "benchmarks"):
            os.symlink(os.path.join(SOURCE, d), os.path.join(scratch, d))
        os.makedirs(os.path.join(scratch, "build"))
        os.symlink(os.path.join(BUILD, "bin"), os.path.join(scratch, "build", "bin"))
        for number, line in lines:
            row = next((r for r in rows if r[1].search(line)), None)
            if row is None:
                problems.append(f"README.md:{number} `{line}`: no row of tests/docs/readme_coverage.tsv says which "
                                "test runs it (or that it needs a GPU, a cluster or a container runtime)")
                continue
            used.add(row[0])
            how = row[2]
            kinds[how.split(":")[0]] = kinds.get(how.split(":")[0], 0) + 1
            if how == "run":
                status, out = run_here(line, scratch)
                ran += 1
                if status != 0:
                    problems.append(f"README.md:{number} `{line}` exited {status}:\n{out}")
            elif how.startswith("ctest:"):
                for name in how[len("ctest:"):].split(","):
                    if not any(re.fullmatch(name, t) for t in tests):
                        problems.append(f"readme_coverage.tsv:{row[0]}: no CTest test matches '{name}'")
            elif how not in ("setup", "gpu", "cluster", "container", "network", "synopsis"):
                problems.append(f"readme_coverage.tsv:{row[0]}: unknown kind '{how}'")
    for n, _, _ in rows:
        if n not in used:
            problems.append(f"readme_coverage.tsv:{n}: matches no README line any more (remove it)")

    for p in problems:
        print("readme_commands: FAIL:", p)
    print(f"readme_commands: {len(lines)} command lines; {ran} run here; by kind: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
