#!/usr/bin/env python3
"""Writes shared/src/versions/testdata/maven-differential.txt: `A op B` lines judged by Maven's
own ComparableVersion (maven-artifact, Debian's Maven 3.8.7 at /usr/share/maven/lib), for the
maven scheme's tests. The judge is MavenCompare.java beside this file, run from source by Java 17.

Regenerate from the repository root:
    python3 shared/scripts/versions/generate-maven.py

Two kinds of pair are left out, and the file's header counts them:
- versions with a qualifier right after a dot (`1.0.RC1`, `2.0.Final`): maven-artifact 3.8.7
  (MNG-7559) reads them as `1.0-RC1`, while osv-scalibr's vectors, and so the scheme, keep the
  reading of earlier 3.x releases; the vectors cover those versions instead;
- pairs on which ComparableVersion contradicts itself: it orders A and B one way, yet against their
  common prefix P it puts them the other way round (`1-alpha` > `1.sp.1`, but `1-alpha` < `1` <
  `1.sp.1`). No total order, hence no sort key, can keep all three; the scheme keeps the two
  comparisons with the prefix.

Pairs: versions from a grammar (numbers of 1 to 40 digits with leading zeros, every known
qualifier and shorthand in any case, unknown qualifiers, `.`/`-`/no separator, empty parts),
near mutations of each (`.0`/`-0`/`-ga`/`-final` appended, separators swapped, a number bumped, a
part dropped, case changed), and the versions named by osv-scalibr's maven vector files; pairs
within one family give the close calls, random pairs the rest. Fixed seed.
"""

import random
import re
from pathlib import Path

from vectors import (
    TESTDATA,
    bump_digit,
    digit_positions,
    families,
    family_pairs,
    judge,
    pad_digit,
    random_number,
    vector_versions,
    write_vectors,
)

OUTPUT = TESTDATA / "maven-differential.txt"
JAR = Path("/usr/share/maven/lib/maven-artifact-3.x.jar")
JUDGE = Path(__file__).resolve().parent / "MavenCompare.java"
VECTOR_FILES = ["maven-versions.txt", "maven-versions-generated.txt"]

rng = random.Random(3887)

KNOWN = ["alpha", "a", "beta", "b", "milestone", "m", "rc", "cr", "snapshot", "ga", "final", "release", "sp"]
UNKNOWN = ["foo", "jre", "android", "redhat", "incubating", "x", "e", "z", "dev", "pre", "preview", "abc", "b_2"]
# maven-artifact 3.8.7 and the scheme read these differently (MNG-7559): a qualifier after a dot.
DOT_QUALIFIER = re.compile(r"\.[^0-9.\-]")


def word() -> str:
    text = rng.choice(KNOWN) if rng.random() < 0.7 else rng.choice(UNKNOWN)
    roll = rng.random()
    if roll < 0.2:
        return text.upper()
    if roll < 0.3:
        return text.capitalize()
    return text


def grammar_version() -> str:
    text = random_number(rng) if rng.random() < 0.95 else word()
    digits = text[-1].isdigit()
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 7])):
        kind_number = rng.random() < 0.55
        part = random_number(rng) if kind_number else word()
        roll = rng.random()
        if kind_number != digits and roll < 0.35:
            sep = ""
        elif roll < 0.7:
            sep = "-"
        else:
            sep = "."
        if rng.random() < 0.03:
            sep += rng.choice([".", "-"])
        text += sep + part
        digits = kind_number
    if rng.random() < 0.04:
        text += rng.choice([".", "-"])
    return text


def mutate(text: str) -> str:
    roll = rng.random()
    digits = digit_positions(text)
    if roll < 0.15:
        return text + rng.choice(["-0", ".0", "-ga", "-final", "-0.0", "-release", "-sp", "-1", "-rc1", "-SNAPSHOT"])
    if roll < 0.3:
        seps = [i for i, c in enumerate(text) if c in ".-"]
        if seps:
            i = rng.choice(seps)
            return text[:i] + ("-" if text[i] == "." else ".") + text[i + 1 :]
    if roll < 0.45 and digits:
        return bump_digit(rng, text)
    if roll < 0.55:
        cut = re.split(r"[.-]", text)
        if len(cut) > 1:
            return text[: len(text) - len(cut[-1]) - 1]
    if roll < 0.65:
        return text.swapcase()
    if roll < 0.75 and digits:
        return pad_digit(rng, text)
    if roll < 0.85:
        return text + rng.choice(["a1", "b2", "m3", "alpha", "-alpha-1", "-beta", "cr1", "-x"])
    return grammar_version()


def usable(text: str) -> bool:
    return bool(text) and re.fullmatch(r"[\x21-\x7e]+", text) is not None and not DOT_QUALIFIER.search(text)


def common_prefix(a: str, b: str) -> str:
    """The longest common prefix that ends on an item boundary, so both versions extend its items."""
    n = 0
    while n < min(len(a), len(b)) and a[n].lower() == b[n].lower():
        n += 1

    def splits_item(s: str, at: int) -> bool:
        if at == 0 or at >= len(s) or s[at - 1] in ".-" or s[at] in ".-":
            return False
        return s[at - 1].isdigit() == s[at].isdigit()

    def letters_before_digit(s: str, at: int) -> bool:
        # `a1` reads alpha-1 but a lone `a` does not: keep such letters out of the prefix.
        return 0 < at < len(s) and s[at].isdigit() and s[at - 1] not in ".-" and not s[at - 1].isdigit()

    while n > 0 and (splits_item(a, n) or splits_item(b, n)):
        n -= 1
    while n > 0 and (letters_before_digit(a, n) or letters_before_digit(b, n)):
        n -= 1
        while n > 0 and a[n - 1] not in ".-" and not a[n - 1].isdigit():
            n -= 1
    return a[:n]


def main() -> None:
    vectors = [v for v in vector_versions(VECTOR_FILES) if usable(v)]
    groups = families(rng, grammar_version, mutate, usable, vectors, 1100)
    pairs = family_pairs(rng, groups, vectors, 0.55, 800)

    prefixes = [common_prefix(a, b) for a, b in pairs]
    against_prefix = [(a, p) for (a, _), p in zip(pairs, prefixes)] + [(b, p) for (_, b), p in zip(pairs, prefixes)]
    # ComparableVersion's verdicts, in one Java run.
    verdicts = judge(["java", "-cp", str(JAR), str(JUDGE)], pairs + against_prefix)
    n = len(pairs)
    order = {"<": -1, "=": 0, ">": 1}
    judged = []
    contradictions = 0
    for i, (a, b) in enumerate(pairs):
        ab, ap, bp = order[verdicts[i]], order[verdicts[n + i]], order[verdicts[2 * n + i]]
        # Against the prefix A and B fall on different sides, so A vs B is settled by that alone.
        if ap != bp and ab != (1 if ap > bp else -1):
            contradictions += 1
            continue
        judged.append((a, verdicts[i], b))

    header = [
        "# Maven pairs judged by maven-artifact 3.8.7 ComparableVersion (Debian's Maven, Java 17) via MavenCompare.java;",
        "# regenerate from the repository root with: python3 shared/scripts/versions/generate-maven.py",
        f"# {len(judged)} pairs, seed 3887; left out: versions with a qualifier right after a dot (MNG-7559) and",
        f"# {contradictions} pairs ComparableVersion orders against their own common prefix (see the generator).",
    ]
    write_vectors(OUTPUT, header, judged)


if __name__ == "__main__":
    main()
