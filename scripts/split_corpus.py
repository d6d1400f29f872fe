"""Split collected real questions into train, dev and test, by website.

    python scripts/split_corpus.py corpus/raw/*.tsv
    python scripts/split_corpus.py --train-only corpus/raw/*.tsv

Input: TSV files with columns text, accept, url, kind (rows copied verbatim from
public pages, see evaluation/README.md). A website (registrable domain) goes wholly to
one split, so the same page or site never feeds both training and testing. Websites
already in a split stay there; new ones are assigned, largest first, to the split
furthest below its share (test 40 %, dev 20 %, train 40 % of the rows). A question
whose text (normalised) is in the test split is dropped from dev and train, one in dev
from train, and one already among the training examples of data/ from test and dev. The
real questions of the brief (evaluation/dev_questions.tsv) enter no split.

With --train-only the new rows feed training alone and evaluation/test and evaluation/dev
stay exactly as they are: new websites all go to train, and new rows from a website already
in test or dev are dropped (that website stays out of training, as without the option).

Output: evaluation/test/questions.tsv, evaluation/dev/questions.tsv and
data/nlu/real_questions.yml (training examples, one block per label and page, with the
page's address as metadata). Existing rows of those files are kept.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clinic.nlu.examples import read_examples  # noqa: E402
from clinic.websites import site  # noqa: E402  (re-exported: tests load this script)

ROOT = Path(__file__).resolve().parent.parent
TEST = ROOT / "evaluation" / "test" / "questions.tsv"
DEV = ROOT / "evaluation" / "dev" / "questions.tsv"
TRAIN = ROOT / "data" / "nlu" / "real_questions.yml"
DEV_QUESTIONS = ROOT / "evaluation" / "dev_questions.tsv"  # the brief's real questions: never trained on
SHARES = {"test": 0.40, "dev": 0.20, "train": 0.40}
COLUMNS = ["text", "accept", "url", "kind"]
# out_of_scope is a retrieval intent in training: a plain label is its "other" key
TRAIN_LABEL = {"out_of_scope": "out_of_scope/other"}
# Warning-sign reports are the triage's to catch (clinic/triage, tested on every
# urgent_symptom training example): the few found here are kept for testing only.
NOT_TRAINED = {"urgent_symptom"}

Row = Dict[str, str]


def key(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def read_tsv(path: Path) -> List[Row]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return [dict(row) for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if (row.get("text") or "").strip() and row.get("accept") and row.get("url")]


def reserved_keys(path: Path = DEV_QUESTIONS) -> Set[str]:
    """The normalised texts of the brief's real questions (columns text, accept, topic: no
    url, so not :func:`read_tsv`), which never enter any split. A missing file is an error:
    without it a reserved question could be trained on unnoticed."""
    if not path.is_file():
        raise SystemExit(f"{path} is missing: the brief's real questions must stay out of every split")
    with open(path, newline="", encoding="utf-8") as handle:
        return {key(row["text"]) for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if (row.get("text") or "").strip()}


def read_train(path: Path) -> List[Row]:
    return [{"text": example.text, "accept": example.intent, "url": example.metadata.get("source", ""),
             "kind": example.metadata.get("kind", "")} for example in read_examples(path)]


def clean(text: str) -> str:
    """One line; square brackets would read as Rasa entity markup in training data."""
    return re.sub(r"\s+", " ", text).strip().replace("[", "(").replace("]", ")")


def existing_training_texts() -> Set[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    texts = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        if path != TRAIN:
            texts |= {key(m.get("text") or "") for m in load_data(str(path)).intent_examples}
    return texts


def assign(rows_by_site: Dict[str, List[Row]], known: Dict[str, str]) -> Dict[str, str]:
    counts = Counter({split: 0 for split in SHARES})
    for name, rows in rows_by_site.items():
        if name in known:
            counts[known[name]] += len(rows)
    placement = dict(known)
    for name in sorted((n for n in rows_by_site if n not in known),
                       key=lambda n: (-len(rows_by_site[n]), n)):
        total = sum(counts.values()) + len(rows_by_site[name])
        split = min(SHARES, key=lambda s: (counts[s] + len(rows_by_site[name])) / total - SHARES[s])
        placement[name] = split
        counts[split] += len(rows_by_site[name])
    return placement


def train_only_placement(rows_by_site: Dict[str, List[Row]], known: Dict[str, str]) -> Dict[str, str]:
    """--train-only: websites already placed keep their split; every new one goes to train."""
    return {name: known.get(name, "train") for name in rows_by_site}


def drop_shared(current: Dict[str, List[Row]], ours: Set[str], train_only: bool = False) -> Counter:
    """No text in two splits (test first, then dev, then train); none of test or dev among
    the team's own training examples (``ours``). With ``train_only`` test and dev are left
    as they are and only training rows are dropped. Returns the counts dropped, by reason."""
    dropped: Counter = Counter()
    if not train_only:
        kept_test = [r for r in current["test"] if key(r["text"]) not in ours]
        dropped["test: already a training example"] = len(current["test"]) - len(kept_test)
        current["test"] = kept_test
        test_keys = {key(r["text"]) for r in current["test"]}
        kept_dev = [r for r in current["dev"] if key(r["text"]) not in test_keys | ours]
        dropped["dev: in test or training"] = len(current["dev"]) - len(kept_dev)
        current["dev"] = kept_dev
    evaluated = {key(r["text"]) for r in current["test"] + current["dev"]}
    kept_train = [r for r in current["train"] if key(r["text"]) not in evaluated]
    dropped["train: in test or dev"] = len(current["train"]) - len(kept_train)
    current["train"] = kept_train
    return dropped


def write_tsv(path: Path, rows: Iterable[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter="\t", quoting=csv.QUOTE_NONE,
                                quotechar=None, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_train(path: Path, rows: List[Row]) -> None:
    blocks: Dict[Tuple[str, str], List[str]] = defaultdict(list)
    for row in rows:
        label = row["accept"].split("|")[0]
        if label in NOT_TRAINED:
            continue
        blocks[(TRAIN_LABEL.get(label, label), row["url"])].append(row["text"])
    lines = ['version: "3.1"', "",
             "# Real questions written by people outside the team, copied verbatim from public pages",
             "# (the page is each block's metadata). Generated by scripts/split_corpus.py from the",
             "# train split: websites in evaluation/test or evaluation/dev never appear here.",
             "nlu:"]
    for (label, url), texts in sorted(blocks.items()):
        lines += [f"  - intent: {label}", "    metadata:", f"      source: {json_str(url)}",
                  "    examples: |"]
        lines += [f"      - {text}" for text in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def json_str(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path)
    parser.add_argument("--train-only", action="store_true",
                        help="new rows go to training only; test and dev are left unchanged")
    args = parser.parse_args()

    current = {"test": read_tsv(TEST), "dev": read_tsv(DEV), "train": read_train(TRAIN)}
    known = {site(r["url"]): split for split, rows in current.items() for r in rows}
    new_rows = [r for path in args.inputs for r in read_tsv(path)]
    for row in new_rows:
        row["text"] = clean(row["text"])
    reserved = reserved_keys(DEV_QUESTIONS)
    seen = {key(r["text"]) for rows in current.values() for r in rows}
    fresh = []
    for row in new_rows:
        k = key(row["text"])
        if k and k not in seen and k not in reserved:
            seen.add(k)
            fresh.append(row)

    by_site: Dict[str, List[Row]] = defaultdict(list)
    for row in fresh:
        by_site[site(row["url"])].append(row)
    placement = train_only_placement(by_site, known) if args.train_only else assign(by_site, known)
    dropped: Counter = Counter()
    for row in fresh:
        split = placement[site(row["url"])]
        if args.train_only and split != "train":
            dropped["new row on a test or dev website"] += 1
            continue
        current[split].append(row)

    dropped.update(drop_shared(current, existing_training_texts(), args.train_only))
    if not args.train_only:
        write_tsv(TEST, current["test"])
        write_tsv(DEV, current["dev"])
    write_train(TRAIN, current["train"])
    for split, rows in current.items():
        sites = {site(r["url"]) for r in rows}
        in_scope = sum(1 for r in rows if not r["accept"].startswith("out_of_scope"))
        print(f"{split:5}: {len(rows):4} rows ({in_scope} in scope) from {len(sites)} websites")
    for reason, count in dropped.items():
        print(f"dropped, {reason}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
