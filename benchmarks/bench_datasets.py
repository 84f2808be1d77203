"""Time the dataset generator: classroom build, a 1M-shipment build, and vectorised vs per-row Faker.

Run: .venv/bin/python benchmarks/bench_datasets.py [--rows 100000] [--repeat 3] [--skip-big]

1. ``build`` of the classroom scale into a fresh folder (generate + validate + write CSV, truth,
   manifest, dictionary). Target <= 3 s.
2. ``build`` of 1,000,000 shipments (the ``course`` scale: 20,000 customers, 600,000 calls ...).
   Target <= 10 s.
3. At ``--rows`` shipments (default 100,000) the shipments table made two ways in the same process:
   crmkit's vectorised ``make_shipments`` (numpy, whole columns), and a plain per-row loop that asks
   Faker for every field of every row and builds a DataFrame from a list of dicts - what most
   teaching repos do. Reported as a ratio. Target >= 30x.

Best of ``--repeat`` runs for 1 and 3a; the per-row loop and the 1M build run once (they are long).
No assertions: this prints figures for benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import datetime

import numpy as np
import pandas as pd
from faker import Faker

from crmkit.datasets import build
from crmkit.datasets.config import Config
from crmkit.datasets.customers import make_customers
from crmkit.datasets.shipments import make_shipments

SERVICES = ("整车", "零担", "快递", "仓储", "冷链")
WINDOWS = ("上午", "下午", "夜间")


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def build_once(scale) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        build(out, scale=scale)
        return time.perf_counter() - start


def vectorised(rows: int):
    """crmkit's way: whole shipment columns from numpy, for 2,000 customers made beforehand
    (the per-row loop below is likewise handed its customer ids)."""
    cfg = Config.make(scale={"customers": 2_000, "shipments": rows})
    customers, state = make_customers(cfg.rng("customers"), cfg.sizes["customers"], cfg)
    return lambda: make_shipments(cfg.rng("shipments"), customers, state, cfg)[0]


def per_row_faker(rows: int, seed: int = 2016) -> pd.DataFrame:
    """The usual teaching-repo way: one Faker call per field per row, a list of dicts."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    customer_ids = [f"C{i:05d}" for i in range(1, 2_001)]
    start, end = datetime(2024, 1, 1), datetime(2025, 12, 31, 23, 59)
    records = []
    for i in range(rows):
        order = fake.date_time_between(start_date=start, end_date=end)
        promised = fake.date_time_between(start_date=order, end_date=datetime(2026, 1, 10))
        delivered = fake.date_time_between(start_date=order, end_date=datetime(2026, 1, 12))
        origin, dest = fake.city_name(), fake.city_name()
        items = fake.random_int(1, 50)
        delivered_items = items - fake.random_int(0, 1)
        revenue = fake.pyfloat(min_value=10, max_value=20_000, right_digits=2)
        records.append({
            "shipment_id": f"SH-{i + 1:08d}",
            "customer_id": fake.random_element(customer_ids),
            "order_date": order,
            "service": fake.random_element(SERVICES),
            "origin_city": origin,
            "dest_city": dest,
            "route": f"{origin}-{dest}",
            "time_window": fake.random_element(WINDOWS),
            "weight_kg": fake.pyfloat(min_value=0.1, max_value=32_000, right_digits=1),
            "distance_km": fake.pyfloat(min_value=3, max_value=4_000, right_digits=1),
            "revenue": revenue,
            "cost": round(revenue * fake.pyfloat(min_value=0.6, max_value=1.1), 2),
            "declared_value": fake.pyfloat(min_value=10, max_value=1e6, right_digits=0),
            "promised_at": promised,
            "delivered_at": delivered,
            "on_time": delivered <= promised,
            "items_ordered": items,
            "items_delivered": delivered_items,
            "in_full": delivered_items == items,
            "damaged": fake.pybool(2),
            "lost": fake.pybool(1),
            "doc_error": fake.pybool(2),
        })
    return pd.DataFrame.from_records(records)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows for the per-row comparison")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-big", action="store_true", help="skip the 1M-shipment build")
    args = parser.parse_args(argv)

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    build_once("tiny")  # import and warm-up
    rows = []
    classroom = min(build_once("classroom") for _ in range(args.repeat))
    rows.append(("classroom build (2,000 customers, 100k shipments, all files)", classroom, "<= 3 s"))
    if not args.skip_big:
        big = build_once("course")
        rows.append(("course build (1,000,000 shipments, 600k calls, all files)", big, "<= 10 s"))
    vec = timed(vectorised(args.rows), args.repeat)
    rows.append((f"shipments table, {args.rows:,} rows, vectorised (crmkit)", vec, ""))
    loop = timed(lambda: per_row_faker(args.rows))
    rows.append((f"shipments table, {args.rows:,} rows, per-row Faker loop", loop, ""))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'what':<{width}}  {'seconds':>8}  target")
    for what, secs, target in rows:
        print(f"{what:<{width}}  {secs:8.2f}  {target}")
    print(f"{'speed-up of vectorised over per-row Faker':<{width}}  {loop / vec:7.1f}x  >= 30x")


if __name__ == "__main__":
    main()
