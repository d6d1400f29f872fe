"""Faster, behaviour-preserving replacements for hot spots of Rasa 3.6, installed at start.

``python -m addons.rasa_cli`` (what ``addons.rasa_server`` runs, and every Rasa command
here) installs them through :func:`addons.compat.startup`, which first checks that the
installed Rasa still has what each replacement needs; in-process users (the bench's and
``scripts/eval_nlu.py``'s parses) call :func:`install`. Each replacement is registered in
:mod:`addons.compat` (the Rasa member it replaces, with its expected signature), measured
in ``make bench`` (docs/performance.md, "Measured performance") and tested to give the same result as
the code it replaces (``tests/addons/speedups/``). Only places Rasa offers no hook for are
replaced here; everything Rasa lets us configure (tracker store, policies, NLU
components) is a component named in ``config.yml`` or ``endpoints.yml`` instead.
"""
from __future__ import annotations

NAMES = ("action_response", "gc_freeze", "graph_runner", "training_cache")


def install() -> None:
    """Check the installed Rasa and install every replacement (each once per process);
    ``addons.compat.RasaIncompatible`` on a mismatch, nothing with ``CLINIC_RASA_PATCHES=off``."""
    from addons import compat

    compat.startup(*NAMES)


def uninstall() -> None:
    """Rasa's own code again for every replacement."""
    from addons import compat

    compat.uninstall(*NAMES)
