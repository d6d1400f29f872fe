"""bench.booking.measure returns the figures make bench prints."""
from bench.booking import measure


def test_measure_returns_percentiles_in_ms():
    result = measure(n=10)
    assert result["n"] == 10
    for name in ("availability_p50_ms", "availability_p95_ms", "booking_p50_ms", "booking_p95_ms"):
        assert 0 < result[name] < 5000
    assert result["availability_p50_ms"] <= result["availability_p95_ms"]
