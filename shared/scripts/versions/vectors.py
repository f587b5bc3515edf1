"""Building and writing differential vector files: the parts every generate-*.py beside this file
shares. Each generator keeps its own grammar, judge and header; here are the testdata paths, the
versions the hand-kept vector files name, the number and mutation helpers the grammars have in
common, the ways of pairing versions, and writing the `A op B` file under its `# ` header.

Helpers that draw take the generator's own seeded `random.Random`. What they draw, and in which
order, is part of every file made with them: change one and regenerate (and review) all of them.
"""

import random
import subprocess
from pathlib import Path
from typing import Callable, Optional, Sequence

ROOT = Path(__file__).resolve().parents[3]
TESTDATA = ROOT / "shared" / "src" / "versions" / "testdata"

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

Pair = tuple[str, str]
# One line of a vector file: version, `<`, `=` or `>`, version.
Judged = tuple[str, str, str]


def vector_versions(names: Sequence[str]) -> list[str]:
    """The versions named in testdata vector files, each once, in file order. Reads `A op B` lines as
    scheme.suite.ts's readVectors does: blank lines and lines starting with `# ` or `// ` are comments."""
    found = []
    for name in names:
        for line_number, line in enumerate((TESTDATA / name).read_text(encoding="utf-8").split("\n"), 1):
            if not line.strip() or line.startswith("# ") or line.startswith("// "):
                continue
            parts = line.split(" ")
            if len(parts) != 3 or parts[1] not in ("<", "=", ">"):
                raise ValueError(f"{name}:{line_number}: not 'A op B': {line!r}")
            found += [parts[0], parts[2]]
    return list(dict.fromkeys(found))


def random_number(rng: random.Random, *, small: float = 0.6, medium: float = 0.85, max_digits: int = 40) -> str:
    """A number for a grammar: 0 to 12 below `small`, up to 99999 below `medium`, else 1 to max_digits
    digits; sometimes zero-padded."""
    roll = rng.random()
    if roll < small:
        text = str(rng.randint(0, 12))
    elif roll < medium:
        text = str(rng.randint(0, 99999))
    else:
        length = rng.randint(1, max_digits)
        text = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(length - 1))
    if rng.random() < 0.08:
        text = "0" * rng.randint(1, 3) + text
    return text


def random_case(rng: random.Random, text: str, *, keep: float, upper: float) -> str:
    """`text` as it is below `keep`, upper case below `upper`, else each letter's case drawn."""
    roll = rng.random()
    if roll < keep:
        return text
    if roll < upper:
        return text.upper()
    return "".join(c.upper() if rng.random() < 0.5 else c for c in text)


def digit_run(rng: random.Random) -> str:
    """A digit run for the dpkg and rpm token grammars: mostly short, sometimes up to 40 digits,
    sometimes with leading zeros (drawn unlike `random_number`, which those files were not made with)."""
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


def digit_positions(text: str) -> list[int]:
    """Where `text` has digits (as str.isdigit says)."""
    return [i for i, c in enumerate(text) if c.isdigit()]


def bump_digit(rng: random.Random, text: str) -> str:
    """`text` with one of its digits (it must have one) raised or lowered by one, modulo 10."""
    i = rng.choice(digit_positions(text))
    return text[:i] + str((int(text[i]) + rng.choice([1, 9])) % 10) + text[i + 1 :]


def drop_digit(rng: random.Random, text: str) -> str:
    """`text` without one of its digits (it must have one)."""
    i = rng.choice(digit_positions(text))
    return text[:i] + text[i + 1 :]


def pad_digit(rng: random.Random, text: str) -> str:
    """`text` with a `0` before one of its digits (it must have one)."""
    i = rng.choice(digit_positions(text))
    return text[:i] + "0" + text[i:]


def tokens_of(version: str) -> list[tuple[str, str]]:
    """Digit runs (kind `d`), letter runs (kind `l`) and single other characters (their own kind)."""
    out = []
    for ch in version:
        kind = "d" if ch.isdigit() else "l" if ch.isalpha() else ch
        if out and kind in "dl" and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + ch)
        else:
            out.append((kind, ch))
    return out


def mutate_tokens(
    rng: random.Random, version: str, separators: Sequence[str], inserts: Sequence[str], fixed: str = ""
) -> str:
    """A near neighbour for the token grammars: one token changed (a digit run bumped, padded,
    stripped or made huge; a letter run changed or its case swapped; another character replaced by
    one of `separators` unless it is in `fixed`), then maybe one of `inserts` added or a token dropped."""
    tokens = tokens_of(version)
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
    elif kind not in fixed:
        text = rng.choice(separators)
    tokens[i] = (kind, text)
    insert = rng.random()
    if insert < 0.3:
        j = rng.randint(1, len(tokens))
        tokens.insert(j, ("x", rng.choice(inserts)))
    elif insert < 0.4 and len(tokens) > 1:
        del tokens[rng.randrange(1, len(tokens))]
    return "".join(t for _, t in tokens)


def near_equal_pair(
    rng: random.Random, new_version: Callable[[], str], mutate: Callable[[str], str], accept: Callable[[str, str], bool]
) -> Pair:
    """A version and a mutation of it (mutated twice, three times in ten) that `accept` takes."""
    for _ in range(100):
        a = new_version()
        b = mutate(a)
        if rng.random() < 0.3:
            b = mutate(b)
        if accept(a, b):
            return a, b
    raise RuntimeError("no valid near-equal pair")


def shared_prefix_pair(
    rng: random.Random,
    new_version: Callable[[], str],
    suffixes_a: Sequence[str],
    suffixes_b: Sequence[str],
    accept: Callable[[str, str], bool],
) -> Pair:
    """One version with two suffixes, one from each list, that `accept` takes."""
    for _ in range(100):
        base = new_version()
        a = base + rng.choice(suffixes_a)
        b = base + rng.choice(suffixes_b)
        if accept(a, b):
            return a, b
    raise RuntimeError("no valid shared-prefix pair")


def random_pairs(
    rng: random.Random, count: int, pool: Sequence[str], others: Optional[Sequence[str]] = None
) -> list[Pair]:
    """`count` pairs of a version from `pool` and one from `others` (by default `pool` again)."""
    others = pool if others is None else others
    return [(rng.choice(pool), rng.choice(others)) for _ in range(count)]


def adjacent_pairs(rng: random.Random, parsed: dict, count: int) -> list[Pair]:
    """Up to `count` pairs of neighbours in the parsed versions' order (ties by text): the closest
    calls a pool holds."""
    ordered = sorted(parsed, key=lambda t: (parsed[t], t))
    adjacent = [(ordered[i], ordered[i + 1]) for i in range(len(ordered) - 1)]
    return rng.sample(adjacent, min(len(adjacent), count))


def families(
    rng: random.Random,
    new_version: Callable[[], str],
    mutate: Callable[[str], str],
    usable: Callable[[str], bool],
    vectors: Sequence[str],
    count: int,
) -> list[list[str]]:
    """`count` grammar versions with four mutations each, then 500 vector versions with three each;
    a family keeps its usable members, each once."""

    def family(base: str, mutations: int) -> list[str]:
        members = [base] + [mutate(base) for _ in range(mutations)]
        return [v for v in dict.fromkeys(members) if usable(v)]

    grammar = [family(new_version(), 4) for _ in range(count)]
    return grammar + [family(base, 3) for base in rng.sample(vectors, 500)]


def family_pairs(
    rng: random.Random, groups: list[list[str]], vectors: Sequence[str], keep: float, random_count: int
) -> list[Pair]:
    """Pairs within each family, each kept with chance `keep` and either way round (the close calls),
    then `random_count` random pairs of any members and vectors; each pair once."""
    pairs = []
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if rng.random() < keep:
                    pairs.append((a, b) if rng.random() < 0.5 else (b, a))
    everything = [v for group in groups for v in group] + list(vectors)
    return unique(pairs + random_pairs(rng, random_count, everything))


def either_way(rng: random.Random, pairs: Sequence[Pair]) -> list[Pair]:
    """The pairs, each turned round with chance one half."""
    return [(b, a) if rng.random() < 0.5 else (a, b) for a, b in pairs]


def unique(pairs) -> list[Pair]:
    """The pairs, each once, first occurrence first."""
    return list(dict.fromkeys(pairs))


def judge(command: Sequence[str], pairs: Sequence[Pair], separator: str = "\t") -> list[str]:
    """A judge script's verdict (`<`, `=` or `>`) on each pair, from one run of `command` fed an
    `A<separator>B` line a pair."""
    text = "".join(f"{a}{separator}{b}\n" for a, b in pairs)
    result = subprocess.run(list(command), input=text, capture_output=True, text=True, check=True)
    verdicts = result.stdout.split()
    assert len(verdicts) == len(pairs), (len(verdicts), len(pairs))
    return verdicts


def order(a, b) -> str:
    """`<`, `=` or `>`, as Python's comparison operators order a and b."""
    return "<" if a < b else ">" if a > b else "="


def sign(n: int) -> str:
    """`<`, `=` or `>` for a C-style comparison result."""
    return "<" if n < 0 else ">" if n > 0 else "="


def write_vectors(path: Path, header: Sequence[str], judged: Sequence[Judged], max_bytes: Optional[int] = None) -> None:
    """Writes the `# ` header lines then an `A op B` line a judged pair, and says what it wrote."""
    text = "\n".join(list(header) + [f"{a} {op} {b}" for a, op, b in judged]) + "\n"
    size = len(text.encode())
    if max_bytes is not None and size > max_bytes:
        raise RuntimeError(f"{size} bytes is over {max_bytes}; lower the pair counts")
    path.write_text(text, encoding="utf-8")
    counts = {op: sum(1 for _, o, _ in judged if o == op) for op in "<=>"}
    print(f"wrote {len(judged)} pairs ({counts}), {size} bytes, to {path.relative_to(ROOT)}")
