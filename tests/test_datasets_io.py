"""Dataset files: shipped files match a fresh build, byte-identical builds, no overwrite, loading
with and without BOM, schema errors on broken files, xlsx, and the CSV writer itself."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.datasets import (TABLES, TRUTH_TABLES, BuildConflict, build, data_dir, generate, load,
                             load_truth)
from crmkit.datasets.__main__ import DICTIONARY, main
from crmkit.datasets.io import BOM, PACKAGE_DATA, csv_bytes, sha256
from crmkit.datasets.schemas import SPECS
from crmkit.datasets.store import XLSX_NAME, render

SMALL = {"customers": 40, "shipments": 800, "surveys": 60, "complaints": 40, "calls": 300}
SHIPPED = data_dir()


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("small")
    build(out, scale=SMALL, seed=3)
    return out


def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir(exist_ok=True)
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


# ---- shipped files -------------------------------------------------------------------------

def test_shipped_files_match_a_fresh_classroom_build():
    # The package copy (gzip'd CSV) holds exactly what a fresh build writes; the hashes in the manifest
    # are those of the plain CSV inside each .gz (gzip's own bytes may differ between zlib versions).
    import gzip

    assert SHIPPED == PACKAGE_DATA
    manifest = json.loads((SHIPPED / "MANIFEST.json").read_text(encoding="utf-8"))
    assert (manifest["seed"], manifest["scale"], manifest["locale"]) == (2016, "classroom", "zh_CN")
    fresh = render(generate(seed=manifest["seed"], scale=manifest["scale"]))
    dictionary = fresh.pop("README.md")
    assert manifest["files"]["README.md"]["sha256"] == sha256(dictionary)
    if DICTIONARY.parent.is_dir():  # a clone: the data dictionary is in step too
        assert DICTIONARY.read_bytes() == dictionary, "datasets/README.md differs from a fresh build"
    for name, data in fresh.items():
        packed = SHIPPED / f"{name}.gz"
        on_disk = gzip.decompress(packed.read_bytes()) if name.endswith(".csv") else (SHIPPED / name).read_bytes()
        assert sha256(on_disk) == sha256(data), f"{name} differs from a fresh build"
        if name != "MANIFEST.json":
            assert manifest["files"][name]["sha256"] == sha256(data)
    assert {p.name for p in SHIPPED.iterdir()} == {n + ".gz" if n.endswith(".csv") else n for n in fresh}
    total = sum(p.stat().st_size for p in SHIPPED.iterdir())
    assert total <= 8_000_000  # ≈5.2 MB: the CSV files compress about 4.5×


def test_package_copy_build_is_byte_identical(tmp_path):
    build(tmp_path / "a", scale=SMALL, seed=3, fmt="csv.gz")
    build(tmp_path / "b", scale=SMALL, seed=3, fmt="csv.gz")
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    assert a == {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert "customers.csv.gz" in a and "README.md" not in a and a["customers.csv.gz"][4:8] == b"\0\0\0\0"


def test_load_reads_plain_and_gzipped_folders_alike(small_dir, tmp_path):
    build(tmp_path, scale=SMALL, seed=3, fmt="csv.gz")
    for name in ("customers", "shipments"):
        pd.testing.assert_frame_equal(load(name, tmp_path), load(name, small_dir))


def test_shipped_csv_has_bom_and_loads_with_dtypes():
    import gzip

    assert gzip.decompress((SHIPPED / "customers.csv.gz").read_bytes()).startswith(BOM)
    shipments = load("shipments")
    assert shipments["order_date"].dtype == "datetime64[s]"
    assert shipments["service"].dtype == "category" and shipments["on_time"].dtype == bool
    assert list(shipments.columns) == [s.name for s in SPECS["shipments"]]
    truth = load_truth()
    assert truth.trap["planted_share"] == 0.75
    assert set(truth.customer_truth["customer_id"]) == set(load("customers")["customer_id"])


def test_cli_refuses_other_data_in_the_package_copy(capsys):
    assert main(["build", "--scale", "tiny", "--quiet"]) == 2
    assert "package copy is the classroom data" in capsys.readouterr().err


def test_load_equals_generate(small_dir):
    ds = generate(seed=3, scale=SMALL)
    for name in TABLES:
        pd.testing.assert_frame_equal(load(name, small_dir), ds.tables[name], check_exact=False,
                                      atol=0.006)
    truth = load_truth(small_dir)
    pd.testing.assert_frame_equal(truth.customer_truth, ds.truth.customer_truth, atol=0.006)
    assert truth.servqual_weights == ds.truth.servqual_weights


def test_env_var_points_load_elsewhere(small_dir, monkeypatch):
    monkeypatch.setenv("CRMKIT_DATA_DIR", str(small_dir))
    assert len(load("customers")) == SMALL["customers"]


# ---- determinism and no-overwrite ------------------------------------------------------------

def test_build_twice_gives_byte_identical_files(small_dir, tmp_path):
    build(tmp_path, scale=SMALL, seed=3)
    names = sorted(p.name for p in small_dir.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (tmp_path / name).read_bytes() == (small_dir / name).read_bytes(), name


def test_build_never_overwrites_without_force(small_dir, tmp_path):
    out = _copy(small_dir, tmp_path / "data")
    assert set(build(out, scale=SMALL, seed=3).values()) == {"unchanged"}
    (out / "customers.csv").write_text("my own notes", encoding="utf-8")
    (out / "calls.csv").unlink()
    with pytest.raises(BuildConflict, match="customers.csv") as info:
        build(out, scale=SMALL, seed=3)
    assert info.value.files == ["customers.csv"]
    assert (out / "customers.csv").read_text(encoding="utf-8") == "my own notes"
    assert not (out / "calls.csv").exists()           # nothing at all written on a conflict
    with pytest.raises(BuildConflict):                  # another seed differs everywhere
        build(out, scale=SMALL, seed=4)
    status = build(out, scale=SMALL, seed=3, force=True)
    assert status["customers.csv"] == "overwritten" and status["calls.csv"] == "written"
    assert status["shipments.csv"] == "unchanged"
    assert (out / "customers.csv").read_bytes() == (small_dir / "customers.csv").read_bytes()


def test_cli_builds_and_refuses(small_dir, tmp_path, capsys):
    out = _copy(small_dir, tmp_path / "cli")
    (out / "README.md").write_text("edited", encoding="utf-8")
    code = main(["build", "--out", str(out), "--scale", "tiny", "--quiet"])
    assert code == 2
    err = capsys.readouterr().err
    assert "README.md" in err and "--force" in err
    assert main(["build", "--out", str(tmp_path / "new"), "--scale", "tiny", "--seed", "3",
                 "--quiet"]) == 0
    assert "written" in capsys.readouterr().out
    assert (tmp_path / "new" / "shipments.csv").exists()


# ---- reading: BOM, broken files ---------------------------------------------------------------

def test_load_reads_with_or_without_bom(small_dir, tmp_path):
    out = _copy(small_dir, tmp_path / "nobom")
    raw = (out / "shipments.csv").read_bytes()
    (out / "shipments.csv").write_bytes(raw[len(BOM):])
    pd.testing.assert_frame_equal(load("shipments", out), load("shipments", small_dir))


def _break(src, tmp_path, table, edit):
    out = _copy(src, tmp_path / "broken")
    frame = pd.read_csv(out / f"{table}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    edit(frame)
    (out / f"{table}.csv").write_text(frame.to_csv(index=False), encoding="utf-8-sig")
    return out


@pytest.mark.parametrize("table, edit, message", [
    ("shipments", lambda f: f.pop("weight_kg"), "weight_kg"),
    ("shipments", lambda f: f.loc.__setitem__((0, "service"), "快运"), "service.*快运"),
    ("shipments", lambda f: f.loc.__setitem__((1, "weight_kg"), "-5"), "weight_kg.*greater_than"),
    ("shipments", lambda f: f.loc.__setitem__((2, "customer_id"), "C99999"), "customer_id.*C99999"),
    ("shipments", lambda f: f.loc.__setitem__((3, "order_date"), "yesterday"), "order_date.*yesterday"),
    ("shipments", lambda f: f.loc.__setitem__((4, "shipment_id"), f.loc[5, "shipment_id"]),
     "shipment_id"),
    ("surveys", lambda f: f.loc.__setitem__((0, "overall"), "9"), "overall"),
    ("calls", lambda f: f.__setitem__("extra", "x"), "extra"),
])
def test_broken_file_gives_a_clear_message(small_dir, tmp_path, table, edit, message):
    out = _break(small_dir, tmp_path, table, edit)
    with pytest.raises(ValueError, match=message) as info:
        load(table, out)
    assert f"{table}.csv" in str(info.value)


def test_load_names_missing_and_unknown_tables(tmp_path):
    with pytest.raises(FileNotFoundError, match="build --out"):
        load("shipments", tmp_path)
    with pytest.raises(FileNotFoundError, match="build --out"):
        load_truth(tmp_path)
    with pytest.raises(ValueError, match="Tables: customers"):
        load("shipment")
    (tmp_path / "customers.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match="could not be read"):
        load("customers", tmp_path)


def test_load_without_validation_and_en_us_folder(tmp_path):
    build(tmp_path, scale=SMALL, seed=3, locale="en_US")
    frame = load("complaints", tmp_path, validate=False)
    assert "delay" in set(frame["cause"].cat.categories)
    (tmp_path / "MANIFEST.json").unlink()               # locale guessed from the labels
    assert load("shipments", tmp_path)["service"].cat.categories[0] == "FTL"


# ---- xlsx ---------------------------------------------------------------------------------------

def test_xlsx_workbook_is_deterministic_and_readable(tmp_path):
    tiny = {"customers": 20, "shipments": 100, "surveys": 20, "complaints": 10, "calls": 50}
    build(tmp_path / "a", scale=tiny, fmt="xlsx")
    build(tmp_path / "b", scale=tiny, fmt="xlsx")
    a, b = (tmp_path / "a" / XLSX_NAME).read_bytes(), (tmp_path / "b" / XLSX_NAME).read_bytes()
    assert a == b
    sheets = pd.read_excel(tmp_path / "a" / XLSX_NAME, sheet_name=None)
    assert set(TABLES) | set(TRUTH_TABLES) | {"说明"} == set(sheets)
    assert len(sheets["shipments"]) == 100
    with pytest.raises(ValueError, match="fmt"):
        build(tmp_path / "c", scale=tiny, fmt="parquet")


def test_xlsx_refuses_tables_longer_than_excel(monkeypatch):
    from crmkit.datasets import io

    monkeypatch.setattr(io, "EXCEL_MAX_ROWS", 10)
    with pytest.raises(ValueError, match="Use the CSV format"):
        io.xlsx_bytes({"shipments": pd.DataFrame({"a": range(20)})})


# ---- the CSV writer ------------------------------------------------------------------------------

def test_csv_writer_quotes_formats_and_round_trips():
    frame = pd.DataFrame({
        "extract": pd.array(['a,b', 'say "hi"', None, "上海 恒通 "], dtype="str"),
        "record_id": pd.array(["x", "y", "z", "w"], dtype="str"),
        "customer_id": pd.array(["C1", "C2", "C3", "C4"], dtype="str"),
        "duplicate": [True, False, True, False],
        "name_variant": [False, False, False, True],
        "stale": [False, True, False, False]})
    data = csv_bytes(frame, "extract_links", bom=False)
    lines = data.decode("utf-8").splitlines()
    assert lines[1] == '"a,b",x,C1,True,False,False'
    assert lines[2] == '"say ""hi""",y,C2,False,False,True'
    assert lines[3].startswith(",z,")
    back = pd.read_csv(pd.io.common.BytesIO(data), dtype={"extract": "str"}, keep_default_na=False,
                       na_values=[""])
    assert back["extract"].tolist()[:2] == ["a,b", 'say "hi"'] and back["extract"][3] == "上海 恒通 "


def test_csv_writer_numbers_and_dates():
    frame = pd.DataFrame({
        "customer_id": pd.array(["C1", "C2", "C3"], dtype="str"),
        "tier": pd.Categorical(["关键客户", None, "一般客户"],
                               categories=["关键客户", "合适客户", "一般客户"]),
        "motive_type": pd.Categorical(["经济型"] * 3),
        "churned": [False, True, False],
        "churn_date": np.array(["NaT", "2025-03-01", "NaT"], dtype="datetime64[s]"),
        "stage": pd.Categorical(["客户"] * 3),
        "profit": [-1234.567, 0.004, 99.996],
        "revenue": [1.5, 0.0, 1e9]})
    lines = csv_bytes(frame, "customer_truth", bom=False).decode().splitlines()
    assert lines[1] == "C1,关键客户,经济型,False,,客户,-1234.57,1.50"
    assert lines[2] == "C2,,经济型,True,2025-03-01,客户,0.00,0.00"
    assert lines[3] == "C3,一般客户,经济型,False,,客户,100.00,1000000000.00"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), min_size=1, max_size=30),
       st.lists(st.datetimes(min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
                             max_value=pd.Timestamp("2030-01-01").to_pydatetime()),
                min_size=1, max_size=30))
def test_csv_writer_round_trips_numbers_and_times(values, times):
    n = min(len(values), len(times))
    frame = pd.DataFrame({"survey_id": pd.array([f"SV-{i:05d}" for i in range(n)], dtype="str"),
                          "customer_id": pd.array(["C00001"] * n, dtype="str"),
                          "survey_date": np.array(times[:n], dtype="datetime64[s]")})
    back = pd.read_csv(pd.io.common.BytesIO(csv_bytes(frame, "surveys")), encoding="utf-8-sig",
                       dtype=str)
    parsed = pd.to_datetime(back["survey_date"], format="ISO8601").astype("datetime64[s]")
    assert (parsed.to_numpy() == frame["survey_date"].to_numpy()).all()
    money = pd.DataFrame({"contract_id": pd.array([f"HT-C{i:05d}" for i in range(len(values))], dtype="str"),
                          "claim_cap": values})
    text = csv_bytes(money, "contracts", bom=False).decode().splitlines()[1:]
    got = np.array([float(line.split(",")[1]) for line in text])
    np.testing.assert_allclose(got, values, atol=0.0051)


def test_truth_json_handles_numpy_numbers():
    from crmkit.datasets.core import Truth
    from crmkit.datasets.store import _truth_json

    text = _truth_json(Truth({"a": np.float64(0.5), "b": np.int64(3), "t": pd.DataFrame()}))
    assert json.loads(text) == {"a": 0.5, "b": 3}
    with pytest.raises(TypeError, match="not JSON"):
        _truth_json(Truth({"a": object()}))


# --- the data dictionary in both languages (issue 12) ------------------------------------------

def test_every_column_has_a_chinese_meaning_and_nothing_else_does():
    from crmkit.datasets.meanings_zh import MEANINGS_ZH, TABLES_ZH
    import re
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert set(MEANINGS_ZH) == set(SPECS) == set(TABLES_ZH)
    for table, specs in SPECS.items():
        names = [s.name for s in specs]
        assert sorted(MEANINGS_ZH[table]) == sorted(names), table
        for name, text in MEANINGS_ZH[table].items():
            assert cjk.search(text), f"{table}.{name}: meaning has no Chinese: {text!r}"
        assert cjk.search(TABLES_ZH[table]), table


def test_the_dictionary_gives_each_column_in_both_languages():
    from crmkit.datasets.dictionary import dictionary_markdown
    from crmkit.datasets.meanings_zh import meaning_zh
    text = dictionary_markdown()
    assert "| column | 中文名 | type | unit | 含义 | meaning | values |" in text
    sections = dict(part.split("\n", 1) for part in text.split("\n## ")[1:])
    for table, specs in SPECS.items():
        rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")
                for line in sections[table].splitlines() if line.startswith("| ")}
        for spec in specs:
            cells = rows[spec.name]
            assert cells[4] == meaning_zh(table, spec.name) and cells[5] == spec.doc.replace("|", "\\|"), \
                (table, spec.name, cells)


def test_a_missing_chinese_meaning_names_the_column():
    from crmkit.datasets.meanings_zh import meaning_zh
    with pytest.raises(KeyError, match="shipments.no_such_column"):
        meaning_zh("shipments", "no_such_column")
