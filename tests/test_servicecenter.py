"""Tests for crmkit.servicecenter (textbook ch. 8): Erlang B/C, staffing, simulation, call logs."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.servicecenter import (
    abandonment_rate,
    agents_needed,
    asa,
    observed_service_level,
    erlang_b,
    erlang_c,
    occupancy,
    offered_load,
    service_level,
    simulate_queue,
    simulate_waits,
    staffing_plan,
)


def erlang_c_factorial(a, n):
    """Textbook Erlang C with factorials (only safe for small n)."""
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


def erlang_b_factorial(a, n):
    return (a**n / math.factorial(n)) / sum(a**k / math.factorial(k) for k in range(n + 1))


def test_known_value_a10_n12():
    # 360 calls/h × 100 s = 10 Erlangs; 12 agents → P(wait) ≈ 0.4494
    assert offered_load(360, 100) == pytest.approx(10.0)
    assert erlang_c(360, 100, 12) == pytest.approx(0.4494, abs=5e-5)
    assert erlang_c(360, 100, 12) == pytest.approx(erlang_c_factorial(10, 12))


@pytest.mark.parametrize("a,n", [(0.5, 1), (2.0, 3), (7.3, 9), (10.0, 15), (20.0, 25)])
def test_against_factorial_formulas(a, n):
    rate = a * 3600 / 180  # aht 180 s
    assert erlang_b(a, n) == pytest.approx(erlang_b_factorial(a, n))
    assert erlang_c(rate, 180, n) == pytest.approx(erlang_c_factorial(a, n))


def test_service_level_asa_occupancy_by_hand():
    c = erlang_c_factorial(10, 12)
    # SL = 1 − C·exp(−(N − A)·t/aht) = 1 − C·exp(−2·20/100)
    assert service_level(360, 100, 12, 20) == pytest.approx(1 - c * math.exp(-0.4))
    assert asa(360, 100, 12) == pytest.approx(c * 100 / 2)
    assert occupancy(360, 100, 12) == pytest.approx(10 / 12)
    # threshold 0 → SL is the share that does not wait at all
    assert service_level(360, 100, 12, 0) == pytest.approx(1 - c)


def test_unstable_and_empty_queues():
    assert erlang_c(360, 100, 10) == 1.0      # N = A
    assert erlang_c(360, 100, 3) == 1.0
    assert service_level(360, 100, 10) == 0.0
    assert asa(360, 100, 9) == math.inf
    assert occupancy(360, 100, 5) == 1.0
    assert occupancy(360, 100, 0) == 1.0
    assert erlang_c(0, 100, 0) == 0.0
    assert service_level(0, 100, 0) == 1.0
    assert asa(0, 100, 0) == 0.0
    assert occupancy(0, 100, 0) == 0.0
    assert agents_needed(0, 100) == 0


def test_large_traffic_no_overflow():
    # 480 Erlangs on 500 agents: the factorial formula would overflow a float
    c = erlang_c(480 * 3600 / 300, 300, 500)
    assert 0 < c < 1 and math.isfinite(c)
    n = agents_needed(2000 * 3600 / 300, 300)
    assert 2000 < n < 2100
    assert service_level(2000 * 3600 / 300, 300, n) >= 0.8


def test_agents_needed_known():
    # 12 agents: 1 − 0.4494·e^−0.4 = 0.699 < 0.8; 13 agents: 0.843 ≥ 0.8
    assert agents_needed(360, 100) == 13
    assert agents_needed(360, 100, target=0.95, answer_within_s=20) > 13


def test_simulation_matches_erlang_c():
    sim = simulate_queue(360, 100, 12, n_calls=40_000, seed=3)
    assert sim["p_wait"] == pytest.approx(erlang_c(360, 100, 12), abs=0.03)
    assert sim["service_level"] == pytest.approx(service_level(360, 100, 12, 20), abs=0.03)
    assert sim["asa_s"] == pytest.approx(asa(360, 100, 12), rel=0.15)
    assert sim["calls"] == 40_000


def test_simulation_reproducible():
    # Its speed is measured in benchmarks/bench_speed.py, not asserted here.
    a = simulate_waits(500, 180, 30, n_calls=10_000, seed=11)
    assert np.array_equal(a, simulate_waits(500, 180, 30, n_calls=10_000, seed=11))
    assert not np.array_equal(a, simulate_waits(500, 180, 30, n_calls=10_000, seed=12))
    # plenty of agents → almost nobody waits
    assert simulate_queue(10, 60, 50, n_calls=2_000, seed=1)["p_wait"] == 0.0


def call_log():
    # Three observed days 2025-11-03 (Mon) .. 2025-11-05 (Wed); 2025-11-04 has no 09h call.
    return pd.DataFrame({
        "arrived_at": pd.to_datetime([
            "2025-11-03 09:05", "2025-11-03 09:20", "2025-11-03 09:50", "2025-11-03 13:00",
            "2025-11-04 13:30",
            "2025-11-05 09:10", "2025-11-05 09:15", "2025-11-05 09:40", "2025-11-05 17:59"]),
        "handle_s": [200.0, 100.0, 0.0, 300.0, 150.0, 250.0, 0.0, 200.0, 150.0],
        "abandoned": [False, False, True, False, False, False, True, False, False],
        "reason": ["查询", "下单", "查询", "投诉", "查询", "咨询", "查询", "下单", "查询"],
    })


def test_staffing_plan_by_hour():
    plan = staffing_plan(call_log())
    assert list(plan.index) == list(range(24))
    # 09h: 6 calls over 3 days = 2 calls/h (the quiet Tuesday counts)
    assert plan.loc[9, "calls"] == 6 and plan.loc[9, "days"] == 3
    assert plan.loc[9, "calls_per_hour"] == pytest.approx(2.0)
    # AHT = mean handle of the 7 answered calls = (200+100+300+150+250+200+150)/7
    assert plan["aht_s"].iloc[0] == pytest.approx(1350 / 7)
    assert plan.loc[3, "agents"] == 0 and plan.loc[3, "calls_per_hour"] == 0
    assert plan.loc[9, "agents"] == agents_needed(2.0, 1350 / 7)
    assert (plan.loc[plan["agents"] > 0, "service_level"] >= 0.8).all()
    assert plan["calls"].sum() == len(call_log())


def test_staffing_plan_weekday_hour_and_options():
    plan = staffing_plan(call_log(), slot="weekday_hour", aht_s=600.0, shrinkage=0.3)
    assert len(plan) == 7 * 24
    assert plan.loc[(0, 9), "calls_per_hour"] == pytest.approx(3.0)   # 3 calls on the one Monday
    assert plan.loc[(3, 9), "days"] == 0 and plan.loc[(3, 9), "agents"] == 0  # no Thursday seen
    a = agents_needed(3.0, 600.0)
    assert plan.loc[(0, 9), "agents"] == a
    assert plan.loc[(0, 9), "scheduled_agents"] == math.ceil(a / 0.7)
    daily = staffing_plan(call_log(), slot="weekday")
    assert daily.loc[0, "calls_per_hour"] == pytest.approx(4 / 24)   # 4 Monday calls over 24 h


def test_abandonment_rate():
    log = call_log()
    whole = abandonment_rate(log)                    # no `by`: one Series named "all"
    assert whole.name == "all" and whole["abandon_rate"] == pytest.approx(2 / 9)
    assert (whole["calls"], whole["abandoned"]) == (9, 2)
    by_hour = abandonment_rate(log, by="hour")
    assert by_hour.loc[9, "abandon_rate"] == pytest.approx(2 / 6)
    assert by_hour.loc[13, "abandoned"] == 0
    by_reason = abandonment_rate(log, by="reason")
    assert by_reason.loc["查询", "calls"] == 5 and by_reason.loc["查询", "abandoned"] == 2
    by_day = abandonment_rate(log, by=["date", "weekday"])
    assert by_day["calls"].sum() == 9 and len(by_day) == 3


# ---- validation -----------------------------------------------------------------------------

def test_number_errors():
    with pytest.raises(ValueError, match="`calls_per_hour` must lie between 0"):
        erlang_c(-1, 100, 3)
    with pytest.raises(ValueError, match="`aht_s` must be above 0"):
        erlang_c(10, 0, 3)
    with pytest.raises(TypeError, match="`agents` must be a whole number"):
        erlang_c(10, 100, 2.5)
    with pytest.raises(TypeError, match="`agents` must be a whole number"):
        service_level(10, 100, True)
    with pytest.raises(ValueError, match="`agents` must lie between 0"):
        asa(10, 100, -1)
    with pytest.raises(ValueError, match="`answer_within_s`"):
        service_level(10, 100, 3, answer_within_s=-5)
    with pytest.raises(ValueError, match="finite"):
        erlang_c(float("nan"), 100, 3)
    with pytest.raises(TypeError, match="`aht_s` must be a number"):
        erlang_c(10, "100", 3)
    with pytest.raises(ValueError, match="percentage"):
        agents_needed(360, 100, target=80)
    with pytest.raises(ValueError, match="`traffic`"):
        erlang_b(-2, 3)


def test_simulation_errors():
    with pytest.raises(ValueError, match="`agents` must lie between 1"):
        simulate_queue(10, 100, 0)
    with pytest.raises(ValueError, match="above 0 to simulate"):
        simulate_waits(0, 100, 2)
    with pytest.raises(TypeError, match="`n_calls`"):
        simulate_waits(10, 100, 2, n_calls=10.5)


def test_call_log_errors():
    log = call_log()
    with pytest.raises(ValueError, match="`slot` must be one of"):
        staffing_plan(log, slot="minute")
    with pytest.raises(ValueError, match='"handle_s" is not in `calls`'):
        staffing_plan(log.drop(columns="handle_s"))
    with pytest.raises(ValueError, match="below 1"):
        staffing_plan(log, shrinkage=1.0)
    with pytest.raises(ValueError, match="fraction"):
        staffing_plan(log, shrinkage=30)
    with pytest.raises(ValueError, match="missing time"):
        staffing_plan(log.assign(arrived_at=[pd.NaT] + list(log.arrived_at[1:])))
    with pytest.raises(ValueError, match="negative"):
        staffing_plan(log.assign(handle_s=-log.handle_s))
    with pytest.raises(ValueError, match="AHT is unknown"):
        staffing_plan(log.assign(abandoned=True))
    with pytest.raises(TypeError, match="True/False"):
        staffing_plan(log.assign(abandoned="no"))
    with pytest.raises(ValueError, match="empty"):
        staffing_plan(log.iloc[:0])
    with pytest.raises(TypeError, match="`by` must be a column name"):
        abandonment_rate(log, by=5)
    with pytest.raises(ValueError, match='"queue" is not in `calls`'):
        abandonment_rate(log, by="queue")
    with pytest.raises(TypeError, match="DataFrame"):
        abandonment_rate([1, 2])


# ---- properties -----------------------------------------------------------------------------

rates = st.floats(0.1, 5000)
ahts = st.floats(10, 900)


@settings(max_examples=50, deadline=None)
@given(rates, ahts, st.integers(1, 200))
def test_erlang_c_in_unit_interval_and_decreasing(rate, aht, n):
    c0, c1 = erlang_c(rate, aht, n), erlang_c(rate, aht, n + 1)
    assert 0 <= c1 <= c0 <= 1
    assert 0 <= erlang_b(offered_load(rate, aht), n) <= 1


@settings(max_examples=50, deadline=None)
@given(rates, ahts, st.integers(1, 200), st.floats(0, 120))
def test_service_level_increases_with_agents(rate, aht, n, t):
    s0, s1 = service_level(rate, aht, n, t), service_level(rate, aht, n + 1, t)
    assert 0 <= s0 <= s1 <= 1
    assert asa(rate, aht, n + 1) <= asa(rate, aht, n)


@settings(max_examples=50, deadline=None)
@given(rates, ahts, st.floats(0.5, 0.95), st.floats(5, 60))
def test_agents_needed_is_the_minimum(rate, aht, target, t):
    n = agents_needed(rate, aht, target=target, answer_within_s=t)
    assert n >= 1
    assert service_level(rate, aht, n, t) >= target
    assert service_level(rate, aht, n - 1, t) < target
    assert n > offered_load(rate, aht)


@settings(max_examples=20, deadline=None)
@given(st.floats(1, 300), st.floats(30, 600), st.integers(1, 40), st.integers(0, 10**6))
def test_simulation_properties(rate, aht, n, seed):
    sim = simulate_queue(rate, aht, n, n_calls=500, seed=seed)
    assert 0 <= sim["service_level"] <= 1 and 0 <= sim["p_wait"] <= 1
    assert sim["asa_s"] >= 0 and sim["max_wait_s"] >= sim["asa_s"]
    assert sim["service_level"] >= 1 - sim["p_wait"] - 1e-12


# ---- observed service level (call log) --------------------------------------------------------

def waited_log():
    log = call_log()
    # waits of the 9 calls; the two abandoned ones (rows 2 and 6) hung up after 8 s and 90 s
    log["wait_s"] = [0.0, 20.0, 8.0, 21.0, 3.0, 60.0, 90.0, 19.5, 0.0]
    return log


def test_observed_service_level_by_hand():
    out = observed_service_level(waited_log())
    # answered: 7; in time (≤ 20 s, answered): rows 0 (0), 1 (20, on the line), 4 (3), 7 (19.5), 8 (0) = 5
    # row 2 hung up after 8 s: offered but not answered in time (the documented convention)
    assert out.tolist() == [9.0, 7.0, 5.0, 2.0, pytest.approx(5 / 9)]
    assert list(out.index) == ["calls", "answered", "answered_in_time", "abandoned", "service_level"]
    # a stricter standard: 10 s → rows 0, 4, 8 only
    assert observed_service_level(waited_log(), answer_within_s=10)["service_level"] == pytest.approx(3 / 9)
    # abandoned count agrees with abandonment_rate
    assert out["abandoned"] / out["calls"] == pytest.approx(abandonment_rate(waited_log())["abandon_rate"])


def test_observed_service_level_groups():
    log = waited_log()
    by_hour = observed_service_level(log, by="hour")
    # 09h: rows 0,1,2,5,6,7 → in time 0,1,7 = 3 of 6; 13h: rows 3 (21 s late), 4 (3 s) = 1 of 2; 17h: 1 of 1
    assert by_hour["service_level"].tolist() == pytest.approx([0.5, 0.5, 1.0])
    assert by_hour.loc[9, ["calls", "answered", "abandoned"]].tolist() == [6, 4, 2]
    by_reason = observed_service_level(log, by="reason")
    # 查询: rows 0 (in), 2 (abandoned), 4 (in), 6 (abandoned), 8 (in) → 3 / 5
    assert by_reason.loc["查询", "service_level"] == pytest.approx(3 / 5)
    by_day = observed_service_level(log, by=["date", "weekday"])
    assert by_day["calls"].sum() == 9 and len(by_day) == 3
    # missing wait allowed for an abandoned call; the input frame is left unchanged
    log.loc[2, "wait_s"] = np.nan
    before = log.copy()
    assert observed_service_level(log)["answered_in_time"] == 5
    pd.testing.assert_frame_equal(log, before)


def test_observed_service_level_errors():
    log = waited_log()
    with pytest.raises(ValueError, match="wait_s"):
        observed_service_level(log.drop(columns="wait_s"))
    with pytest.raises(ValueError, match="missing for 1 answered"):
        observed_service_level(log.assign(wait_s=log["wait_s"].where(log.index != 0)))
    with pytest.raises(ValueError, match="wait_s"):
        observed_service_level(log.assign(wait_s=-log["wait_s"] - 1))
    with pytest.raises(TypeError, match="waiting times"):
        observed_service_level(log.assign(wait_s="fast"))
    with pytest.raises(ValueError, match="answer_within"):
        observed_service_level(log, answer_within_s=-5)
    with pytest.raises(TypeError, match="`by`"):
        observed_service_level(log, by=5)
    with pytest.raises(ValueError, match="queue"):
        observed_service_level(log, by="queue")
    with pytest.raises(TypeError, match="abandoned"):
        observed_service_level(log.assign(abandoned="no"))
    with pytest.raises(ValueError, match="empty"):
        observed_service_level(log.iloc[:0])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 600), st.booleans(), st.integers(0, 23)), min_size=1, max_size=40),
       st.floats(0, 60), st.floats(0, 60))
def test_observed_service_level_properties(rows, t1, dt):
    log = pd.DataFrame({"arrived_at": [pd.Timestamp("2025-11-03") + pd.Timedelta(hours=h) for *_, h in rows],
                        "wait_s": [w for w, _, _ in rows], "abandoned": [a for _, a, _ in rows]})
    low = observed_service_level(log, answer_within_s=t1)
    high = observed_service_level(log, answer_within_s=t1 + dt)
    assert 0 <= low["service_level"] <= high["service_level"] <= 1 - low["abandoned"] / low["calls"] + 1e-12
    assert low["answered"] + low["abandoned"] == low["calls"] == len(rows)
    grouped = observed_service_level(log, answer_within_s=t1, by="hour")
    assert grouped["answered_in_time"].sum() == low["answered_in_time"]
