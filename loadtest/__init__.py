"""Load, fault and soak tests of the production topology (``make loadtest``).

:mod:`loadtest.conversations` says what patients send, :mod:`loadtest.drive` plays it
with Locust in a subprocess, :mod:`loadtest.stores` and :mod:`loadtest.harness` start a
private PostgreSQL, Redis and the topology, :mod:`loadtest.verify` checks trackers and
bookings afterwards, :mod:`loadtest.scenarios` holds the runs.
"""
