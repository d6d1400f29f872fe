"""Fuzz of the REST channel: odd messages through the whole assistant, timed per turn.

``python -m bench.fuzz`` (and ``make bench``, through :func:`measure_fuzz`) sends
``BENCH_FUZZ_N`` (default 10,000) generated messages, one at a time, to a running Rasa
server's REST webhook, each from a new sender, and reports p50/p95/p99 of the turn,
the count of 5xx answers and the slowest categories; then how much another visitor's
"hi" is delayed when sent 0.5 s after a 20,000-character message. Targets (issue 19):
no 5xx, p99 <= 150 ms, that delay <= 100 ms.

The generators are shared with ``tests/integration/test_fuzz.py`` (which draws them
through Hypothesis: :func:`text_strategy`): one set of odd inputs, the categories
below, each a function of a seeded ``random.Random`` so that a run can be repeated.
Message bodies are JSON except for ``invalid_utf8`` (raw bytes that are not UTF-8
inside the JSON string) and ``lone_surrogate`` (a ``\\ud800`` escape), which must get a
400.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import string
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Tuple, Union

from bench.stats import percentile

WEBHOOK = "/webhooks/rest/webhook"
DEFAULT_N = 10_000
P99_TARGET_MS = 150.0

INJECTIONS = [
    "'; DROP TABLE events; --", "\" OR 1=1 --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x/a}",
    "%s%s%s%n", "../../../../etc/passwd", "/restart", "/session_start", '/urgent_symptom{"x": 1}',
    "\u0000\u0001\u001b[31m", "\u202e\u2066evil", "A" * 5000, "\ud7ff\ue000\uffff", "$(reboot)", "`id`",
    "<!--#exec cmd=\"ls\"-->", "\r\nSet-Cookie: a=b", "null", "[]", "{}",
    "/faq", "/back", "/human_handoff", "/nlu_fallback", '/inform{"phone": "+971500000000"}',
]
WORDS = ["price", "how", "much", "does", "it", "cost", "pain", "redness", "swelling", "book", "appointment",
         "scar", "acne", "session", "pus", "fever", "hello", "thanks", "when", "open", "results", "mesotherapy"]
ARABIC = ["سعر", "كم", "جلسة", "ندبة", "ألم", "احمرار", "موعد", "مرحبا", "شكرا", "متى", "العيادة", "تورم"]
OTHER_SCRIPTS = ["привет", "你好", "こんにちは", "שלום", "नमस्ते", "γειά", "안녕하세요", "cześć", "ça va"]
EMOJI = ["😀", "😂", "🙏", "👍🏽", "❤️", "🔥", "👩‍⚕️", "💉", "🤕", "🇦🇪", "✨", "😷"]
WHITESPACE = [" ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u200b"]
PUNCTUATION = string.punctuation + "،؛؟…–—«»“”‘’¡¿·•°"
CONTROL = [chr(c) for c in range(32)] + ["\x7f", "\u0085", "\u2028", "\u2029", "\ufeff"]

Body = Union[str, bytes]  # a message text, or raw bytes for the JSON string (not UTF-8)


def _words(rng: random.Random, n: int, pool: List[str] = WORDS) -> List[str]:
    return [rng.choice(pool) for _ in range(n)]


def punctuation_run(rng: random.Random) -> str:
    n = rng.choice([50, 200, 1000, 4000, 8000, 20000])
    if rng.random() < 0.5:
        return rng.choice(PUNCTUATION) * n  # "$$$$..." (was quadratic)
    unit = "".join(rng.choice(PUNCTUATION) for _ in range(rng.randint(2, 5)))
    return (unit * (n // len(unit) + 1))[:n]


def long_whitespace(rng: random.Random) -> str:
    parts = []
    for word in _words(rng, rng.randint(1, 6)):
        parts += [word, rng.choice(WHITESPACE) * rng.choice([10, 100, 1000, 5000])]
    return "".join(parts)[:20000]


def emoji(rng: random.Random) -> str:
    n = rng.choice([1, 3, 20, 500, 5000])
    return "".join(rng.choice(EMOJI) for _ in range(n))


def arabic(rng: random.Random) -> str:
    return " ".join(_words(rng, rng.randint(1, 30), ARABIC))


def mixed_scripts(rng: random.Random) -> str:
    pool = WORDS + ARABIC + OTHER_SCRIPTS + EMOJI
    return rng.choice(["", " "]).join(_words(rng, rng.randint(2, 60), pool))


def url(rng: random.Random) -> str:
    path = "/".join(_words(rng, rng.randint(1, 200)))
    query = "&".join(f"{w}={rng.randint(0, 10**6)}" for w in _words(rng, rng.randint(0, 50)))
    return f"{rng.choice(['see', 'is this you?', ''])} https://{rng.choice(WORDS)}.example/{path}?{query}"


def injection(rng: random.Random) -> str:
    return " ".join(rng.choice(INJECTIONS) for _ in range(rng.randint(1, 4)))


def huge(rng: random.Random) -> str:
    n = rng.choice([2000, 5000, 10000, 19000])
    if rng.random() < 0.5:
        return " ".join(_words(rng, n // 6))[:n]  # a very long but ordinary message
    return "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(n))


def invalid_utf8(rng: random.Random) -> bytes:
    good = " ".join(_words(rng, rng.randint(0, 5))).encode()
    bad = bytes(rng.choice([0x80, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF8, 0xFF]) for _ in range(rng.randint(1, 20)))
    return good + bad + good


def lone_surrogate(rng: random.Random) -> str:
    surrogate = chr(rng.randint(0xD800, 0xDFFF))
    words = _words(rng, rng.randint(0, 5))
    words.insert(rng.randint(0, len(words)), surrogate)
    return " ".join(words)


def control_chars(rng: random.Random) -> str:
    return "".join(rng.choice(CONTROL) if rng.random() < 0.5 else rng.choice(WORDS)
                   for _ in range(rng.randint(1, 200)))


def ordinary(rng: random.Random) -> str:
    return " ".join(_words(rng, rng.randint(1, 12))) + rng.choice(["", "?", "!", "."])


CATEGORIES: Dict[str, Callable[[random.Random], Body]] = {
    f.__name__: f for f in (punctuation_run, long_whitespace, emoji, arabic, mixed_scripts, url, injection,
                            huge, invalid_utf8, lone_surrogate, control_chars, ordinary)
}
CLIENT_ERRORS = {"invalid_utf8", "lone_surrogate"}  # a clear 400 is the right answer


def request_body(sender: str, message: Body) -> bytes:
    """The REST webhook's JSON body; raw bytes go inside the JSON string as they are."""
    if isinstance(message, bytes):
        return b'{"sender": "' + sender.encode() + b'", "message": "' + message + b'"}'
    return json.dumps({"sender": sender, "message": message}).encode()  # "\ud800" stays an escape


def cases(n: int, seed: int = 19) -> Iterator[Tuple[str, Body]]:
    """``n`` ``(category, message)`` pairs, the categories in turn, reproducible by ``seed``."""
    rng = random.Random(seed)
    names = list(CATEGORIES)
    for i in range(n):
        name = names[i % len(names)]
        yield name, CATEGORIES[name](rng)


def text_strategy():
    """The text categories as a Hypothesis strategy (for ``tests/integration/test_fuzz.py``)."""
    from hypothesis import strategies as st

    texts = [f for name, f in CATEGORIES.items() if name != "invalid_utf8"]
    return st.tuples(st.sampled_from(texts), st.randoms(use_true_random=False)).map(lambda p: p[0](p[1]))


@dataclass
class FuzzResult:
    n: int
    latencies_ms: List[float] = field(default_factory=list)
    server_errors: int = 0
    by_category: Dict[str, List[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Dict[int, int] = field(default_factory=lambda: defaultdict(int))
    wrong: List[str] = field(default_factory=list)  # category: what went wrong (no texts)

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)

    def slowest(self, k: int = 3) -> List[Tuple[str, float]]:
        """Categories by their p99, slowest first."""
        p99 = {name: percentile(values, 99) for name, values in self.by_category.items() if values}
        return sorted(p99.items(), key=lambda item: -item[1])[:k]

    def summary(self) -> Dict[str, object]:
        return {"n": self.n, "p50_ms": self.p(50), "p95_ms": self.p(95), "p99_ms": self.p(99),
                "server_errors": self.server_errors, "statuses": dict(self.statuses),
                "slowest_categories": [{"category": c, "p99_ms": v} for c, v in self.slowest(len(CATEGORIES))],
                "wrong": self.wrong[:50]}


def run_fuzz(rasa_url: str, token: str, n: int = DEFAULT_N, seed: int = 19,
             progress: Optional[Callable[[int], None]] = None) -> FuzzResult:
    """Send ``n`` cases, one at a time, and time each turn."""
    import httpx

    result = FuzzResult(n)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(base_url=rasa_url, timeout=60.0, headers=headers) as client:
        for i, (category, message) in enumerate(cases(n, seed)):
            body = request_body(f"fuzz-{seed}-{i}", message)
            started = time.perf_counter()
            try:
                response = client.post(WEBHOOK, content=body)
                status = response.status_code
            except httpx.HTTPError as error:
                status = 599
                result.wrong.append(f"{category}: {type(error).__name__}")
            elapsed = (time.perf_counter() - started) * 1000.0
            result.latencies_ms.append(elapsed)
            result.by_category[category].append(elapsed)
            result.statuses[status] += 1
            if status >= 500:
                result.server_errors += 1
                result.wrong.append(f"{category}: HTTP {status}")
            elif (status == 400) != (category in CLIENT_ERRORS):
                result.wrong.append(f"{category}: HTTP {status}")
            elif status == 200 and "Traceback" in response.text:
                result.wrong.append(f"{category}: a stack trace in the answer")
            if progress and (i + 1) % 1000 == 0:
                progress(i + 1)
    return result


HEAVY_MESSAGES = {"20,000 %": "%" * 20000, "20,000 $%": "$%" * 10000, "10,000 words": "x " * 10000}


def other_visitor_delay(rasa_url: str, token: str, wait_s: float = 0.5, repeats: int = 5) -> Dict[str, float]:
    """How much longer another visitor's "hi" takes when it is sent ``wait_s`` after a
    20,000-character message (ms over the median "hi" alone), per heavy message."""
    import threading

    import httpx

    headers = {"Authorization": f"Bearer {token}"}

    def turn(client: httpx.Client, sender: str, text: str) -> float:
        started = time.perf_counter()
        response = client.post(WEBHOOK, json={"sender": sender, "message": text}, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")
        return (time.perf_counter() - started) * 1000.0

    delays: Dict[str, float] = {}
    with httpx.Client(base_url=rasa_url, timeout=120.0) as client:
        alone = sorted(turn(client, f"delay-alone-{i}", "hi") for i in range(repeats))[repeats // 2]
        for name, heavy in HEAVY_MESSAGES.items():
            extra = []
            for i in range(repeats):
                with httpx.Client(base_url=rasa_url, timeout=120.0) as other:
                    sender = f"delay-heavy-{len(delays)}-{i}"
                    thread = threading.Thread(target=turn, args=(other, sender, heavy))
                    thread.start()
                    time.sleep(wait_s)
                    extra.append(turn(client, f"delay-hi-{len(delays)}-{i}", "hi") - alone)
                    thread.join()
            delays[name] = sorted(extra)[len(extra) // 2]
    return delays


def print_result(result: FuzzResult) -> None:
    print(f"fuzz: {result.n} messages; p50 {result.p(50):.0f} ms, p95 {result.p(95):.0f} ms, "
          f"p99 {result.p(99):.0f} ms (target <= {P99_TARGET_MS:.0f}); 5xx: {result.server_errors} (target 0)")
    print("  statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items())))
    print("  slowest categories (p99): " + ", ".join(f"{c} {v:.0f} ms" for c, v in result.slowest(5)))
    if result.wrong:
        print(f"  unexpected answers: {len(result.wrong)}, e.g. " + "; ".join(result.wrong[:5]))


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m bench.fuzz --url http://127.0.0.1:5005`` against a running server
    (token: ``RASA_AUTH_TOKEN``)."""
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=main.__doc__)
    parser.add_argument("--url", default=os.environ.get("RASA_URL", "http://127.0.0.1:5005"))
    parser.add_argument("-n", type=int, default=int(os.environ.get("BENCH_FUZZ_N", DEFAULT_N)))
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    result = run_fuzz(args.url.rstrip("/"), token, args.n, args.seed,
                      progress=lambda i: print(f"  {i}/{args.n}", flush=True))
    print_result(result)
    delays = other_visitor_delay(args.url.rstrip("/"), token)
    print("  another visitor's extra delay 0.5 s after a heavy message (median of 5): "
          + ", ".join(f"{name} {ms:.0f} ms" for name, ms in delays.items()) + " (target <= 100)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({**result.summary(), "other_visitor_delay_ms": delays}, f, indent=2)
    return 0 if result.server_errors == 0 and result.p(99) <= P99_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
