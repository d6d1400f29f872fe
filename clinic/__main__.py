"""Clinic command line: ``python -m clinic <command>``."""
from __future__ import annotations

import argparse
import sys

from clinic.settings import ensure_env_file


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clinic", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init-env", help="create .env with generated secrets if it is missing any")
    args = parser.parse_args(argv)

    if args.command == "init-env":
        if ensure_env_file():
            print("==> wrote new secrets to .env (git-ignored)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
