"""`make bench` runs every benchmark: benchmarks/run.py finds each bench_*.py and reports failures."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
run = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(run)


def test_run_finds_every_benchmark_file():
    assert {p.name for p in run.benchmarks()} == {p.name for p in (ROOT / "benchmarks").glob("bench_*.py")}
    assert {p.name for p in run.benchmarks(["speed"])} == {"bench_speed.py"}


def test_run_fails_on_an_unknown_name(capsys):
    assert run.main(["no-such-benchmark"]) == 2


def test_make_bench_calls_the_runner():
    assert "benchmarks/run.py" in (ROOT / "Makefile").read_text()
    assert (ROOT / "benchmarks" / "run.py").exists()


def test_py_typed_is_shipped():
    import tomllib

    assert (ROOT / "crmkit" / "py.typed").exists()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "py.typed" in data["tool"]["setuptools"]["package-data"]["crmkit"]
