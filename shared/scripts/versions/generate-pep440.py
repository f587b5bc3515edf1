#!/usr/bin/env python3
"""Writes shared/src/versions/testdata/pep440-differential.txt: `A op B` lines judged by python
`packaging` (Version, i.e. PEP 440 as pip implements it), for the pep440 scheme's tests.

Judge: `python3` with packaging 26.2 (python 3.11.7). Debian's /usr/bin/python3 carries
packaging 23.0, which differs only in accepting a few non-ASCII look-alike letters (e.g. `ſ` for
`s`) that 26.x refuses; the scheme follows 26.x.

Regenerate from the repository root:
    python3 shared/scripts/versions/generate-pep440.py

Pairs: versions drawn from a PEP 440 grammar (epochs, long releases, numbers of 1 to 40 digits,
every pre/post/dev spelling and separator, local segments, `v` prefix, surrounding whitespace),
near-equal mutations of them (respellings, one number bumped or dropped, one part added or
removed), and the versions named by the osv-scalibr pypi vector files. Adjacent versions in
packaging's sort order give the close calls; random pairs the rest. Strings packaging refuses are
left out. The seed is fixed, so the output only changes with the generator or with packaging.
"""

import random
import sys

import packaging
from packaging.version import InvalidVersion, Version

from vectors import (
    TESTDATA,
    adjacent_pairs,
    bump_digit,
    digit_positions,
    drop_digit,
    either_way,
    order,
    random_case,
    random_number,
    random_pairs,
    unique,
    vector_versions,
    write_vectors,
)

OUTPUT = TESTDATA / "pep440-differential.txt"
VECTOR_FILES = ["pypi-versions.txt", "pypi-versions-generated.txt"]

rng = random.Random(440)

SEPARATORS = ["", ".", "-", "_"]
PRE_SPELLINGS = ["a", "alpha", "b", "beta", "c", "rc", "pre", "preview"]
POST_SPELLINGS = ["post", "rev", "r"]
# Whitespace Python's `\s` strips; none of them is a line break for str.split("\n").
WHITESPACE = ["\t", "\u00a0", "\u2003", "\u3000"]


def number() -> str:
    """Mostly small numbers, sometimes 1 to 40 digits, sometimes with leading zeros."""
    return random_number(rng, small=0.55, medium=0.8)


def mixed_case(word: str) -> str:
    return random_case(rng, word, keep=0.7, upper=0.85)


def sep() -> str:
    return rng.choice(SEPARATORS)


def pre() -> str:
    n = number() if rng.random() < 0.85 else ""
    return sep() + mixed_case(rng.choice(PRE_SPELLINGS)) + (sep() + n if n else rng.choice(["", "", "."]))


def post() -> str:
    if rng.random() < 0.25:
        return "-" + number()
    n = number() if rng.random() < 0.85 else ""
    return sep() + mixed_case(rng.choice(POST_SPELLINGS)) + (sep() + n if n else "")


def dev() -> str:
    n = number() if rng.random() < 0.85 else ""
    return sep() + mixed_case("dev") + (sep() + n if n else "")


def local() -> str:
    segments = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.4:
            segments.append(number())
        elif roll < 0.8:
            segments.append(mixed_case(rng.choice(["ubuntu", "deb", "cpu", "cu118", "a", "b", "z", "git", "abc1"])))
        else:
            segments.append("".join(rng.choice("abcxyz019") for _ in range(rng.randint(1, 6))))
    out = segments[0]
    for segment in segments[1:]:
        out += rng.choice("._-") + segment
    return "+" + out


def release() -> list:
    length = rng.choice([1, 1, 2, 2, 3, 3, 3, 4, 5, 8, 12])
    parts = [number() for _ in range(length)]
    if rng.random() < 0.2:
        parts += ["0"] * rng.randint(1, 3)
    return parts


def grammar_version() -> str:
    text = ""
    if rng.random() < 0.08:
        text += rng.choice(["v", "V"])
    if rng.random() < 0.12:
        text += number() + "!"
    text += ".".join(release())
    if rng.random() < 0.35:
        text += pre()
    if rng.random() < 0.25:
        text += post()
    if rng.random() < 0.25:
        text += dev()
    if rng.random() < 0.2:
        text += local()
    if rng.random() < 0.03:
        text = rng.choice(WHITESPACE) + text + rng.choice(WHITESPACE + [""])
    return text


def respell(version: Version) -> str:
    """Another spelling of the same version: packaging must call it equal."""
    text = ""
    if version.epoch or rng.random() < 0.2:
        text += "0" * rng.randint(0, 2) + str(version.epoch) + "!"
    release_parts = [str(n) for n in version.release] + ["0"] * rng.randint(0, 2)
    text += ".".join(release_parts)
    if version.pre:
        letter, n = version.pre
        spelling = {"a": ["a", "alpha"], "b": ["b", "beta"], "rc": ["rc", "c", "pre", "preview"]}[letter]
        text += sep() + mixed_case(rng.choice(spelling)) + (sep() + str(n) if n or rng.random() < 0.5 else "")
    if version.post is not None:
        n = version.post
        roll = rng.random()
        if roll < 0.3:
            text += "-" + str(n)
        else:
            text += sep() + mixed_case(rng.choice(POST_SPELLINGS)) + (sep() + str(n) if n or rng.random() < 0.5 else "")
    if version.dev is not None:
        n = version.dev
        text += sep() + mixed_case("dev") + (sep() + str(n) if n or rng.random() < 0.5 else "")
    if version.local:
        segments = version.local.split(".")
        out = mixed_case(segments[0])
        for segment in segments[1:]:
            out += rng.choice("._-") + mixed_case(segment)
        text += "+" + out
    return text


def mutate(text: str) -> str:
    """A near neighbour: one number bumped or dropped, one part added or removed."""
    roll = rng.random()
    digits = digit_positions(text)
    if roll < 0.35 and digits:
        return bump_digit(rng, text)
    if roll < 0.5 and digits:
        return drop_digit(rng, text)
    if roll < 0.6:
        return text + ".0"
    if roll < 0.7:
        return text + rng.choice([pre(), post(), dev(), local()])
    if roll < 0.8 and "+" in text:
        return text.split("+")[0]
    if roll < 0.9:
        return text + ".dev0"
    return text + rng.choice(["+0", "+a", ".post0", "a0", "rc0"])


def parse(text: str):
    try:
        return Version(text)
    except InvalidVersion:
        return None


def main() -> None:
    pool = {}

    def add(text: str):
        # A version must not contain the vector format's separator, nor be empty.
        if not text or " " in text or "\n" in text:
            return None
        parsed = parse(text)
        if parsed is not None:
            pool.setdefault(text, parsed)
        return parsed

    pairs = []

    def pair_with_neighbours(text: str, parsed: Version) -> None:
        """`text` against an equal respelling of it and against a near mutation, where packaging reads them."""
        for other in (respell(parsed), mutate(text)):
            if add(other) is not None:
                pairs.append((text, other))

    for text in vector_versions(VECTOR_FILES):
        add(text)
    vectors = list(pool)
    for _ in range(1700):
        text = grammar_version()
        parsed = add(text)
        if parsed is not None:
            pair_with_neighbours(text, parsed)
    # A sample of the vector versions, respelled and mutated too.
    for text in rng.sample(vectors, 400):
        pair_with_neighbours(text, pool[text])

    # Adjacent in packaging's order: the closest calls the pool holds.
    pairs += adjacent_pairs(rng, pool, 2200)
    pairs += random_pairs(rng, 600, list(pool))
    judged = [(a, order(pool[a], pool[b]), b) for a, b in unique(either_way(rng, pairs))]

    header = [
        f"# PEP 440 pairs judged by python packaging {packaging.__version__} (Version) on python {sys.version.split()[0]};",
        "# regenerate from the repository root with: python3 shared/scripts/versions/generate-pep440.py",
        f"# {len(judged)} pairs, seed 440: grammar versions, respellings, near mutations,"
        " osv-scalibr pypi vector versions.",
    ]
    write_vectors(OUTPUT, header, judged)


if __name__ == "__main__":
    main()
