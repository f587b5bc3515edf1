#!/usr/bin/env python3
"""Writes shared/src/versions/testdata/pep440-legacy-differential.txt: `A op B` lines judged by
python packaging 21.3, the last release with `LegacyVersion`, for the pep440 scheme's legacy
(non-PEP 440) versions.

Judge: `pip._vendor.packaging` 21.3, vendored by pip 23.2.1 in `python3` (python 3.11.7), through
packaging's own `parse()`: a `Version` when the string is PEP 440, else a `LegacyVersion`. The
generator also checks, on every string it writes, that packaging 21.3 and the installed packaging
(26.x, which the pep440 scheme follows) agree on which strings are PEP 440.

Regenerate from the repository root:
    python3 shared/scripts/versions/generate-pep440-legacy.py

Pairs: at least one side of each is a legacy version. Random strings of numbers (1 to 3 digits,
runs of zeros, 9 to 20 digits), words (pre, preview, rc, c, dev, final, post, alpha, ...; any
case) and separators (`.`, `-`, `_`, `+`, sometimes `:`, `~`, `@`, `*`, `!`, `/`); near-equal
mutations of them (case, zero padding, `.0` added, a pre-release spelling swapped, a separator
dropped); the legacy versions named by the osv-scalibr pypi vector files. Adjacent legacy versions
in packaging's sort order give the close calls, random pairs the rest, and legacy versions are
paired with PEP 440 ones. Strings the vector format cannot hold (empty, with a space, `#` or `//`
that would read as a comment) are left out. The seed is fixed.
"""

import random
import sys
import warnings

import packaging as modern_packaging
from packaging.version import InvalidVersion
from packaging.version import Version as ModernVersion
from pip._vendor import packaging
from pip._vendor.packaging.version import LegacyVersion, parse

from vectors import (
    TESTDATA,
    adjacent_pairs,
    bump_digit,
    digit_positions,
    either_way,
    order,
    random_case,
    random_pairs,
    unique,
    vector_versions,
    write_vectors,
)

warnings.simplefilter("ignore", DeprecationWarning)  # LegacyVersion warns on every construction

OUTPUT = TESTDATA / "pep440-legacy-differential.txt"
VECTOR_FILES = ["pypi-versions.txt", "pypi-versions-generated.txt"]

rng = random.Random(213)

WORDS = ["pre", "preview", "rc", "c", "dev", "final", "post", "alpha", "beta", "a", "b", "r", "rev", "m", "p"]
OTHER_WORDS = ["fix", "svn", "git", "trunk", "staging", "test", "x", "z", "final-", "t"]
SEPARATORS = ["", ".", ".", "-", "-", "_", "+"]
RARE_SEPARATORS = [":", "~", "@", "*", "!", "/", "--", "..", "-."]
SAME_WORD = {"rc": ["c", "pre", "preview"], "c": ["rc", "pre", "preview"], "pre": ["rc", "preview"], "dev": ["@"]}


def number() -> str:
    roll = rng.random()
    if roll < 0.6:
        return str(rng.randint(0, 12))
    if roll < 0.75:
        return str(rng.randint(0, 999))
    if roll < 0.87:
        return "0" * rng.randint(1, 10)
    return "".join(rng.choice("0123456789") for _ in range(rng.randint(9, 20)))


def word() -> str:
    roll = rng.random()
    if roll < 0.6:
        text = rng.choice(WORDS)
    elif roll < 0.8:
        text = rng.choice(OTHER_WORDS)
    else:
        text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 5)))
    return random_case(rng, text, keep=0.75, upper=0.87)


def separator() -> str:
    return rng.choice(RARE_SEPARATORS) if rng.random() < 0.08 else rng.choice(SEPARATORS)


def random_version() -> str:
    tokens = [number() if rng.random() < 0.55 else word() for _ in range(rng.randint(1, 7))]
    text = rng.choice(["", "", "", "", "-", ".", "v", "_"]) + tokens[0]
    for token in tokens[1:]:
        text += separator() + token
    if rng.random() < 0.1:
        text += rng.choice(["-", ".", "_", "+", "-0", ".0"])
    return text


def mutate(text: str) -> str:
    """A near neighbour, often an equal one."""
    roll = rng.random()
    digits = digit_positions(text)
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if roll < 0.12 and letters:
        return text.swapcase() if rng.random() < 0.5 else text.upper()
    if roll < 0.25 and digits:
        i = rng.choice(digits)
        return text[:i] + "0" * rng.randint(1, 4) + text[i:]
    if roll < 0.35:
        return text + rng.choice([".0", "-0", ".00000000", "0", "-", "."])
    if roll < 0.45 and digits:
        i = rng.choice(digits)
        return text[:i] + rng.choice([".0.", ".0", "-0-", ".000000000."]) + text[i:]
    if roll < 0.6:
        lowered = text.lower()
        for old, new in SAME_WORD.items():
            if old in lowered:
                i = lowered.index(old)
                return text[:i] + rng.choice(new) + text[i + len(old) :]
    if roll < 0.72:
        separators = [i for i, c in enumerate(text) if c in ".-_+"]
        if separators:
            i = rng.choice(separators)
            return text[:i] + rng.choice(["", ".", "-", "_"]) + text[i + 1 :]
    if roll < 0.85 and digits:
        return bump_digit(rng, text)
    return text + separator() + word()


def is_modern_pep440(text: str) -> bool:
    try:
        ModernVersion(text)
        return True
    except InvalidVersion:
        return False


def main() -> None:
    legacy = {}
    pep440 = {}

    def add(text: str):
        """The parsed version, filed as legacy or PEP 440; None when the format cannot hold it."""
        if not text or " " in text or "\n" in text or text.startswith("#") or text == "//":
            return None
        parsed = parse(text)
        is_legacy = isinstance(parsed, LegacyVersion)
        if is_legacy == is_modern_pep440(text):
            sys.exit(f"packaging {packaging.__version__} and {modern_packaging.__version__} disagree on {text!r}")
        (legacy if is_legacy else pep440).setdefault(text, parsed)
        return parsed

    for text in vector_versions(VECTOR_FILES):
        add(text)
    vector_legacy = list(legacy)

    pairs = []
    for _ in range(1800):
        text = random_version()
        if not isinstance(add(text), LegacyVersion):
            continue
        for _ in range(rng.choice([1, 1, 2])):
            near = mutate(text)
            if add(near) is not None:
                pairs.append((text, near))
    for text in vector_legacy:
        for _ in range(2):
            near = mutate(text)
            if add(near) is not None:
                pairs.append((text, near))

    # Adjacent in packaging's order: the closest calls the pool holds.
    pairs += adjacent_pairs(rng, legacy, 1200)
    # Every vector legacy version against others, legacy and PEP 440.
    legacy_texts = list(legacy)
    pep440_texts = list(pep440)
    for text in vector_legacy:
        pairs += [(text, rng.choice(legacy_texts)) for _ in range(3)]
        pairs.append((text, rng.choice(pep440_texts)))
    pairs += random_pairs(rng, 400, legacy_texts)
    pairs += random_pairs(rng, 300, legacy_texts, pep440_texts)

    pool = {**pep440, **legacy}
    judged = [(a, order(pool[a], pool[b]), b) for a, b in unique(either_way(rng, pairs))]

    header = [
        f"# Legacy PyPI version pairs judged by python packaging {packaging.__version__} (parse: LegacyVersion"
        f" or Version), vendored by pip on python {sys.version.split()[0]};",
        "# regenerate from the repository root with: python3 shared/scripts/versions/generate-pep440-legacy.py",
        f"# {len(judged)} pairs, seed 213: random legacy strings, near mutations, osv-scalibr pypi legacy versions,"
        " legacy against PEP 440.",
    ]
    write_vectors(OUTPUT, header, judged)


if __name__ == "__main__":
    main()
