"""Rasa's command line with the clinic's speed-ups installed: ``python -m addons.rasa_cli run ...``.

The same as the ``rasa`` command (same arguments, same behaviour), except that
:func:`addons.speedups.install` runs first. ``addons.rasa_server`` starts the server
through it.
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
