"""Warning-sign triage on the triage corpus (``make eval-triage``).

Prints, for the dev and test splits of ``evaluation/triage/``: urgent recall, emergency
recall, the false-alarm rate on expected after-effects and on ordinary questions. Every
miss and false alarm of the **dev** split is listed; for test only the figures are printed
(test is never used for tuning). Writes ``build/eval_triage.json``. With ``--check`` the
exit code is 1 when a split is under its floor (:data:`FLOORS`).

    python scripts/eval_triage.py [--split dev|test|all] [--check] [--learned | --served] [--as-typed]

``--as-typed`` reads every English row a second time as patients type in a chat
(:mod:`clinic.retype`: run-on, shorthand, a finger slip, shorthand and a slip), rules only floors
in :data:`FLOORS_TYPED` (dev); test prints its figures only.

``--served`` reads every report through the trained model (``models/current.tar.gz``) as
the assistant does: a report counts as flagged when the parse ends as ``urgent_symptom``
(the rules, the learned signal, or the classifier alone), and as an emergency when the
triage entry says so.

The learned signal (:mod:`clinic.triage.learned`) is fitted on dev's rows
(``data/triage/reports.tsv``): ``--learned`` reads dev **out of fold** (grouped by website,
:func:`clinic.triage.crossval.out_of_fold_verdicts`), test with the signal fitted on all of
its training rows. ``--served`` dev figures are **in-sample** for the learned signal (the
model learned dev's rows): the honest dev figures of the signal are ``--learned``'s and
``scripts/cv_triage.py``'s. ``--served --learned`` reads dev as served with the learned part
out of fold: the model's rules and its classifier (the model's learned signal switched off),
or the rules plus the learned signal out of fold (``--learned``'s verdicts).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clinic.retype import STYLES, retype  # noqa: E402
from clinic.settings import PROJECT_ROOT  # noqa: E402
from clinic.triage.evaluate import SPLITS, TARGETS, below_floors, load_corpus, score_corpus  # noqa: E402

# make test fails under these; the targets are clinic.triage.evaluate.TARGETS
# test: with 304 real reports (152 in test: realself.com questions, news quotes, diaries;
# harder than the team's written ones) the rules are under the targets on test:
# urgent recall 0.818, emergency recall 0.789 (30/38), false alarms on expected 0.182
# (rules only, 2026-12-04, after the corpus grew from 137 to 304 real reports; the corpus
# got harder, the rules did not get worse). The floors sit at today's figures (recalls
# rounded down, the false-alarm ceiling rounded up to 0.01) so a regression fails; raise
# them as the rules improve (tuned on dev misses only). Dev: after the rules were tuned
# on the new dev misses (weakness beyond the face, "couldn't see where", an ambulance or
# resus, severe burning; test did not move), urgent recall 0.975, emergency 0.935 (29/31),
# false alarms on expected 0.165 (lip swelling after lip filler, left as a warning sign:
# a clinical call for the medical director); floors at those figures. Later the same day: swollen
# lips after lip filler named in the message with no other sign are expected (dev 0.155).
# Rules only, 2026-12-05: dev urgent 1.000, emergency 0.969, false alarms 0.058 / 0.000;
# test 0.810, 0.816, 0.148 / 0.015.
# Later on 2026-12-05 (helper "triage": 39 dev rows added, course / secondhand / calm families): dev 1.000,
# 1.000, 0.044 / 0.000 (410 rows); test 0.810, 0.816, 0.159 / 0.000 (test printed once, not read).
# Later on 2026-12-05 (helper "triage", issue 15): 62 dev rows R337-R398 from neighbouring procedures (dental
# injections, piercings, tattoos, vaccines, bites) took dev to 0.984, 0.958, 0.105 / 0.000 (472 rows); after the
# rules were tuned on their misses: dev 1.000, 1.000, 0.080 / 0.000 (the old rows' false alarms unchanged; the dev
# false-alarm ceiling moves to 0.09 for the harder rows); test did not move: 0.810, 0.816, 0.159 / 0.000.
# Later (helper "triage3", R399-R452) and on 2026-12-05 afternoon (helper "triage4", 27 rows R453-R479 from 25
# new websites, read unseen 0.850, 0.846, 0.500 on its first 24): dev 1.000, 1.000, 0.085 / 0.000 (553 rows);
# test again unchanged, 0.810, 0.816, 0.159 / 0.000: four batches of dev-driven rules have not moved test.
# 2026-12-05 night (helper "triage6", the expected course told with alarming words): dev 1.000, 1.000, 0.064 /
# 0.000; the dev false-alarm ceiling moves to 0.07 (one row of margin). Test, one aggregate run after the
# night's merges: rules 0.818, 0.816, 0.159 / 0.000 (urgent floor 0.80 -> 0.81); served 0.920, 0.895, 0.227 /
# 0.000 (urgent floor 0.90 -> 0.91).
FLOORS = {
    "dev": {**TARGETS, "urgent_recall": 0.97, "emergency_recall": 0.97, "false_alarms_expected": 0.07},
    "test": {**TARGETS, "urgent_recall": 0.81, "emergency_recall": 0.78, "false_alarms_expected": 0.17},
}
# --served: what the assistant does (the rules, then the classifier's own urgent_symptom and the
# learned second opinion). Measured 2026-12-04 with the model of that day: dev urgent 0.975,
# emergency 0.935, false alarms on expected 0.204 (the classifier alone flags four expected
# reports the rules pass, e.g. "the bumps from the injections went away after a few hours");
# test urgent 0.854, emergency 0.789, false alarms on expected 0.205, questions 0.015.
# Again with the model of that night (booking and aftercare examples added): dev false
# alarms on expected 0.194; test urgent 0.869, emergency 0.789, expected 0.205.
# 2026-12-05 (model of that day): dev 1.000, 0.969, 0.157 / 0.000; test 0.869, 0.816,
# 0.170 / 0.015. Later that day, same model, with calm reports no longer overruled by the
# learned signal or the classifier (clinic.triage.calm): dev 1.000, 1.000, 0.096 / 0.000;
# test 0.869, 0.816, 0.170 / 0.000.
# With the 62 new dev rows (helper "triage", model of 2026-12-05 07:07): dev 0.984, 0.958, 0.167 / 0.000 before the
# rule changes, 1.000, 1.000, 0.142 / 0.000 after (the classifier flags dental swelling right after the numbing
# injection: ceiling 0.15); test 0.869, 0.816, 0.170 / 0.000 before and after.
# With 54 more dev rows (helper "triage3": long stories, 28 emergencies, R399-R452): dev read
# 0.981, 0.908, 0.188 / 0.000 on them unseen, 1.000, 1.000, 0.153 / 0.000 after the rule
# changes (the classifier's own urgent_symptom on expected vaccine and numbing stories); 0.158
# once a vaccine or the dentist no longer excuses a sign when our treatment is named (safety
# first: ceiling 0.17); test 0.869, 0.816, 0.170 / 0.000 before and after.
# 2026-12-05 evening (helper "triage5", issue 15): the similarity signal replaced by a learned signal fitted on
# dev's rows (data/triage/reports.tsv), asked on every English message the rules pass, not only when the classifier
# ranks urgent_symptom >= 0.5. Dev --served is now in-sample for it: 1.000, 1.000, 0.122 / 0.000 (0.133 before, with
# the similarity signal); dev --learned reads it out of fold: 1.000, 1.000, 0.128 / 0.000 (the similarity signal's
# --learned setting read 0.101). The honest figures are scripts/cv_triage.py's (evaluation/triage/README.md). Test
# not read: the learned signal added 0.043 false alarms on dev's expected reports out of fold, so test --served false
# alarms on expected may rise above 0.170 (its floor is 0.19).
# Test, one aggregate run after the merge (model of 2026-12-05 20:41, with the "tries" and greeting changes): urgent
# 0.869 -> 0.905 (5 more of 137), emergency 0.816 -> 0.895 (3 more of 38), false alarms on expected 0.170 -> 0.227
# (5 more of 88; out of fold on dev the signal had added 0.043), questions 0.000. Kept, at the threshold the rule
# written before the cross-validation chose (not re-tuned to test): 8 more warning signs reach a nurse at once for 5
# more nurse checks of an expected course. The recall floors rise with it; the false-alarm ceiling moves from 0.19
# to 0.23, a loosening, recorded in docs/performance.md.
FLOORS_SERVED = {
    "dev": {**TARGETS, "urgent_recall": 0.97, "emergency_recall": 0.97, "false_alarms_expected": 0.17},
    "test": {**TARGETS, "urgent_recall": 0.91, "emergency_recall": 0.89, "false_alarms_expected": 0.23},
}
# --as-typed: every English row typed again as patients type in a chat (clinic.retype). Rules only,
# 2026-12-06, before -> after the triage learned chat shorthand and one-slip corrections of unknown
# words (clinic.triage.lexicon; urgent / emergency / false alarms on expected):
#   dev  shorthand 0.950 / 0.921 / 0.100 -> 0.957 / 0.931 / 0.076; slip 0.946 / 0.980 / 0.066 -> 0.961 /
#        0.990 / 0.071; shorthand+slip 0.907 / 0.901 / 0.100 -> 0.932 / 0.911 / 0.085; run-on 0.964 /
#        0.941 / 0.071 unchanged; as written unchanged
#   test (aggregate only, not tuned to) shorthand FA 0.193 -> 0.170; slip 0.774 / 0.737 -> 0.781 / 0.763;
#        shorthand+slip 0.781 / 0.711 -> 0.788 / 0.737 (questions 0.007 -> 0.000); as written unchanged
# 2026-12-06 afternoon (helper triage10: run-on stories read near the sign, shorthand spelt out for the whole-message
# readings, "inection" no longer corrected to "infection"): dev run-on 0.964 / 0.941 / 0.071 -> 0.993 / 1.000 /
# 0.062; shorthand 0.957 / 0.931 / 0.076 -> 0.986 / 0.990 / 0.066; slip unchanged 0.961 / 0.990 / 0.071;
# shorthand+slip 0.932 / 0.911 / 0.085 -> 0.957 / 0.970 / 0.071; as written unchanged. Floors 0.93 / 0.91 / 0.09 ->
# 0.95 / 0.97 / 0.08.
# Floors: the lowest dev figure of any style, recalls rounded down, the ceiling up.
FLOORS_TYPED = {
    "dev": {"urgent_recall": 0.95, "emergency_recall": 0.97, "false_alarms_expected": 0.08,
            "false_alarms_questions": 0.01},
}
OUT = PROJECT_ROOT / "build" / "eval_triage.json"


def _assess(learned: bool, split: str, rows):
    """The rules (plus the learned signal: out of fold on dev, whose rows it is fitted on)."""
    from clinic.triage import assess_texts

    if learned and split == "dev":
        from clinic.triage.crossval import out_of_fold_verdicts

        verdicts = out_of_fold_verdicts(rows)
        by_text = {r["text"]: v for r, v in zip(rows, verdicts, strict=True)}
        return lambda texts: [by_text[t] for t in texts]

    def run(texts):
        return assess_texts(texts, learned=learned)

    return run


def _served(model: Path, without_learned: bool = False):
    """The served pipeline's verdicts: ``urgent`` when the parse's intent is ``urgent_symptom``
    (``without_learned``: the model's learned signal is not asked)."""
    import asyncio
    from types import SimpleNamespace

    from rasa.core.agent import Agent

    from addons import speedups
    from addons.quiet import quiet_rasa_logs

    if without_learned:
        from addons.nlu.triage import WarningSignTriage

        WarningSignTriage._second_opinion = lambda self, message, result: result  # type: ignore[method-assign]
    quiet_rasa_logs()  # Rasa's debug events would echo every report
    speedups.install()  # as the server runs
    agent = Agent.load(str(model))

    def run(texts):
        loop = asyncio.new_event_loop()
        try:
            parses = [loop.run_until_complete(agent.parse_message(t)) for t in texts]
        finally:
            loop.close()
        return [SimpleNamespace(urgent=(p.get("intent") or {}).get("name") == "urgent_symptom",
                                emergency=bool((p.get("triage") or {}).get("emergency")))
                for p in parses]

    return run


def _retyped(rows, style: str):
    """The rows with every English text typed again in ``style`` (Arabic and Arabizi as written)."""
    from clinic.language import EN, detect

    return [dict(row, text=retype(row["text"], style)) if detect(row["text"]) == EN else row for row in rows]


def _served_out_of_fold(served, rows):
    """Dev as served, the learned part out of fold: the model without its learned signal (rules and
    classifier) or the rules with the learned signal out of fold."""
    from types import SimpleNamespace

    learned = _assess(True, "dev", rows)

    def run(texts):
        return [SimpleNamespace(urgent=a.urgent or b.urgent, emergency=a.emergency or b.emergency)
                for a, b in zip(served(texts), learned(texts), strict=True)]

    return run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=SPLITS + ("all",), default="all")
    parser.add_argument("--check", action="store_true", help="exit 1 under the floors")
    parser.add_argument("--learned", action="store_true",
                        help="add the learned signal (dev: out of fold) to the rules, without the model "
                             "(with --served: the model's learned part replaced by the out-of-fold one on dev)")
    parser.add_argument("--served", action="store_true",
                        help="read every report through the trained model, as the assistant does")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "current.tar.gz")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dir", type=Path, default=None, help="corpus directory (default evaluation/triage)")
    parser.add_argument("--as-typed", action="store_true",
                        help="also read every English row typed again as patients type in a chat "
                             "(clinic.retype: run-on, shorthand, a finger slip)")
    args = parser.parse_args(argv)

    splits = SPLITS if args.split == "all" else (args.split,)
    if args.served and not args.model.exists():
        print(f"eval-triage: no model at {args.model}: run `make model` first", file=sys.stderr)
        return 2
    if args.served and args.learned and splits != ("dev",):
        print("eval-triage: --served --learned reads dev only (--split dev)", file=sys.stderr)
        return 2
    served = _served(args.model, without_learned=args.learned) if args.served else None
    if args.served and args.out == OUT:
        args.out = OUT.with_name("eval_triage_served.json")
    report, failures = {}, []
    styles = ("as written",) + (STYLES if args.as_typed else ())
    for split in splits:
        try:
            written = load_corpus(split, args.dir)
        except (OSError, ValueError) as exc:
            print(f"eval-triage: cannot read the {split} split: {exc}", file=sys.stderr)
            return 2
        for style in styles:
            rows = written if style == "as written" else _retyped(written, style)
            started = time.perf_counter()
            figures = score_corpus(rows, _served_out_of_fold(served, rows) if served and args.learned
                                   else served or _assess(args.learned, split, rows))
            seconds = time.perf_counter() - started
            c = figures["counts"]
            note = (" (served, learned signal out of fold)" if args.served and args.learned else
                    " (learned signal out of fold)" if args.learned and split == "dev" else
                    " (learned signal in-sample: it was fitted on dev)" if args.served and split == "dev" else "")
            name = split if style == "as written" else f"{split}, typed {style}"
            print(f"[{name}]{note} urgent recall {figures['urgent_recall']:.3f} (n={c['urgent']})  "
                  f"emergency recall {figures['emergency_recall']:.3f} (n={c['emergency']})  "
                  f"false alarms: expected {figures['false_alarms_expected']:.3f} (n={c['expected']}), "
                  f"questions {figures['false_alarms_questions']:.3f} (n={c['question']})  "
                  f"[{len(rows)} rows, {seconds:.1f} s]")
            errors = figures.pop("errors")
            if split == "dev":
                for kind, rows_ in errors.items():
                    for row in rows_:
                        print(f"  {kind.upper()}: [{row['id']}] {row['text'][:200]}")
                figures["errors"] = {k: [r["id"] for r in v] for k, v in errors.items()}
            report[name] = figures
            floors = ((FLOORS_SERVED if args.served else FLOORS)[split] if style == "as written"
                      else {} if args.served or args.learned else FLOORS_TYPED.get(split, {}))
            failed = below_floors(figures, floors)
            if failed:
                failures.append(f"{name}: " + "; ".join(failed))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {args.out}")
    if args.check and failures:
        for line in failures:
            print(f"eval-triage: under the floor: {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
