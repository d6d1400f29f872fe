"""Choose the Arabic route's temperature at the fallback threshold (dev split only).

One ``FallbackClassifier`` threshold serves both of ``ClinicIntentClassifier``'s models;
the English threshold is chosen first (``scripts/eval_nlu.py --split dev --tune``), then
this sweeps ``multilingual_temperature`` (which rescales the Arabic model's confidence)
on ``evaluation/arabic/dev.tsv`` at the thresholds around it, without retraining: the
loaded model's Arabic classifier gets each temperature in turn. The balanced score is
the mean of Arabic and Arabizi in-scope accuracy and off-topic rejection. ``--biases``
sweeps ``multilingual_out_of_scope_bias`` too (each bias a table) and prints, at the
config's threshold, the three figures of every pair.

    python scripts/tune_arabic_temperature.py [--model models/current.tar.gz] [--biases 0 0.5 1]
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import eval_nlu  # noqa: E402
from addons.quiet import quiet_rasa_logs  # noqa: E402
from clinic.nlu.evaluate import arabic_scores, prediction_of  # noqa: E402

TEMPERATURES = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1.0)


def intent_classifier(agent):
    """The loaded model's ClinicIntentClassifier (from Rasa's graph runner)."""
    from addons.nlu.intent_classifier import ClinicIntentClassifier

    nodes = getattr(agent.processor.graph_runner, "_instantiated_nodes", {})
    for node in nodes.values():
        component = getattr(node, "_component", None)
        if isinstance(component, ClinicIntentClassifier):
            return component
    raise SystemExit("no ClinicIntentClassifier in the model's graph")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(eval_nlu.ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--biases", type=float, nargs="*", default=None,
                        help="out_of_scope biases to sweep (default: the model's own)")
    args = parser.parse_args()
    quiet_rasa_logs()
    from rasa.core.agent import Agent

    agent = Agent.load(args.model)
    component = intent_classifier(agent)
    if component._multilingual is None:
        raise SystemExit("the model has no Arabic route (multilingual: false)")
    threshold, ambiguity = eval_nlu.fallback_settings()
    thresholds = sorted({round(threshold + d, 2) for d in (-0.1, -0.05, 0.0, 0.05, 0.1)} - {1.0})
    questions, scripts = eval_nlu.load_arabic("dev")
    loop = asyncio.new_event_loop()
    biases = args.biases if args.biases else [component._multilingual.config.out_of_scope_bias]
    at_threshold = []
    for bias in biases:
        print(f"\nout_of_scope bias {bias:.2f}; config.yml threshold {threshold:.2f}; "
              "balanced score (Arabic, Arabizi, off-topic) on dev")
        print("T      " + "".join(f"{t:>8.2f}" for t in thresholds))
        for temperature in TEMPERATURES:
            component._multilingual.config = dataclasses.replace(
                component._multilingual.config, temperature=temperature, out_of_scope_bias=bias)
            parsed = [prediction_of(loop.run_until_complete(agent.parse_message(q.text))) for q in questions]
            row = []
            for t in thresholds:
                r = arabic_scores(questions, scripts, [p.decided(t, ambiguity) for p in parsed])
                row.append((r["arabic_in_scope_accuracy"] + r["arabizi_in_scope_accuracy"]
                            + r["off_topic_rejection"]) / 3)
                if t == threshold:
                    at_threshold.append((bias, temperature, r))
            print(f"{temperature:<7.2f}" + "".join(f"{b:>8.3f}" for b in row))
    loop.close()
    print(f"\nat the threshold {threshold:.2f}:   bias      T  Arabic  Arabizi  off-topic")
    for bias, temperature, r in at_threshold:
        print(f"{'':24}{bias:>6.2f}{temperature:>7.2f}{r['arabic_in_scope_accuracy']:>8.3f}"
              f"{r['arabizi_in_scope_accuracy']:>9.3f}{r['off_topic_rejection']:>11.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
