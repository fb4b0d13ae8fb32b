#!/usr/bin/env python3
"""Writes a large rules directory for load-time measurement: a 100,000-entry gazetteer
(synthetic multi-word names built from the built-in name lists) and 300 rules in 3 phases.

usage: scripts/bench/large-rules.py OUT_DIR [--entries N] [--rules N]
then:  .build/release/newsfacts rules check OUT_DIR      # built-in rules + these, load time
"""
import argparse, itertools, os

def names(path):
    out = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        out.append(line.split("\t")[0])
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--rules", type=int, default=300)
    a = ap.parse_args()
    here = os.path.join(os.path.dirname(__file__), "..", "..", "Rules", "gazetteers")
    given = names(os.path.join(here, "given-names-en.tsv"))
    family = names(os.path.join(here, "surnames-en.tsv"))
    os.makedirs(os.path.join(a.out, "gazetteers"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "patterns"), exist_ok=True)
    with open(os.path.join(a.out, "gazetteers", "large.tsv"), "w", encoding="utf-8") as f:
        f.write("# synthetic entries for load-time measurement\n")
        for i, (g, s) in enumerate(itertools.islice(itertools.product(given, family), a.entries)):
            f.write(f"{g} {s} Holdings\tbench.entity\tn={i}\n")
    with open(os.path.join(a.out, "patterns", "large.rules"), "w", encoding="utf-8") as f:
        per_phase = a.rules // 3
        for p in range(3):
            f.write(f"phase bench{p}" + (f" after bench{p - 1}" if p else " after relations") + "\n")
            for r in range(per_phase):
                f.write(f"rule r{p}-{r} priority {r % 5}\n")
                f.write(f"  match (a: [gaz=bench.entity]) (\"of\" | \"in\" | \",\")? [shape=cap & !gaz=function.word]{{0,{r % 4 + 1}}} (b: [kind=number])?\n")
                f.write(f"  make bench.hit{p} n=a.n\n")

if __name__ == "__main__":
    main()
