#!/usr/bin/env python3
"""Validate every gold file in Corpus/articles (and that it is up to date with Corpus/src).

usage: check.py [ARTICLES_DIR]
Checks: each .txt has a .gold.json and vice versa; id and published; mention offsets in range and
text[start:end] == text; known types; no overlapping or nested mentions; no leading "the", no
trailing punctuation or possessive, no surrounding whitespace; entity label on person /
organization / place; value on non-optional date and figure (ISO/TIMEX-like for dates, a number
for figures) and unit on figures; quotes in range, not overlapping, without quote marks at their
ends, speaker an existing person label; relations refer to existing labels of the right type and
holds_role's role text is one of the article's role mentions; text NFC unless gold says otherwise;
articles regenerate identically from Corpus/src (mark.py --check). Exit 1 on any problem.
"""
import json, os, re, subprocess, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TYPES = {"person", "role", "organization", "place", "date", "figure"}
DATE_RE = re.compile(r"^(\d{4}(-(\d{2}|Q[1-4]|H[12]|W\d{2}|SP|SU|FA|WI)(-\d{2})?)?|\d{3}X|\d{2}XX|PRESENT_REF|PAST_REF|FUTURE_REF)"
                     r"(/(\d{4}(-(\d{2}|Q[1-4]|H[12])(-\d{2})?)?))?$")
QUOTE_CHARS = "\"'“”‘’«»"
LABELLED = {"person", "organization", "place"}


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Corpus", "articles")
    problems = []
    P = lambda aid, msg: problems.append(f"{aid}: {msg}")
    files = sorted(os.listdir(d))
    txts = {f[:-4] for f in files if f.endswith(".txt")}
    golds = {f[:-10] for f in files if f.endswith(".gold.json")}
    for a in sorted(txts - golds):
        P(a, "no gold file")
    for a in sorted(golds - txts):
        P(a, "gold without .txt")
    counts = {t: 0 for t in TYPES}
    nq = nr = 0
    for aid in sorted(txts & golds):
        text = open(os.path.join(d, aid + ".txt"), encoding="utf-8", newline="").read()
        if text.startswith("\ufeff"):
            text = text[1:]
        g = json.load(open(os.path.join(d, aid + ".gold.json"), encoding="utf-8"))
        if g.get("id") != aid:
            P(aid, f"id {g.get('id')!r} differs from file name")
        pub = g.get("published", "MISSING")
        if pub == "MISSING" or (pub is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", pub)):
            P(aid, f"bad published {pub!r}")
        norm = g.get("normalization", "NFC")
        if not unicodedata.is_normalized(norm, text):
            P(aid, f"text is not {norm}")
        ms = g.get("mentions", [])
        labels = {}
        spans = []
        for m in ms:
            w = f"mention {m.get('text')!r}@{m.get('start')}"
            t = m.get("type")
            if t not in TYPES:
                P(aid, f"{w}: unknown type {t!r}"); continue
            counts[t] += 1
            s, e = m.get("start"), m.get("end")
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                P(aid, f"{w}: bad offsets"); continue
            if text[s:e] != m.get("text"):
                P(aid, f"{w}: text mismatch, file has {text[s:e]!r}"); continue
            x = m["text"]
            if x != x.strip():
                P(aid, f"{w}: surrounding whitespace")
            if re.match(r"(?i)the\s", x):
                P(aid, f"{w}: leading article")
            if re.search(r"['’]s$", x) and t not in ("date", "figure"):
                P(aid, f"{w}: possessive")
            if x[-1] in ",;:!?\"“”'’(" or (x.endswith(".") and not re.search(r"((Co|Ltd|Inc|Corp|Jr|Bhd|Pte|Plc|St|No|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec)|([A-Z]\.)+[A-Z])\.$", x)):
                P(aid, f"{w}: trailing punctuation")
            if (s > 0 and text[s-1].isalnum() and x[0].isalnum()) or (e < len(text) and text[e].isalnum() and x[-1].isalnum()):
                P(aid, f"{w}: cuts through a word: {text[max(0,s-5):e+5]!r}")
            if t in LABELLED:
                if not m.get("entity"):
                    P(aid, f"{w}: no entity label")
                else:
                    prev = labels.setdefault(m["entity"], t)
                    if prev != t:
                        P(aid, f"{w}: label {m['entity']!r} used for {prev} and {t}")
            elif m.get("entity"):
                labels.setdefault(m["entity"], t)
            opt = m.get("optional", False)
            if t == "date" and not opt:
                v = m.get("value", "MISSING")
                if v == "MISSING":
                    P(aid, f"{w}: date without value")
                elif v is not None and not DATE_RE.match(v):
                    P(aid, f"{w}: date value {v!r} not ISO/TIMEX-like")
                elif pub and isinstance(v, str) and v[:4].isdigit() and v[:10] > pub and "will" not in text[max(0, s-60):e+60] and not m.get("future"):
                    pass  # future dates are legitimate; not checked
            if t == "figure" and not opt:
                v = m.get("value")
                if not isinstance(v, (int, float)) or isinstance(v, bool):
                    P(aid, f"{w}: figure value {v!r} not a number")
                if not m.get("unit"):
                    P(aid, f"{w}: figure without unit")
            spans.append((s, e, w))
        spans.sort()
        for (s1, e1, w1), (s2, e2, w2) in zip(spans, spans[1:]):
            if s2 < e1:
                P(aid, f"overlap: {w1} / {w2}")
        qs = sorted(g.get("quotes", []), key=lambda q: q.get("start", -1))
        nq += len(qs)
        for q in qs:
            s, e = q.get("start"), q.get("end")
            w = f"quote@{s}"
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                P(aid, f"{w}: bad offsets"); continue
            x = text[s:e]
            if x[0] in QUOTE_CHARS or x[-1] in QUOTE_CHARS or x != x.strip():
                P(aid, f"{w}: quote marks or whitespace at the ends: {x[:20]!r}...{x[-20:]!r}")
            if "text" in q and q["text"] != x:
                P(aid, f"{w}: text mismatch")
            sp = q.get("speaker")
            if sp is not None and labels.get(sp) != "person":
                P(aid, f"{w}: speaker {sp!r} is not a person label")
        for q1, q2 in zip(qs, qs[1:]):
            if q2["start"] < q1["end"]:
                P(aid, f"quotes overlap at {q2['start']}")
        roles = {m["text"].lower() for m in ms if m.get("type") == "role"}
        rels = g.get("relations", [])
        nr += len(rels)
        for r in rels:
            t = r.get("type")
            if t == "holds_role":
                if r.get("person") is not None and labels.get(r["person"]) != "person":
                    P(aid, f"holds_role: person {r['person']!r} unknown")
                if r.get("organization") is not None and labels.get(r["organization"]) != "organization":
                    P(aid, f"holds_role: organization {r['organization']!r} unknown")
                if (r.get("role") or "").lower() not in roles:
                    P(aid, f"holds_role: role {r.get('role')!r} is not a role mention")
            elif t in ("located_in", "part_of"):
                sub_ok = ("organization", "place") if t == "located_in" else ("place",)
                if labels.get(r.get("subject")) not in sub_ok:
                    P(aid, f"{t}: subject {r.get('subject')!r} unknown or wrong type")
                if labels.get(r.get("object")) != "place":
                    P(aid, f"{t}: object {r.get('object')!r} unknown or not a place")
            else:
                P(aid, f"unknown relation type {t!r}")
    # generated files up to date with the marked sources
    src = os.path.join(ROOT, "Corpus", "src")
    if os.path.isdir(src) and os.path.abspath(d) == os.path.join(ROOT, "Corpus", "articles"):
        r = subprocess.run([sys.executable, os.path.join(HERE, "mark.py"), "--check"],
                           capture_output=True, text=True)
        for ln in r.stderr.splitlines():
            problems.append(ln)
        for f in sorted(os.listdir(src)):
            if f.endswith(".marked") and f[:-7] not in txts:
                problems.append(f"{f}: source without article")
    ref = "/work/shared/reference/bac-giang-party-members-vns.txt"
    mine = os.path.join(d, "vns-2024-12-10-bac-giang-party-members.txt")
    if os.path.exists(ref) and os.path.exists(mine) and open(ref, "rb").read() != open(mine, "rb").read():
        problems.append("reference article differs byte-wise from /work/shared/reference")
    for p in problems:
        print(p)
    print(f"{len(txts & golds)} articles; mentions: " + ", ".join(f"{t} {counts[t]}" for t in sorted(TYPES))
          + f"; quotes {nq}; relations {nr}; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
