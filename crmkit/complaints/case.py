"""Complaint case state machine: the 投诉处理流程 as a transitions table.

Textbook: chapter 10, 现代物流客户服务技巧 — 第三节 物流客户服务投诉与处理技巧
(客户投诉含理赔申诉的处理流程, 处理客户投诉的一般方法).
Notebook: notebooks/10_complaints_service_skills.ipynb

A complaint (投诉) moves through fixed states; :data:`TRANSITIONS` is the whole process as a table
and :class:`ComplaintCase` only looks moves up in it (no if-chain per state).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import DateLike, to_timestamp

__all__ = ["HANDLING_PRINCIPLES", "STATE_LABELS", "TRANSITIONS", "ComplaintCase",
           "transition_table"]

#: The five complaint-handling principles (投诉处理原则) named in the course seeds (seed 000, CRM in
#: third-party logistics) and textbook ch. 10 §3. The English glosses are our own summaries.
HANDLING_PRINCIPLES = {
    "善待投诉": "Treat complaints well: a complaint is free information and a chance to keep the customer.",
    "快速反应": "Respond fast: acknowledge at once and fix quickly, before the customer's anger grows.",
    "责任明确": "Clear responsibility: every complaint has a named owner and each department knows its duty.",
    "直接投诉": "Complaints go direct to the unit responsible, without being passed around.",
    "投诉建档": "Keep a complaint file: record every case so causes can be counted and prevented.",
}

#: States of a complaint case with their Chinese labels (process of textbook ch. 10 §3, 理赔 = claim).
STATE_LABELS = {
    "received": "已受理", "acknowledged": "已确认", "investigating": "调查中", "escalated": "已升级",
    "resolved": "已解决", "claim_paid": "已理赔", "closed": "已结案",
}

#: The process as a table: state -> {move: next state}. Escalation (升级) is allowed while the case
#: is acknowledged or under investigation; an escalated case is then resolved or paid.
TRANSITIONS = {
    "received": {"acknowledge": "acknowledged"},
    "acknowledged": {"investigate": "investigating", "escalate": "escalated"},
    "investigating": {"resolve": "resolved", "pay_claim": "claim_paid", "escalate": "escalated"},
    "escalated": {"resolve": "resolved", "pay_claim": "claim_paid"},
    "resolved": {"close": "closed"},
    "claim_paid": {"close": "closed"},
    "closed": {},
}

_RESOLVING_MOVES = ("resolve", "pay_claim")


class ComplaintCase:
    """One complaint moving through the states of :data:`TRANSITIONS`.

    Each method performs one move at time ``at``; a move the table does not allow from the current
    state raises ``ValueError`` naming the state, the move and the moves that are allowed. Times
    must not go backwards (textbook ch. 10 §3, 客户投诉含理赔申诉的处理流程).

    Parameters
    ----------
    case_id : str
        The complaint id, e.g. ``"CP-0001"``.
    opened_at : date-like
        When the complaint was received (state ``"received"``).

    Examples
    --------
    >>> case = ComplaintCase("CP-1", "2025-03-01 09:00")
    >>> case.acknowledge("2025-03-01 10:30").investigate("2025-03-01 11:00").state
    'investigating'
    >>> case.pay_claim("2025-03-02 09:00", amount=500).close("2025-03-03").state
    'closed'
    >>> case.history[["move", "to_state"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['open', 'received'], ['acknowledge', 'acknowledged'], ['investigate', 'investigating'],
     ['pay_claim', 'claim_paid'], ['close', 'closed']]
    >>> ComplaintCase("CP-2", "2025-03-01").close("2025-03-02")
    Traceback (most recent call last):
    ...
    ValueError: Cannot close a complaint that is 'received': allowed moves from 'received' are acknowledge.
    """

    def __init__(self, case_id: str, opened_at: DateLike) -> None:
        self.case_id = case_id
        self.state = "received"
        self._rows = [dict(at=to_timestamp(opened_at, "opened_at"), move="open", from_state=None,
                           to_state="received", reason=None, amount=np.nan)]

    def __repr__(self):
        return f"ComplaintCase({self.case_id!r}, state={self.state!r} {STATE_LABELS[self.state]})"

    @property
    def allowed_moves(self) -> tuple:
        """The moves :data:`TRANSITIONS` allows from the current state."""
        return tuple(TRANSITIONS[self.state])

    @property
    def history(self) -> pd.DataFrame:
        """Every move so far: ``at, move, from_state, to_state, state_zh, reason, amount``."""
        frame = pd.DataFrame(self._rows)
        frame.insert(4, "state_zh", frame["to_state"].map(STATE_LABELS))
        return frame

    def move(self, move: str, at: DateLike, *, reason: str | None = None,
             amount: float | None = None) -> "ComplaintCase":
        """Perform ``move`` at time ``at``; the named methods below all call this one."""
        options = TRANSITIONS[self.state]
        if move not in options:
            allowed = ", ".join(options)
            allowed = (f"allowed moves from '{self.state}' are {allowed}." if allowed else
                       f"no moves are allowed from '{self.state}' (the case is finished).")
            raise ValueError(f"Cannot {move} a complaint that is '{self.state}': {allowed}")
        when = to_timestamp(at, "at")
        last = self._rows[-1]["at"]
        if when < last:
            raise ValueError(f"`at` ({when}) is before the previous step ({last}): "
                             "times in a complaint case must not go backwards.")
        if move == "pay_claim" or amount is not None:
            _check_amount(amount)
        self._rows.append(dict(at=when, move=move, from_state=self.state, to_state=options[move],
                               reason=reason, amount=np.nan if amount is None else float(amount)))
        self.state = options[move]
        return self

    def acknowledge(self, at: DateLike) -> ComplaintCase:
        """Confirm receipt to the customer (已确认); the first response."""
        return self.move("acknowledge", at)

    def investigate(self, at: DateLike) -> ComplaintCase:
        """Start finding the cause (调查中)."""
        return self.move("investigate", at)

    def escalate(self, at: DateLike, reason: str | None = None) -> ComplaintCase:
        """Pass the case to a higher level (升级), e.g. a manager or the claims desk."""
        return self.move("escalate", at, reason=reason)

    def resolve(self, at: DateLike) -> ComplaintCase:
        """Settle the case without payment (已解决), e.g. apology or redelivery."""
        return self.move("resolve", at)

    def pay_claim(self, at: DateLike, amount: float) -> ComplaintCase:
        """Settle the case by paying compensation (已理赔); ``amount`` in yuan, zero or more."""
        return self.move("pay_claim", at, amount=amount)

    def close(self, at: DateLike) -> ComplaintCase:
        """File the finished case (已结案)."""
        return self.move("close", at)

    def to_record(self) -> dict:
        """The case as one row of a complaints table (ids, times and compensation)."""
        hist = self.history
        first = hist.loc[hist["move"] != "open", "at"]
        done = hist.loc[hist["move"].isin(_RESOLVING_MOVES), "at"]
        return {"complaint_id": self.case_id, "opened_at": hist["at"].iloc[0],
                "first_response_at": first.iloc[0] if len(first) else pd.NaT,
                "resolved_at": done.iloc[0] if len(done) else pd.NaT,
                "compensation": float(hist["amount"].fillna(0).sum()), "state": self.state}


def _check_amount(amount):
    if isinstance(amount, bool) or not isinstance(amount, (int, float, np.integer, np.floating)):
        raise TypeError(f"`amount` must be a number of yuan, but {amount!r} was passed.")
    if not np.isfinite(amount) or amount < 0:
        raise ValueError(f"`amount` must be zero or more yuan, but {amount!r} was passed.")


def transition_table() -> pd.DataFrame:
    """:data:`TRANSITIONS` as a tidy table, one row per allowed move.

    Returns
    -------
    pandas.DataFrame
        ``state, state_zh, move, next_state, next_state_zh``.

    Examples
    --------
    >>> transition_table().query("state == 'escalated'")["move"].tolist()
    ['resolve', 'pay_claim']
    """
    rows = [(s, m, n) for s, moves in TRANSITIONS.items() for m, n in moves.items()]
    table = pd.DataFrame(rows, columns=["state", "move", "next_state"])
    table.insert(1, "state_zh", table["state"].map(STATE_LABELS))
    table["next_state_zh"] = table["next_state"].map(STATE_LABELS)
    return table
