"""Speed goals that used to be wall-clock asserts in the tests (tests must not time anything).

Run: .venv/bin/python benchmarks/bench_speed.py

| what | target |
|---|---|
| ``simulate_waits`` 10,000 calls | ≤ 1 s |
| ``rfm`` on 300,000 shipments of 5,000 customers | ≤ 1.5 s |
| ``plot_pareto`` of 2,000 customers, drawn | ≤ 3 s |

Exit status 1 if a target is missed (on an idle machine).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def simulation() -> float:
    from crmkit.servicecenter import simulate_waits

    return _timed(lambda: simulate_waits(500, 180, 30, n_calls=10_000, seed=11))


def rfm_300k() -> float:
    from crmkit.value import rfm

    rng = np.random.default_rng(1)
    n = 300_000
    ids = np.array([f"C{i:05d}" for i in range(5000)])
    ship = pd.DataFrame({"customer_id": ids[rng.integers(0, 5000, n)],
                         "order_date": pd.Timestamp("2024-01-01")
                         + pd.to_timedelta(rng.integers(0, 730, n), unit="D"),
                         "revenue": rng.gamma(2.0, 500.0, n)})
    return _timed(lambda: rfm(ship, asof=pd.Timestamp("2025-12-31")))


def pareto_2000() -> float:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmkit.abc import abc_classify
    from crmkit.plotting import plot_pareto, setup

    setup()
    rng = np.random.default_rng(5)
    values = pd.Series(rng.pareto(1.2, 2000) + 1, index=[f"C{i:05d}" for i in range(2000)])
    table = abc_classify(values)

    def draw():
        ax = plot_pareto(table)
        ax.figure.canvas.draw()
        plt.close(ax.figure)

    return _timed(draw)


CHECKS = [("simulate_waits, 10,000 calls", simulation, 1.0),
          ("rfm, 300,000 shipments", rfm_300k, 1.5),
          ("plot_pareto, 2,000 customers", pareto_2000, 3.0)]


def main(argv=None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    missed = 0
    for label, fn, target in CHECKS:
        seconds = fn()
        ok = seconds <= target
        missed += not ok
        print(f"{label:<32}: {seconds:6.3f} s   (target ≤ {target} s){'' if ok else '  MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
