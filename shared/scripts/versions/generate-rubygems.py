#!/usr/bin/env python3
"""Writes shared/src/versions/testdata/rubygems-differential.txt: `A op B` lines judged by
Gem::Version#<=> (Debian's ruby 3.1.2 with RubyGems 3.3.15), for the rubygems scheme's tests.
The judge is rubygems-compare.rb beside this file.

Regenerate from the repository root (needs Debian's `ruby` package):
    python3 shared/scripts/versions/generate-rubygems.py

Pairs: versions from Gem::Version's grammar (numbers of 1 to 40 digits with leading zeros, letter
runs in any case, digit/letter runs without a dot, `-` prerelease parts, surrounding whitespace),
near mutations of each (a `.0` or a letter segment added, a number bumped or dropped, case
swapped, `-` for `.`), and the versions named by osv-scalibr's rubygems vector files; pairs within
one family give the close calls, random pairs the rest. Strings Gem::Version refuses are left out.
Fixed seed.
"""

import random
import re
import subprocess
from pathlib import Path

from vectors import (
    TESTDATA,
    bump_digit,
    digit_positions,
    drop_digit,
    families,
    family_pairs,
    judge,
    pad_digit,
    random_number,
    vector_versions,
    write_vectors,
)

OUTPUT = TESTDATA / "rubygems-differential.txt"
JUDGE = Path(__file__).resolve().parent / "rubygems-compare.rb"
VECTOR_FILES = ["rubygems-versions.txt", "rubygems-versions-generated.txt"]

rng = random.Random(3315)

WORDS = ["a", "b", "alpha", "beta", "pre", "rc", "RC", "Beta", "dev", "z", "Z", "java", "x86", "mingw", "pre"]
# Whitespace Ruby's `\s` allows around a version, without a line break or a space (the file format).
WHITESPACE = ["\t", "\v"]
GEM_VERSION = re.compile(r"[\t\n\v\f\r ]*(?:[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?[\t\n\v\f\r ]*")


def part() -> str:
    """One dot-separated part: digits, letters, or runs of both."""
    roll = rng.random()
    if roll < 0.55:
        return random_number(rng)
    if roll < 0.8:
        return rng.choice(WORDS)
    runs = [rng.choice(WORDS) if i % 2 == 0 else random_number(rng) for i in range(rng.randint(2, 3))]
    return "".join(runs) if rng.random() < 0.5 else random_number(rng) + "".join(runs)


def grammar_version() -> str:
    text = random_number(rng)
    for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4, 6])):
        text += "." + part()
    if rng.random() < 0.2:
        text += "-" + "-".join(part() for _ in range(rng.randint(1, 2)))
        for _ in range(rng.randint(0, 2)):
            text += "." + part()
    if rng.random() < 0.03:
        text = rng.choice(WHITESPACE) + text + rng.choice(WHITESPACE + [""])
    return text


def mutate(text: str) -> str:
    roll = rng.random()
    digits = digit_positions(text)
    if roll < 0.2:
        return text + rng.choice([".0", ".0.0", ".a", ".b", ".pre", ".1", "a", "0", ".z", ".A"])
    if roll < 0.35 and digits:
        return bump_digit(rng, text)
    if roll < 0.45 and digits:
        return drop_digit(rng, text)
    if roll < 0.55:
        return text.swapcase()
    if roll < 0.65 and "." in text:
        i = rng.choice([i for i, c in enumerate(text) if c == "."])
        return text[:i] + "-" + text[i + 1 :]
    if roll < 0.75 and "." in text:
        return text.rsplit(".", 1)[0]
    if roll < 0.85 and digits:
        return pad_digit(rng, text)
    return grammar_version()


def usable(text: str) -> bool:
    return bool(text.strip()) and " " not in text and "\n" not in text and GEM_VERSION.fullmatch(text) is not None


def ruby_version() -> str:
    probe = 'require "rubygems/version"; print RUBY_VERSION, " ", Gem::VERSION'
    return subprocess.run(["ruby", "-e", probe], capture_output=True, text=True, check=True).stdout


def main() -> None:
    vectors = [v for v in vector_versions(VECTOR_FILES) if usable(v)]
    groups = families(rng, grammar_version, mutate, usable, vectors, 1000)
    pairs = family_pairs(rng, groups, vectors, 0.5, 500)

    # A NUL between the two: versions may hold tabs.
    verdicts = judge(["ruby", str(JUDGE)], pairs, separator="\x00")
    judged = [(a, op, b) for (a, b), op in zip(pairs, verdicts)]
    ruby, gems = ruby_version().split()
    header = [
        f"# RubyGems pairs judged by Gem::Version#<=> (ruby {ruby}, RubyGems {gems}) via rubygems-compare.rb;",
        "# regenerate from the repository root with: python3 shared/scripts/versions/generate-rubygems.py",
        f"# {len(judged)} pairs, seed 3315: grammar versions, near mutations, osv-scalibr rubygems vector versions.",
    ]
    write_vectors(OUTPUT, header, judged)


if __name__ == "__main__":
    main()
