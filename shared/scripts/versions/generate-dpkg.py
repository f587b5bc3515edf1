#!/usr/bin/python3
"""Writes shared/src/versions/testdata/dpkg-differential.txt: pairs of Debian versions judged by
the real tools, so that dpkg.ts is tested on far more than the hand-written vectors and without
the tools at test time.

The judge is python3-apt's apt_pkg.version_compare (libapt-pkg); a random sample of the pairs is
checked again with `dpkg --compare-versions`, and the script fails if the two ever disagree or if
dpkg refuses a version (`dpkg --validate-version`): only versions dpkg accepts are written.

The pairs are random versions from a grammar of dpkg's syntax (digit runs of 1 to 40 digits with
leading zeros, letters, `~`, `+`, `.`, `-` inside the upstream part, `:` after an epoch, epochs
and revisions), near-equal pairs (one token of a version changed, or respelled to an equal form
such as `0:` or `-0`), pairs sharing a prefix, and pairs of versions named in the vector files.
A fixed seed makes every run write the same file.

Run from the repository root (needs python3-apt and dpkg):
    /usr/bin/python3 shared/scripts/versions/generate-dpkg.py
"""

import os
import random
import subprocess
import sys

import apt_pkg

SEED = 20240917
RANDOM_PAIRS = 1200
NEAR_EQUAL_PAIRS = 3300
SHARED_PREFIX_PAIRS = 900
VECTOR_PAIRS = 700
CROSS_CHECK_PAIRS = 500
MAX_BYTES = 400 * 1024
MAX_EPOCH = 2147483647

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "..", "..", "src", "versions", "testdata")
OUTPUT = os.path.join(TESTDATA, "dpkg-differential.txt")
VECTOR_FILES = ["debian-versions.txt", "debian-versions-generated.txt"]

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
UPSTREAM_CHARS = set(LETTERS + "0123456789.+~-:")
REVISION_CHARS = set(LETTERS + "0123456789.+~")

rng = random.Random(SEED)


def is_valid(version):
    """dpkg's parseversion, strict as `dpkg --validate-version` (warnings count as errors)."""
    if not version or " " in version or "\t" in version:
        return False
    rest = version
    if ":" in version:
        epoch, rest = version.split(":", 1)
        if not epoch.isdigit() or not epoch.isascii() or int(epoch) > MAX_EPOCH or rest == "":
            return False
    upstream, hyphen, revision = rest.rpartition("-")
    if not hyphen:
        upstream, revision = rest, ""
    elif revision == "":
        return False
    if upstream == "" or not upstream[0].isdigit() or not upstream[0].isascii():
        return False
    # A `:` in the upstream part is allowed: it can only be there after an epoch.
    return set(upstream) <= UPSTREAM_CHARS and set(revision) <= REVISION_CHARS


def digits():
    """A digit run: mostly short, sometimes up to 40 digits, sometimes with leading zeros."""
    roll = rng.random()
    if roll < 0.6:
        run = str(rng.randint(0, 20))
    elif roll < 0.85:
        run = str(rng.randint(0, 10 ** rng.randint(2, 9)))
    else:
        run = "".join(rng.choice("0123456789") for _ in range(rng.randint(10, 40)))
    if rng.random() < 0.1:
        run = "0" * rng.randint(1, 3) + run
    return run


def letters():
    word = rng.choice(["a", "b", "z", "rc", "beta", "alpha", "dfsg", "deb", "ubuntu", "git", "bpo", "build", "A", "Z"])
    return word if rng.random() < 0.8 else "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 4)))


def part(first_digit, separators, max_tokens):
    """A run of tokens: digit runs and letters, joined by separators or directly."""
    tokens = [digits() if first_digit or rng.random() < 0.6 else letters()]
    for _ in range(rng.randint(0, max_tokens)):
        roll = rng.random()
        if roll < 0.55:
            tokens.append(rng.choice(separators))
        tokens.append(digits() if rng.random() < 0.55 else letters())
    if rng.random() < 0.1:
        tokens.append(rng.choice(separators))
    return "".join(tokens)


def random_version():
    epoch = rng.random() < 0.25
    upstream_separators = [".", ".", ".", "+", "~"] + (["-"] if rng.random() < 0.2 else []) + ([":"] if epoch else [])
    version = part(True, upstream_separators, 5)
    if epoch:
        version = f"{rng.choice(['0', '1', '2', '00', '01', '10', str(rng.randint(0, 999)), str(MAX_EPOCH)])}:{version}"
    if rng.random() < 0.6 or "-" in version:
        version += "-" + part(rng.random() < 0.8, [".", "+", "~", "."], 3)
    return version


def tokens_of(version):
    """Split into digit runs, letter runs and single other characters."""
    out = []
    for ch in version:
        kind = "d" if ch.isdigit() else "l" if ch.isalpha() else ch
        if out and kind in "dl" and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + ch)
        else:
            out.append((kind, ch))
    return out


def mutate(version):
    """Change one token, or respell the version into an equal form."""
    tokens = tokens_of(version)
    roll = rng.random()
    if roll < 0.08:
        return version if ":" in version else "0:" + version
    if roll < 0.14:
        return version + "-0" if "-" not in version else version
    i = rng.randrange(len(tokens))
    kind, text = tokens[i]
    if kind == "d":
        choice = rng.random()
        if choice < 0.25:
            text = str(int(text) + 1)
        elif choice < 0.4 and int(text) > 0:
            text = str(int(text) - 1)
        elif choice < 0.6:
            text = "0" + text
        elif choice < 0.75:
            text = text.lstrip("0") or "0"
        else:
            text = "9" * rng.randint(20, 40) if rng.random() < 0.5 else "1" + "0" * rng.randint(20, 40)
    elif kind == "l":
        choice = rng.random()
        if choice < 0.4:
            text = text[:-1] + rng.choice(LETTERS)
        elif choice < 0.7:
            text = text + rng.choice(LETTERS)
        else:
            text = text.swapcase()
    else:
        text = rng.choice([".", "+", "~", "-", "~~", ""])
    tokens[i] = (kind, text)
    insert = rng.random()
    if insert < 0.3:
        j = rng.randint(1, len(tokens))
        tokens.insert(j, ("x", rng.choice(["~", "~rc1", "+b1", ".0", "a", "0", "~~", "+", ".", "~0", "a0"])))
    elif insert < 0.4 and len(tokens) > 1:
        del tokens[rng.randrange(1, len(tokens))]
    return "".join(t for _, t in tokens)


def near_equal_pair():
    for _ in range(100):
        a = random_version()
        b = mutate(a)
        if rng.random() < 0.3:
            b = mutate(b)
        if is_valid(a) and is_valid(b):
            return a, b
    raise RuntimeError("no valid near-equal pair")


def shared_prefix_pair():
    for _ in range(100):
        base = random_version()
        a = base + rng.choice(["", "~", "+", ".", "a", "0", "~rc1", "+deb12u1", ".1", "~bpo1", "-1", "-0"])
        b = base + rng.choice(["", "~", "+", ".", "b", "00", "~rc2", "+deb12u2", ".0", "~~", "-1~", "-a"])
        if is_valid(a) and is_valid(b):
            return a, b
    raise RuntimeError("no valid shared-prefix pair")


def vector_versions():
    versions = set()
    for name in VECTOR_FILES:
        with open(os.path.join(TESTDATA, name), encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split(" ")
                if len(parts) == 3 and parts[1] in "<=>":
                    versions.update([parts[0], parts[2]])
    return sorted(v for v in versions if is_valid(v))


def order(a, b):
    result = apt_pkg.version_compare(a, b)
    return "<" if result < 0 else ">" if result > 0 else "="


def dpkg_order(a, b):
    def holds(op):
        return subprocess.run(["dpkg", "--compare-versions", a, op, b], capture_output=True).returncode == 0

    return "<" if holds("lt") else "=" if holds("eq") else ">"


def dpkg_accepts(version):
    return subprocess.run(["dpkg", "--validate-version", version], capture_output=True).returncode == 0


def tool_versions():
    dpkg_line = subprocess.run(["dpkg", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    dpkg_version = dpkg_line.split("version ")[1].split(" ")[0]
    query = ["dpkg-query", "-W", "-f", "${Version}", "python3-apt"]
    python_apt = subprocess.run(query, capture_output=True, text=True).stdout.strip()
    return dpkg_version, python_apt, apt_pkg.VERSION


def main():
    apt_pkg.init_system()
    pairs = []
    pairs += [(random_version(), random_version()) for _ in range(RANDOM_PAIRS)]
    pairs += [near_equal_pair() for _ in range(NEAR_EQUAL_PAIRS)]
    pairs += [shared_prefix_pair() for _ in range(SHARED_PREFIX_PAIRS)]
    vectors = vector_versions()
    pairs += [(rng.choice(vectors), rng.choice(vectors)) for _ in range(VECTOR_PAIRS)]

    seen = set()
    unique = []
    for a, b in pairs:
        if a != b and is_valid(a) and is_valid(b) and (a, b) not in seen:
            seen.add((a, b))
            unique.append((a, b))
    lines = [f"{a} {order(a, b)} {b}" for a, b in unique]

    sample = rng.sample(unique, CROSS_CHECK_PAIRS)
    refused = sorted({v for pair in sample for v in pair if not dpkg_accepts(v)})
    disagreements = [(a, b, order(a, b), dpkg_order(a, b)) for a, b in sample]
    disagreements = [d for d in disagreements if d[2] != d[3]]
    if refused or disagreements:
        for v in refused:
            print(f"dpkg refuses {v}", file=sys.stderr)
        for a, b, apt, dpkg in disagreements:
            print(f"apt says {a} {apt} {b}, dpkg says {dpkg}", file=sys.stderr)
        sys.exit(1)

    dpkg_version, python_apt, libapt = tool_versions()
    header = [
        f"# Judged by python3-apt {python_apt} apt_pkg.version_compare (libapt-pkg {libapt}); {CROSS_CHECK_PAIRS} random",
        f"# pairs re-checked with dpkg {dpkg_version} --compare-versions and --validate-version, all agreeing.",
        "# Regenerate from the repository root: /usr/bin/python3 shared/scripts/versions/generate-dpkg.py",
    ]
    text = "\n".join(header + lines) + "\n"
    if len(text.encode()) > MAX_BYTES:
        raise RuntimeError(f"{len(text.encode())} bytes is over {MAX_BYTES}; lower the pair counts")
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text)
    counts = {op: sum(1 for line in lines if f" {op} " in line) for op in "<=>"}
    print(f"wrote {len(lines)} pairs ({counts}), {len(text.encode())} bytes, to {os.path.relpath(OUTPUT)}")


if __name__ == "__main__":
    main()
