"""Faster, behaviour-preserving replacements for hot spots of Rasa 3.6, installed at start.

``python -m addons.rasa_cli`` (what ``addons.rasa_server`` runs) calls :func:`install`
before Rasa starts. Each replacement is measured in ``make bench`` (README, "Measured
performance") and tested to give the same result as the code it replaces
(``tests/addons/speedups/``). Only places Rasa offers no hook for are replaced here;
everything Rasa lets us configure (tracker store, policies, NLU components) is a
component named in ``config.yml`` or ``endpoints.yml`` instead.
"""
from __future__ import annotations

from addons.speedups import action_response, gc_freeze, graph_runner, training_cache

_installed = False


def install() -> None:
    """Install every replacement once per process."""
    global _installed
    if _installed:
        return
    action_response.install()
    gc_freeze.install()
    graph_runner.install()
    training_cache.install()
    _installed = True
