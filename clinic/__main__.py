"""Clinic command line: ``python -m clinic <command>``.

Each feature package adds its own commands in its ``cli.py`` through
``register(commands)``, where ``commands`` is the argparse sub-parser collection; a
command sets ``func`` (called with the parsed arguments, returns the exit code).
"""
from __future__ import annotations

import argparse
import importlib
import sys

from clinic.settings import ensure_env_file

COMMAND_MODULES = ("clinic.booking.cli", "clinic.handoff.cli", "clinic.privacy.cli", "clinic.aftercare.cli")


def _init_env(_args) -> int:
    if ensure_env_file():
        print("==> wrote new secrets to .env (git-ignored)")
    return 0


def _migrate(_args) -> int:
    from clinic.migrate import upgrade

    upgrade()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m clinic", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init-env", help="create .env with generated secrets if it is missing any").set_defaults(
        func=_init_env
    )
    commands.add_parser("migrate", help="bring the clinic database to the newest schema").set_defaults(
        func=_migrate
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
