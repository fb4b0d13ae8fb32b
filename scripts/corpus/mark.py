#!/usr/bin/env python3
"""Turn an inline-marked corpus source into <id>.txt + <id>.gold.json.

usage: mark.py [SRC.marked ...] [--out DIR] [--check]
       (no SRC: every Corpus/src/*.marked; default --out Corpus/articles)
       --check: do not write, report files that differ from what would be written.

Source format (Corpus/src/<id>.marked):

    # comment lines in the header
    @id vns-2024-12-10-bac-giang-party-members
    @published 2024-12-10            (or: null)
    @source Wikinews ...             (optional; copied into gold "source")
    @normalize NFD                   (optional; article text and gold written in NFD)
    @final_newline no                (optional; default yes)
    @@@text
    ... article text with markup ...
    @@@end
    @rel holds_role trong "deputy general director" bgg      (org may be: null)
    @rel located_in bgg kep
    @rel part_of kep langgiang

Markup inside the text:
    [[Nguyễn Văn Trọng|person|trong]]            mention with entity label
    [[May 2024|date|value=2024-05]]               date with value
    [[308|figure|value=308;unit=new Party members]]
    [[Each month|date|optional]]                  optional mention (value optional)
    [[deputy general director|role]]              role (entity label optional)
    {{q:trong|The Party Cell ... [[...]] ...}}    quote: the quoted words only, speaker label
                                                  ({{q:?|...}} = speaker unknown)
Type abbreviations: per, org, loc, fig.
Offsets are computed (code point offsets of the output text), never typed.
"""
import json, os, re, sys, unicodedata

TYPES = {"person": "person", "per": "person", "role": "role", "organization": "organization",
         "org": "organization", "place": "place", "loc": "place", "date": "date",
         "figure": "figure", "fig": "figure"}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class MarkError(Exception):
    pass


def num(s):
    s = s.strip().replace(",", "").replace("_", "")
    try:
        v = float(s)
    except ValueError:
        raise MarkError(f"figure value not a number: {s!r}")
    if v == int(v) and "e" not in s.lower() and "." not in s:
        return int(v)
    if v == int(v) and abs(v) < 1e18:
        return int(v)
    return v


def parse_mention_spec(fields, where):
    if not fields:
        raise MarkError(f"{where}: mention without type")
    t = TYPES.get(fields[0].strip())
    if t is None:
        raise MarkError(f"{where}: unknown type {fields[0]!r}")
    m = {"type": t}
    for f in fields[1:]:
        f = f.strip()
        if not f:
            continue
        if f == "optional":
            m["optional"] = True
        elif "=" in f:
            for kv in f.split(";"):
                kv = kv.strip()
                if not kv:
                    continue
                if kv == "optional":
                    m["optional"] = True
                    continue
                if "=" not in kv:
                    raise MarkError(f"{where}: bad attribute {kv!r}")
                k, v = kv.split("=", 1)
                k, v = k.strip(), v.strip()
                if k == "value":
                    if v == "null":
                        m["value"] = None
                    elif t == "figure":
                        m["value"] = num(v)
                    else:
                        m["value"] = v
                elif k == "unit":
                    m["unit"] = v
                elif k == "entity":
                    m["entity"] = v
                else:
                    m[k] = v
        else:
            if "entity" in m:
                raise MarkError(f"{where}: two entity labels")
            m["entity"] = f
    return m


def render(body, norm):
    """Parse the marked body; return (text, mentions, quotes)."""
    out = []          # output chunks
    pos = 0           # current output length in code points
    mentions, quotes = [], []
    qstack = []       # open quotes: (speaker, start)
    i, n = 0, len(body)

    def emit(s):
        nonlocal pos
        if norm:
            s = unicodedata.normalize(norm, s)
        out.append(s)
        pos += len(s)
        return s

    plain = []

    def flush():
        if plain:
            emit("".join(plain))
            plain.clear()

    while i < n:
        if body.startswith("[[", i):
            flush()
            j = body.find("]]", i + 2)
            if j < 0:
                raise MarkError(f"unclosed [[ at {body[i:i+40]!r}")
            inner = body[i + 2:j]
            if "[[" in inner or "{{" in inner:
                raise MarkError(f"nested markup in mention {inner!r}")
            parts = inner.split("|")
            surface = parts[0]
            m = parse_mention_spec(parts[1:], repr(inner))
            start = pos
            s = emit(surface)
            m2 = {"type": m.pop("type"), "start": start, "end": pos, "text": s}
            m2.update(m)
            mentions.append(m2)
            i = j + 2
        elif body.startswith("{{q:", i):
            flush()
            bar = body.find("|", i)
            if bar < 0:
                raise MarkError(f"bad quote at {body[i:i+40]!r}")
            spk = body[i + 4:bar].strip()
            qstack.append((None if spk == "?" else spk, pos))
            i = bar + 1
        elif body.startswith("}}", i) and qstack:
            flush()
            spk, start = qstack.pop()
            quotes.append({"speaker": spk, "start": start, "end": pos})
            i += 2
        else:
            plain.append(body[i])
            i += 1
    flush()
    if qstack:
        raise MarkError("unclosed {{q:")
    text = "".join(out)
    for q in quotes:
        q["text"] = text[q["start"]:q["end"]]
    quotes.sort(key=lambda q: q["start"])
    return text, mentions, quotes


REL_RE = re.compile(r'"([^"]*)"|(\S+)')


def parse_rel(line):
    toks = [a if a else b for a, b in REL_RE.findall(line)]
    if len(toks) < 1:
        raise MarkError(f"empty @rel")
    t = toks[0]
    nul = lambda x: None if x in ("null", "-") else x
    if t == "holds_role":
        if len(toks) != 4:
            raise MarkError(f"holds_role needs person role org: {line!r}")
        return {"type": t, "person": nul(toks[1]), "role": toks[2], "organization": nul(toks[3])}
    if t in ("located_in", "part_of"):
        if len(toks) != 3:
            raise MarkError(f"{t} needs subject object: {line!r}")
        return {"type": t, "subject": toks[1], "object": toks[2]}
    raise MarkError(f"unknown relation type {t!r}")


def build(src_path):
    lines = open(src_path, encoding="utf-8").read().split("\n")
    meta = {"final_newline": "yes"}
    body, rels = None, []
    k = 0
    while k < len(lines):
        ln = lines[k]
        if ln == "@@@text":
            e = lines.index("@@@end", k + 1)
            body = "\n".join(lines[k + 1:e])
            k = e + 1
            continue
        s = ln.strip()
        if not s or s.startswith("#"):
            pass
        elif s.startswith("@rel "):
            rels.append(parse_rel(s[5:]))
        elif s.startswith("@"):
            key, _, val = s[1:].partition(" ")
            meta[key] = val.strip()
        else:
            raise MarkError(f"{src_path}: stray line {ln!r}")
        k += 1
    if body is None:
        raise MarkError(f"{src_path}: no @@@text ... @@@end")
    if meta.get("final_newline", "yes") == "yes":
        body += "\n"
    norm = meta.get("normalize") or None
    text, mentions, quotes = render(body, norm)
    if norm is None and not unicodedata.is_normalized("NFC", text):
        raise MarkError(f"{src_path}: text is not NFC (declare @normalize)")
    pub = meta.get("published")
    gold = {"id": meta["id"], "published": None if pub in (None, "null") else pub}
    if meta.get("source"):
        gold["source"] = meta["source"]
    if norm:
        gold["normalization"] = norm
    gold["mentions"] = mentions
    gold["quotes"] = quotes
    gold["relations"] = rels
    return meta["id"], text, gold


def main(argv):
    out_dir = os.path.join(ROOT, "Corpus", "articles")
    check = "--check" in argv
    srcs = []
    it = iter(argv)
    for a in it:
        if a == "--out":
            out_dir = next(it)
        elif a == "--check":
            pass
        else:
            srcs.append(a)
    if not srcs:
        d = os.path.join(ROOT, "Corpus", "src")
        srcs = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".marked"))
    bad = 0
    for sp in srcs:
        try:
            aid, text, gold = build(sp)
        except (MarkError, ValueError, KeyError) as e:
            print(f"ERROR {sp}: {e}", file=sys.stderr)
            bad += 1
            continue
        if os.path.basename(sp) != aid + ".marked":
            print(f"ERROR {sp}: @id {aid} does not match file name", file=sys.stderr)
            bad += 1
        tp = os.path.join(out_dir, aid + ".txt")
        gp = os.path.join(out_dir, aid + ".gold.json")
        gtext = json.dumps(gold, ensure_ascii=False, indent=1) + "\n"
        if check:
            for p, want in ((tp, text), (gp, gtext)):
                have = open(p, encoding="utf-8", newline="").read() if os.path.exists(p) else None
                if have != want:
                    print(f"STALE {p}", file=sys.stderr)
                    bad += 1
        else:
            with open(tp, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            with open(gp, "w", encoding="utf-8", newline="") as f:
                f.write(gtext)
            print(f"{aid}: {len(text)} chars, {len(gold['mentions'])} mentions, "
                  f"{len(gold['quotes'])} quotes, {len(gold['relations'])} relations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
