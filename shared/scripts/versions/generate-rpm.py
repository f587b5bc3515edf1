#!/usr/bin/python3
"""Writes shared/src/versions/testdata/rpm-differential.txt: pairs of RPM EVRs judged by the real
rpm library, so that rpm.ts is tested on far more than the hand-written vectors and without the
tools at test time.

Each EVR is split by rpm's own parser (rpm.ver: parseEVR, release after the last `-`) and the
pair is judged by rpm.labelCompare on the (epoch, version, release) triples. Every pair is also
checked against rpm.ver's comparison (rpmverCmp), and the script fails if the two ever disagree.

rpm compares any bytes, so the grammar keeps to what a spec file may hold (rpmbuild's
rpmCharCheck): version and release of letters, digits and `._+~^`, no `-`, no `..`, neither
empty; epochs of digits. Within that: digit runs of 1 to 40 digits with leading zeros, letters,
`~` and `^` anywhere, epochs with leading zeros, missing releases. The pairs are random EVRs,
near-equal pairs (one token changed, or respelled to an equal form such as `0:` or `1_0` for
`1.0`), pairs sharing a prefix, and pairs of EVRs named in redhat-versions.txt that keep to the
grammar. A fixed seed makes every run write the same file.

Run from the repository root (needs python3-rpm):
    /usr/bin/python3 shared/scripts/versions/generate-rpm.py
"""

import random
import re
import subprocess
import sys

import rpm

from vectors import (
    LETTERS,
    TESTDATA,
    digit_run,
    mutate_tokens,
    near_equal_pair,
    order,
    random_pairs,
    shared_prefix_pair,
    sign,
    unique,
    vector_versions,
    write_vectors,
)

SEED = 20240918
RANDOM_PAIRS = 1200
NEAR_EQUAL_PAIRS = 3300
SHARED_PREFIX_PAIRS = 900
VECTOR_PAIRS = 400
MAX_BYTES = 400 * 1024

OUTPUT = TESTDATA / "rpm-differential.txt"
VECTOR_FILES = ["redhat-versions.txt"]

VERREL = re.compile(r"^[A-Za-z0-9._+~^]+$")
PREFIX_SUFFIXES_A = ["", "~", "^", ".", "a", "0", "~rc1", "^git1", ".1", "_1", "-1", "+el9"]
PREFIX_SUFFIXES_B = ["", "~", "^", ".", "b", "00", "~rc2", "^20240101", ".0", "~~", "-1~", "-a"]

rng = random.Random(SEED)


def is_valid(evr):
    """What a spec file could produce: [digits:]version[-release], rpmCharCheck's characters."""
    epoch, colon, rest = evr.partition(":")
    if not colon:
        epoch, rest = "", evr
    elif not (epoch.isascii() and epoch.isdigit()):
        return False
    version, hyphen, release = rest.partition("-")
    parts = [version, release] if hyphen else [version]
    return all(VERREL.match(p) and ".." not in p for p in parts)


def distinct_valid(a, b):
    return is_valid(a) and is_valid(b) and a != b


def split(evr):
    """rpm's own reading of the EVR."""
    parsed = rpm.ver(evr)
    return parsed.e, parsed.v, parsed.r


def letters():
    word = rng.choice(["a", "b", "z", "el", "el9", "rc", "beta", "git", "fc", "module", "noarch", "A", "Z", "p"])
    return word if rng.random() < 0.8 else "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 4)))


def part(max_tokens):
    """Tokens (digit runs, letter runs, `~`, `^`) joined by separators or directly."""
    tokens = [digit_run(rng) if rng.choice("dddl") == "d" else letters()]  # three digit runs to a letter run
    if rng.random() < 0.05:
        tokens.insert(0, rng.choice(["~", "^", "_", "+"]))
    for _ in range(rng.randint(0, max_tokens)):
        roll = rng.random()
        if roll < 0.5:
            tokens.append(rng.choice([".", ".", ".", "_", "+"]))
        elif roll < 0.62:
            tokens.append(rng.choice(["~", "^", "~~", "^~", "~^"]))
        tokens.append(digit_run(rng) if rng.random() < 0.55 else letters())
    if rng.random() < 0.1:
        tokens.append(rng.choice([".", "~", "^", "+", "_"]))
    return "".join(tokens)


def random_evr():
    evr = part(5)
    if rng.random() < 0.3:
        evr = f"{rng.choice(['0', '1', '2', '00', '01', '10', str(rng.randint(0, 999)), digit_run(rng)])}:{evr}"
    if rng.random() < 0.7:
        evr += "-" + part(4)
    return evr


def mutate(evr):
    """Change one token, or respell the EVR into an equal form."""
    roll = rng.random()
    if roll < 0.06:
        return evr if ":" in evr else "0:" + evr
    if roll < 0.1:
        return evr.replace(".", rng.choice(["_", "+"]), 1)
    if roll < 0.14:
        return evr + "-1" if "-" not in evr else evr[: evr.rindex("-")]
    separators = [".", "+", "_", "~", "^", "~~", "^^", ""]
    inserts = ["~", "^", "~rc1", "^git1", ".0", "a", "0", "~~", "+", ".", "_1", "a0"]
    # The epoch's `:` and the release's `-` stay: they are not separators.
    return mutate_tokens(rng, evr, separators, inserts, fixed=":-")


def label_order(a, b):
    return sign(rpm.labelCompare(split(a), split(b)))


def ver_order(a, b):
    return order(rpm.ver(a), rpm.ver(b))


def main():
    pairs = [(random_evr(), random_evr()) for _ in range(RANDOM_PAIRS)]
    pairs += [near_equal_pair(rng, random_evr, mutate, distinct_valid) for _ in range(NEAR_EQUAL_PAIRS)]
    pairs += [
        shared_prefix_pair(rng, random_evr, PREFIX_SUFFIXES_A, PREFIX_SUFFIXES_B, distinct_valid)
        for _ in range(SHARED_PREFIX_PAIRS)
    ]
    vectors = sorted(e for e in vector_versions(VECTOR_FILES) if is_valid(e))
    pairs += random_pairs(rng, VECTOR_PAIRS, vectors)
    pairs = unique((a, b) for a, b in pairs if distinct_valid(a, b))
    judged = [(a, label_order(a, b), b) for a, b in pairs]

    disagreements = [(a, b) for a, b in pairs if label_order(a, b) != ver_order(a, b)]
    if disagreements:
        for a, b in disagreements:
            print(f"labelCompare says {a} {label_order(a, b)} {b}, rpm.ver says {ver_order(a, b)}", file=sys.stderr)
        sys.exit(1)

    query = ["dpkg-query", "-W", "-f", "${Version}", "python3-rpm"]
    package = subprocess.run(query, capture_output=True, text=True).stdout.strip() or "unknown"
    header = [
        f"# Judged by python3-rpm {rpm.__version__} (package {package}): rpm.labelCompare on the (epoch, version,",
        "# release) that rpm.ver reads from each EVR; every pair agrees with rpm.ver's own comparison too.",
        "# Regenerate from the repository root: /usr/bin/python3 shared/scripts/versions/generate-rpm.py",
    ]
    write_vectors(OUTPUT, header, judged, MAX_BYTES)


if __name__ == "__main__":
    main()
