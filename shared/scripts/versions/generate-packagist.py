#!/usr/bin/env python3
"""Writes shared/src/versions/testdata/packagist-differential.txt: `A op B` lines judged by PHP's
version_compare (Debian's php-cli 8.2), which is what osv-scalibr's packagist generator uses, for
the packagist scheme's tests. The judge is packagist-compare.php beside this file.

Regenerate from the repository root (needs Debian's `php-cli` package):
    python3 shared/scripts/versions/generate-packagist.py

Versions stay where the scheme's reading (osv-scalibr's canonicalisation) and PHP's coincide, and
PHP's answer is therefore the scheme's: letters, digits and single `.`/`-`/`_`/`+` separators
between components, numbers of at most 18 digits (PHP saturates longer ones at 2^63 - 1), no
leading `v` (Composer strips it, version_compare does not) and no `#`. Words cover every special
form in both cases, prefixes of them (`devel`, `patch`, `Alpha`) and other words.

Pairs: versions from that grammar, near mutations of each (a component added or dropped, a number
bumped, separators swapped, case changed), and the in-domain versions named by osv-scalibr's
packagist vector files; pairs within one family give the close calls, random pairs the rest.
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
    families,
    family_pairs,
    judge,
    pad_digit,
    random_number,
    vector_versions,
    write_vectors,
)

OUTPUT = TESTDATA / "packagist-differential.txt"
JUDGE = Path(__file__).resolve().parent / "packagist-compare.php"
VECTOR_FILES = ["packagist-versions.txt", "packagist-versions-generated.txt"]

rng = random.Random(82)

WORDS = ["dev", "alpha", "a", "beta", "b", "RC", "rc", "pl", "p", "patch", "stable", "ALPHA", "Beta", "DEV",
         "Rc", "x", "foo", "devel", "abc", "pre", "r", "final", "bugfix"]
SEPARATORS = [".", ".", ".", "-", "-", "_", "+"]
# In both readings: components split by single separators, no `#`, no leading `v`, short numbers.
DOMAIN = re.compile(r"(?![vV])[0-9A-Za-z]+(?:[._+-][0-9A-Za-z]+)*")


def number() -> str:
    """At most 18 digits: PHP saturates longer numbers at 2^63 - 1."""
    return random_number(rng, max_digits=18)


def grammar_version() -> str:
    text = number() if rng.random() < 0.93 else rng.choice(WORDS)
    digits = text[-1].isdigit()
    for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4, 6])):
        kind_number = rng.random() < 0.6
        part = number() if kind_number else rng.choice(WORDS)
        sep = "" if kind_number != digits and rng.random() < 0.4 else rng.choice(SEPARATORS)
        text += sep + part
        digits = kind_number
    return text


def mutate(text: str) -> str:
    roll = rng.random()
    digits = digit_positions(text)
    if roll < 0.2:
        return text + rng.choice([".0", "-dev", "-alpha1", "-beta", "RC1", "-pl1", "p2", ".1", "-patch", "-foo", "0"])
    if roll < 0.35 and digits:
        return bump_digit(rng, text)
    if roll < 0.45:
        seps = [i for i, c in enumerate(text) if c in "._+-"]
        if seps:
            i = rng.choice(seps)
            return text[:i] + rng.choice("._+-") + text[i + 1 :]
    if roll < 0.55:
        cut = re.split(r"[._+-]", text)
        if len(cut) > 1:
            return text[: len(text) - len(cut[-1]) - 1]
    if roll < 0.65:
        return text.swapcase()
    if roll < 0.75 and digits:
        return pad_digit(rng, text)
    return grammar_version()


def usable(text: str) -> bool:
    return DOMAIN.fullmatch(text) is not None and all(len(n) <= 18 for n in re.findall(r"[0-9]+", text))


def main() -> None:
    vectors = [v for v in vector_versions(VECTOR_FILES) if usable(v)]
    groups = families(rng, grammar_version, mutate, usable, vectors, 1000)
    pairs = family_pairs(rng, groups, vectors, 0.55, 600)

    verdicts = judge(["php", str(JUDGE)], pairs)
    judged = [(a, op, b) for (a, b), op in zip(pairs, verdicts)]
    php = subprocess.run(["php", "-r", "echo PHP_VERSION;"], capture_output=True, text=True, check=True).stdout
    header = [
        f"# Packagist pairs judged by PHP {php} version_compare via packagist-compare.php;",
        "# regenerate from the repository root with: python3 shared/scripts/versions/generate-packagist.py",
        f"# {len(judged)} pairs, seed 82, where osv-scalibr's canonicalisation and PHP's agree (see the generator).",
    ]
    write_vectors(OUTPUT, header, judged)


if __name__ == "__main__":
    main()
