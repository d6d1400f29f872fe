"""Rasa's command line with the clinic's speed-ups installed: ``python -m addons.rasa_cli run ...``.

The same as the ``rasa`` command (same arguments, same behaviour), except that
:func:`addons.speedups.install` runs first. ``addons.rasa_server`` starts the server
through it, and every other Rasa command we run goes through it too (the Makefile's
``$(RASA)``, ``scripts/ensure_model.py``, the held-out check and the bench), so that
what is trained and tested is what is served.
"""
from __future__ import annotations

import sys

from addons import speedups


def main() -> None:
    speedups.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
