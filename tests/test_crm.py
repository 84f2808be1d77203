"""Tests for crmkit.crm (textbook ch. 2–3): matching, data quality, lost customers, CustomerStore."""
import sqlite3

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from crmkit.crm import (
    CN_PHONE_PATTERN, SCHEMA_SQL, TABLES, CustomerStore, Extract, data_quality, lost_customers,
    lost_profile, match_customers, normalize_name, normalize_phone,
)

# --- normalize_name / normalize_phone --------------------------------------------------------


def test_normalize_name_variants():
    variants = ["华通物流有限公司", "华通物流有限责任公司", "华通物流股份有限公司", "华通物流（集团）有限公司",
                "华通物流(集团)有限公司", " 华通  物流 有限公司 ", "华通物流\u3000有限公司", "【华通】物流有限公司"]
    keys = normalize_name(pd.Series(variants, index=list("abcdefgh"), name="n"))
    assert set(keys) == {"华通物流有限公司"}
    assert keys.index.tolist() == list("abcdefgh") and keys.name == "n"
    latin = normalize_name(["ＡＢＣ Logistics", "abc  logistics", "ABC LOGISTICS"])
    assert set(latin) == {"abc logistics"}
    # brackets dropped but their content kept; other words unchanged
    assert normalize_name(["远达(上海)电子有限公司"]).tolist() == ["远达上海电子有限公司"]
    assert normalize_name(["华通物流集团有限公司"]).tolist() == ["华通物流集团有限公司"]
    out = normalize_name(["", "  ", None])
    assert out.isna().all()


def test_normalize_name_errors():
    with pytest.raises(TypeError, match="text"):
        normalize_name([1, 2])
    with pytest.raises(TypeError, match="DataFrame"):
        normalize_name(pd.DataFrame({"name": ["a"]}))


_ALPHABET = list("华通物流远达电子有限责任股份公司集团ABCabcＡＢＣ（）()【】 \u3000.,-")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=16), min_size=1, max_size=8))
def test_normalize_name_properties(names):
    keys = normalize_name(names)
    again = normalize_name(keys.fillna(""))
    assert keys.fillna("").tolist() == again.fillna("").tolist()  # idempotent
    for k in keys.dropna():
        assert k == k.strip() and "  " not in k
        assert not any(ch in k for ch in "()（）【】")
        assert not k.endswith(("有限责任公司", "股份有限公司"))
    # spacing and width do not change the key
    spaced = normalize_name([" ".join(n) for n in names])
    wide = normalize_name([n.replace("A", "Ａ").replace("(", "（") for n in names])
    cjk_only = [all("\u4e00" <= ch <= "\u9fff" for ch in n.replace(" ", "")) for n in names]
    for i, ok in enumerate(cjk_only):
        if ok:
            assert spaced.fillna("").iloc[i] == keys.fillna("").iloc[i]
    assert wide.fillna("").tolist() == keys.fillna("").tolist()


def test_normalize_phone():
    out = normalize_phone(["+86 138-1234-5678", "008613812345678", "（021）61234567", "",
                           None, "8613812345678"])
    assert out.iloc[:3].tolist() == ["13812345678", "13812345678", "02161234567"]
    assert out.iloc[3:5].isna().all() and out.iloc[5] == "13812345678"
    numeric = normalize_phone(pd.Series([13812345678, np.nan]))
    assert numeric.iloc[0] == "13812345678" and pd.isna(numeric.iloc[1])


# --- match_customers -------------------------------------------------------------------------

def _extracts():
    sales = pd.DataFrame({
        "sales_id": ["S1", "S2", "S3", "S4"],
        "name": ["华通物流有限公司", "远达电子股份有限公司", "华通物流有限责任公司", "新星食品"],
        "phone": ["13800000001", None, "138 0000 0001", "13700000000"],
        "city": ["上海", "苏州", "上海市", "北京"],
        "last_updated": pd.to_datetime(["2024-01-01", "2025-01-01", "2025-03-01", "2023-05-01"]),
        "tier": ["战略", None, "标准", "基础"],
    })
    warehouse = pd.DataFrame({
        "wh_code": ["W1", "W2", "W3"],
        "customer_name": ["远达电子有限公司", "新星食品（集团）", "蓝海化工"],
        "tel": ["0512-66668888", None, "13600000000"],
        "city": ["苏州", "北京市", "南京"],
        "updated": pd.to_datetime(["2025-06-01", "2025-07-01", "2024-02-01"]),
    })
    service = pd.DataFrame({
        "svc_id": ["K1", "K2"],
        "name": ["华通 物流 有限公司", "ＸＹＺ冷链"],
        "phone": ["13800000099", "13500000000"],
        "last_updated": pd.to_datetime(["2025-09-01", None]),
    })
    return sales, warehouse, service


def _match(**kw):
    sales, warehouse, service = _extracts()
    return match_customers(
        Extract(sales, "sales"),
        {"data": warehouse, "source": "warehouse", "name": "customer_name", "phone": "tel",
         "updated": "updated"},
        Extract(service, "service", city=None), **kw)


def test_match_three_extracts_with_planted_duplicates():
    master, links, report = _match()
    # planted: 华通 x3 (S1, S3, K1), 远达 x2 (S2, W1), 新星 x2 (S4, W2), 蓝海 (W3), XYZ (K2) -> 5
    assert len(master) == 5 and master["master_id"].is_unique
    assert len(links) == 9
    link = links.set_index(["source", "source_id"])["master_id"]
    assert link[("sales", "S1")] == link[("sales", "S3")] == link[("service", "K1")]
    assert link[("sales", "S2")] == link[("warehouse", "W1")]
    assert link[("sales", "S4")] == link[("warehouse", "W2")]
    assert link[("warehouse", "W3")] != link[("service", "K2")]
    assert master["master_id"].tolist() == [f"M0000{i}" for i in range(1, 6)]  # first appearance
    assert report["rows_in"] == 9 and report["masters"] == 5
    assert report["rows_sales"] == 4 and report["rows_warehouse"] == 3
    assert report["duplicates_merged"] == 4
    assert report["within_source_duplicates"] == 1           # S1 and S3
    assert report["matched_across_sources"] == 3            # 华通, 远达, 新星
    assert report["in_all_sources"] == 0 and report["unmatched"] == 2   # 华通 not in warehouse


def test_match_keeps_freshest_non_missing_values():
    master, links, _ = _match()
    m = master.set_index("master_id")
    huatong = m.loc[links.loc[links["source_id"] == "S1", "master_id"].iloc[0]]
    # freshest record K1 (2025-09-01) gives name and phone; K1 has no city -> S3 (2025-03-01)
    assert huatong["name"] == "华通 物流 有限公司" and huatong["phone"] == "13800000099"
    assert huatong["city"] == "上海市" and huatong["tier"] == "标准"
    assert huatong["last_updated"] == pd.Timestamp("2025-09-01")
    assert huatong["n_records"] == 3 and huatong["sources"] == "sales,service"
    xinxing = m.loc[links.loc[links["source_id"] == "W2", "master_id"].iloc[0]]
    # W2 is fresher but has no phone -> the phone of S4 is kept
    assert xinxing["phone"] == "13700000000" and xinxing["city"] == "北京市"
    # evidence: S1's phone disagrees with the master's (K1), its city agrees (上海 = 上海市)
    s1 = links.set_index("source_id").loc["S1"]
    assert not s1["phone_agrees"] and s1["city_agrees"] and not s1["conflict"]
    s4 = links.set_index("source_id").loc["S4"]
    assert s4["phone_agrees"] and s4["city_agrees"]
    assert pd.isna(links.set_index("source_id").loc["K2", "city_agrees"])


def test_match_rules_city_and_phone():
    d = pd.DataFrame({
        "id": list("abcdef"),
        "name": ["恒通商贸有限公司", "恒通商贸有限公司", "恒通商贸有限公司",
                 "上海华通物流有限公司", "华通物流有限公司", "上海华通物流有限公司"],
        "phone": [None, None, "13900000001", "13600000000", None, "13500000000"],
        "city": ["上海", "北京", None, "上海", "上海", "广州"],
        "last_updated": pd.to_datetime(["2025-01-01"] * 3 + ["2025-06-01", "2025-01-01",
                                                             "2025-01-01"]),
    })
    master, links, report = match_customers(Extract(d, "x"))
    m = links.set_index("source_id")["master_id"]
    # same name without a city in it but two cities and no phone: a, b (and c) stay apart
    assert len({m["a"], m["b"], m["c"]}) == 3
    # city left off the name (e) and a stale city column (f, the name says 上海) still match d
    assert m["d"] == m["e"] == m["f"] and len(master) == 4
    f = links.set_index("source_id").loc["f"]
    assert not f["phone_agrees"] and not f["city_agrees"] and f["conflict"]
    assert report["conflicts"] == 1
    # a shared phone is the evidence that joins b and c
    shared = match_customers(Extract(d.assign(phone=d["phone"].where(d["id"] != "b",
                                                                     "13900000001")), "x"))
    m2 = shared.links.set_index("source_id")["master_id"]
    assert m2["b"] == m2["c"] != m2["a"] and len(shared.master) == 3
    # English names: city in front, legal forms and "Group" unified
    en = pd.DataFrame({"id": ["1", "2", "3", "4", "5"],
                       "city": ["Xi'an City", "Xi'an", None, "Wuxi", None],
                       "name": ["Xi'an Apex Trading Co., Ltd.", "Apex Trading Group Company Limited",
                                "XI'AN APEX TRADING LIMITED LIABILITY CO.",
                                "Sun Foods (Wuxi) Corporation", "Sun Foods (Wuxi) Corp."]})
    res = match_customers(Extract(en, "en", phone=None, updated=None))
    assert res.links["master_id"].tolist() == ["M00001"] * 3 + ["M00002"] * 2
    # a bracketed city is the firm's place but stays in its name key
    assert res.master["name_key"].tolist() == ["xi an apex trading co ltd", "sun foods wuxi corp"]


def test_match_use_phone_links_more():
    sales = pd.DataFrame({"sid": ["A", "B"], "name": ["蓝海化工", "蓝海化学工业"],
                          "phone": ["13600000000", "136-0000-0000"]})
    plain = match_customers(Extract(sales, "s", id="sid", city=None, updated=None))
    linked = match_customers(Extract(sales, "s", id="sid", city=None, updated=None), use_phone=True)
    assert plain.report["masters"] == 2 and linked.report["masters"] == 1


def test_match_bare_frames_and_id_detection():
    a = pd.DataFrame({"cust_id": ["1"], "name": ["甲"], "phone": [None], "city": [None],
                      "last_updated": [pd.NaT]})
    master, links, report = match_customers(a, a.assign(cust_id="2"))
    assert links["source"].tolist() == ["extract1", "extract2"] and len(master) == 1
    assert report["no_name"] == 0


def test_match_errors():
    sales, warehouse, service = _extracts()
    with pytest.raises(ValueError, match="at least one"):
        match_customers()
    with pytest.raises(ValueError, match="id column"):
        match_customers(Extract(sales.assign(other_id=1), "sales"))
    with pytest.raises(ValueError, match='"tel"'):
        match_customers(Extract(sales, "sales", phone="tel"))
    with pytest.raises(ValueError, match="own source name"):
        match_customers(Extract(sales, "x"), Extract(sales, "x"))
    with pytest.raises(TypeError, match="Extract 1"):
        match_customers([1, 2])
    with pytest.raises(TypeError, match="dict"):
        match_customers({"frame": sales})
    bad = sales.copy()
    bad.loc[0, "sales_id"] = None
    with pytest.raises(ValueError, match="missing id"):
        match_customers(Extract(bad, "sales"))
    with pytest.raises(TypeError, match="text"):
        match_customers(Extract(sales.assign(name=[1, 2, 3, 4]), "sales"))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 2), st.booleans()), min_size=1,
                max_size=25))
def test_match_properties(rows):
    firms = ["华通物流", "远达电子", "新星食品", "蓝海化工", "XYZ冷链", "天地公司"]
    suffixes = ["有限公司", "有限责任公司", "（集团）有限公司"]
    frame = pd.DataFrame({"rid": [f"r{i}" for i in range(len(rows))],
                          "name": [firms[f] + suffixes[s] for f, s, _ in rows],
                          "dept": ["a" if d else "b" for _, _, d in rows]})
    parts = [Extract(g.drop(columns="dept"), dept, id="rid", phone=None, city=None, updated=None)
             for dept, g in frame.groupby("dept")]
    master, links, report = match_customers(*parts)
    assert len(master) == len({f for f, _, _ in rows})
    assert len(links) == len(rows) and links["master_id"].isin(master["master_id"]).all()
    assert report["duplicates_merged"] == len(rows) - len(master)
    assert report["matched_across_sources"] + report["unmatched"] == len(master)
    assert master["n_records"].sum() == len(rows)


# --- data_quality ----------------------------------------------------------------------------

def _messy():
    return pd.DataFrame({
        "customer_id": ["C1", "C2", "C2", "C4", "C5", None],
        "phone": ["13800000001", "12345", None, "021-61234567", "13900000000", "abc"],
        "city": ["上海", "北京", "北京", "火星", None, "广州"],
        "first_order_date": pd.to_datetime(["2024-01-01", "2026-05-01", "2025-01-01",
                                            "2024-06-01", "2025-02-01", "2024-03-01"]),
        "last_updated": pd.to_datetime(["2025-12-01", "2024-06-01", "2023-01-01", None,
                                        "2025-06-01", "2025-11-30"]),
    })


def test_data_quality_by_hand():
    rep = data_quality(_messy(), key="customer_id", asof="2025-12-31",
                       rules={"phone": CN_PHONE_PATTERN, "city": {"上海", "北京", "广州"}})
    cols = rep.columns
    # completeness: id 5/6, phone 5/6, city 5/6, dates 6/6, last_updated 5/6
    assert cols.loc["phone", "completeness"] == pytest.approx(5 / 6)
    assert cols.loc["first_order_date", "completeness"] == 1.0
    assert cols.loc["customer_id", "n_missing"] == 1
    # validity: phone 2 bad of 5 ("12345", "abc"); city 1 bad of 5 (火星)
    assert cols.loc["phone", "n_invalid"] == 2 and cols.loc["phone", "validity"] == 0.6
    assert cols.loc["city", "validity"] == 0.8
    # dates not in the future (asof given): 2026-05-01 fails -> 5/6
    assert cols.loc["first_order_date", "validity"] == pytest.approx(5 / 6)
    assert "not after 2025-12-31" in cols.loc["first_order_date", "rule"]
    # last_updated has no rule of its own but is a date: all 5 dates are <= asof
    assert cols.loc["last_updated", "validity"] == 1.0
    unchecked = data_quality(_messy(), asof="2025-12-31", check_dates=False).columns
    assert unchecked["validity"].isna().all()
    assert pd.isna(cols.loc["customer_id", "validity"])
    s = rep.summary
    assert s["duplicates"] == pytest.approx(1 / 6)            # one repeated C2; None not counted
    # stale: older than 2024-12-31 among 5 dated rows: 2024-06-01, 2023-01-01 -> 2/5
    assert s["staleness"] == pytest.approx(0.4)
    completeness = (5 + 5 + 5 + 6 + 5) / 30
    validity = np.mean([0.6, 0.8, 5 / 6, 1.0])
    assert s["completeness"] == pytest.approx(completeness)
    assert s["overall"] == pytest.approx(np.mean([completeness, validity, 5 / 6, 0.6]))


def test_data_quality_rows_and_callables():
    df = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "x", "y"]})
    rep = data_quality(df, rules={"a": lambda v: v > 1})
    assert rep.summary["duplicates"] == pytest.approx(1 / 3)  # identical rows
    assert rep.columns.loc["a", "validity"] == pytest.approx(1 / 3)
    assert np.isnan(rep.summary["staleness"])
    # on 2025-03-01 one of two records is over 30 days old; on the default asof (2025-12-31) both
    dated = pd.DataFrame({"last_updated": pd.to_datetime(["2025-01-01", "2025-03-01"])})
    assert data_quality(dated, asof="2025-03-01", stale_after_days=30).summary["staleness"] == 0.5
    assert data_quality(dated, stale_after_days=30).summary["staleness"] == 1.0


def test_data_quality_errors():
    df = _messy()
    with pytest.raises(ValueError, match='"mobile"'):
        data_quality(df, rules={"mobile": CN_PHONE_PATTERN})
    with pytest.raises(TypeError, match="rules"):
        data_quality(df, rules=[CN_PHONE_PATTERN])
    with pytest.raises(TypeError, match="rule for column `phone`"):
        data_quality(df, rules={"phone": 42})
    with pytest.raises(ValueError, match="rule for column `phone` failed"):
        data_quality(df, rules={"phone": lambda v: v.nonexistent()})
    with pytest.raises(ValueError, match="one True/False per value"):
        data_quality(df, rules={"phone": lambda v: [True]})
    with pytest.raises(ValueError, match="one True/False per value"):
        data_quality(df, rules={"phone": lambda v: v.str.len()})
    with pytest.raises(ValueError, match="stale_after_days"):
        data_quality(df, stale_after_days=0)
    with pytest.raises(ValueError, match='"cid"'):
        data_quality(df, key="cid")
    with pytest.raises(ValueError, match="empty"):
        data_quality(df.iloc[:0])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["C1", "C2", "C3", None]),
                          st.sampled_from(["13800000000", "123", None]),
                          st.integers(0, 800)), min_size=1, max_size=20))
def test_data_quality_scores_in_range(rows):
    df = pd.DataFrame({"customer_id": [r[0] for r in rows], "phone": [r[1] for r in rows],
                       "last_updated": [pd.Timestamp("2025-12-31") - pd.Timedelta(days=r[2])
                                        for r in rows]})
    rep = data_quality(df, key="customer_id", asof="2025-12-31", rules={"phone": CN_PHONE_PATTERN})
    s = rep.summary
    assert ((s.dropna() >= 0) & (s.dropna() <= 1)).all()
    assert s["overall"] == pytest.approx(np.nanmean([s["completeness"], s["validity"],
                                                     1 - s["duplicates"], 1 - s["staleness"]]))


# --- lost customers --------------------------------------------------------------------------

def _orders():
    return pd.DataFrame({
        "customer_id": ["a", "a", "b", "c", "c"],
        "order_date": pd.to_datetime(["2025-01-10", "2025-11-20", "2025-03-01", "2025-06-30",
                                      "2026-02-01"]),
        "revenue": [100.0, 50.0, 80.0, 40.0, 999.0],
    })


def test_lost_customers_by_hand():
    customers = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
                              "industry": ["零售", "医药", "零售", "汽车"]})
    table = lost_customers(_orders(), asof="2025-12-31", customers=customers)
    t = table.set_index("customer_id")
    # a: last 2025-11-20 -> 41 days; b: 2025-03-01 -> 305; c: 2025-06-30 -> 184 (2026 order ignored)
    assert t["days_inactive"].iloc[:3].tolist() == [41, 305, 184]
    assert t["status"].tolist() == ["active", "lost", "lost", "no_orders"]
    assert t.loc["c", "revenue"] == 40.0 and t.loc["c", "orders"] == 1
    assert t.loc["d", "orders"] == 0 and not t.loc["d", "lost"]
    assert t.loc["b", "industry"] == "医药"
    # a stricter rule: 200 days -> only b is lost
    strict = lost_customers(_orders(), asof="2025-12-31", inactive_days=200)
    assert strict["lost"].tolist() == [False, True, False]
    prof = lost_profile(table, by="industry")
    # 零售: a active, c lost -> 1/2; money lost 40 of 190
    assert prof.loc["零售", "lost_share"] == 0.5
    assert prof.loc["零售", "value_lost_share"] == pytest.approx(40 / 190)
    assert prof.index[0] == "医药"


def test_lost_customers_errors():
    with pytest.raises(ValueError, match="order_date"):
        lost_customers(_orders().drop(columns="order_date"), asof="2025-12-31")
    bad = _orders()
    bad.loc[0, "order_date"] = pd.NaT
    with pytest.raises(ValueError, match="missing date"):
        lost_customers(bad, asof="2025-12-31")
    with pytest.raises(ValueError, match="inactive_days"):
        lost_customers(_orders(), asof="2025-12-31", inactive_days=-1)
    with pytest.raises(ValueError, match="asof"):
        lost_customers(_orders(), asof="someday")
    with pytest.raises(ValueError, match="duplicate"):
        lost_customers(_orders(), asof="2025-12-31",
                       customers=pd.DataFrame({"customer_id": ["a", "a"]}))
    with pytest.raises(ValueError, match='"industry"'):
        lost_profile(lost_customers(_orders(), asof="2025-12-31"), by="industry")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcde"), st.integers(0, 700)), min_size=1, max_size=30),
       st.integers(1, 400), st.integers(1, 400))
def test_lost_is_monotone_in_rule(rows, d1, d2):
    orders = pd.DataFrame({"customer_id": [r[0] for r in rows],
                           "order_date": [pd.Timestamp("2024-01-01") + pd.Timedelta(days=r[1])
                                          for r in rows]})
    short, long_ = sorted((d1, d2))
    a = lost_customers(orders, asof="2025-12-31", inactive_days=short)
    b = lost_customers(orders, asof="2025-12-31", inactive_days=long_)
    assert (b["lost"] <= a["lost"]).all()  # a longer rule never loses more customers
    assert a["orders"].sum() == len(orders)


# --- CustomerStore ---------------------------------------------------------------------------

def _tables():
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["华通物流", "远达电子"],
                              "city": ["上海", "苏州"], "loyalty_score": [0.8, np.nan],
                              "first_order_date": pd.to_datetime(["2024-02-01", "2024-05-01"])})
    shipments = pd.DataFrame({
        "shipment_id": ["S1", "S2", "S3", "S4"], "customer_id": ["C1", "C1", "C1", "C2"],
        "order_date": pd.to_datetime(["2025-01-05", "2025-03-01", "2025-02-10", "2025-04-01"]),
        "revenue": [1000.0, 500.0, 250.0, 80.0], "on_time": [True, False, True, True],
        "items_ordered": [10, 5, 2, 1],
        "delivered_at": pd.to_datetime(["2025-01-06", None, "2025-02-11", "2025-04-02"]),
    })
    complaints = pd.DataFrame({
        "complaint_id": ["P1", "P2"], "customer_id": ["C1", "C1"], "shipment_id": ["S2", None],
        "cause": ["延误", "账单错误"],
        "opened_at": pd.to_datetime(["2025-03-05 10:00", "2025-01-20 09:00"]),
        "claim_amount": [200.0, 0.0], "compensation": [150.0, 0.0], "satisfaction_after": [6, None],
    })
    contacts = pd.DataFrame({"contact_id": ["T1"], "customer_id": ["C1"],
                             "contact_date": pd.to_datetime(["2025-02-01"]), "kind": ["拜访"]})
    return customers, shipments, complaints, contacts


@pytest.fixture
def store(tmp_path):
    customers, shipments, complaints, contacts = _tables()
    with CustomerStore(tmp_path / "crm.db") as db:
        db.load(customers=customers, shipments=shipments, complaints=complaints, contacts=contacts)
        yield db


def test_schema_exists(store):
    names = set(store.query("SELECT name FROM sqlite_master WHERE type = 'table'")["name"])
    assert set(TABLES) <= names
    indexes = set(store.query("SELECT name FROM sqlite_master WHERE type = 'index'")["name"])
    assert {"idx_shipments_customer", "idx_complaints_customer", "idx_contacts_customer"} <= indexes
    assert store.query("PRAGMA foreign_keys").iloc[0, 0] == 1
    fks = store.query("PRAGMA foreign_key_list(complaints)")
    assert set(fks["table"]) == {"customers", "shipments"}
    assert "customer_id TEXT PRIMARY KEY" in SCHEMA_SQL
    assert store.counts().tolist() == [2, 4, 2, 1]


def test_foreign_keys_refuse_orphans(store):
    orphan = pd.DataFrame({"shipment_id": ["S9"], "customer_id": ["C9"],
                           "order_date": pd.to_datetime(["2025-05-01"])})
    with pytest.raises(ValueError, match="not in customers"):
        store.load(shipments=orphan)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store._conn.execute("INSERT INTO shipments (shipment_id, customer_id, order_date) "
                            "VALUES ('S9', 'C9', '2025-05-01')")
    # all or nothing: a good customer loaded together with an orphan shipment is rolled back
    with pytest.raises(ValueError, match="Nothing was saved"):
        store.load(customers=pd.DataFrame({"customer_id": ["C3"], "name": ["新星"]}),
                   shipments=orphan)
    assert store.counts()["customers"] == 2 and store.counts()["shipments"] == 4


def test_customer_360_by_hand(store):
    view = store.customer_360("C1")
    s = view.shipments
    # C1: 3 orders, revenue 1000 + 500 + 250 = 1750, on time 2 of 3, last order 2025-03-01
    assert s["orders"] == 3 and s["revenue"] == 1750.0
    assert s["on_time_rate"] == pytest.approx(2 / 3)
    assert s["last_order"] == pd.Timestamp("2025-03-01")
    assert s["first_order"] == pd.Timestamp("2025-01-05")
    assert view.profile["name"] == "华通物流" and view.profile["loyalty_score"] == 0.8
    assert view.profile["first_order_date"] == pd.Timestamp("2024-02-01")
    assert view.complaints["complaint_id"].tolist() == ["P2", "P1"]  # ordered by opened_at
    assert view.complaints["opened_at"].iloc[1] == pd.Timestamp("2025-03-05 10:00")
    assert view.contacts["kind"].tolist() == ["拜访"]
    assert "3 orders" in repr(view) and "67%" in repr(view)
    other = store.customer_360("C2")
    assert other.shipments["orders"] == 1 and len(other.complaints) == 0
    # a complaint without a shipment_id column still checks its customer
    store.load(complaints=pd.DataFrame({"complaint_id": ["P3"], "customer_id": ["C2"],
                                        "opened_at": ["2025-05-01 08:00"]}))
    assert store.customer_360("C2").complaints["complaint_id"].tolist() == ["P3"]
    with pytest.raises(ValueError, match="not in shipments"):
        store.load(complaints=pd.DataFrame({"complaint_id": ["P4"], "customer_id": ["C2"],
                                            "shipment_id": ["S404"], "opened_at": ["2025-05-01"]}))


def test_customer_360_without_orders(tmp_path):
    with CustomerStore(tmp_path / "x.db") as db:
        db.load(customers=pd.DataFrame({"customer_id": ["C1"], "name": ["甲"]}))
        view = db.customer_360("C1")
        assert view.shipments["orders"] == 0 and view.shipments["revenue"] == 0.0
        assert np.isnan(view.shipments["on_time_rate"]) and pd.isna(view.shipments["last_order"])
        assert "never" in repr(view)


def test_unknown_customer(store):
    with pytest.raises(KeyError, match="'C404' is not in the database"):
        store.customer_360("C404")
    with pytest.raises(ValueError, match="C1"):
        store.customer_360("C404")


def test_if_exists_modes(store):
    again = pd.DataFrame({"customer_id": ["C1", "C3"], "name": ["华通物流新名", "新星食品"]})
    with pytest.raises(ValueError, match="already exist.*if_exists"):
        store.load(customers=again)
    assert store.load(customers=again, if_exists="skip")["customers"] == 1
    assert store.customer_360("C1").profile["name"] == "华通物流"
    store.load(customers=again, if_exists="upsert")
    view = store.customer_360("C1")
    assert view.profile["name"] == "华通物流新名" and view.profile["city"] == "上海"  # kept
    with pytest.raises(ValueError, match="if_exists"):
        store.load(customers=again, if_exists="replace")


def test_load_validation(store):
    with pytest.raises(ValueError, match="colour"):
        store.load(customers=pd.DataFrame({"customer_id": ["C7"], "name": ["x"], "colour": [1]}))
    store.load(customers=pd.DataFrame({"customer_id": ["C7"], "name": ["x"], "colour": [1]}),
               extra="drop")
    assert store.customer_360("C7").profile["name"] == "x"
    with pytest.raises(ValueError, match="lacks required column"):
        store.load(customers=pd.DataFrame({"customer_id": ["C7"]}))
    with pytest.raises(ValueError, match="missing value"):
        store.load(customers=pd.DataFrame({"customer_id": ["C7"], "name": [None]}))
    with pytest.raises(ValueError, match="repeats"):
        store.load(customers=pd.DataFrame({"customer_id": ["C7", "C7"], "name": ["x", "y"]}))
    with pytest.raises(ValueError, match="CHECK"):
        store.load(shipments=pd.DataFrame({"shipment_id": ["S8"], "customer_id": ["C1"],
                                           "order_date": ["2025-01-01"], "revenue": [-5.0]}))
    with pytest.raises(TypeError, match="True/False"):
        store.load(shipments=pd.DataFrame({"shipment_id": ["S8"], "customer_id": ["C1"],
                                           "order_date": ["2025-01-01"], "on_time": ["yes"]}))
    with pytest.raises(TypeError, match="numbers"):
        store.load(shipments=pd.DataFrame({"shipment_id": ["S8"], "customer_id": ["C1"],
                                           "order_date": ["2025-01-01"], "revenue": ["lots"]}))
    with pytest.raises(TypeError, match="DataFrame"):
        store.load(customers=[("C1", "x")])
    with pytest.raises(ValueError, match="no such table"):
        store.query("SELECT * FROM orders")


def test_store_persists_and_closes(tmp_path):
    path = tmp_path / "crm.db"
    customers, shipments, _, _ = _tables()
    with CustomerStore(path) as db:
        db.load(customers=customers, shipments=shipments)
        conn = db._conn
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")
    with CustomerStore(path) as db:  # reopening keeps the rows and does not recreate the schema
        assert db.counts()["shipments"] == 4
        q = db.query("SELECT order_date FROM shipments WHERE customer_id = ? ORDER BY 1",
                     ("C2",), parse_dates=["order_date"])
        assert q["order_date"].iloc[0] == pd.Timestamp("2025-04-01")
        assert "shipments=4" in repr(db)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["C1", "C2", "C3"]), st.floats(0, 1e4),
                          st.booleans()), min_size=1, max_size=12))
def test_store_summary_matches_pandas(rows):
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "name": ["a", "b", "c"]})
    shipments = pd.DataFrame({"shipment_id": [f"S{i}" for i in range(len(rows))],
                              "customer_id": [r[0] for r in rows],
                              "order_date": pd.Timestamp("2025-01-01"),
                              "revenue": [r[1] for r in rows], "on_time": [r[2] for r in rows]})
    with CustomerStore(":memory:") as db:
        db.load(customers=customers, shipments=shipments)
        for cid, grp in shipments.groupby("customer_id"):
            s = db.customer_360(cid).shipments
            assert s["orders"] == len(grp)
            assert s["revenue"] == pytest.approx(grp["revenue"].sum())
            assert s["on_time_rate"] == pytest.approx(grp["on_time"].mean())
