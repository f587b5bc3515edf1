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

import os
import random
import re
import subprocess
import sys

import rpm

SEED = 20240918
RANDOM_PAIRS = 1200
NEAR_EQUAL_PAIRS = 3300
SHARED_PREFIX_PAIRS = 900
VECTOR_PAIRS = 400
MAX_BYTES = 400 * 1024

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "..", "..", "src", "versions", "testdata")
OUTPUT = os.path.join(TESTDATA, "rpm-differential.txt")
VECTOR_FILES = ["redhat-versions.txt"]

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
VERREL = re.compile(r"^[A-Za-z0-9._+~^]+$")

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


def split(evr):
    """rpm's own reading of the EVR."""
    parsed = rpm.ver(evr)
    return parsed.e, parsed.v, parsed.r


def digits():
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
    word = rng.choice(["a", "b", "z", "el", "el9", "rc", "beta", "git", "fc", "module", "noarch", "A", "Z", "p"])
    return word if rng.random() < 0.8 else "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 4)))


def part(max_tokens):
    """Tokens (digit runs, letter runs, `~`, `^`) joined by separators or directly."""
    tokens = [rng.choice([digits, digits, digits, letters])()]
    if rng.random() < 0.05:
        tokens.insert(0, rng.choice(["~", "^", "_", "+"]))
    for _ in range(rng.randint(0, max_tokens)):
        roll = rng.random()
        if roll < 0.5:
            tokens.append(rng.choice([".", ".", ".", "_", "+"]))
        elif roll < 0.62:
            tokens.append(rng.choice(["~", "^", "~~", "^~", "~^"]))
        tokens.append(digits() if rng.random() < 0.55 else letters())
    if rng.random() < 0.1:
        tokens.append(rng.choice([".", "~", "^", "+", "_"]))
    return "".join(tokens)


def random_evr():
    evr = part(5)
    if rng.random() < 0.3:
        evr = f"{rng.choice(['0', '1', '2', '00', '01', '10', str(rng.randint(0, 999)), digits()])}:{evr}"
    if rng.random() < 0.7:
        evr += "-" + part(4)
    return evr


def tokens_of(evr):
    out = []
    for ch in evr:
        kind = "d" if ch.isdigit() else "l" if ch.isalpha() else ch
        if out and kind in "dl" and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + ch)
        else:
            out.append((kind, ch))
    return out


def mutate(evr):
    """Change one token, or respell the EVR into an equal form."""
    roll = rng.random()
    if roll < 0.06:
        return evr if ":" in evr else "0:" + evr
    if roll < 0.1:
        return evr.replace(".", rng.choice(["_", "+"]), 1)
    if roll < 0.14:
        return evr + "-1" if "-" not in evr else evr[: evr.rindex("-")]
    tokens = tokens_of(evr)
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
    elif kind not in ":-":
        text = rng.choice([".", "+", "_", "~", "^", "~~", "^^", ""])
    tokens[i] = (kind, text)
    insert = rng.random()
    if insert < 0.3:
        j = rng.randint(1, len(tokens))
        tokens.insert(j, ("x", rng.choice(["~", "^", "~rc1", "^git1", ".0", "a", "0", "~~", "+", ".", "_1", "a0"])))
    elif insert < 0.4 and len(tokens) > 1:
        del tokens[rng.randrange(1, len(tokens))]
    return "".join(t for _, t in tokens)


def near_equal_pair():
    for _ in range(100):
        a = random_evr()
        b = mutate(a)
        if rng.random() < 0.3:
            b = mutate(b)
        if is_valid(a) and is_valid(b) and a != b:
            return a, b
    raise RuntimeError("no valid near-equal pair")


def shared_prefix_pair():
    for _ in range(100):
        base = random_evr()
        a = base + rng.choice(["", "~", "^", ".", "a", "0", "~rc1", "^git1", ".1", "_1", "-1", "+el9"])
        b = base + rng.choice(["", "~", "^", ".", "b", "00", "~rc2", "^20240101", ".0", "~~", "-1~", "-a"])
        if is_valid(a) and is_valid(b) and a != b:
            return a, b
    raise RuntimeError("no valid shared-prefix pair")


def vector_evrs():
    evrs = set()
    for name in VECTOR_FILES:
        with open(os.path.join(TESTDATA, name), encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split(" ")
                if len(parts) == 3 and parts[1] in "<=>":
                    evrs.update([parts[0], parts[2]])
    return sorted(e for e in evrs if is_valid(e))


def sign(n):
    return "<" if n < 0 else ">" if n > 0 else "="


def label_order(a, b):
    return sign(rpm.labelCompare(split(a), split(b)))


def ver_order(a, b):
    x, y = rpm.ver(a), rpm.ver(b)
    return "<" if x < y else ">" if x > y else "="


def main():
    pairs = []
    pairs += [(random_evr(), random_evr()) for _ in range(RANDOM_PAIRS)]
    pairs += [near_equal_pair() for _ in range(NEAR_EQUAL_PAIRS)]
    pairs += [shared_prefix_pair() for _ in range(SHARED_PREFIX_PAIRS)]
    vectors = vector_evrs()
    pairs += [(rng.choice(vectors), rng.choice(vectors)) for _ in range(VECTOR_PAIRS)]

    seen = set()
    unique = []
    for a, b in pairs:
        if a != b and is_valid(a) and is_valid(b) and (a, b) not in seen:
            seen.add((a, b))
            unique.append((a, b))
    lines = [f"{a} {label_order(a, b)} {b}" for a, b in unique]

    disagreements = [(a, b) for a, b in unique if label_order(a, b) != ver_order(a, b)]
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
    text = "\n".join(header + lines) + "\n"
    if len(text.encode()) > MAX_BYTES:
        raise RuntimeError(f"{len(text.encode())} bytes is over {MAX_BYTES}; lower the pair counts")
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text)
    counts = {op: sum(1 for line in lines if f" {op} " in line) for op in "<=>"}
    print(f"wrote {len(lines)} pairs ({counts}), {len(text.encode())} bytes, to {os.path.relpath(OUTPUT)}")


if __name__ == "__main__":
    main()
