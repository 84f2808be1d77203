"""The methods benchmark still runs and crmkit agrees with DuckDB (small size; no timing asserts)."""
import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("duckdb")
SPEC = importlib.util.spec_from_file_location(
    "bench_methods", Path(__file__).resolve().parents[1] / "benchmarks" / "bench_methods.py")
bench = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(bench)


def test_rfm_and_abc_agree_with_duckdb(capsys):
    assert bench.main(["--rows", "20000", "--customers", "800"]) == 0
    out = capsys.readouterr().out
    assert "R, F, M scores agree      : True" in out
    assert "ABC classes agree         : True" in out


def test_the_comparison_can_fail():
    shipments = bench.make_shipments(5000, 300)
    import duckdb

    con = duckdb.connect()
    con.register("shipments", shipments)
    sql = bench.run_duckdb(con).set_index("customer_id")
    scores, _ = bench.run_crmkit(shipments.assign(revenue=shipments["revenue"][::-1].to_numpy()))
    assert not (scores.set_index("customer_id")["M"] == sql["M"]).all()
