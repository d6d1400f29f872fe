"""Running the assistant in its production topology on one machine (``make run-prod``).

Framework-free like ``clinic/``: it starts processes and checks services, nothing else.
:mod:`ops.topology` says what listens where, :mod:`ops.services` checks PostgreSQL,
Redis and HAProxy, :mod:`ops.stack` runs everything under supervisord, :mod:`ops.launch` is the one launcher
of background processes (its start, readiness wait and stop serve :mod:`ops.stack`, the
bench and the integration fixtures).
"""
