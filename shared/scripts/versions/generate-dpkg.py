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

import random
import subprocess
import sys

import apt_pkg

from vectors import (
    LETTERS,
    TESTDATA,
    digit_run,
    mutate_tokens,
    near_equal_pair,
    random_pairs,
    shared_prefix_pair,
    sign,
    unique,
    vector_versions,
    write_vectors,
)

SEED = 20240917
RANDOM_PAIRS = 1200
NEAR_EQUAL_PAIRS = 3300
SHARED_PREFIX_PAIRS = 900
VECTOR_PAIRS = 700
CROSS_CHECK_PAIRS = 500
MAX_BYTES = 400 * 1024
MAX_EPOCH = 2147483647

OUTPUT = TESTDATA / "dpkg-differential.txt"
VECTOR_FILES = ["debian-versions.txt", "debian-versions-generated.txt"]

UPSTREAM_CHARS = set(LETTERS + "0123456789.+~-:")
REVISION_CHARS = set(LETTERS + "0123456789.+~")
PREFIX_SUFFIXES_A = ["", "~", "+", ".", "a", "0", "~rc1", "+deb12u1", ".1", "~bpo1", "-1", "-0"]
PREFIX_SUFFIXES_B = ["", "~", "+", ".", "b", "00", "~rc2", "+deb12u2", ".0", "~~", "-1~", "-a"]

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


def both_valid(a, b):
    return is_valid(a) and is_valid(b)


def letters():
    word = rng.choice(["a", "b", "z", "rc", "beta", "alpha", "dfsg", "deb", "ubuntu", "git", "bpo", "build", "A", "Z"])
    return word if rng.random() < 0.8 else "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 4)))


def part(first_digit, separators, max_tokens):
    """A run of tokens: digit runs and letters, joined by separators or directly."""
    tokens = [digit_run(rng) if first_digit or rng.random() < 0.6 else letters()]
    for _ in range(rng.randint(0, max_tokens)):
        roll = rng.random()
        if roll < 0.55:
            tokens.append(rng.choice(separators))
        tokens.append(digit_run(rng) if rng.random() < 0.55 else letters())
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


def mutate(version):
    """Change one token, or respell the version into an equal form."""
    roll = rng.random()
    if roll < 0.08:
        return version if ":" in version else "0:" + version
    if roll < 0.14:
        return version + "-0" if "-" not in version else version
    separators = [".", "+", "~", "-", "~~", ""]
    inserts = ["~", "~rc1", "+b1", ".0", "a", "0", "~~", "+", ".", "~0", "a0"]
    return mutate_tokens(rng, version, separators, inserts)


def apt_order(a, b):
    return sign(apt_pkg.version_compare(a, b))


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
    pairs = [(random_version(), random_version()) for _ in range(RANDOM_PAIRS)]
    pairs += [near_equal_pair(rng, random_version, mutate, both_valid) for _ in range(NEAR_EQUAL_PAIRS)]
    pairs += [
        shared_prefix_pair(rng, random_version, PREFIX_SUFFIXES_A, PREFIX_SUFFIXES_B, both_valid)
        for _ in range(SHARED_PREFIX_PAIRS)
    ]
    vectors = sorted(v for v in vector_versions(VECTOR_FILES) if is_valid(v))
    pairs += random_pairs(rng, VECTOR_PAIRS, vectors)
    pairs = unique((a, b) for a, b in pairs if a != b and both_valid(a, b))
    judged = [(a, apt_order(a, b), b) for a, b in pairs]

    sample = rng.sample(pairs, CROSS_CHECK_PAIRS)
    refused = sorted({v for pair in sample for v in pair if not dpkg_accepts(v)})
    disagreements = [(a, b, apt_order(a, b), dpkg_order(a, b)) for a, b in sample]
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
    write_vectors(OUTPUT, header, judged, MAX_BYTES)


if __name__ == "__main__":
    main()
