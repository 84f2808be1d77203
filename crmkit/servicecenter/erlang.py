"""Erlang B/C queueing formulas: wait probability, service level, ASA and agents needed.

Textbook: chapter 8, 现代物流客户服务中心的建设 (第二节 物流客户服务中心的设计).
Notebook: notebooks/08_service_center.ipynb. Units in the names: calls_per_hour, aht_s and every waiting time in seconds (answer_within_s, asa_s).
"""
from __future__ import annotations

import math

from crmkit._validate import check_call_load, check_fraction, check_number

__all__ = ['offered_load', 'erlang_b', 'erlang_c', 'service_level', 'asa', 'occupancy', 'agents_needed', 'SERVICE_LEVEL_TARGET', 'ANSWER_WITHIN_S']

#: The classic call-centre service level "80/20": 80 % of calls answered within 20 seconds
#: (industry convention; Cleveland & Mayben, *Call Center Management on Fast Forward*, 1997).
SERVICE_LEVEL_TARGET = 0.80
ANSWER_WITHIN_S = 20.0
SECONDS_PER_HOUR = 3600.0

def offered_load(calls_per_hour: float, aht_s: float) -> float:
    """Offered traffic in Erlangs: ``A = calls_per_hour · aht_s / 3600``.

    Parameters
    ----------
    calls_per_hour, aht_s : float
        Calls per hour (≥ 0); average handle time in seconds (> 0).

    Returns
    -------
    float

    Examples
    --------
    >>> offered_load(360, 100)   # 360 calls/h of 100 s keep 10 agents busy
    10.0
    """
    calls_per_hour, aht_s = check_call_load(calls_per_hour, aht_s)
    return calls_per_hour * aht_s / SECONDS_PER_HOUR

def erlang_b(traffic: float, agents: int) -> float:
    """Erlang B blocking probability for ``traffic`` Erlangs offered to ``agents`` lines.

    Computed by the stable recursion ``B(0) = 1``, ``B(k) = A·B(k−1) / (k + A·B(k−1))``, which never
    forms ``A^N`` or ``N!`` and so works for thousands of agents.

    Parameters
    ----------
    traffic, agents : float, int
        Offered traffic ``A`` in Erlangs (≥ 0); number of servers (≥ 0).

    Returns
    -------
    float

    Examples
    --------
    >>> round(erlang_b(10, 12), 4)
    0.1197
    """
    check_number(traffic, "traffic", low=0)
    check_number(agents, "agents", low=0, integer=True)
    b = 1.0
    for k in range(1, int(agents) + 1):
        b = traffic * b / (k + traffic * b)
    return float(b)

def erlang_c(calls_per_hour: float, aht_s: float, agents: int) -> float:
    """Probability that a call has to wait (Erlang C) with ``agents`` agents.

    ``C = B / (1 − ρ(1 − B))`` with ``B`` = Erlang B and ``ρ = A/N`` (textbook ch. 8 §2: queueing in
    the service-centre design). Returns 1 when ``N ≤ A`` (the queue is unstable) and 0 when no calls
    arrive.

    Parameters
    ----------
    calls_per_hour, aht_s, agents : float, float, int
        Calls per hour; average handle time in seconds; agents answering calls.

    Returns
    -------
    float
        P(wait > 0), between 0 and 1.

    See Also
    --------
    service_level, asa, agents_needed

    Examples
    --------
    >>> round(erlang_c(360, 100, 12), 4)   # A = 10 Erlangs
    0.4494
    """
    traffic = offered_load(calls_per_hour, aht_s)
    check_number(agents, "agents", low=0, integer=True)
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    b = erlang_b(traffic, agents)
    rho = traffic / agents
    return float(b / (1 - rho * (1 - b)))

def service_level(calls_per_hour: float, aht_s: float, agents: int,
                  answer_within_s: float = ANSWER_WITHIN_S) -> float:
    """Share of calls answered within ``answer_within_s`` seconds (M/M/N queue).

    ``SL = 1 − C · exp(−(N − A) · t / aht_s)``; 0 when ``N ≤ A``.

    Parameters
    ----------
    calls_per_hour, aht_s, agents : float, float, int
        Calls per hour; average handle time in seconds; agents.
    answer_within_s : float
        Threshold ``t`` in seconds (20 for the 80/20 standard).

    Returns
    -------
    float

    Examples
    --------
    >>> round(service_level(360, 100, 12, 20), 4)
    0.6988
    """
    check_number(answer_within_s, "answer_within_s", low=0)
    c = erlang_c(calls_per_hour, aht_s, agents)
    traffic = offered_load(calls_per_hour, aht_s)
    if traffic == 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    return float(1 - c * math.exp(-(agents - traffic) * answer_within_s / aht_s))

def asa(calls_per_hour: float, aht_s: float, agents: int) -> float:
    """Average speed of answer (mean wait over all calls) in seconds: ``C · aht_s / (N − A)``.

    Infinite when ``N ≤ A``.

    Examples
    --------
    >>> round(asa(360, 100, 12), 1)
    22.5
    """
    c = erlang_c(calls_per_hour, aht_s, agents)
    traffic = offered_load(calls_per_hour, aht_s)
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return float(c * aht_s / (agents - traffic))

def occupancy(calls_per_hour: float, aht_s: float, agents: int) -> float:
    """Share of paid agent time spent on calls: ``A / N``, at most 1 (0 for no agents and no calls).

    Examples
    --------
    >>> occupancy(360, 100, 12)
    0.833...
    """
    traffic = offered_load(calls_per_hour, aht_s)
    check_number(agents, "agents", low=0, integer=True)
    if agents == 0:
        return 0.0 if traffic == 0 else 1.0
    return float(min(1.0, traffic / agents))

def agents_needed(calls_per_hour: float, aht_s: float, *, target: float = SERVICE_LEVEL_TARGET,
                  answer_within_s: float = ANSWER_WITHIN_S) -> int:
    """Fewest agents whose Erlang C service level reaches ``target``.

    Starts at the first stable staffing ``floor(A) + 1`` and adds agents one at a time (textbook ch. 8
    §3, 物流客服中心的业务管理: staffing to a service standard). No calls → 0 agents.

    Parameters
    ----------
    calls_per_hour, aht_s : float
        Calls per hour; average handle time in seconds.
    target, answer_within_s : float
        Required share in (0, 1) answered within ``answer_within_s`` seconds.

    Returns
    -------
    int

    Examples
    --------
    >>> agents_needed(360, 100)   # 12 agents give 69.9 % in 20 s, 13 give 84.3 %
    13
    """
    check_fraction(target, "target")
    check_number(answer_within_s, "answer_within_s", low=0)
    traffic = offered_load(calls_per_hour, aht_s)
    if traffic == 0:
        return 0
    agents = int(math.floor(traffic)) + 1
    while service_level(calls_per_hour, aht_s, agents, answer_within_s) < target:
        agents += 1
    return agents

