"""``python -m ops run``: the production topology in the foreground (``make run-prod``).

Uses the PostgreSQL and Redis already running on this machine (``PROD_DATABASE_URL``,
default ``postgresql://postgres@127.0.0.1:5432/clinic_prod``; ``PROD_REDIS_URL``, default
``redis://127.0.0.1:6379``) and says how to start them when they are not. Ctrl-C stops
everything (supervisord stops its programs).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import List, Optional

from clinic import config_schema as schema
from clinic.settings import PROJECT_ROOT, SettingsError, get_settings
from ops.services import ServiceMissing, check_redis, ensure_postgres_database, haproxy_binary
from ops.stack import StackError, prepare, supervisord_command
from ops.topology import Topology


def run(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run"])
    parser.parse_args(argv)
    try:
        get_settings()  # loads .env (tokens) into the environment, and checks it (clinic/config_schema.py)
    except SettingsError as error:
        print(f"run-prod: {error}", file=sys.stderr)
        return 2
    topology = Topology(database_url=schema.read("PROD_DATABASE_URL", os.environ),
                        redis_url=schema.read("PROD_REDIS_URL", os.environ))
    try:
        haproxy = haproxy_binary()
        ensure_postgres_database(topology.database_url)
        check_redis(topology.redis_url)
        env = prepare(topology, os.environ, haproxy)
    except (ServiceMissing, StackError) as error:
        print(f"run-prod: {error}", file=sys.stderr)
        return 2
    subprocess.run([sys.executable, "-m", "clinic", "demo-staff"], cwd=PROJECT_ROOT, env=env, check=False)
    t = topology
    print(f"""
  Production topology (logs: {t.run_dir}/*.log)
  Public entry (HAProxy):   {t.public_url}/webhooks/rest/webhook  and  /socket.io
  Rasa HTTP API (private):  {t.api_url}/  (?token=RASA_AUTH_TOKEN from .env)
  Rasa processes:           {t.rasa_url(0)}  {t.rasa_url(1)}
  Action servers (via :{t.actions_port}): {t.action_url(0)}  {t.action_url(1)}
  Staff console:            {t.web_url}/console
  Stores:                   {t.database_url.split('@')[-1]}  and  {env['REDIS_URL']} (locks), \
{env['SOCKETIO_REDIS_URL']} (socket.io)
  Status: .venv/bin/supervisorctl -c deploy/supervisord.conf status   (with this environment)
  Stop with Ctrl-C.
""", flush=True)
    command = supervisord_command(topology)
    os.execve(command[0], command, env)
    return 0  # pragma: no cover - execve does not return


if __name__ == "__main__":
    sys.exit(run())
