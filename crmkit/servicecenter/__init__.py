"""Staffing a logistics customer service centre: Erlang C, service level, simulation, call logs.

Textbook: chapter 8, 现代物流客户服务中心的建设 (第二节 物流客户服务中心的设计; 第三节 物流客服中心的
人员管理 — 业务管理).
Notebook: notebooks/08_service_center.ipynb

Units used throughout (state them to students!):

* ``calls_per_hour`` — calls per **hour** (来电量/小时);
* ``aht_s`` — average handle time (平均处理时长: talk + wrap-up) in **seconds**;
* ``answer_within_s`` and every waiting time — **seconds**.

Offered traffic ``A = calls_per_hour · aht_s / 3600`` Erlangs is the number of agents that would be busy
all the time. With ``N ≤ A`` agents the queue grows without bound: the wait probability is 1.
"""
from crmkit.servicecenter.calllog import abandonment_rate, observed_service_level, staffing_plan
from crmkit.servicecenter.erlang import (
    ANSWER_WITHIN_S, SERVICE_LEVEL_TARGET, agents_needed, asa, erlang_b, erlang_c, occupancy,
    offered_load, service_level,
)
from crmkit.servicecenter.simulation import simulate_queue, simulate_waits

__all__ = [
    "SERVICE_LEVEL_TARGET", "ANSWER_WITHIN_S", "offered_load", "erlang_b", "erlang_c",
    "service_level", "asa", "occupancy", "agents_needed", "staffing_plan", "abandonment_rate",
    "observed_service_level", "simulate_waits", "simulate_queue",
]
