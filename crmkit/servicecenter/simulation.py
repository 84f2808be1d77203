"""A seeded M/M/N queue simulation to check the Erlang C formula against.

Textbook: chapter 8, 现代物流客户服务中心的建设. Notebook: notebooks/08_service_center.ipynb.
Units in the names: calls_per_hour, aht_s and every waiting time in seconds (answer_within_s, asa_s).
"""
from __future__ import annotations

import heapq

import numpy as np
import pandas as pd

from crmkit._validate import check_call_load, check_number
from crmkit.servicecenter.erlang import ANSWER_WITHIN_S, SECONDS_PER_HOUR

__all__ = ['simulate_waits', 'simulate_queue']


def simulate_waits(calls_per_hour: float, aht_s: float, agents: int, *, n_calls: int = 10_000,
                   seed: int | np.random.Generator | None = None) -> np.ndarray:
    """Waiting times (seconds) of ``n_calls`` simulated calls in an M/M/N first-come-first-served queue.

    Poisson arrivals at ``calls_per_hour`` per hour, exponential handle times with mean ``aht_s`` seconds;
    each call goes to the agent who becomes free first (a heap of agent free times). The queue starts
    empty, so the first few calls wait a little less than in the long run.

    Examples
    --------
    >>> waits = simulate_waits(360, 100, 12, n_calls=1000, seed=1)
    >>> waits.shape, bool((waits >= 0).all())
    ((1000,), True)
    """
    calls_per_hour, aht_s = check_call_load(calls_per_hour, aht_s)
    check_number(agents, "agents", low=1, integer=True)
    check_number(n_calls, "n_calls", low=1, integer=True)
    if calls_per_hour == 0:
        raise ValueError("`calls_per_hour` must be above 0 to simulate calls.")
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(SECONDS_PER_HOUR / calls_per_hour, n_calls)).tolist()
    services = rng.exponential(aht_s, n_calls).tolist()
    free = [0.0] * int(agents)
    waits = [0.0] * n_calls
    for i, (t, s) in enumerate(zip(arrivals, services)):
        start = max(t, free[0])
        waits[i] = start - t
        heapq.heapreplace(free, start + s)
    return np.asarray(waits)

def simulate_queue(calls_per_hour: float, aht_s: float, agents: int, *,
                   answer_within_s: float = ANSWER_WITHIN_S, n_calls: int = 10_000,
                   seed: int | np.random.Generator | None = None) -> pd.Series:
    """Simulate an M/M/N queue and summarise it, to check the Erlang C formulas against.

    Parameters
    ----------
    calls_per_hour, aht_s, agents : float, float, int
        Calls per hour; mean handle time in seconds; agents (≥ 1).
    answer_within_s : float
        Threshold in seconds.
    n_calls : int
        Calls to simulate.
    seed : int or numpy.random.Generator, optional
        Seed for reproducible runs.

    Returns
    -------
    pandas.Series
        ``calls``, ``p_wait`` (share that waited at all), ``service_level`` (share answered within
        ``answer_within_s``), ``asa_s`` (mean wait), ``max_wait_s``.

    Examples
    --------
    >>> from crmkit.servicecenter import erlang_c
    >>> sim = simulate_queue(360, 100, 12, n_calls=20_000, seed=7)
    >>> bool(abs(sim["p_wait"] - erlang_c(360, 100, 12)) < 0.05)
    True
    """
    check_number(answer_within_s, "answer_within_s", low=0)
    waits = simulate_waits(calls_per_hour, aht_s, agents, n_calls=n_calls, seed=seed)
    return pd.Series({"calls": float(n_calls), "p_wait": float((waits > 0).mean()),
                      "service_level": float((waits <= answer_within_s).mean()),
                      "asa_s": float(waits.mean()), "max_wait_s": float(waits.max())})
