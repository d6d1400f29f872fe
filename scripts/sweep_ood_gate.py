"""Sweep an out-of-domain gate beside the fallback threshold, on the dev split only.

    python scripts/sweep_ood_gate.py                     # models/current.tar.gz
    python scripts/sweep_ood_gate.py --model models/X.tar.gz --show-misses

The experiment of issue 13 (understanding): decline a message when the fallback says so
(top intent's confidence below ``t``, or the top two closer than the ambiguity
threshold), OR when its all-MiniLM-L6-v2 embedding is far from every in-domain training
example: the best cosine similarity to the examples whose label is not ``out_of_scope*``
is below ``s_min`` (optionally also: that similarity minus the best similarity to an
``out_of_scope*`` example is below ``margin``). Booking references, phone numbers and the
name a message gives (:func:`gate_text`) are masked on both sides first, so a name in
the training data never makes a message look in-domain. The gate reads only messages
the English model reads (Arabic and Arabizi go to the multilingual model) and never
touches a message whose top intent is already ``out_of_scope``.

The served pipeline (rasa Agent: classifier, fallback, message guard, triage) parses
every row once; the embeddings are computed once; the grid is then read off.
Rows: ``evaluation/dev/questions.tsv`` (in scope and off-topic),
``evaluation/dev/off_domain.tsv`` (SNIPS, MultiDoGO, NLU++: per source too),
``evaluation/dev_questions.tsv`` (must stay >= 55/61), and the short messages the
dialogue needs (the user turns of ``tests/test_stories.yml`` with their intents, and
the typed turns of ``tests/conversations/*.yml``: slot answers such as names, numbers,
times, "yes"), which the gate must not decline.

Selection rule (written before the sweep): the (t, s_min) that answers most dev in-scope
questions right with dev off-topic rejection >= 0.87, dev off-domain rejection >= 0.97
and dev_questions >= 55/61; of equals, the lowest s_min, then the lowest t. The gate
would be adopted only for a clear win: >= +3 points in scope served at equal or better
rejection than the current point (t=0.85, no gate). The test split is never read.

Result (2026-12-05, models/current.tar.gz, dev only; not adopted). Current point: in scope
0.753, off-topic 0.859, off-domain 0.958 (SNIPS 0.985, MultiDoGO 0.993, NLU++ banking
0.943, NLU++ hotels 0.860), dev_questions 55/61: it is itself under the rule's off-domain
floor. The gate as specified (best similarity to any in-domain example, ``inside``) meets
the floors only at s_min 0.575, t 0.80: in scope 0.763 (+3 rows), off-topic 0.872,
off-domain 0.971. With the extra signals (``top3``, ``own``, margins) the rule's best is
top3, s_min 0.55, margin 0, t 0.70: in scope 0.781 (+8 rows, 95 % CI +0.000 to +0.057),
off-topic 0.885, off-domain 0.970 (NLU++ hotels 0.870): under the +3 points asked,
found in a grid of about 2,500 settings, and it declines lone names typed as slot
answers ("Divya Ramesh": best similarity 0.44-0.65), which the threshold alone keeps.
What the gate buys is mostly SNIPS and MultiDoGO going to 1.000; on NLU++, the most
test-like source, it gains 1-2 points.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from addons.quiet import quiet_rasa_logs  # noqa: E402
from clinic.nlu.evaluate import Prediction, is_right, paired_bootstrap, prediction_of, read_questions  # noqa: E402
from clinic.nlu.labels import DECLINED, contract_label  # noqa: E402

EVALUATION = ROOT / "evaluation"
AMBIGUITY = 0.05
THRESHOLDS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85]
S_MINS = [None] + [round(0.30 + 0.025 * i, 3) for i in range(17)]  # 0.30 .. 0.70
MARGINS = [None, -0.10, -0.05, 0.0, 0.05, 0.10]
# which similarity s_min reads: to any in-domain example, or to the top intent's examples
# (``top3``: the mean of the three best similarities to in-domain examples)
SIGNALS = ("inside", "own", "top3")
FLOORS = {"off_topic": 0.87, "off_domain": 0.97, "dev_questions": 55 / 61}
URGENT = "urgent_symptom"


def gate_text(text: str) -> str:
    """``text`` as the gate embeds it: booking references, phone numbers and the name the
    message gives replaced by the same words for everyone (then cut like the classifier's)."""
    from clinic.booking.request import find_name, find_phones
    from clinic.nlu.classifier import MAX_CHARS, mask_references

    text = mask_references(text)
    phones = find_phones(text)
    name = find_name(text, phones)
    for _, start, end in sorted(phones, key=lambda f: -f[1]):
        text = text[:start] + "phone number" + text[end:]
    # one word is not taken for a name ("can i reschedule? my number is 050...": the rule
    # for words next to a number would read "Reschedule")
    if name and len(name.split()) >= 2:
        text = re.sub(r"\b" + r"\s+".join(map(re.escape, name.split())) + r"\b", "name", text,
                      flags=re.IGNORECASE)
    return text[:MAX_CHARS]


def story_messages() -> List[Tuple[str, str]]:
    """(text, intent) of every user turn of tests/test_stories.yml."""
    import yaml

    stories = yaml.safe_load((ROOT / "tests" / "test_stories.yml").read_text())["stories"]
    return [(step["user"].strip(), step["intent"]) for story in stories for step in story["steps"]
            if "user" in step and "intent" in step]


# tests/conversations/README.md: what the runner types for a placeholder (the seeded
# booking's values); turns of other placeholders ({pick_time}: a button) are left out
PLACEHOLDERS = {"reference": "NS-7K3W", "reference_lower": "ns-7k3w", "reference_spaced": "NS 7K3W",
                "seed_day": "tuesday", "consent": "yes thats fine"}


def conversation_turns() -> List[str]:
    """The typed user turns of tests/conversations/*.yml, placeholders filled in as the
    runner types them (a button's turn left out)."""
    import yaml

    turns: List[str] = []
    for path in sorted((ROOT / "tests" / "conversations").rglob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        for conversation in data.get("conversations") or []:
            for turn in conversation.get("turns") or []:
                text = turn.get("user") if isinstance(turn, dict) else None
                if not isinstance(text, str):
                    continue
                names = re.findall(r"\{(\w+)\}", text)
                if any(n not in PLACEHOLDERS for n in names):
                    continue
                for n in names:
                    text = text.replace("{" + n + "}", PLACEHOLDERS[n])
                if text.strip():
                    turns.append(text.strip())
    return sorted(set(turns))


@dataclass(frozen=True)
class Row:
    """One message as the served pipeline read it, and its gate similarities."""

    prediction: Prediction
    served: str            # the label served at the model's own settings (config.yml)
    english: bool          # read by the English model (the gate applies)
    inside: float          # best cosine similarity to an in-domain example
    outside: float         # best cosine similarity to an out_of_scope example
    own: float             # best cosine similarity to an example of the top intent
    top3: float            # mean of the three best similarities to in-domain examples


def decide(row: Row, t: float, s_min: Optional[float], margin: Optional[float],
           signal: str = "inside") -> str:
    """The label under fallback threshold ``t`` and the gate (``None``: that part off);
    ``signal``: which similarity ``s_min`` reads (``inside`` or ``own``)."""
    p = row.prediction
    if p.forced or p.classifier == DECLINED:
        return DECLINED
    if row.served == URGENT and p.classifier != URGENT:
        return URGENT  # the triage overrules whatever the classifier and fallback said
    if row.english:
        if s_min is not None and getattr(row, signal) < s_min:
            return DECLINED
        if margin is not None and row.inside - row.outside < margin:
            return DECLINED
    if p.confidence < t or p.confidence - p.runner_up < AMBIGUITY:
        return DECLINED
    return p.classifier


def parse_all(model: Path, texts: Sequence[str]) -> List[Dict]:
    from rasa.core.agent import Agent

    from addons import speedups

    speedups.install()
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    try:
        return [loop.run_until_complete(agent.parse_message(t)) for t in texts]
    finally:
        loop.close()


def training_examples() -> Tuple[List[str], List[str]]:
    from scripts.eval_nlu import training_examples as read

    return read()


def is_english(text: str) -> bool:
    from addons.nlu.intent_classifier import MULTILINGUAL, ClinicIntentClassifier

    route = ClinicIntentClassifier._route(SimpleNamespace(_arabizi=MULTILINGUAL), text, True)  # type: ignore[arg-type]
    return route != MULTILINGUAL


def embed(texts: Sequence[str]) -> np.ndarray:
    from clinic.nlu.embedding_cache import cached
    from addons.nlu.intent_classifier import _embed, _encoder_fingerprint

    return np.asarray(cached(_embed, _encoder_fingerprint)(list(texts)), dtype=np.float32)


def rate(labels: Sequence[str]) -> float:
    return sum(contract_label(x) == DECLINED for x in labels) / max(len(labels), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--show-misses", action="store_true",
                        help="print the dev in-scope rows and short messages the chosen gate declines")
    parser.add_argument("--no-mask", action="store_true", help="embed texts as the classifier does")
    parser.add_argument("--all", action="store_true", help="print the whole grid")
    args = parser.parse_args()
    quiet_rasa_logs()
    warnings.simplefilter("ignore")

    questions = read_questions(EVALUATION / "dev" / "questions.tsv")
    off_domain = read_questions(EVALUATION / "dev" / "off_domain.tsv")
    dev_questions = read_questions(EVALUATION / "dev_questions.tsv")
    stories = story_messages()
    turns = conversation_turns()
    import csv

    with open(EVALUATION / "dev" / "off_domain.tsv", newline="", encoding="utf-8") as handle:
        sources = [r["dataset"] for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    groups: Dict[str, List[str]] = {
        "questions": [q.text for q in questions], "off_domain": [q.text for q in off_domain],
        "dev_questions": [q.text for q in dev_questions], "stories": [s for s, _ in stories],
        "turns": turns}
    texts = [t for g in groups.values() for t in g]
    print(f"==> parsing {len(texts)} messages with {args.model}", flush=True)
    parses = parse_all(Path(args.model), texts)

    def mask(text: str) -> str:
        return text if args.no_mask else gate_text(text)

    from clinic.nlu.classifier import TextClassifier

    train_texts, train_labels = training_examples()
    english_train = [i for i, t in enumerate(train_texts) if is_english(t)]
    inside_idx = [i for i in english_train if contract_label(train_labels[i]) != DECLINED]
    outside_idx = [i for i in english_train if contract_label(train_labels[i]) == DECLINED]
    print(f"==> embedding {len(inside_idx)} in-domain and {len(outside_idx)} out-of-scope examples",
          flush=True)
    def prep(batch: Sequence[str]) -> List[str]:
        return TextClassifier.encoder_inputs([mask(t) for t in batch])

    inside_vectors = embed(prep([train_texts[i] for i in inside_idx]))
    outside_vectors = embed(prep([train_texts[i] for i in outside_idx]))
    vectors = embed(prep(texts))
    similarity = vectors @ inside_vectors.T
    inside = similarity.max(axis=1)
    top3 = np.sort(np.partition(similarity, -3, axis=1)[:, -3:], axis=1).mean(axis=1)
    outside = (vectors @ outside_vectors.T).max(axis=1)
    intents = sorted({train_labels[i].partition("/")[0] for i in inside_idx})
    of_intent = {name: np.array([j for j, i in enumerate(inside_idx)
                                 if train_labels[i].partition("/")[0] == name]) for name in intents}

    rows: Dict[str, List[Row]] = {}
    k = 0
    for name, group in groups.items():
        rows[name] = []
        for text in group:
            parse = parses[k]
            p = prediction_of(parse)
            top = p.classifier.partition("/")[0]
            own = float(similarity[k, of_intent[top]].max()) if top in of_intent else 0.0
            # a button payload ("/affirm") never reaches the NLU pipeline: no gate
            english = is_english(text) and not text.startswith("/")
            rows[name].append(Row(p, p.label, english, float(inside[k]), float(outside[k]), own,
                                  float(top3[k])))
            k += 1

    in_scope = [(q, r) for q, r in zip(questions, rows["questions"], strict=True) if q.in_scope]
    off_topic = [r for q, r in zip(questions, rows["questions"], strict=True) if not q.in_scope]
    by_source: Dict[str, List[Row]] = {}
    for source, r in zip(sources, rows["off_domain"], strict=True):
        by_source.setdefault(source, []).append(r)

    Key = Tuple[float, Optional[float], Optional[float], str]

    def figures(key: Key) -> Dict[str, float]:
        def d(r: Row) -> str:
            return decide(r, *key)

        result = {
            "in_scope": sum(is_right(q, d(r)) for q, r in in_scope) / len(in_scope),
            "off_topic": rate([d(r) for r in off_topic]),
            "off_domain": rate([d(r) for r in rows["off_domain"]]),
            "dev_questions": sum(is_right(q, d(r)) for q, r in
                                 zip(dev_questions, rows["dev_questions"], strict=True)) / len(dev_questions),
            "stories": sum(contract_label(d(r)) == contract_label(intent)
                           for (_, intent), r in zip(stories, rows["stories"], strict=True)) / len(stories),
            "turns_declined": rate([d(r) for r in rows["turns"]]),
        }
        for source, group in by_source.items():
            result[source] = rate([d(r) for r in group])
        return result

    served = [is_right(q, r.served) for q, r in in_scope]
    print(f"\nserved as parsed (config.yml): in scope {sum(served) / len(served):.3f}, "
          f"off-topic {rate([r.served for r in off_topic]):.3f}, "
          f"off-domain {rate([r.served for r in rows['off_domain']]):.3f}")
    print(f"rows: {len(in_scope)} in scope, {len(off_topic)} off-topic, {len(rows['off_domain'])} off-domain, "
          f"{len(dev_questions)} dev_questions, {len(stories)} story turns, {len(turns)} conversation turns")
    header = (f"{'t':>5}{'signal':>7}{'s_min':>7}{'margin':>8}{'in scope':>10}{'off-top':>9}{'off-dom':>9}"
              f"{'dev_q':>7}{'stories':>9}{'turns-':>8}  " + "  ".join(f"{s[:12]:>12}" for s in by_source))

    def line(key: Key, f: Dict[str, float], mark: str = "") -> str:
        t, s, m, signal = key
        return (f"{t:>5.2f}{signal if s is not None else '-':>7}{'-' if s is None else f'{s:.3f}':>7}"
                f"{'-' if m is None else f'{m:+.2f}':>8}"
                f"{f['in_scope']:>10.3f}{f['off_topic']:>9.3f}{f['off_domain']:>9.3f}"
                f"{f['dev_questions'] * len(dev_questions):>7.0f}{f['stories']:>9.3f}{f['turns_declined']:>8.3f}  "
                + "  ".join(f"{f[s_]:>12.3f}" for s_ in by_source) + mark)

    grid: List[Key] = [(t, s, m, signal) for signal in SIGNALS for m in MARGINS for s in S_MINS
                       for t in THRESHOLDS if not (s is None and signal != SIGNALS[0])]
    results = {key: figures(key) for key in grid}
    current: Key = (0.85, None, None, SIGNALS[0])
    now = results[current]

    def meets_floors(f: Dict[str, float]) -> bool:
        return (f["off_topic"] >= FLOORS["off_topic"] - 1e-9 and f["off_domain"] >= FLOORS["off_domain"] - 1e-9
                and f["dev_questions"] >= FLOORS["dev_questions"] - 1e-9)

    def as_good_as_now(f: Dict[str, float]) -> bool:
        return (f["off_topic"] >= now["off_topic"] - 1e-9 and f["off_domain"] >= now["off_domain"] - 1e-9
                and f["dev_questions"] >= FLOORS["dev_questions"] - 1e-9)

    def order(key: Key) -> Tuple[float, float, float]:
        return (-results[key]["in_scope"], key[1] if key[1] is not None else 0.0, key[0])

    print("\ncurrent operating point (t=0.85, no gate):")
    print(header)
    print(line(current, now))
    print("\nthreshold alone:")
    print(header)
    for t in THRESHOLDS:
        alone: Key = (t, None, None, SIGNALS[0])
        print(line(alone, results[alone], "  floors met" if meets_floors(results[alone]) else ""))
    for title, test in [(f"the rule's floors (off-topic >= {FLOORS['off_topic']}, off-domain >= "
                         f"{FLOORS['off_domain']}, dev_questions >= 55/61)", meets_floors),
                        ("rejection equal or better than the current point's", as_good_as_now)]:
        for signal in SIGNALS:
            for m in MARGINS:
                ranked = sorted((key for key in grid if key[2] == m and key[3] == signal and test(results[key])),
                                key=order)
                print(f"\n{title}; signal {signal}, margin {m}: best in scope first (top 5 of {len(ranked)})")
                print(header)
                for key in ranked[:5]:
                    print(line(key, results[key]))
    if args.all:
        print("\nthe whole grid:")
        print(header)
        for key in grid:
            print(line(key, results[key]))

    for title, test in [("the rule", meets_floors), ("equal or better rejection", as_good_as_now)]:
        allowed = [key for key in grid if test(results[key])]
        best = min(allowed, key=order, default=None)
        print(f"\nchosen by {title}: {best}")
        if best is None:
            continue
        print(header)
        print(line(best, results[best]))
        print(line(current, now, "  (current)"))
        diff, low, high = paired_bootstrap([q for q, _ in in_scope], [decide(r, *best) for _, r in in_scope],
                                           [decide(r, *current) for _, r in in_scope])
        print(f"in scope served, difference against the current point: {diff:+.3f} "
              f"({diff * len(in_scope):+.0f} rows), 95 % CI {low:+.3f} to {high:+.3f}")
        if args.show_misses:
            print("\nin-scope rows the gate (not the threshold) declines at that setting:")
            for q, r in in_scope:
                if decide(r, *best) == DECLINED and decide(r, best[0], None, None) != DECLINED:
                    print(f"  {r.inside:.3f} {r.own:.3f} {'|'.join(q.accept):30} {q.text[:90]}")
            print("\nstory turns changed at that setting:")
            for (text, intent), r in zip(stories, rows["stories"], strict=True):
                got = decide(r, *best)
                if contract_label(got) != contract_label(intent):
                    print(f"  {r.inside:.3f} {intent:24} -> {got:24} {text[:70]}")
            print("\nconversation turns the gate (not the threshold) declines at that setting:")
            for text, r in zip(turns, rows["turns"], strict=True):
                if decide(r, *best) == DECLINED and decide(r, best[0], None, None) != DECLINED:
                    print(f"  {r.inside:.3f} {r.own:.3f} {text[:70]}  (masked: {mask(text)[:50]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
