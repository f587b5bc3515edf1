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

ROOT = Path(__file__).resolve().parents[3]
TESTDATA = ROOT / "shared" / "src" / "versions" / "testdata"
OUTPUT = TESTDATA / "rubygems-differential.txt"
JUDGE = Path(__file__).resolve().parent / "rubygems-compare.rb"
VECTOR_FILES = ["rubygems-versions.txt", "rubygems-versions-generated.txt"]

rng = random.Random(3315)

WORDS = ["a", "b", "alpha", "beta", "pre", "rc", "RC", "Beta", "dev", "z", "Z", "java", "x86", "mingw", "pre"]
# Whitespace Ruby's `\s` allows around a version, without a line break or a space (the file format).
WHITESPACE = ["\t", "\v"]
GEM_VERSION = re.compile(r"[\t\n\v\f\r ]*(?:[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?[\t\n\v\f\r ]*")


def number() -> str:
    roll = rng.random()
    if roll < 0.6:
        text = str(rng.randint(0, 12))
    elif roll < 0.85:
        text = str(rng.randint(0, 99999))
    else:
        length = rng.randint(1, 40)
        text = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(length - 1))
    if rng.random() < 0.08:
        text = "0" * rng.randint(1, 3) + text
    return text


def part() -> str:
    """One dot-separated part: digits, letters, or runs of both."""
    roll = rng.random()
    if roll < 0.55:
        return number()
    if roll < 0.8:
        return rng.choice(WORDS)
    runs = [rng.choice(WORDS) if i % 2 == 0 else number() for i in range(rng.randint(2, 3))]
    return "".join(runs) if rng.random() < 0.5 else number() + "".join(runs)


def grammar_version() -> str:
    text = number()
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
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if roll < 0.2:
        return text + rng.choice([".0", ".0.0", ".a", ".b", ".pre", ".1", "a", "0", ".z", ".A"])
    if roll < 0.35 and digits:
        i = rng.choice(digits)
        return text[:i] + str((int(text[i]) + rng.choice([1, 9])) % 10) + text[i + 1 :]
    if roll < 0.45 and digits:
        i = rng.choice(digits)
        return text[:i] + text[i + 1 :]
    if roll < 0.55:
        return text.swapcase()
    if roll < 0.65 and "." in text:
        i = rng.choice([i for i, c in enumerate(text) if c == "."])
        return text[:i] + "-" + text[i + 1 :]
    if roll < 0.75 and "." in text:
        return text.rsplit(".", 1)[0]
    if roll < 0.85 and digits:
        i = rng.choice(digits)
        return text[:i] + "0" + text[i:]
    return grammar_version()


def vector_versions() -> list:
    found = []
    for name in VECTOR_FILES:
        for line in (TESTDATA / name).read_text().split("\n"):
            if not line.strip() or line.startswith("# ") or line.startswith("// "):
                continue
            parts = line.split(" ")
            found += [parts[0], parts[2]]
    return list(dict.fromkeys(found))


def usable(text: str) -> bool:
    return bool(text.strip()) and " " not in text and "\n" not in text and GEM_VERSION.fullmatch(text) is not None


def judge(pairs: list) -> list:
    text = "".join(f"{a}\x00{b}\n" for a, b in pairs)
    result = subprocess.run(["ruby", str(JUDGE)], input=text, capture_output=True, text=True, check=True)
    verdicts = result.stdout.split()
    assert len(verdicts) == len(pairs), (len(verdicts), len(pairs))
    return verdicts


def ruby_version() -> str:
    probe = 'require "rubygems/version"; print RUBY_VERSION, " ", Gem::VERSION'
    return subprocess.run(["ruby", "-e", probe], capture_output=True, text=True, check=True).stdout


def main() -> None:
    families = []
    vectors = [v for v in vector_versions() if usable(v)]
    for _ in range(1000):
        base = grammar_version()
        family = [base] + [mutate(base) for _ in range(4)]
        families.append([v for v in dict.fromkeys(family) if usable(v)])
    for base in rng.sample(vectors, 500):
        family = [base] + [mutate(base) for _ in range(3)]
        families.append([v for v in dict.fromkeys(family) if usable(v)])

    pairs = []
    for family in families:
        for i, a in enumerate(family):
            for b in family[i + 1 :]:
                if rng.random() < 0.5:
                    pairs.append((a, b) if rng.random() < 0.5 else (b, a))
    everything = [v for family in families for v in family] + vectors
    pairs += [(rng.choice(everything), rng.choice(everything)) for _ in range(500)]
    pairs = list(dict.fromkeys(pairs))

    verdicts = judge(pairs)
    lines = [f"{a} {op} {b}" for (a, b), op in zip(pairs, verdicts)]
    ruby, gems = ruby_version().split()
    header = [
        f"# RubyGems pairs judged by Gem::Version#<=> (ruby {ruby}, RubyGems {gems}) via rubygems-compare.rb;",
        "# regenerate from the repository root with: python3 shared/scripts/versions/generate-rubygems.py",
        f"# {len(lines)} pairs, seed 3315: grammar versions, near mutations, osv-scalibr rubygems vector versions.",
    ]
    OUTPUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} pairs to {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
