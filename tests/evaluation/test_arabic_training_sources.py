"""The real Arabic training questions (data/nlu/arabic_real.yml) keep the promise of
evaluation/arabic/README.md: every block names the page it came from, and no page is on a
website of the Arabic evaluation sets (dev, test, or 'looked at, no rows taken')."""
import csv
import importlib.util
import re

from tests.conftest import ROOT, load_yaml

REAL = ROOT / "data" / "nlu" / "arabic_real.yml"
ARABIC = ROOT / "evaluation" / "arabic"

spec = importlib.util.spec_from_file_location("split_corpus", ROOT / "scripts" / "split_corpus.py")
split_corpus = importlib.util.module_from_spec(spec)
spec.loader.exec_module(split_corpus)


def evaluation_sites():
    """Registrable domains of both splits' urls (the url column only) and of the README's lists."""
    sites = set()
    for split in ("dev", "test"):
        with open(ARABIC / f"{split}.tsv", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["kind"] != "dataset":
                    sites.add(split_corpus.site(row["url"]))
    readme = (ARABIC / "README.md").read_text(encoding="utf-8")
    websites = readme.split("## Websites", 1)[1].split("## Off-topic datasets", 1)[0]
    sites |= {split_corpus.site(d) for d in re.findall(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\b", websites)}
    return sites


def blocks():
    return [b for b in load_yaml(REAL).get("nlu") or [] if "intent" in b]


def test_every_block_names_its_page():
    for block in blocks():
        source = (block.get("metadata") or {}).get("source") or ""
        assert source.startswith(("http://", "https://")), block["intent"]


def test_no_training_page_is_on_an_evaluation_website():
    banned = evaluation_sites()
    assert {"islamweb.net", "ruli.com", "mawdoo3.com"} <= banned  # the lists were read
    offending = sorted({split_corpus.site(b["metadata"]["source"]) for b in blocks()} & banned)
    assert offending == [], offending
