#!/usr/bin/env python3
"""
Builds debian-tracker.bookworm.json, the offline demo's Debian 12 security data, from real
documents: the changelogs (/usr/share/doc/<package>/changelog.Debian.gz) of the packages the demo's
Debian hosts run, as installed on a Debian 12 machine. Every bookworm upload that names a CVE is a
fix of that CVE in that version, which is what the Debian security tracker records as the
release's fixed_version; the output is in the tracker's JSON format (source -> CVE -> releases).

Run it on a Debian 12 machine with the packages installed:
    python3 worker/dev/demo/feeds/build-debian-tracker.py
"""
import gzip
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATUS = HERE.parent / "data" / "debian-12.dpkg-status"
OUT = HERE / "debian-tracker.bookworm.json"

HEADER = re.compile(r"^(\S+) \(([^)]+)\) ([^;]+); urgency=(\S+)")
CVE = re.compile(r"CVE-\d{4}-\d{4,}")
BOOKWORM = re.compile(r"deb12u\d+")


def demo_sources():
    """Source package -> one installed binary of it, from the demo's dpkg status."""
    sources = {}
    for stanza in STATUS.read_text().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in stanza.splitlines() if ": " in line and not line.startswith(" "))
        if "Package" not in fields:
            continue
        source = fields.get("Source", fields["Package"]).split(" ")[0]
        sources.setdefault(source, fields["Package"])
    return sources


def fixes(changelog):
    """CVE -> (oldest bookworm version naming it, its urgency), from a changelog (newest entry first)."""
    found = {}
    version = urgency = None
    for line in changelog.splitlines():
        header = HEADER.match(line)
        if header:
            _, version, _, urgency = header.groups()
            continue
        if version and BOOKWORM.search(version):
            for cve in CVE.findall(line):
                found[cve] = (version, urgency)  # later (older) entries overwrite: the first fix wins
    return found


def main():
    tracker = {}
    for source, binary in sorted(demo_sources().items()):
        path = Path("/usr/share/doc") / binary / "changelog.Debian.gz"
        if not path.exists():
            continue
        for cve, (version, urgency) in sorted(fixes(gzip.open(path, "rt", errors="replace").read()).items()):
            tracker.setdefault(source, {})[cve] = {
                "scope": "remote",
                "releases": {
                    "bookworm": {
                        "status": "resolved",
                        "repositories": {"bookworm": version},
                        "fixed_version": version,
                        "urgency": urgency if urgency in ("low", "medium", "high") else "not yet assigned",
                    }
                },
            }
    OUT.write_text(json.dumps(tracker, indent=1, sort_keys=True) + "\n")
    count = sum(len(c) for c in tracker.values())
    print(f"{OUT.name}: {count} CVE fixes in {len(tracker)} source packages")


main()
