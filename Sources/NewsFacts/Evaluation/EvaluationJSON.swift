/// JSON form of an `EvaluationResult` (`newsfacts eval --format json`).
///
/// Consumes a result; produces an object whose `docs`, `strict`, `partial` and
/// `value_accuracy` have exactly score.py's `--json` shape and names (p, r, f, tp, fp, fn;
/// matched, equal, accuracy), followed by `unit_accuracy`, `holds_role`, `quotes` and, per
/// article, the strict `missed` and `spurious` mentions.
public enum EvaluationJSON {
    public static func encode(_ r: EvaluationResult, pretty: Bool = true, articles: Bool = true) -> String {
        let w = JSONWriter(pretty: pretty)
        w.object {
            w.field("docs") { w.number(Double(r.docs)) }
            for mode in EvaluationResult.Mode.allCases {
                w.field(mode.rawValue) {
                    w.object {
                        for t in r.types + ["micro"] {
                            let c = r.counts(mode, t)
                            w.field(t) {
                                w.object(inline: true) {
                                    w.field("p") { w.number(c.precision) }
                                    w.field("r") { w.number(c.recall) }
                                    w.field("f") { w.number(c.f1) }
                                    w.field("tp") { w.number(Double(c.tp)) }
                                    w.field("fp") { w.number(Double(c.fp)) }
                                    w.field("fn") { w.number(Double(c.fn)) }
                                }
                            }
                        }
                    }
                }
            }
            w.field("value_accuracy") {
                w.object {
                    for t in r.valueTypes { w.field(t) { tally(w, r.values[t]!, "matched", "equal") } }
                }
            }
            w.field("unit_accuracy") { w.object { w.field("figure") { tally(w, r.units, "matched", "equal") } } }
            w.field("holds_role") {
                w.object(inline: true) {
                    let h = r.holdsRole
                    w.field("gold") { w.number(Double(h.gold)) }
                    w.field("found") { w.number(Double(h.found)) }
                    w.field("organization_correct") { w.number(Double(h.organizationCorrect)) }
                    w.field("predicted") { w.number(Double(h.predicted)) }
                    w.field("predicted_correct") { w.number(Double(h.predictedCorrect)) }
                    w.field("recall") { w.number(h.recall) }
                    w.field("precision") { w.number(h.precision) }
                }
            }
            w.field("quotes") {
                w.object(inline: true) {
                    let q = r.quotes
                    w.field("gold") { w.number(Double(q.gold)) }
                    w.field("found") { w.number(Double(q.found)) }
                    w.field("predicted") { w.number(Double(q.predicted)) }
                    w.field("speaker_correct") { w.number(Double(q.speakerCorrect)) }
                    w.field("recall") { w.number(q.recall) }
                    w.field("precision") { w.number(q.precision) }
                    w.field("speaker_accuracy") { w.number(q.speakerAccuracy) }
                }
            }
            if articles {
                w.field("articles") {
                    w.array(r.articles) { a in
                        w.object {
                            w.field("id") { w.string(a.id) }
                            w.field("missed") { w.array(a.missed) { difference(w, $0) } }
                            w.field("spurious") { w.array(a.spurious) { difference(w, $0) } }
                        }
                    }
                }
            }
        }
        return w.out
    }

    static func tally(_ w: JSONWriter, _ t: EvaluationResult.Tally, _ total: String, _ correct: String) {
        w.object(inline: true) {
            w.field(total) { w.number(Double(t.total)) }
            w.field(correct) { w.number(Double(t.correct)) }
            w.field("accuracy") { w.number(t.accuracy) }
        }
    }

    static func difference(_ w: JSONWriter, _ d: EvaluationResult.Difference) {
        w.object(inline: true) {
            w.field("type") { w.string(d.type) }
            w.field("start") { w.number(Double(d.start)) }
            w.field("end") { w.number(Double(d.end)) }
            w.field("text") { w.string(d.text) }
            w.field("boundary") { w.bool(d.boundary) }
        }
    }
}
