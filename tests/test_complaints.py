"""Tests for crmkit.complaints (textbook ch. 10): case state machine and complaint measures."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from crmkit.complaints import (
    surveys_after_complaints,
    HANDLING_PRINCIPLES, STATE_LABELS, TRANSITIONS, ComplaintCase, claims_summary, complaint_sla,
    pareto, recovery_effect, transition_table,
)

ALL_MOVES = sorted({m for moves in TRANSITIONS.values() for m in moves})


def _do(case, move, at):
    if move == "pay_claim":
        return case.pay_claim(at, amount=100.0)
    if move == "escalate":
        return case.escalate(at, reason="customer asked for manager")
    return getattr(case, move)(at)


# --- constants -------------------------------------------------------------------------------

def test_principles_and_labels():
    assert list(HANDLING_PRINCIPLES) == ["善待投诉", "快速反应", "责任明确", "直接投诉", "投诉建档"]
    assert all(isinstance(v, str) and len(v) > 20 for v in HANDLING_PRINCIPLES.values())
    # every state reached by a move is declared and labelled
    targets = {n for moves in TRANSITIONS.values() for n in moves.values()}
    assert targets <= set(TRANSITIONS) == set(STATE_LABELS)
    assert TRANSITIONS["closed"] == {}


def test_transition_table_has_one_row_per_move():
    table = transition_table()
    assert len(table) == sum(len(m) for m in TRANSITIONS.values())
    assert set(table.loc[table["move"] == "escalate", "state"]) == {"acknowledged", "investigating"}
    assert table.loc[table["state"] == "claim_paid", "state_zh"].iloc[0] == "已理赔"


# --- state machine ---------------------------------------------------------------------------

def test_valid_path_and_history():
    case = ComplaintCase("CP-1", "2025-03-01 09:00")
    assert case.state == "received" and case.allowed_moves == ("acknowledge",)
    case.acknowledge("2025-03-01 09:30").investigate("2025-03-01 12:00")
    case.resolve("2025-03-02 09:00").close("2025-03-02 09:00")  # equal times are allowed
    assert case.state == "closed"
    hist = case.history
    assert hist["to_state"].tolist() == ["received", "acknowledged", "investigating", "resolved",
                                         "closed"]
    assert hist["state_zh"].iloc[-1] == "已结案"
    rec = case.to_record()
    assert rec["first_response_at"] == pd.Timestamp("2025-03-01 09:30")
    assert rec["resolved_at"] == pd.Timestamp("2025-03-02 09:00")
    assert rec["compensation"] == 0.0
    assert "closed" in repr(case)


def test_escalation_path_with_claim():
    case = ComplaintCase("CP-2", "2025-03-01")
    case.acknowledge("2025-03-01 01:00").escalate("2025-03-01 02:00", reason="大客户")
    assert case.state == "escalated"
    case.pay_claim("2025-03-03", amount=1200).close("2025-03-04")
    hist = case.history
    assert hist.loc[hist["move"] == "escalate", "reason"].iloc[0] == "大客户"
    assert case.to_record()["compensation"] == 1200.0
    # open case: no resolution yet
    rec = ComplaintCase("CP-3", "2025-03-01").to_record()
    assert pd.isna(rec["first_response_at"]) and pd.isna(rec["resolved_at"])


@pytest.mark.parametrize("state", list(TRANSITIONS))
def test_every_invalid_move_names_state_and_move(state):
    for move in ALL_MOVES:
        if move in TRANSITIONS[state]:
            continue
        case = ComplaintCase("CP", "2025-01-01")
        case.state = state  # put the case in the state under test
        with pytest.raises(ValueError, match=rf"Cannot {move} a complaint that is '{state}'"):
            _do(case, move, "2025-01-02")
        assert case.state == state


def test_invalid_move_message_lists_allowed_moves():
    case = ComplaintCase("CP", "2025-01-01").acknowledge("2025-01-01").investigate("2025-01-01")
    with pytest.raises(ValueError) as err:
        case.close("2025-01-02")
    assert str(err.value) == ("Cannot close a complaint that is 'investigating': allowed moves "
                              "from 'investigating' are resolve, pay_claim, escalate.")
    with pytest.raises(ValueError, match="no moves are allowed from 'closed'"):
        case.resolve("2025-01-02").close("2025-01-03").acknowledge("2025-01-04")
    with pytest.raises(ValueError, match="Cannot teleport"):
        case.move("teleport", "2025-01-05")


def test_time_going_backwards_is_refused():
    case = ComplaintCase("CP", "2025-01-05")
    with pytest.raises(ValueError, match="must not go backwards"):
        case.acknowledge("2025-01-04")
    assert case.state == "received" and len(case.history) == 1


def test_bad_amount_and_bad_time():
    case = ComplaintCase("CP", "2025-01-01").acknowledge("2025-01-01").investigate("2025-01-01")
    with pytest.raises(ValueError, match="amount"):
        case.pay_claim("2025-01-02", amount=-5)
    with pytest.raises(TypeError, match="amount"):
        case.pay_claim("2025-01-02", amount="500")
    with pytest.raises(TypeError, match="amount"):
        case.pay_claim("2025-01-02", amount=None)
    assert case.state == "investigating"
    case.pay_claim("2025-01-02", amount=0)  # a zero payment is allowed
    assert case.state == "claim_paid"
    with pytest.raises(ValueError, match="opened_at"):
        ComplaintCase("CP", "not a date")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ALL_MOVES), st.integers(-5, 48)), max_size=12))
def test_random_moves_stay_in_declared_states(steps):
    case = ComplaintCase("CP", "2025-01-01")
    now = pd.Timestamp("2025-01-01")
    for move, dh in steps:
        before, when = case.state, now + pd.Timedelta(hours=dh)
        try:
            _do(case, move, when)
        except ValueError:
            assert case.state == before
            continue
        assert move in TRANSITIONS[before] and dh >= 0
        assert case.state == TRANSITIONS[before][move]
        now = when
        assert case.state in STATE_LABELS
    assert case.history["at"].is_monotonic_increasing


# --- complaint_sla ---------------------------------------------------------------------------

def _three():
    return pd.DataFrame({
        "complaint_id": ["A", "B", "C"],
        "severity": ["高", "低", "高"],
        "opened_at": pd.to_datetime(["2025-05-01 08:00", "2025-05-01 12:00", "2025-05-02 00:00"]),
        "first_response_at": pd.to_datetime(["2025-05-01 10:00", "2025-05-03 00:00",
                                             "2025-05-02 06:00"]),
        "resolved_at": pd.to_datetime(["2025-05-02 08:00", "2025-05-06 12:00", None]),
    })


def test_sla_hours_by_hand():
    c = _three()
    # asof is a day: "2025-05-05" (or 2025-05-05 00:00) counts the whole of it, up to 05-06 00:00
    detail, summary = complaint_sla(c, first_response_h=24, resolution_h=72, asof="2025-05-05")
    # A: response 2 h, resolution 24 h; B: 36 h, 5 days = 120 h; C: 6 h, open, age 4 days = 96 h
    assert detail["response_h"].tolist() == [2.0, 36.0, 6.0]
    assert detail["resolution_h"].iloc[:2].tolist() == [24.0, 120.0]
    assert np.isnan(detail["resolution_h"].iloc[2])
    assert detail["age_h"].tolist() == [24.0, 120.0, 96.0]
    assert detail["response_met"].tolist() == [True, False, True]
    assert detail["resolution_met"].tolist() == [True, False, False]
    assert detail["overdue"].tolist() == [False, False, True]
    assert detail["complaint_id"].tolist() == ["A", "B", "C"]
    row = summary                                  # no `by`: one Series, named "all"
    assert row.name == "all"
    assert row["complaints"] == 3 and row["open"] == 1 and row["open_overdue"] == 1
    assert row["response_on_target"] == pytest.approx(2 / 3)
    assert row["resolution_on_target"] == pytest.approx(1 / 3)   # open C counts as not met
    assert row["mean_resolution_h"] == pytest.approx(72.0)        # (24 + 120) / 2, resolved only


def test_sla_by_group_and_default_asof():
    c = _three()
    _, summary = complaint_sla(c, by="severity")
    assert summary.loc["高", "complaints"] == 2 and summary.loc["高", "open"] == 1
    assert summary.loc["低", "mean_response_h"] == 36.0
    # asof = the latest time in the table (2025-05-06 12:00): C is 108 h old
    detail, _ = complaint_sla(c, asof="2025-05-06 12:00")
    assert detail["age_h"].iloc[2] == 108.0
    # default asof = the course's reference date, 2025-12-31: the whole day, up to 2026-01-01 00:00
    detail, _ = complaint_sla(c)
    assert detail["age_h"].iloc[2] == (pd.Timestamp("2026-01-01") - pd.Timestamp("2025-05-02")) / pd.Timedelta(hours=1)
    assert c["resolved_at"].isna().sum() == 1  # input untouched


def test_sla_errors():
    c = _three()
    with pytest.raises(ValueError, match="resolved_at"):
        complaint_sla(c.drop(columns="resolved_at"))
    bad = c.copy()
    bad.loc[0, "first_response_at"] = pd.Timestamp("2025-04-30")
    with pytest.raises(ValueError, match="before `opened_at`"):
        complaint_sla(bad)
    with pytest.raises(ValueError, match="positive"):
        complaint_sla(c, resolution_h=0)
    with pytest.raises(ValueError, match="opened after asof"):
        complaint_sla(c, asof="2025-05-01 09:00")
    missing = c.copy()
    missing.loc[1, "opened_at"] = pd.NaT
    with pytest.raises(ValueError, match="missing"):
        complaint_sla(missing)
    with pytest.raises(TypeError, match="DataFrame"):
        complaint_sla([1, 2])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 300), st.booleans()),
                min_size=1, max_size=15))
def test_sla_rates_are_shares_and_open_not_dropped(rows):
    t0 = pd.Timestamp("2025-01-01")
    c = pd.DataFrame({
        "opened_at": [t0] * len(rows),
        "first_response_at": [t0 + pd.Timedelta(hours=r) for r, _, _ in rows],
        "resolved_at": [t0 + pd.Timedelta(hours=r + x) if done else pd.NaT for r, x, done in rows],
    })
    detail, summary = complaint_sla(c, asof=t0 + pd.Timedelta(hours=600))
    assert len(detail) == len(c) and summary["complaints"].sum() == len(c)
    assert summary["open"].sum() == c["resolved_at"].isna().sum()
    for col in ("response_on_target", "resolution_on_target"):
        assert 0 <= summary[col] <= 1
    assert not (detail["resolution_met"] & detail["is_open"]).any()


# --- pareto ----------------------------------------------------------------------------------

def test_pareto_by_hand_and_weights():
    causes = pd.Series(["延误"] * 5 + ["货损"] * 3 + ["丢失"] * 2, name="cause")
    table = pareto(causes)
    assert table["cause"].tolist() == ["延误", "货损", "丢失"]
    assert table["share"].tolist() == pytest.approx([0.5, 0.3, 0.2])
    assert table["cum_share"].tolist() == pytest.approx([0.5, 0.8, 1.0])
    assert table["vital_few"].tolist() == [True, True, False]
    frame = pd.DataFrame({"cause": causes, "compensation": [0.0] * 5 + [100.0] * 3 + [600.0] * 2})
    money = pareto(frame, value="compensation")
    # loss 1200, damage 300, delay 0 -> shares 0.8, 0.2, 0
    assert money["cause"].tolist() == ["丢失", "货损", "延误"]
    assert money["share"].tolist() == pytest.approx([0.8, 0.2, 0.0])
    assert pareto(["a", "b", "b"])["category"].tolist() == ["b", "a"]


def test_pareto_errors():
    with pytest.raises(ValueError, match="missing"):
        pareto(pd.Series(["a", None, "b"]))
    with pytest.raises(ValueError, match='"reason"'):
        pareto(pd.DataFrame({"cause": ["a"]}), column="reason")
    with pytest.raises(TypeError, match="`value` names a column"):
        pareto(pd.Series(["a"]), value="x")
    with pytest.raises(ValueError, match="zero"):
        pareto(pd.DataFrame({"cause": ["a"], "w": [0.0]}), value="w")
    with pytest.raises(ValueError, match="negative"):
        pareto(pd.DataFrame({"cause": ["a"], "w": [-1.0]}), value="w")
    with pytest.raises(ValueError, match="empty"):
        pareto(pd.Series([], dtype=str))
    with pytest.raises(ValueError, match="percentage"):
        pareto(pd.Series(["a"]), cutoff=80)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["延误", "货损", "丢失", "服务态度", "账单错误"]), min_size=1,
                max_size=60))
def test_pareto_properties(labels):
    table = pareto(pd.Series(labels, name="cause"))
    assert table["share"].sum() == pytest.approx(1.0)
    assert table["count"].is_monotonic_decreasing
    assert table["cum_share"].is_monotonic_increasing
    assert table["cum_share"].iloc[-1] == pytest.approx(1.0)
    assert table["vital_few"].iloc[0]
    assert table["count"].sum() == len(labels)


# --- claims_summary --------------------------------------------------------------------------

def _claims():
    return pd.DataFrame({
        "cause": ["货损", "货损", "丢失", "延误", "丢失"],
        "claim_amount": [1000.0, 500.0, 2000.0, 0.0, 0.0],
        "compensation": [800.0, 0.0, 2000.0, 0.0, 50.0],
    })


def test_claims_by_hand():
    table = claims_summary(_claims())
    # 丢失: claimed 2000, paid on claims 2000 (goodwill 50 not counted), ratio 1.0; paid total 2050
    assert table.index.tolist() == ["丢失", "货损", "延误"]
    assert table.loc["丢失", "payout_ratio"] == 1.0 and table.loc["丢失", "paid"] == 2050.0
    assert table.loc["货损", "payout_ratio"] == pytest.approx(800 / 1500)
    assert table.loc["货损", "mean_claim"] == 750.0 and table.loc["货损", "claim_rate"] == 1.0
    assert np.isnan(table.loc["延误", "payout_ratio"])
    overall = claims_summary(_claims(), by=None)
    assert overall["claims"] == 3 and overall["claimed"] == 3500.0


def test_claims_errors():
    c = _claims()
    c.loc[0, "compensation"] = -1
    with pytest.raises(ValueError, match="negative"):
        claims_summary(c)
    c = _claims()
    c.loc[0, "claim_amount"] = np.nan
    with pytest.raises(ValueError, match="missing"):
        claims_summary(c)
    with pytest.raises(ValueError, match="claim_amount"):
        claims_summary(_claims().drop(columns="claim_amount"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("xyz"), st.floats(0, 1e5), st.floats(0, 1)),
                min_size=1, max_size=20))
def test_claims_properties(rows):
    c = pd.DataFrame({"cause": [r[0] for r in rows], "claim_amount": [r[1] for r in rows],
                      "compensation": [r[1] * r[2] for r in rows]})
    table = claims_summary(c)
    assert table["complaints"].sum() == len(c)
    ratio = table["payout_ratio"].dropna()
    assert ((ratio >= 0) & (ratio <= 1 + 1e-9)).all()
    assert table["claimed"].is_monotonic_decreasing


# --- recovery_effect -------------------------------------------------------------------------

def test_recovery_paradox_by_hand():
    complaints = pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4"],
        "outcome": ["全额赔付", "全额赔付", "驳回", "处理中"],
        "satisfaction_after": [7, 6, 2, np.nan],
    })
    surveys = pd.DataFrame({"customer_id": ["c1", "n1", "n2", "n3"], "overall": [1, 5, 5, 6]})
    table = recovery_effect(complaints, surveys, by="outcome")
    base = table.iloc[0]
    # never complained: n1..n3 -> mean 16/3; c1's survey is left out
    assert base["n"] == 3 and base["mean"] == pytest.approx(16 / 3)
    full = table.set_index("group").loc["全额赔付"]
    assert full["mean"] == 6.5 and full["diff"] == pytest.approx(6.5 - 16 / 3)
    open_ = table.set_index("group").loc["处理中"]
    assert open_["n"] == 0 and open_["n_missing"] == 1
    one = recovery_effect(complaints, pd.Series([4.0, 6.0]))
    assert one["n"].tolist() == [2, 3] and one["diff"].iloc[1] == pytest.approx(5.0 - 5.0)


def test_recovery_errors():
    c = pd.DataFrame({"customer_id": ["a"], "satisfaction_after": [5]})
    with pytest.raises(ValueError, match="no scores"):
        recovery_effect(c, pd.DataFrame({"customer_id": ["a"], "overall": [3]}))
    with pytest.raises(ValueError, match="overall"):
        recovery_effect(c, pd.DataFrame({"customer_id": ["b"], "score": [3]}))
    with pytest.raises(TypeError, match="numbers"):
        recovery_effect(c.assign(satisfaction_after=["good"]), pd.Series([3]))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=1, max_size=20),
       st.lists(st.integers(1, 7), min_size=1, max_size=20))
def test_recovery_properties(after, base):
    c = pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(after))],
                      "satisfaction_after": after})
    table = recovery_effect(c, pd.Series(base, dtype=float))
    assert table["n"].tolist() == [len(base), len(after)]
    assert table["diff"].iloc[1] == pytest.approx(np.mean(after) - np.mean(base))
    assert table["mean"].between(1, 7).all()


def test_surveys_after_complaints_groups_each_response_by_the_complaint_just_before_it():
    s = pd.DataFrame({"customer_id": ["a", "a", "b", "x", "c"], "overall": [6, 3, 4, 5, 2],
                      "survey_date": pd.to_datetime(["2025-03-01", "2025-12-01", "2025-03-01",
                                                     "2025-03-01", "2025-03-01"])})
    c = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "outcome": ["驳回", "全额赔付", "驳回", "道歉"],
                      "resolved_at": pd.to_datetime(["2024-12-01", "2025-02-20", "2024-01-05", None])})
    out = surveys_after_complaints(s, c)
    # a: the later complaint wins; a's December survey is 284 days after it (outside 180); b: too old;
    # c: only an open complaint; x never complained
    assert out["group"].iloc[0] == "全额赔付"
    assert out["group"].iloc[1:3].isna().all() and pd.isna(out["group"].iloc[4])
    assert out["group"].iloc[3] == "从未投诉 never complained"
    assert out.index.equals(s.index) and out["overall"].tolist() == s["overall"].tolist()
    assert surveys_after_complaints(s, c, window_days=400)["group"].iloc[1] == "全额赔付"


def test_surveys_after_complaints_rejects_bad_input():
    s = pd.DataFrame({"customer_id": ["a"], "survey_date": pd.to_datetime(["2025-01-01"])})
    c = pd.DataFrame({"customer_id": ["a"], "outcome": ["驳回"], "resolved_at": pd.to_datetime(["2024-12-01"])})
    with pytest.raises(ValueError, match="resolved_at"):
        surveys_after_complaints(s, c.drop(columns="resolved_at"))
    with pytest.raises((ValueError, TypeError), match="window_days"):
        surveys_after_complaints(s, c, window_days=-5)
