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
from pathlib import Path

import packaging
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[3]
TESTDATA = ROOT / "shared" / "src" / "versions" / "testdata"
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
    roll = rng.random()
    if roll < 0.55:
        text = str(rng.randint(0, 12))
    elif roll < 0.8:
        text = str(rng.randint(0, 99999))
    else:
        length = rng.randint(1, 40)
        text = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(length - 1))
    if rng.random() < 0.08:
        text = "0" * rng.randint(1, 3) + text
    return text


def mixed_case(word: str) -> str:
    roll = rng.random()
    if roll < 0.7:
        return word
    if roll < 0.85:
        return word.upper()
    return "".join(c.upper() if rng.random() < 0.5 else c for c in word)


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
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if roll < 0.35 and digits:
        i = rng.choice(digits)
        return text[:i] + str((int(text[i]) + rng.choice([1, 9])) % 10) + text[i + 1 :]
    if roll < 0.5 and digits:
        i = rng.choice(digits)
        return text[:i] + text[i + 1 :]
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


def vector_versions() -> list:
    found = []
    for name in VECTOR_FILES:
        for line in (TESTDATA / name).read_text().split("\n"):
            if not line.strip() or line.startswith("# ") or line.startswith("// "):
                continue
            parts = line.split(" ")
            found += [parts[0], parts[2]]
    return list(dict.fromkeys(found))


def op(a: Version, b: Version) -> str:
    return "<" if a < b else ">" if a > b else "="


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
    for text in vector_versions():
        add(text)
    vectors = list(pool)
    for _ in range(1700):
        text = grammar_version()
        parsed = add(text)
        if parsed is None:
            continue
        same = respell(parsed)
        if add(same) is not None:
            pairs.append((text, same))
        near = mutate(text)
        if add(near) is not None:
            pairs.append((text, near))
    # A sample of the vector versions, respelled and mutated too.
    for text in rng.sample(vectors, 400):
        same = respell(pool[text])
        if add(same) is not None:
            pairs.append((text, same))
        near = mutate(text)
        if add(near) is not None:
            pairs.append((text, near))

    # Adjacent in packaging's order: the closest calls the pool holds.
    ordered = sorted(pool, key=lambda t: (pool[t], t))
    adjacent = [(ordered[i], ordered[i + 1]) for i in range(len(ordered) - 1)]
    pairs += rng.sample(adjacent, min(len(adjacent), 2200))
    texts = list(pool)
    pairs += [(rng.choice(texts), rng.choice(texts)) for _ in range(600)]

    lines = []
    seen = set()
    for a, b in pairs:
        if rng.random() < 0.5:
            a, b = b, a
        line = f"{a} {op(pool[a], pool[b])} {b}"
        if line not in seen:
            seen.add(line)
            lines.append(line)

    header = [
        f"# PEP 440 pairs judged by python packaging {packaging.__version__} (Version) on python {sys.version.split()[0]};",
        "# regenerate from the repository root with: python3 shared/scripts/versions/generate-pep440.py",
        f"# {len(lines)} pairs, seed 440: grammar versions, respellings, near mutations, osv-scalibr pypi vector versions.",
    ]
    OUTPUT.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} pairs to {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
