"""How fast search answers: index build once, then per-query and per-keystroke autocomplete.

Run: .venv/bin/python bench/bench_search.py   (prints figures; asserts nothing)
"""

from __future__ import annotations

import statistics
import time

from bot.catalog import load_catalog
from bot.search import MontageIndex

QUERIES = [
    "kil bil",
    "margot robbie skating",
    "ironclaw",
    "grean day",
    "xqzvbn",
    "boxing",
    "the new way",
]


def per_call(fn, repeat: int = 200) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1e3, times[int(len(times) * 0.99) - 1] * 1e3


def main() -> None:
    start = time.perf_counter()
    catalog = load_catalog()
    loaded = time.perf_counter()
    index = MontageIndex(catalog)
    built = time.perf_counter()
    print(f"catalog load: {(loaded - start) * 1e3:.1f} ms ({len(catalog)} montages)")
    print(f"index build:  {(built - loaded) * 1e3:.2f} ms")
    for query in QUERIES:
        median, p99 = per_call(lambda q=query: index.search(q))
        print(f"search {query!r:26} median {median:.2f} ms  p99 {p99:.2f} ms")
    typed = "margot robbie"
    prefixes = [typed[: i + 1] for i in range(len(typed))]
    median, p99 = per_call(lambda: [index.autocomplete(p) for p in prefixes], repeat=50)
    print(
        f"autocomplete, {len(prefixes)} keystrokes of {typed!r}: median {median:.2f} ms "
        f"p99 {p99:.2f} ms for all ({median / len(prefixes):.2f} ms a keystroke)"
    )
    median, p99 = per_call(lambda: index.search_songs("grean day"))
    print(f"song search 'grean day' median {median:.2f} ms  p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
