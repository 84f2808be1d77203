"""The generator's vectorised helpers give exactly what the per-row Python they replaced gave."""
from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

from crmkit.datasets import customers, extracts, shipments
from crmkit.datasets._util import format_columns, ids, zero_pad
from crmkit.datasets.geography import CITIES, City, city_table, city_weights
from crmkit.datasets.io import _digits, _number_matrix, csv_bytes
from crmkit.datasets.providers import PROVIDERS, locale_provider
from crmkit.datasets.schemas import _all_ids, _id_check, check_foreign_key


def _text(matrix: np.ndarray) -> list[str]:
    return [bytes(row[row != 0]).decode() for row in matrix]


@pytest.mark.parametrize("prefix,n,width,start", [("C", 2_000, 5, 1), ("SH-", 1_234, 8, 1),
                                                  ("A", 5, 1, 98), ("KF-", 0, 6, 1)])
def test_ids_match_fstrings(prefix, n, width, start):
    w = max(width, len(str(start + n - 1)))
    expected = [f"{prefix}{i:0{w}d}" for i in range(start, start + n)]
    got = ids(prefix, n, width, start)
    assert got.dtype == object and got.tolist() == expected


def test_zero_pad_and_format_columns_match_python():
    rng = np.random.default_rng(3)
    numbers = rng.integers(0, 10**8, 500)
    assert zero_pad(numbers, 8).tolist() == [f"{d:08d}" for d in numbers.tolist()]
    city = np.array(["上海", "Xi'an", "兰州"] * 10, dtype=object)
    street = np.array(["人民路", "Renmin Road", "A, B"] * 10, dtype=object)
    number = rng.integers(1, 1000, 30)
    for fmt in ("{city}市{street}{number}号", "{number} {street}, {city}"):
        expected = [fmt.format(city=c, street=s, number=k)
                    for c, s, k in zip(city, street, number.tolist())]
        assert format_columns(fmt, city=city, street=street, number=number).tolist() == expected
    with pytest.raises(ValueError):
        format_columns("{number:03d}", number=number)


def test_digits_and_numbers_as_python_writes_them():
    rng = np.random.default_rng(5)
    a = np.r_[0, 9, 10, 999, 1000, rng.integers(0, 10**12, 300)]
    assert _text(_digits(a)) == [str(x) for x in a.tolist()]
    assert _text(_digits(a[a < 10**6], 6)) == [f"{x:06d}" for x in a[a < 10**6].tolist()]
    x = np.r_[0.0, -0.004, -3.5, 0.5, 12.25, np.nan, rng.normal(0, 1e5, 300)]
    for decimals in (0, 1, 2, 3):
        k = np.round(np.where(np.isnan(x), 0, x) * 10 ** decimals).astype(np.int64)
        unit = 10 ** decimals
        expected = ["" if np.isnan(v) else ("-" if q < 0 else "") + str(abs(q) // unit)
                    + (f".{abs(q) % unit:0{decimals}d}" if decimals else "")
                    for v, q in zip(x.tolist(), k.tolist())]
        assert _text(_number_matrix(x, decimals)) == expected


def test_csv_bytes_same_on_threads_as_in_one_block():
    rng = np.random.default_rng(1)
    n = 120_000  # three blocks
    frame = pd.DataFrame({"customer_id": pd.array(ids("C", n, 5), dtype="str"),
                          "churned": rng.random(n) < 0.1,
                          "profit": np.round(rng.normal(0, 1e4, n), 2)})
    text = csv_bytes(frame, "customer_truth").decode("utf-8-sig")
    assert text == frame.to_csv(index=False, lineterminator="\n", float_format="%.2f")


def test_id_proof_agrees_with_the_elementwise_check():
    good = ids("SH-", 1_000, 8)
    assert _all_ids(good, "SH-", 8)
    check = _id_check(r"^SH-\d{8,}$")
    for bad in ("SH-12", "SH-0000000a", "XH-00000001", "SH-00000001\nSH-00000002", "SH-00000001 "):
        values = good.copy()
        values[7] = bad
        assert not _all_ids(values, "SH-", 8)
        result = check(pd.Series(pd.array(values, dtype="str"))).check_output
        assert int((~result).sum()) == 1
    assert not _all_ids(np.array([], dtype=object), "C", 5)


def test_foreign_key_into_a_big_table_finds_orphans():
    keys = pd.Series(pd.array(ids("SH-", 50_000, 8), dtype="str"))
    fine = pd.Series(pd.array(["SH-00000007", None, "SH-00049999"], dtype="str"))
    check_foreign_key(fine, keys, "complaints.shipment_id", "shipments.shipment_id")
    orphan = pd.Series(pd.array(["SH-00000007", "SH-99999999"], dtype="str"))
    with pytest.raises(ValueError, match="1 value"):
        check_foreign_key(orphan, keys, "complaints.shipment_id", "shipments.shipment_id")


def test_cities_are_named_records_and_the_provider_picks_the_locale():
    assert all(isinstance(c, City) for c in CITIES)
    assert locale_provider("zh_CN").city_names() == tuple(c.name_zh for c in CITIES)
    assert locale_provider("en_US").province_names() == tuple(c.province_en for c in CITIES)
    assert city_table("en_US")["city"].tolist() == [c.name_en for c in CITIES]
    assert city_weights().sum() == pytest.approx(1.0)
    assert set(PROVIDERS) == {"zh_CN", "en_US"}
    with pytest.raises(ValueError, match="locale"):
        locale_provider("fr_FR")


@pytest.mark.parametrize("module", [customers, shipments, extracts])
def test_makers_do_not_branch_on_the_locale(module):
    source = inspect.getsource(module)
    assert 'loc == "zh_CN"' not in source and "c[0]" not in source and "c[3]" not in source


def test_phone_variants_match_the_per_row_forms():
    rng = np.random.default_rng(11)
    numbers = zero_pad(rng.integers(0, 10**8, 200), 8)
    phones = np.array([("+86 138" if i % 2 else "139") + d for i, d in enumerate(numbers)],
                      dtype=object)
    ops = rng.integers(0, 5, len(phones))

    def by_hand(phone, op):
        d = phone.replace("+86 ", "")
        return (d, f"{d[:3]}-{d[3:7]}-{d[7:]}", f"{d[:3]} {d[3:7]} {d[7:]}",
                extracts.full_width(d), "+86" + d)[op]

    assert extracts._phone_variants(phones, ops).tolist() == [
        by_hand(p, op) for p, op in zip(phones.tolist(), ops.tolist())]
    assert extracts._phone_variants(phones[:0], ops[:0]).tolist() == []


def _name_variant_by_hand(name: str, op: int, prov, city: str) -> str:
    """The per-row spelling the vectorised extracts._name_variants replaced."""
    if op == 0:
        for old, new in prov.name_swaps:
            if old in name:
                return name.replace(old, new, 1)
        return name + " "
    if op == 1:
        if prov.group_marker in name:
            return name.replace(prov.group_marker, "", 1)
        return name.replace(prov.group_anchor, prov.group_marker + prov.group_anchor, 1)
    if op == 2:
        if name.startswith(city) and len(name) > len(city) + 4:
            return name[len(city):].lstrip()
        return name.replace(" ", "  ", 1) if " " in name else " ".join([name[:2], name[2:]])
    if op == 3:
        return " " + (name[:len(city)] + " " + name[len(city):] if name.startswith(city) else name) + " "
    if any(ord(ch) < 128 for ch in name):
        return extracts.full_width(name)
    return name.replace("(", "（").replace(")", "）") + " "


@pytest.mark.parametrize("locale", ["zh_CN", "en_US"])
def test_name_variants_match_the_per_row_spelling(locale):
    from crmkit.datasets import generate

    master = generate(seed=5, scale="tiny", locale=locale, validate=False).customers
    extra = np.array(["上海 恒通", "AB", "杭州(集团)A"], dtype=object)
    names = np.concatenate([master["name"].to_numpy(dtype=object), extra])
    cities = np.concatenate([master["city"].astype(str).to_numpy(dtype=object),
                             np.array(["上海", "北京", "杭州"], dtype=object)])
    prov = PROVIDERS[locale]  # the spelling data are class attributes
    for op in range(5):
        ops = np.full(len(names), op)
        expected = [_name_variant_by_hand(n, op, prov, c) for n, c in zip(names, cities)]
        assert extracts._name_variants(names, cities, ops, prov).tolist() == expected
