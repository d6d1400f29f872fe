"""What listens where in the production topology, and the checks of its services."""
from __future__ import annotations

import os
import subprocess

import pytest

from ops.services import ServiceMissing, check_redis, ensure_postgres_database, haproxy_binary
from ops.topology import Topology, free_ports, on_free_ports


def test_the_environment_wires_the_proxy_the_processes_and_the_stores():
    t = Topology(database_url="postgresql://postgres@127.0.0.1:5432/x", redis_url="redis://127.0.0.1:6379/")
    env = t.env("/usr/sbin/haproxy")
    assert env["RASA_1"] == "127.0.0.1:5011" and env["RASA_2"] == "127.0.0.1:5012"
    assert env["ACTION_SERVER_URL"] == "http://127.0.0.1:5055/webhook"  # through the proxy
    assert env["RASA_URL"] == "http://127.0.0.1:5006"  # the console uses the private API entry
    assert env["WIDGET_SOCKET_URL"] == "http://127.0.0.1:5005"  # browsers use the public one
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/1" and env["SOCKETIO_REDIS_URL"] == "redis://127.0.0.1:6379/2"
    assert env["DATABASE_URL"] == env["TRACKER_DATABASE_URL"] == t.database_url


def test_free_ports_are_distinct_and_avoid_the_fixed_ones():
    ports = free_ports(8)
    assert len(set(ports)) == 8 and not {5005, 5006, 5055, 8000} & set(ports)
    t = on_free_ports()
    assert len({t.proxy_port, t.api_port, *t.rasa_ports, t.actions_port, *t.action_ports, t.web_port}) == 8


def test_the_haproxy_configuration_is_valid_for_these_addresses(tmp_path):
    try:
        binary = haproxy_binary()
    except ServiceMissing as error:
        if os.environ.get("CI"):
            pytest.fail(str(error))
        pytest.skip(str(error))
    t = on_free_ports(run_dir=tmp_path)
    result = subprocess.run([binary, "-c", "-f", "deploy/haproxy.cfg"], env=t.env(binary),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unreachable_postgres_says_how_to_start_it():
    [port] = free_ports(1)
    with pytest.raises(ServiceMissing, match="service postgresql start"):
        ensure_postgres_database(f"postgresql://postgres@127.0.0.1:{port}/clinic_prod")


def test_only_postgres_will_do():
    with pytest.raises(ServiceMissing, match="needs PostgreSQL"):
        ensure_postgres_database("sqlite:///x.db")


def test_an_unreachable_redis_says_how_to_start_it():
    [port] = free_ports(1)
    with pytest.raises(ServiceMissing, match="service redis-server start"):
        check_redis(f"redis://127.0.0.1:{port}")
