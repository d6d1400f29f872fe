"""Rasa's command line with the clinic's speed-ups installed: ``python -m addons.rasa_cli run ...``.

The same as the ``rasa`` command (same arguments, same behaviour), except that
:func:`addons.speedups.install` and :func:`addons.nlu.bounded_parse.install` (bounded
text, NLU off the event loop) run first, and that ``run --enable-api`` without
``--auth-token`` takes the token from the environment: ``RASA_AUTH_TOKEN``, or the file
named by ``RASA_AUTH_TOKEN_FILE`` (so it never appears in the process list).
``addons.rasa_server`` starts the server through it, and every other Rasa command we
run goes through it too (the Makefile's
``$(RASA)``, ``scripts/ensure_model.py``, the held-out check and the bench), so that
what is trained and tested is what is served.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Mapping, Optional

from addons import speedups

TOKEN_ENV = "RASA_AUTH_TOKEN"
TOKEN_FILE_ENV = "RASA_AUTH_TOKEN_FILE"


def token_from_env(env: Mapping[str, str]) -> Optional[str]:
    """The API token from ``RASA_AUTH_TOKEN_FILE`` (a file holding it) or ``RASA_AUTH_TOKEN``."""
    if env.get(TOKEN_FILE_ENV):
        return Path(env[TOKEN_FILE_ENV]).read_text(encoding="utf-8").strip() or None
    return env.get(TOKEN_ENV) or None


def wants_env_token(argv: List[str]) -> bool:
    """``rasa run --enable-api`` without a token on the command line."""
    return (len(argv) > 1 and argv[1] == "run" and "--enable-api" in argv
            and not any(a == "--auth-token" or a.startswith("--auth-token=") for a in argv))


def pass_token_in_process(token: str) -> None:
    """Give ``rasa run`` the token as if ``--auth-token`` had been given, without putting it
    in ``argv`` (``/proc/<pid>/cmdline`` is readable by every user of the machine)."""
    import rasa.cli.run

    run = rasa.cli.run.run

    def run_with_token(args):  # the parser's ``func`` default is this module attribute
        if not getattr(args, "auth_token", None):
            args.auth_token = token
        return run(args)

    rasa.cli.run.run = run_with_token


def main() -> None:
    speedups.install()
    from addons.nlu import bounded_parse

    bounded_parse.install()
    if wants_env_token(sys.argv):
        token = token_from_env(os.environ)
        if token:
            pass_token_in_process(token)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
