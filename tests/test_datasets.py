"""The dataset generator: determinism, schemas and foreign keys, and recovery of the planted truth.

Truth-recovery tests run a straightforward analysis (the one a lesson teaches, often the crmkit
function itself) on the classroom dataset and check it finds the planted structure within a stated
tolerance.
"""
import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.abc import abcd_pyramid, customer_profitability, whale_peak
from crmkit.classify import relationship_stage, time_type
from crmkit.complaints import recovery_effect
from crmkit.crm import data_quality
from crmkit.datasets import (SCALES, SERVQUAL_DIMENSIONS, TABLES, Dataset, city_table, generate,
                             labels, schema)
from crmkit.datasets.config import Config, child_rng
from crmkit.datasets.geography import ROAD_FACTOR, distance_matrix, haversine_km
from crmkit.datasets.io import sha256
from crmkit.datasets.schemas import check_prospects, validate_table, validate_tables
from crmkit.datasets.store import render

SMALL = {"customers": 60, "shipments": 3_000, "surveys": 120, "complaints": 80, "calls": 1_000}


@pytest.fixture(scope="session")
def classroom():
    return generate()


@pytest.fixture(scope="session")
def tiny():
    return generate(seed=11, scale="tiny")


def _hashes(ds):
    return {k: sha256(v) for k, v in render(ds).items()}


# ---- determinism ----------------------------------------------------------------------------

def test_same_seed_gives_identical_files(tiny):
    again = generate(seed=11, scale="tiny")
    assert _hashes(again) == _hashes(tiny)


def test_other_seed_gives_other_data(tiny):
    other = generate(seed=12, scale="tiny")
    a, b = _hashes(tiny), _hashes(other)
    assert all(a[f"{t}.csv"] != b[f"{t}.csv"] for t in TABLES)


def test_tables_use_independent_streams():
    # Changing how many surveys are made leaves every other table as it was.
    a = generate(seed=5, scale=SMALL)
    b = generate(seed=5, scale={**SMALL, "surveys": 300})
    assert len(b.surveys) == 300
    for name in ("customers", "shipments", "complaints", "calls", "contacts", "sales_extract"):
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    assert child_rng(5, "shipments").random() != child_rng(5, "calls").random()


def test_dataset_survives_deepcopy_and_names_tables(tiny):
    clone = copy.deepcopy(tiny)
    assert isinstance(clone, Dataset) and clone.truth.trap == tiny.truth.trap
    pd.testing.assert_frame_equal(clone.shipments, tiny.shipments)
    assert "shipments=10,000" in repr(tiny)
    with pytest.raises(AttributeError, match="Tables: customers"):
        tiny.shipmets
    with pytest.raises(AttributeError, match="Entries:"):
        tiny.truth.no_such_entry


# ---- shape, schemas, keys --------------------------------------------------------------------

def test_sizes_follow_the_scale(classroom):
    sizes = SCALES["classroom"]
    for name in ("customers", "shipments", "surveys", "complaints", "calls"):
        assert len(classroom.tables[name]) == sizes[name]
    # Prospects (about 6 % of the list, no first order yet) have no contract.
    ordering = classroom.customers["first_order_date"].notna()
    assert len(classroom.contracts) == ordering.sum()
    assert 0.05 <= 1 - ordering.mean() <= 0.08


def test_every_table_passes_its_schema_and_foreign_keys(tiny):
    for name in TABLES:
        schema(name).validate(tiny.tables[name])
    ids = set(tiny.customers["customer_id"])
    for name in ("contracts", "shipments", "surveys", "complaints", "contacts"):
        assert set(tiny.tables[name]["customer_id"]) <= ids
    assert set(tiny.calls["customer_id"].dropna()) <= ids
    assert set(tiny.complaints["shipment_id"].dropna()) <= set(tiny.shipments["shipment_id"])
    links = tiny.truth.extract_links
    assert set(links["customer_id"]) <= ids


def test_geography_is_consistent(tiny):
    cities = city_table().set_index("city")
    cust = tiny.customers
    assert (cities.loc[cust["city"].astype(str), "province"].to_numpy() == cust["province"].astype(str)).all()
    sh = tiny.shipments
    far = sh[sh["origin_city"] != sh["dest_city"]].head(500)
    a, b = cities.loc[far["origin_city"].astype(str)], cities.loc[far["dest_city"].astype(str)]
    expected = haversine_km(a["lat"].to_numpy(), a["lon"].to_numpy(), b["lat"].to_numpy(),
                            b["lon"].to_numpy()) * ROAD_FACTOR
    np.testing.assert_allclose(far["distance_km"], expected, atol=0.051)
    assert (sh["route"].astype(str) == sh["origin_city"].astype(str) + "-" + sh["dest_city"].astype(str)).all()
    # 上海-北京 is about 1,067 km as the crow flies, 1,334 km by road.
    assert distance_matrix()[0, 19] == pytest.approx(1067 * ROAD_FACTOR, rel=0.01)


def test_company_names_are_distinct_and_plausible(classroom):
    names = classroom.customers["name"]
    assert names.is_unique
    assert names.str.contains("公司").all()


def test_orders_respect_first_order_and_churn(tiny):
    sh, cust, truth = tiny.shipments, tiny.customers, tiny.truth.customer_truth
    first = sh.groupby("customer_id")["order_date"].min().dt.floor("D")
    start = cust.set_index("customer_id")["first_order_date"]
    new = start[start >= "2024-01-01"]
    assert (first.loc[new.index] == new).all()          # a new customer's first shipment
    assert (first >= start.loc[first.index].clip(lower=pd.Timestamp("2024-01-01"))).all()
    last = sh.groupby("customer_id")["order_date"].max()
    left = truth.set_index("customer_id")["churn_date"].dropna()
    assert (last.loc[left.index] < left).all()          # nobody ships after leaving


def test_contacts_follow_the_relationship_sequence(tiny):
    ct, cust = tiny.contacts, tiny.customers.set_index("customer_id")
    firsts = ct.pivot_table(index="customer_id", columns="kind", values="contact_date", aggfunc="min",
                            observed=True)
    ordered = firsts[firsts["试单"].notna()]            # prospects stop before the trial order
    assert (ordered["初次接触"] < ordered["询价"]).all() and (ordered["询价"] < ordered["试单"]).all()
    assert (ordered["试单"] == cust.loc[ordered.index, "first_order_date"]).all()
    assert set(ordered.index) == set(cust.index[cust["first_order_date"].notna()])
    referrers = ct.loc[ct["kind"] == "转介绍", "customer_id"].unique()
    stage = tiny.truth.customer_truth.set_index("customer_id")["stage"]
    # Loyal customers refer with probability 0.70, the others 0.03 (C.REFER_P); with ~14 % loyal
    # about 80 % of referrers are loyal, so most referrers (>= 70 %, not all: it's noisy) are.
    assert 0.70 <= (stage.loc[referrers] == "忠诚者").mean()
    assert set(stage.loc[referrers].astype(str)) <= {"客户", "忠诚者"}


def test_en_us_swaps_labels_not_numbers(tiny):
    en = generate(seed=11, scale="tiny", locale="en_US")
    assert list(en.shipments["service"].cat.categories) == ["FTL", "LTL", "express", "warehousing",
                                                            "cold_chain"]
    assert en.customers["city"].iloc[0] in set(city_table("en_US")["city"])
    for col in ("revenue", "cost", "weight_kg", "on_time"):
        pd.testing.assert_series_equal(en.shipments[col], tiny.shipments[col])
    assert list(en.truth.tier_profit_shares) == ["key", "suitable", "general"]
    assert list(en.truth.customer_truth["motive_type"].cat.categories) == [
        "economic", "ethical", "personalizing", "convenience"]
    assert en.customers["name"].str.contains("[A-Za-z]").all()


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(scale="huge"), ValueError, "scale"),
    (dict(locale="fr_FR"), ValueError, "locale"),
    (dict(seed=-1), TypeError, "seed"),
    (dict(seed=1.5), TypeError, "seed"),
    (dict(scale={"shipment": 10}), ValueError, "unknown table size"),
    (dict(scale={"customers": 5}), ValueError, "at least 20 customers"),
    (dict(scale={"customers": 500, "shipments": 100}), ValueError, "one shipment per customer"),
    (dict(scale=3), TypeError, "scale"),
])
def test_bad_arguments_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        Config.make(**kwargs)


def test_labels_reject_unknown_kind_and_locale():
    with pytest.raises(ValueError, match="Known kinds"):
        labels("colour")
    with pytest.raises(ValueError, match="locale"):
        labels("service", "de_DE")
    with pytest.raises(ValueError, match="Tables"):
        schema("orders")


# ---- truth recovery (classroom scale) -------------------------------------------------------

def test_tier_table_resembles_table_1_1(classroom):
    """Rank customers by profit; top 5 % / next 15 % / rest hold 80 / 15 / 5 % (±5 points).

    Over the customers with profit, i.e. who shipped (prospects have none)."""
    sh = classroom.shipments
    profit = (sh["revenue"] - sh["cost"]).groupby(sh["customer_id"]).sum().sort_values(ascending=False)
    n = len(profit)
    k, s = round(0.05 * n), round(0.15 * n)
    shares = np.array([profit.iloc[:k].sum(), profit.iloc[k:k + s].sum(), profit.iloc[k + s:].sum()])
    shares = shares / profit.sum()
    np.testing.assert_allclose(shares, [0.80, 0.15, 0.05], atol=0.05)
    assert shares[2] > 0                                   # general customers still earn a little
    truth = classroom.truth.customer_truth
    assert truth["tier"].isna().sum() == truth["prospect"].sum() > 0
    # 5 % of the customers who ordered, rounded to whole customers (their number varies by seed).
    assert truth["tier"].value_counts(normalize=True)["关键客户"] == pytest.approx(0.05, abs=0.001)
    by_tier = truth.groupby("tier", observed=True)["profit"].sum() / truth["profit"].sum()
    assert by_tier["关键客户"] == pytest.approx(0.80, abs=0.001)


def test_motive_types_recovered_by_a_simple_rule(classroom):
    """The largest behaviour trait names the planted motive for most customers, not all: the
    traits overlap (beta(6, 3) for the matching trait against beta(2.5, 4.5)). Tolerance 70-90 %
    agreement (seed 2016: 79 %)."""
    c = classroom.customers
    signals = np.column_stack([c["price_sensitivity"], c["ethical_preference"],
                               np.minimum(c["customization_requests"] / 12, 1),
                               c["convenience_preference"]])
    guess = np.array(labels("motive_type"))[signals.argmax(axis=1)]
    truth = classroom.truth.customer_truth["motive_type"].astype(str).to_numpy()
    assert 0.70 <= (guess == truth).mean() <= 0.90


def test_price_sensitive_customers_churn_more(classroom):
    """经济型 behaviour: price sensitivity raises the churn hazard (PRICE_CHURN on the logit), a
    noisy effect: churn above 0.5 sensitivity exceeds churn below it by 3-20 points."""
    c = classroom.customers.set_index("customer_id")
    t = classroom.truth.customer_truth.set_index("customer_id")
    ordering = ~t["prospect"]
    high = c["price_sensitivity"] > 0.5
    gap = t.loc[ordering & high, "churned"].mean() - t.loc[ordering & ~high, "churned"].mean()
    assert 0.03 <= gap <= 0.20


def test_ols_ranks_reliability_first(classroom):
    s = classroom.surveys
    X = np.column_stack([np.ones(len(s))] + [s[[f"per_{d}_{i}" for i in range(1, 5)]].mean(axis=1)
                                             for d in SERVQUAL_DIMENSIONS])
    beta = np.linalg.lstsq(X, s["overall"].to_numpy(float), rcond=None)[0][1:]
    planted = classroom.truth.servqual_weights
    assert SERVQUAL_DIMENSIONS[int(np.argmax(beta))] == max(planted, key=planted.get) == "reliability"
    rank_corr = np.corrcoef(np.argsort(np.argsort(beta)),
                            np.argsort(np.argsort([planted[d] for d in SERVQUAL_DIMENSIONS])))[0, 1]
    assert rank_corr >= 0.9
    imp = s[[f"imp_{d}" for d in SERVQUAL_DIMENSIONS]]
    assert (imp.sum(axis=1) == 100).all()


def test_satisfaction_trap_share_in_textbook_range(classroom):
    s = classroom.surveys
    churned = s[s["churned"]]
    share = (churned["overall"] >= 5).mean()
    assert 0.65 <= share <= 0.85
    assert share == pytest.approx(classroom.truth.trap["observed_share"])
    assert len(churned) >= 200
    assert (s.loc[s["churned"], "churn_date"] > s.loc[s["churned"], "survey_date"]).all()


def test_complaint_cause_shares_within_three_points(classroom):
    observed = classroom.complaints["cause"].value_counts(normalize=True)
    for cause, share in classroom.truth.complaint_cause_shares.items():
        assert observed[cause] == pytest.approx(share, abs=0.03)
    assert observed.idxmax() == "延误"


def test_call_peaks_and_weekday_pattern_recovered(classroom):
    arrived = classroom.calls["arrived_at"]
    by_hour = arrived.dt.hour.value_counts()
    profile = classroom.truth.call_hourly_profile
    assert set(by_hour.nlargest(2).index) == set(profile["peak_hours"]) == {10, 15}
    assert arrived.dt.day_of_week.value_counts().idxmax() == 0       # Monday
    days = arrived.dt.normalize().nunique()
    mon = arrived[arrived.dt.day_of_week == 0]
    per_hour = mon.dt.hour.value_counts().reindex(range(24), fill_value=0) / (days / 7)
    expected = np.array(profile["expected_calls_per_hour"]["Mon"])
    assert np.corrcoef(per_hour, expected)[0, 1] > 0.98
    calls = classroom.calls
    assert (calls.loc[calls["abandoned"], "handle_s"] == 0).all()
    assert 0.02 < calls["abandoned"].mean() < 0.15


def test_delivery_performance_differs_by_service_and_route(classroom):
    sh = classroom.shipments
    on_time = sh.groupby("service", observed=True)["on_time"].mean()
    for service, p in classroom.truth.on_time_by_service.items():
        assert on_time[service] == pytest.approx(p, abs=0.02)
    assert on_time.idxmin() == "零担"
    assert sh.groupby("service", observed=True)["damaged"].mean().idxmax() == "零担"
    busy = sh.groupby("route", observed=True)["on_time"].agg(["mean", "size"]).query("size >= 300")
    assert busy["mean"].max() - busy["mean"].min() > 0.05
    window = sh.groupby("time_window", observed=True)["on_time"].mean()
    assert window["夜间"] > window["上午"]
    per_tkm = (sh["revenue"] / (sh["weight_kg"] / 1000 * sh["distance_km"])).groupby(sh["service"],
                                                                                     observed=True).median()
    assert per_tkm["冷链"] > per_tkm["零担"]                 # cold chain is dearer


def test_extracts_are_messy_copies_with_known_links(classroom):
    links = classroom.truth.extract_links
    master = classroom.customers.set_index("customer_id")
    for table, id_col, pattern in (("sales_extract", "sales_id", r"^XS-\d{4}$"),
                                   ("warehouse_extract", "wh_id", r"^WH\d{4}$"),
                                   ("service_extract", "kf_id", r"^KF-\d{6}$")):
        ex = classroom.tables[table]
        assert ex[id_col].str.match(pattern).all()
        own = links[links["extract"] == table].set_index("record_id").loc[ex[id_col]]
        dup_share = own["duplicate"].mean()
        assert 0.03 <= dup_share <= 0.05
        assert 0.6 <= own["customer_id"].nunique() / len(master) <= 0.95
        same = ex["name"].to_numpy() == master.loc[own["customer_id"], "name"].to_numpy()
        assert 0.5 < same.mean() < 0.8                  # many, not all, names spelled differently
        assert ex["phone"].isna().mean() > 0.02 and ex["city"].isna().mean() > 0.02
    names = classroom.sales_extract["name"]
    assert names.str.contains("有限责任公司").any() and names.str.contains("（").any()
    assert classroom.warehouse_extract["phone"].str.contains("[１-９]").any()


def test_whale_curve_peaks_near_116_percent_with_d_customers(classroom):
    """ch.5 成本与收益分析法: ranked by profit, the cumulative profit peaks at 113-120 % because the
    D customers (small, low credit and loyalty) lose about 16 % of total profit (20 % of the key
    customers' profit); loss-makers are mostly low credit and low loyalty."""
    prof = customer_profitability(classroom.shipments)
    peak = whale_peak(prof)
    assert 1.13 <= peak["profit_share"] <= 1.20
    whale = classroom.truth.whale
    assert peak["profit_share"] == pytest.approx(whale["peak_share"], abs=1e-4)
    assert peak["loss_makers"] == whale["loss_makers"]
    assert peak["profit_lost"] / peak["total_profit"] == pytest.approx(0.16, abs=0.02)
    cust = classroom.customers.set_index("customer_id")
    losers = cust.loc[prof.index[prof["profit"] < 0]]
    assert losers["credit_rating"].isin(["B", "C"]).mean() >= 0.8
    assert (losers["loyalty_score"] < cust["loyalty_score"].median()).mean() >= 0.8
    truth = classroom.truth.customer_truth.set_index("customer_id")
    assert truth.loc[losers.index, "d_customer"].mean() >= 0.8
    d = truth.index[truth["d_customer"]]
    assert (truth.loc[d, "tier"] == "一般客户").all()
    assert -prof.loc[d, "profit"].sum() / prof["profit"].sum() == pytest.approx(
        whale["d_loss_share"], abs=0.005)
    # The general tier still nets a small positive share: most general customers earn a little.
    general = truth.index[truth["tier"] == "一般客户"]
    assert 0 < prof.loc[general, "profit"].sum() / prof["profit"].sum() < 0.10
    assert (prof.loc[general.difference(d), "profit"] > 0).mean() >= 0.95
    # The ABCD pyramid on revenue finds most of them as D (>= 65 %, seed 2016: 71 %: with margins
    # spread smoothly, D customers carry enough revenue that some are above the median, so not
    # "small"); they complain more per shipment.
    revenue = classroom.shipments.groupby("customer_id")["revenue"].sum()
    pyramid = abcd_pyramid(revenue, classroom.customers)
    assert (pyramid.loc[d, "abcd_class"] == "D").mean() >= 0.65
    sh, comp = classroom.shipments, classroom.complaints
    rate_d = comp["customer_id"].isin(d).sum() / sh["customer_id"].isin(d).sum()
    rate_other = (~comp["customer_id"].isin(d)).sum() / (~sh["customer_id"].isin(d)).sum()
    assert rate_d >= 2 * rate_other


def test_service_recovery_paradox(classroom):
    """ch.10: a complaint answered within 4 h and settled with a full refund leaves customers more
    satisfied than those who never complained; slow or rejected ones end well below."""
    comp = classroom.complaints
    fast = (comp["first_response_at"] - comp["opened_at"]) <= pd.Timedelta(hours=4)
    group = np.select([fast & (comp["outcome"] == "全额赔付"), comp["outcome"] == "全额赔付",
                       comp["outcome"] == "驳回"], ["fast full refund", "slow full refund", "rejected"],
                      "other")
    table = recovery_effect(comp.assign(group=group), classroom.surveys, by="group").set_index("group")
    base = table["mean"].iloc[0]
    planted = classroom.truth.service_recovery
    assert base == pytest.approx(planted["baseline_never_complained"], abs=1e-3)
    assert table.loc["fast full refund", "diff"] >= 0.3
    assert table.loc["fast full refund", "mean"] == pytest.approx(
        planted["planted_mean_fast_full_refund"], abs=0.1)
    assert table.loc["slow full refund", "diff"] <= -0.8
    assert table.loc["rejected", "diff"] <= -2.0
    assert table.loc["fast full refund", "n"] >= 100 and table.loc["slow full refund", "n"] >= 30


def test_extract_staleness_is_found_by_the_365_day_rule_with_errors(classroom):
    """ch.3 timeliness: stale = the record's phone or city really changed; the last-update date
    is only correlated with it, so crmkit.crm.data_quality's 365-day rule (its default) finds
    most stale records with some misses and false alarms.

    Tolerances, pooled over the three extracts (~330 stale rows): recall 75-95 % (planted: 85 %
    of stale rows are old), precision 50-85 % (3 % of the ~93 % fresh rows are old too: about
    70 % expected), agreement >= 90 %; the truth's figures equal the ones computed here."""
    links = classroom.truth.extract_links
    asof = pd.Timestamp(classroom.truth.asof)
    flags, rules = [], []
    for table in ("sales_extract", "warehouse_extract", "service_extract"):
        ex = classroom.tables[table]
        flag = links[links["extract"] == table].set_index("record_id").loc[ex.iloc[:, 0], "stale"]
        rule = ex["last_updated"] < asof - pd.Timedelta(days=365)
        report = data_quality(ex, asof=asof)
        assert report.summary["staleness"] == pytest.approx(rule.mean(), abs=0.001)
        assert 0.03 <= flag.mean() <= 0.12
        flags.append(flag.to_numpy())
        rules.append(rule.to_numpy())
    flag, rule = np.concatenate(flags), np.concatenate(rules)
    recall, precision = (flag & rule).sum() / flag.sum(), (flag & rule).sum() / rule.sum()
    assert 0.75 <= recall <= 0.95 and 0.50 <= precision <= 0.85
    assert 0.90 <= (flag == rule).mean() < 1.0
    st = classroom.truth.extract_staleness
    assert (st["rule_recall"], st["rule_precision"]) == (round(recall, 4), round(precision, 4))


def test_prospects_have_contacts_but_no_orders(classroom):
    """ch.1 未来型 and 表1-2: prospects are on the list, contacted (or not yet), never shipped."""
    cust, truth = classroom.customers, classroom.truth.customer_truth
    prospects = cust.loc[cust["first_order_date"].isna(), "customer_id"]
    assert 0.05 <= len(prospects) / len(cust) <= 0.08
    assert (truth.set_index("customer_id").loc[prospects, "prospect"]).all()
    assert cust.loc[cust["first_order_date"].isna(), "contract_tier"].isna().all()
    for name in ("contracts", "shipments", "surveys", "complaints", "calls"):
        assert not classroom.tables[name]["customer_id"].isin(prospects).any(), name
    their = classroom.contacts[classroom.contacts["customer_id"].isin(prospects)]
    assert set(their["kind"].astype(str)) <= {"初次接触", "询价", "拜访"}
    assert (their["contact_date"] <= pd.Timestamp("2025-12-31")).all()
    stage = truth.set_index("customer_id").loc[prospects, "stage"].astype(str)
    assert set(stage) == {"陌生人", "点头之交", "朋友"}
    assert (stage == "陌生人").sum() == len(prospects) - their["customer_id"].nunique()
    types = time_type(classroom.shipments, customers=cust).set_index("customer_id")["time_type"]
    assert (types.loc[prospects] == "未来型").all()
    planted = truth.set_index("customer_id")["time_type"]
    assert (types.astype(str) == planted.loc[types.index].astype(str)).mean() >= 0.99
    assert set(classroom.warehouse_extract.pipe(lambda e: classroom.truth.extract_links.query(
        "extract == 'warehouse_extract'")["customer_id"])).isdisjoint(prospects)


def test_default_relationship_stage_recovers_the_planted_stage(classroom):
    """表1-2: crmkit.classify.relationship_stage's default rule recovers the planted stage well but
    not perfectly: 忠诚者 is a latent (loyalty) that shapes ordering and referrals with noise.

    Tolerances: overall agreement 75-95 % (seed 2016: 83 %); the rule finds 70-95 % of the planted
    loyal customers (78 %; it misses loyal ones who paused or order rarely) and flags frequent,
    steady non-loyal shippers too, so fewer than 80 % of its 忠诚者 are planted loyal (45 %).
    Prospects' stages are definitions (contacts only) and agree exactly."""
    found = relationship_stage(classroom.contacts, classroom.shipments,
                               customers=classroom.customers).set_index("customer_id")["stage"]
    planted = classroom.truth.customer_truth.set_index("customer_id")["stage"]
    assert found.dtype == planted.dtype                    # same ordered categories
    found = found.loc[planted.index]
    assert 0.75 <= (found == planted).mean() <= 0.95
    loyal, flagged = planted == "忠诚者", found == "忠诚者"
    assert 0.70 <= (flagged & loyal).sum() / loyal.sum() <= 0.95
    assert 0.25 <= (flagged & loyal).sum() / flagged.sum() < 0.80
    prospects = classroom.truth.customer_truth.set_index("customer_id")["prospect"]
    assert (found[prospects] == planted[prospects]).all()
    shares = planted.value_counts(normalize=True)
    assert 0.10 <= shares["忠诚者"] <= 0.30 and shares["客户"] >= 0.5
    loyal = planted.index[planted == "忠诚者"]
    assert (classroom.customers.set_index("customer_id").loc[loyal, "loyalty_score"] >= 0.7).all()


def test_schemas_catch_bad_ids_categories_and_orphans(tiny):
    bad = tiny.shipments.head(50).copy()
    bad["shipment_id"] = bad["shipment_id"].astype(object)
    bad.loc[bad.index[0], "shipment_id"] = "SH-12x45678"
    with pytest.raises(ValueError, match="shipment_id.*SH-12x45678"):
        validate_table(bad, "shipments")
    bad = tiny.shipments.head(50).copy()
    bad["service"] = bad["service"].cat.rename_categories({"快递": "快运"})
    with pytest.raises(ValueError, match="service"):
        validate_table(bad, "shipments")
    tables = dict(tiny.tables)
    tables["contacts"] = tables["contacts"].assign(customer_id="C99999")
    with pytest.raises(ValueError, match="contacts.customer_id .* C99999|contacts.customer_id"):
        validate_tables(tables)
    surveys = tiny.surveys.head(20).copy()
    surveys["imp_tangibles"] += 1
    with pytest.raises(ValueError, match="add up to 100"):
        validate_table(surveys, "surveys")


def test_prospect_rules_are_enforced(tiny):
    tables = dict(tiny.tables)
    cust = tables["customers"]
    prospect = cust.loc[cust["first_order_date"].isna(), "customer_id"].iloc[0]
    calls = tables["calls"].copy()
    calls.loc[calls.index[0], "customer_id"] = prospect
    with pytest.raises(ValueError, match="calls has 1 row.*prospects"):
        check_prospects({**tables, "calls": calls})
    cust2 = cust.copy()
    cust2.loc[cust2["customer_id"] == prospect, "contract_tier"] = "基础"
    with pytest.raises(ValueError, match="contract_tier must be missing exactly"):
        check_prospects({**tables, "customers": cust2})
    with pytest.raises(ValueError, match="exactly one contract .1 have none"):
        check_prospects({**tables, "contracts": tables["contracts"].iloc[1:]})


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_any_seed_gives_valid_data_with_the_planted_shares(seed):
    ds = generate(seed=seed, scale=SMALL)            # validates schemas and foreign keys
    truth = ds.truth
    for tier, share in truth.tier_profit_shares.items():
        assert truth.tier_profit_shares_observed[tier] == pytest.approx(share, abs=0.001)
    sh = ds.shipments
    assert ((sh["revenue"] - sh["cost"]).sum() / truth.customer_truth["profit"].sum()) == pytest.approx(1, abs=1e-6)
    assert (sh["delivered_at"].isna() == sh["lost"]).all()
    assert (sh["promised_at"] > sh["order_date"]).all()
    comp = ds.complaints
    assert (comp["first_response_at"].dropna() > comp.loc[comp["first_response_at"].notna(), "opened_at"]).all()
    assert ((comp["outcome"] == "处理中") == comp["resolved_at"].isna()).all()
    assert ds.calls["arrived_at"].is_monotonic_increasing
    ct = truth.customer_truth
    d_loss = -ct.loc[ct["d_customer"], "profit"].sum() / ct["profit"].sum()
    assert d_loss == pytest.approx(0.16, abs=0.002)
    assert (ct.loc[ct["prospect"], ["profit", "revenue"]] == 0).all().all()
    found = relationship_stage(ds.contacts, ds.shipments, customers=ds.customers)["stage"]
    # 60 customers: agreement 55-98 % for ANY seed (classroom 83 %, band 75-95 %). With 60 customers
    # the agreement's standard error is about 5 points, so 70 % failed a real seed (63 %); 55 % is
    # about 5 SE below the classroom figure and still fails a rule that ignores the latent (~40 %).
    assert 0.55 <= (found.to_numpy() == ct["stage"].to_numpy()).mean() <= 0.98


def test_leavers_drift_away_before_they_churn(classroom):
    """Churn through a rising hazard, not a hard cut: customers who leave order less in their last
    90 days (C.DRIFT_DAYS) than before. Rate ratio late / early over the leavers with >= 10
    orders: seed 2016 gives 0.42 (0.78 with the drift switched off: pauses that run into the churn
    day thin the last months a little too); tolerance 0.3-0.6."""
    sh = classroom.shipments
    t = classroom.truth.customer_truth.set_index("customer_id")
    left = t.loc[t["churned"], "churn_date"]
    sh = sh[sh["customer_id"].isin(left.index)]
    churn_at = sh["customer_id"].map(left)
    start = sh.groupby("customer_id")["order_date"].transform("min")
    late = sh["order_date"] >= churn_at - pd.Timedelta(days=91)
    per = pd.DataFrame({"c": sh["customer_id"], "late": late}).groupby("c")["late"].agg(["sum", "size"])
    days_before = ((churn_at - start).dt.days - 91).groupby(sh["customer_id"]).first()
    ok = (per["size"] >= 10) & (days_before > 90)
    late_rate = per.loc[ok, "sum"].sum() / (91 * ok.sum())
    early_rate = (per.loc[ok, "size"] - per.loc[ok, "sum"]).sum() / days_before[ok].sum()
    assert 0.3 <= late_rate / early_rate <= 0.6
