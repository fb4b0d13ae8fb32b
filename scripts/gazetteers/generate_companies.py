#!/usr/bin/env python3
"""Generate Rules/gazetteers/org-companies-listed.tsv from pytickersymbols.

Source: PyPI `pytickersymbols` (MIT), which ships the constituents of the main stock
indices (names from Wikipedia) with Yahoo ticker symbols. Only the large-cap indices are
read (see INDICES below); mid/small-cap indices (S&P 600, MDAX, SDAX, CAC Mid 60) are left
out as too obscure for general news.

Each company name is cut to the short form news uses: a leading "The" and trailing legal
forms (Inc., Corporation, plc, AG, SE, N.V., S.A., Co., Ltd. ...) are removed, since the
legal form is matched by rules separately (org-legal.tsv). Names are dropped when

  * the short form is one word that is a common English word (spelled in lowercase in
    Debian wamerican-small / wbritish-small, as in generate.py), or an English given name,
    surname or world city from the generated gazetteers (e.g. Target, Visa, Block, Fox);
  * the folded short form is already in the hand-kept org-names.tsv (that file wins);
  * the short form has fewer than 4 letters (short acronyms such as APA, SES, BD are too
    ambiguous; the well-known ones, IBM, BMW, HSBC ..., are hand-kept in org-names.tsv);
  * every word of a longer name is a common English word (Waste Management, Best Buy,
    Home Depot, Public Storage would match ordinary lowercase phrases).

Usage (from the repository root):
    apt-get install -y wamerican-small wbritish-small
    pip install -r scripts/gazetteers/requirements.txt
    python3 scripts/gazetteers/generate_companies.py

Output is sorted and deduplicated on the folded name, so a rerun with the same package
version reproduces the file byte for byte.
"""
from __future__ import annotations

import importlib.metadata as md
import os
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GAZ = ROOT / "Rules" / "gazetteers"
OUT = GAZ / "org-companies-listed.tsv"

WORDLISTS = [
    "/usr/share/dict/american-english-small",
    "/usr/share/dict/british-english-small",
]

INDICES = [
    "AEX", "BEL 20", "CAC_40", "DAX", "DOW JONES", "EURO STOXX 50", "FTSE 100", "IBEX 35",
    "NASDAQ 100", "NIKKEI 225", "OMX Helsinki 25", "OMX Stockholm 30", "S&P 100", "S&P 500",
    "Switzerland 20", "TecDAX",
]

# Trailing legal forms, removed repeatedly (longest first, matched case-sensitively
# after an optional comma).
LEGAL = sorted([
    "Inc.", "Inc", "Incorporated", "Corporation", "Corp.", "Corp", "Company", "Co.", "Co",
    "Co., Ltd.", "Co., Ltd", "Co. Ltd.", "Ltd.", "Ltd", "Limited", "plc", "PLC", "Plc",
    "AG", "SE", "N.V.", "NV", "S.A.", "SA", "S.p.A.", "SpA", "S.A.S.", "ASA", "Oyj", "Abp",
    "AB", "AB (publ)", "(publ)", "A/S", "KGaA", "AG & Co. KGaA", "SE & Co. KGaA", "& Co. KGaA",
    "GmbH", "LLC", "L.P.", "LP", "K.K.", "(The)", "and Company", "& Co.", "& Company",
    "Holding AG", "Class A", "Class B", "Class C", "Corporación", "&", "and",
], key=len, reverse=True)


sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import fold, nfc  # noqa: E402  (one folding for every generated list)


def load_common_words() -> set[str]:
    missing = [p for p in WORDLISTS if not os.path.exists(p)]
    if missing:
        sys.exit("missing word lists %s: apt-get install -y wamerican-small wbritish-small" % missing)
    words: set[str] = set()
    for p in WORDLISTS:
        with open(p, encoding="utf-8", errors="replace") as f:
            for line in f:
                w = line.strip()
                if w and "'" not in w and w == w.lower() and w.isalpha():
                    words.add(fold(w))
    return words


def gazetteer_keys(*names: str) -> set[str]:
    keys: set[str] = set()
    for name in names:
        with open(GAZ / name, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    keys.add(fold(line.split("\t", 1)[0]))
    return keys


def short_name(name: str) -> str:
    s = nfc(name)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s*\([^()]*\)\s*$", "", s)          # "(The)", "(corporation)", "(2020–present)"
    s = re.sub(r"(?<=[a-zäöå])[ABC]$", "", s)          # share class glued on: "KalmarB"
    if s.startswith("The "):
        s = s[4:]
    changed = True
    while changed:
        changed = False
        for form in LEGAL:
            m = re.match(r"^(.*\S)\s*,?\s+" + re.escape(form) + r"$", s)
            if m:
                s = m.group(1).rstrip(" ,")
                changed = True
                break
    return s.strip(" ,")


def main() -> int:
    from pytickersymbols.indices_data import INDICES as DATA

    common = load_common_words()
    person_place = gazetteer_keys("given-names-en.tsv", "surnames-en.tsv", "world-cities.tsv")
    hand = gazetteer_keys("org-names.tsv")

    entries: dict[str, tuple[str, set[str]]] = {}
    dropped = 0
    for index in INDICES:
        for company in DATA[index]["companies"]:
            name = short_name(company["name"])
            key = fold(name)
            tokens = key.split()
            if sum(ch.isalpha() for ch in name) < 4:
                dropped += 1; continue
            words = [t for t in re.split(r"[^a-z]+", key) if t]
            if words and all(w in common for w in words):
                dropped += 1; continue
            if len(tokens) == 1 and (tokens[0] in common or tokens[0] in person_place):
                dropped += 1; continue
            if key in hand:
                dropped += 1; continue
            ticker = re.sub(r"[\t;=|]", "", company.get("symbol") or "")
            first, tickers = entries.setdefault(key, (name, set()))
            if ticker:
                tickers.add(ticker)

    version = md.version("pytickersymbols")
    lines = []
    for key in sorted(entries):
        name, tickers = entries[key]
        attrs = "subtype=company"
        if tickers:
            attrs += ";ticker=" + "|".join(sorted(tickers))
        lines.append(f"{name}\torg.name\t{attrs}\n")

    header = [
        "# org-companies-listed.tsv — short names of companies in the main stock indices",
        "# (S&P 500, NASDAQ 100, Dow Jones, FTSE 100, DAX, TecDAX, CAC 40, EURO STOXX 50, AEX,",
        "# BEL 20, IBEX 35, SMI (Switzerland 20), OMX Helsinki 25, OMX Stockholm 30, Nikkei 225).",
        f"# Source: PyPI pytickersymbols {version} (names from Wikipedia, Yahoo ticker symbols).",
        "# Licence: MIT (pytickersymbols).",
        "# generated by scripts/gazetteers/generate_companies.py — do not edit by hand.",
        "# Legal forms (Inc., plc, AG ...) are stripped; dropped: one-word names that are common",
        "# English words, English given names, surnames or world cities; names made only of common",
        "# words; names of fewer than 4 letters; names already in the hand-kept org-names.tsv.",
        "# Type org.name; attributes subtype=company; ticker= Yahoo symbol(s), '|' between several.",
        "# Format: entry<TAB>type[<TAB>key=value;key=value]",
        "",
    ]
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header) + "\n")
        f.writelines(lines)
    print(f"{OUT.relative_to(ROOT)}: {len(lines)} entries ({dropped} dropped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
