"""Calibrate the Arabic route at the fallback threshold (dev split only).

One ``FallbackClassifier`` threshold serves both of ``ClinicIntentClassifier``'s models;
the English threshold is chosen first (``scripts/eval_nlu.py --split dev --tune``), then
this sweeps ``multilingual_temperature`` (which rescales the Arabic model's confidence)
on ``evaluation/arabic/dev.tsv`` at the thresholds around it, without retraining: the
loaded model's Arabic classifier gets each temperature in turn. The balanced score is
the mean of Arabic and Arabizi in-scope accuracy and off-topic rejection. ``--biases``
sweeps ``multilingual_out_of_scope_bias`` too (each bias a table) and prints, at the
config's threshold, the three figures of every pair.

``--Cs`` and ``--tfidf-weights`` sweep ``multilingual_C`` and ``multilingual_tfidf_weight``
as well: the Arabic classifier is refitted for each pair on the training examples (as
``ClinicIntentClassifier`` fits it, their e5 vectors read from the training cache that the
model's training filled), then swept over biases and temperatures. That trains: run it
behind the training lock (``flock /tmp/train.lock python scripts/tune_arabic_temperature.py ...``).

Selection rule (written 2026-12-05 by helper arabic3 before the sweep was read): at the
config's threshold, among the settings whose dev off-topic rejection (Arabic and Arabizi)
is at least ``--off-topic-floor`` (0.82: a margin over the 0.80 target), the one with the
best plateau score, the mean balanced score of the setting and its grid neighbours (one
step of C, TF-IDF weight, bias or temperature, either side), so that the middle of a
plateau beats a single peak (``clinic.nlu.evaluate.plateau_choice``); the script prints it.

    python scripts/tune_arabic_temperature.py [--model models/current.tar.gz] [--biases 0 0.5 1]
        [--Cs 10 30 100] [--tfidf-weights 1 1.5 2] [--temperatures 0.2 0.25 0.3]
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import eval_nlu  # noqa: E402
from addons.quiet import quiet_rasa_logs  # noqa: E402
from clinic.nlu.evaluate import GridPoint, arabic_scores, plateau_choice, prediction_of  # noqa: E402

TEMPERATURES = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1.0)
OFF_TOPIC_FLOOR = 0.82


def intent_classifier(agent):
    """The loaded model's ClinicIntentClassifier (from Rasa's graph runner)."""
    from addons.nlu.intent_classifier import ClinicIntentClassifier

    nodes = getattr(agent.processor.graph_runner, "_instantiated_nodes", {})
    for node in nodes.values():
        component = getattr(node, "_component", None)
        if isinstance(component, ClinicIntentClassifier):
            return component
    raise SystemExit("no ClinicIntentClassifier in the model's graph")


def balanced(r: Dict) -> float:
    return (r["arabic_in_scope_accuracy"] + r["arabizi_in_scope_accuracy"] + r["off_topic_rejection"]) / 3


def memoised(embed):
    """``embed`` remembering the vectors of texts it has seen (this process only: the dev
    texts are embedded once for the whole sweep)."""
    import numpy as np

    seen: Dict[str, object] = {}

    def lookup(texts: Sequence[str]):
        missing = [t for t in dict.fromkeys(texts) if t not in seen]
        if missing:
            for text, vector in zip(missing, embed(missing), strict=True):
                seen[text] = vector
        return np.stack([seen[t] for t in texts]) if texts else embed([])

    return lookup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(eval_nlu.ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--biases", type=float, nargs="*", default=None,
                        help="out_of_scope biases to sweep (default: the model's own)")
    parser.add_argument("--temperatures", type=float, nargs="*", default=list(TEMPERATURES))
    parser.add_argument("--Cs", type=float, nargs="*", default=None,
                        help="multilingual_C values to refit with (default: the model's own, no refit)")
    parser.add_argument("--tfidf-weights", type=float, nargs="*", default=None,
                        help="multilingual_tfidf_weight values to refit with (default: the model's own)")
    parser.add_argument("--off-topic-floor", type=float, default=OFF_TOPIC_FLOOR)
    args = parser.parse_args()
    quiet_rasa_logs()
    from rasa.core.agent import Agent

    agent = Agent.load(args.model)
    component = intent_classifier(agent)
    if component._multilingual is None:
        raise SystemExit("the model has no Arabic route (multilingual: false)")
    base = component._multilingual.config
    threshold, ambiguity = eval_nlu.fallback_settings()
    thresholds = sorted({round(threshold + d, 2) for d in (-0.1, -0.05, 0.0, 0.05, 0.1)} - {1.0})
    questions, scripts = eval_nlu.load_arabic("dev")
    loop = asyncio.new_event_loop()
    biases = args.biases if args.biases else [base.out_of_scope_bias]
    temperatures = args.temperatures
    cs = args.Cs if args.Cs else [base.C]
    weights = args.tfidf_weights or [base.tfidf_weight]
    # refitted as the training fits it (the e5 vectors from the training cache it filled)
    examples = eval_nlu.training_examples() if args.Cs is not None or args.tfidf_weights is not None else None
    dev_embed = memoised(component._multilingual.embed)
    # per setting (one index per dimension): C, weight, bias, T and the dev figures
    measured: Dict[Tuple[int, ...], Tuple[float, float, float, float, Dict]] = {}
    points: List[GridPoint] = []
    for ci, c in enumerate(cs):
        for wi, weight in enumerate(weights):
            if examples is not None:
                started = time.monotonic()
                component._multilingual = component.fit_multilingual(
                    *examples, dataclasses.replace(base, C=c, tfidf_weight=weight))
                print(f"\n(refitted with C {c:g}, TF-IDF weight {weight:g} in {time.monotonic() - started:.0f} s)")
            component._multilingual.embed = dev_embed
            component._multilingual._weights = None
            for bi, bias in enumerate(biases):
                print(f"\nC {c:g}, TF-IDF weight {weight:g}, out_of_scope bias {bias:.2f}; config.yml "
                      f"threshold {threshold:.2f}; balanced score (Arabic, Arabizi, off-topic) on dev")
                print("T      " + "".join(f"{t:>8.2f}" for t in thresholds))
                for ti, temperature in enumerate(temperatures):
                    component._multilingual.config = dataclasses.replace(
                        component._multilingual.config, temperature=temperature, out_of_scope_bias=bias)
                    parsed = [prediction_of(loop.run_until_complete(agent.parse_message(q.text)))
                              for q in questions]
                    row = []
                    for t in thresholds:
                        r = arabic_scores(questions, scripts, [p.decided(t, ambiguity) for p in parsed])
                        row.append(balanced(r))
                        if t == threshold:
                            measured[(ci, wi, bi, ti)] = (c, weight, bias, temperature, r)
                            points.append(GridPoint((ci, wi, bi, ti), balanced(r), r["off_topic_rejection"]))
                    print(f"{temperature:<7.2f}" + "".join(f"{b:>8.3f}" for b in row), flush=True)
    loop.close()
    chosen, plateau = plateau_choice(points, args.off_topic_floor)
    print(f"\nat the threshold {threshold:.2f}:      C  weight   bias      T  Arabic  Arabizi  off-topic"
          "  balanced  plateau")
    for point in points:
        c, weight, bias, temperature, r = measured[point.setting]
        mark = "  <- chosen" if chosen is not None and point.setting == chosen.setting else ""
        print(f"{'':22}{c:>7g}{weight:>8g}{bias:>7.2f}{temperature:>7.2f}{r['arabic_in_scope_accuracy']:>8.3f}"
              f"{r['arabizi_in_scope_accuracy']:>9.3f}{r['off_topic_rejection']:>11.3f}"
              f"{point.score:>10.3f}{plateau[point.setting]:>9.3f}{mark}")
    if chosen is None:
        print(f"\nno setting keeps off-topic rejection at {args.off_topic_floor:.2f}")
    else:
        c, weight, bias, temperature, r = measured[chosen.setting]
        print(f"\nchosen (off-topic >= {args.off_topic_floor:.2f}, best plateau): C {c:g}, TF-IDF weight "
              f"{weight:g}, bias {bias:.2f}, T {temperature:.2f}: balanced {chosen.score:.3f}, "
              f"plateau {plateau[chosen.setting]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
