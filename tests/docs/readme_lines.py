"""The command lines a reader of README.md would type: from fenced code blocks and from inline `code` spans."""
import re
import shlex

PROGRAMS = {"bgm", "bgm-aggregate", "make", "bash", "python3", "cmake", "docker", "podman", "apptainer", "srun",
            "sbatch", "scancel", "mpirun", "module", "apt-get", "enroot"}
SCRIPT_PREFIXES = ("slurm/", "build/bin/", "containers/", "analysis/", "tests/", "benchmarks/", "$BGM_SHARE/")
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=.*$", re.S)  # a shell word: the value may hold quoted spaces


def program_of(words):
    """The first word after VAR=value assignments, or None."""
    for w in words:
        if not ASSIGNMENT.match(w):
            return w
    return None


def is_command(line):
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        words = line.split()
    prog = program_of(words)
    return bool(prog) and (prog in PROGRAMS or prog.startswith(SCRIPT_PREFIXES))


def readme_command_lines(text):
    """(line number, command) pairs; continuation lines are joined, trailing comments kept out."""
    found = []
    lines = text.split("\n")
    in_block = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            in_block = not in_block
            i += 1
            continue
        if in_block:
            start = i
            joined = line
            while joined.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                joined = joined.rstrip()[:-1] + " " + lines[i].strip()
            # A trailing "# comment", or "   (a remark)" after a run of spaces, is prose, not arguments.
            stripped = re.sub(r"(\s+#\s.*|\s{2,}\(.*\))$", "", joined).strip()
            if is_command(stripped):
                found.append((start + 1, stripped))
        else:
            for span in re.findall(r"`([^`\n]+)`", line):
                if " " in span and is_command(span):
                    found.append((i + 1, span.strip()))
        i += 1
    return found
