#!/usr/bin/env python3
"""Sanity check of Rules/gazetteers/*.tsv: format, NFC, attributes, counts per type.

Usage: python3 scripts/gazetteers/check.py   (exit 1 on any error)
"""
import collections
import re
import sys
import unicodedata
from pathlib import Path

DIR = Path(__file__).resolve().parents[2] / "Rules" / "gazetteers"
TYPE_RE = re.compile(r"^[a-z]+(\.[a-z_]+)+$")
ATTR_RE = re.compile(r"^[a-z_0-9]+=[^;=\t]+$")
SYMBOLS_OK = {"$", "%", "€", "£", "₹"}  # currency/percent symbols in units.tsv


def main() -> int:
    errors = 0
    total_bytes = 0
    per_type = collections.Counter()
    for path in sorted(DIR.glob("*.tsv")):
        total_bytes += path.stat().st_size
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if not lines or not lines[0].startswith("#"):
            print(f"{path.name}: no header comment"); errors += 1
        seen = set()
        n = 0
        for i, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            n += 1
            where = f"{path.name}:{i}"
            if unicodedata.normalize("NFC", line) != line:
                print(f"{where}: not NFC"); errors += 1
            cols = line.split("\t")
            if len(cols) not in (2, 3):
                print(f"{where}: {len(cols)} columns"); errors += 1; continue
            entry, typ = cols[0], cols[1]
            if entry != entry.strip() or not entry:
                print(f"{where}: bad entry {entry!r}"); errors += 1
            if not any(ch.isalpha() for ch in entry) and entry not in SYMBOLS_OK:
                print(f"{where}: entry without letters {entry!r}"); errors += 1
            if "<" in entry or ">" in entry:
                print(f"{where}: markup in entry"); errors += 1
            if not TYPE_RE.match(typ):
                print(f"{where}: bad type {typ!r}"); errors += 1
            if len(cols) == 3:
                for a in cols[2].split(";"):
                    if not ATTR_RE.match(a):
                        print(f"{where}: bad attribute {a!r}"); errors += 1
            key = (entry.casefold(), typ)
            if key in seen:
                print(f"{where}: duplicate {entry!r} {typ}"); errors += 1
            seen.add(key)
            per_type[typ] += 1
        print(f"{path.name}: {n} entries")
    print()
    for t, c in sorted(per_type.items()):
        print(f"  {t:24} {c}")
    print(f"total size: {total_bytes} bytes")
    if total_bytes > 6_000_000:
        print("total size over 6 MB"); errors += 1
    print(f"errors: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
