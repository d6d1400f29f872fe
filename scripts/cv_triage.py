"""Out-of-fold figures of the learned warning-sign signal on the triage dev corpus.

    python scripts/cv_triage.py [--k 5] [--pooling max meanmax whole] [--C 0.3 1 3]
                                [--classifier build/triage_dev_classifier.json] [--dump-classifier]

Grouped K-fold cross-validation by website (:mod:`clinic.triage.crossval`, which also
holds the decision rule). Prints, with the four figures of ``scripts/eval_triage.py``
(urgent recall, emergency recall, false alarms on expected, on questions): the rules
alone; the similarity signal it replaced (its figures on the same rows, recorded in
:data:`clinic.triage.crossval.SIMILARITY_BASELINE`); each fitted signal out of fold, alone,
with the rules and its added false alarms, at the decision rule's threshold and a few
others; and the rule's verdict. ``--classifier`` reads the intent classifier's ``urgent_symptom``
confidence of each dev row (``--dump-classifier`` writes it from ``models/current.tar.gz``)
to show the signals gated by it as served. Dev only: the test split is never read.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from clinic.settings import PROJECT_ROOT  # noqa: E402
from clinic.triage import crossval as cv  # noqa: E402
from clinic.triage.evaluate import load_corpus  # noqa: E402
from clinic.triage.signal import SignalConfig, views  # noqa: E402

CLASSIFIER = PROJECT_ROOT / "build" / "triage_dev_classifier.json"
CLASSIFIER_GATE = 0.5  # the similarity signal's gate: urgent_symptom ranked at least this


def dump_classifier(texts, path: Path, model: Path) -> None:
    """The served model's urgent_symptom confidence of each text, as the classifier ranked it
    (the triage component, which puts urgent_symptom first at 1.0 on a rule's flag, is skipped)."""
    import asyncio

    from rasa.core.agent import Agent

    from addons import speedups
    from addons.nlu.triage import WarningSignTriage
    from addons.quiet import quiet_rasa_logs

    WarningSignTriage.process = lambda self, messages: messages  # type: ignore[method-assign]

    quiet_rasa_logs()
    speedups.install()
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    out = []
    for text in texts:
        parse = loop.run_until_complete(agent.parse_message(text))
        ranking = {r["name"]: r["confidence"] for r in parse.get("intent_ranking") or []}
        out.append(float(ranking.get("urgent_symptom", 0.0)))
    loop.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out), encoding="utf-8")


def line(name: str, figures, added=None) -> str:
    text = (f"  {name:<44} {figures['urgent_recall']:.3f} {figures['emergency_recall']:.3f} "
            f"{figures['false_alarms_expected']:.3f} {figures['false_alarms_questions']:.3f}")
    if added is not None:
        text += f"   added {added['expected']:.3f} / {added['question']:.3f}"
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--pooling", nargs="+", default=["max", "meanmax", "whole"])
    parser.add_argument("--C", nargs="+", type=float, default=[0.3, 1.0, 3.0])
    parser.add_argument("--tfidf", nargs="+", choices=["off", "on"], default=["off", "on"])
    parser.add_argument("--unbalanced", action="store_true", help="no class weights")
    parser.add_argument("--classifier", type=Path, default=None)
    parser.add_argument("--thresholds", nargs="*", type=float, default=[0.5, 0.7, 0.9])
    parser.add_argument("--dump-classifier", action="store_true")
    parser.add_argument("--write-training", action="store_true",
                        help="write data/triage/reports.tsv (dev rows and the team's reports) and stop")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "current.tar.gz")
    args = parser.parse_args(argv)

    from clinic.triage import assess_texts, learned

    if args.write_training:
        print(f"wrote {learned.write_training_file()} rows to {learned.TRAINING_FILE}")
        return 0
    rows = load_corpus("dev")
    texts = [r["text"] for r in rows]
    if args.dump_classifier:
        dump_classifier(texts, args.classifier or CLASSIFIER, args.model)
        print(f"wrote {args.classifier or CLASSIFIER}")
        return 0
    started = time.perf_counter()
    rules = assess_texts(texts)
    extras = cv.extra_rows(rows)
    embed = learned.training_embed()
    all_views = views(texts + [r["text"] for r in extras], embed)
    row_views, extra_views = all_views[: len(rows)], all_views[len(rows):]
    assignment = cv.folds(rows, args.k)
    print(f"dev: {len(rows)} rows in {len(set(map(cv.group_of, rows)))} groups, {args.k} folds of "
          f"{[assignment.count(f) for f in range(args.k)]}; {len(extras)} extra training rows; "
          f"{time.perf_counter() - started:.0f} s to read and embed")
    missed = [i for i, (r, v) in enumerate(zip(rows, rules, strict=True))
              if r["label"] in ("urgent", "emergency") and not v.urgent]
    print(f"urgent reports the rules miss on dev: {len(missed)}")
    print("  (figures: urgent recall, emergency recall, false alarms on expected, on questions)")
    print(line("rules", cv.figures(rows, rules)))

    gate = None
    if args.classifier:
        gate = np.asarray(json.loads(args.classifier.read_text(encoding="utf-8"))) >= CLASSIFIER_GATE
    base = cv.SIMILARITY_BASELINE
    print(f"  {'similarity signal (replaced; recorded)':<44} {base['urgent_recall']:.3f} "
          f"{base['emergency_recall']:.3f} {base['false_alarms_expected']:.3f} "
          f"{base['false_alarms_questions']:.3f}   added "
          f"{base['added_expected']:.3f} / {base['added_questions']:.3f}")

    verdicts = []
    settings = [(p, C, t == "on") for p in args.pooling for C in args.C for t in args.tfidf
                if not (p == "max" and t == "on")]
    for pooling, C, tfidf in settings:
        config = SignalConfig(pooling=pooling, C=C, balanced=not args.unbalanced, tfidf=tfidf)
        t0 = time.perf_counter()
        proba = cv.out_of_fold(rows, row_views, extras, extra_views, config, args.k)
        chosen = cv.choose_threshold(rows, texts, rules, proba)
        name = f"{pooling}{'+tfidf' if tfidf else ''}"
        print(f"learned {name} C={C} ({time.perf_counter() - t0:.1f} s): rule's threshold {chosen}")
        if gate is not None:  # served only when the classifier ranks urgent_symptom >= 0.5
            gated_proba = proba * gate[:, None]
            gated_t = cv.choose_threshold(rows, texts, rules, gated_proba)
            if gated_t is not None:
                js = cv.from_probabilities(gated_proba, gated_t,
                                           cv.choose_emergency_threshold(rows, gated_proba, gated_t))
                print(line(f"gated by the classifier, its own t={gated_t:.2f} alone",
                           cv.figures(rows, cv.combine(texts, rules, js, alone=True)),
                           cv.added_false_alarms(rows, rules, cv.combine(texts, rules, js))))
        for t in sorted(set(args.thresholds) | ({chosen} if chosen else set())):
            e_t = cv.choose_emergency_threshold(rows, proba, t)
            js = cv.from_probabilities(proba, t, e_t)
            alone = cv.combine(texts, rules, js, alone=True)
            served = cv.combine(texts, rules, js)
            added = cv.added_false_alarms(rows, rules, served)
            mark = " *" if t == chosen else ""
            print(line(f"t={t:.2f} e={e_t:.2f} alone{mark}", cv.figures(rows, alone)))
            print(line(f"t={t:.2f} e={e_t:.2f} + rules{mark}", cv.figures(rows, served), added))
            if t == chosen:
                verdicts.append((name, C, chosen, e_t, float(cv.figures(rows, alone)["urgent_recall"]),
                                 added["expected"], cv.ships(cv.figures(rows, alone), added)))
    print("decision rule (clinic/triage/crossval.py) at each setting's threshold:")
    for pooling, C, t, e_t, recall, added, ok in verdicts:
        print(f"  {pooling:<14} C={C:<4} t={t} e={e_t}: recall alone {recall:.3f}, added false alarms on "
              f"expected {added:.3f} -> {'ships' if ok else 'does not ship'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
