"""Rasa's command line with the clinic's patches installed: ``python -m addons.rasa_cli run ...``.

The same as the ``rasa`` command (same arguments, same behaviour), except that
:func:`addons.compat.startup` runs first: it checks that the installed Rasa is the one the
clinic's patches were written for (refusing to start, with a message naming the patch,
when it is not) and installs them: the speed-ups (:mod:`addons.speedups`) and the bounded
parse (:mod:`addons.nlu.bounded_parse`: bounded text, NLU off the event loop). With
``CLINIC_RASA_PATCHES=off`` Rasa's own code runs instead. ``run --enable-api`` without
``--auth-token`` takes the token from the environment: ``RASA_AUTH_TOKEN``, or the file
named by ``RASA_AUTH_TOKEN_FILE`` (so it never appears in the process list).
``addons.rasa_server`` starts the server through it, and every other Rasa command we
run goes through it too (the Makefile's ``$(RASA)``, ``scripts/ensure_model.py``, the
held-out check and the bench), so that what is trained and tested is what is served.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Callable, List, Mapping, Optional

from addons import compat
from clinic import config_schema

TOKEN_ENV = "RASA_AUTH_TOKEN"
TOKEN_FILE_ENV = "RASA_AUTH_TOKEN_FILE"
EXIT_INCOMPATIBLE = 3
# what every Rasa command gets (the API token's patch only when a token is passed)
STARTUP_PATCHES = ("action_response", "gc_freeze", "graph_runner", "training_cache", "bounded_parse",
                   "rule_policy_states", "tracker_store_io")

_token: Optional[str] = None
_rasa_run: Optional[Callable[[argparse.Namespace], Any]] = None  # Rasa's ``rasa.cli.run.run``


def token_from_env(env: Mapping[str, str]) -> Optional[str]:
    """The API token from ``RASA_AUTH_TOKEN_FILE`` (a file holding it) or ``RASA_AUTH_TOKEN``."""
    if env.get(TOKEN_FILE_ENV):
        return Path(env[TOKEN_FILE_ENV]).read_text(encoding="utf-8").strip() or None
    return env.get(TOKEN_ENV) or None


def wants_env_token(argv: List[str]) -> bool:
    """``rasa run --enable-api`` without a token on the command line."""
    return (len(argv) > 1 and argv[1] == "run" and "--enable-api" in argv
            and not any(a == "--auth-token" or a.startswith("--auth-token=") for a in argv))


def run_with_token(args: argparse.Namespace) -> Any:
    """``rasa.cli.run.run`` with the token of :func:`pass_token_in_process` when none was given
    (the parser's ``func`` default is that module attribute)."""
    if not getattr(args, "auth_token", None):
        args.auth_token = _token
    assert _rasa_run is not None, "installed through addons.compat"
    return _rasa_run(args)


def pass_token_in_process(token: str) -> None:
    """Give ``rasa run`` the token as if ``--auth-token`` had been given, without putting it
    in ``argv`` (``/proc/<pid>/cmdline`` is readable by every user of the machine)."""
    global _token
    _token = token
    # Run as ``python -m addons.rasa_cli`` this module is ``__main__``, while the patch
    # installs ``addons.rasa_cli.run_with_token`` from the imported module: the token must be
    # there too, or ``rasa run --enable-api`` would serve the API without one.
    import addons.rasa_cli as imported

    imported._token = token
    compat.install("cli_auth_token")


def main() -> None:
    try:
        compat.startup(*STARTUP_PATCHES)
    except compat.RasaIncompatible as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(EXIT_INCOMPATIBLE)
    config_schema.fill_endpoint_variables(os.environ)  # ${ACTION_SERVER_URL} in endpoints.yml
    if wants_env_token(sys.argv):
        token = token_from_env(os.environ)
        if token:
            pass_token_in_process(token)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
