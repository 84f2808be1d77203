"""The planted truth speaks crmkit's language: every label set of the generator's truth is the
matching label set of the method modules, in the same order and with the same ordering, so a lesson
can compare an analysis with the truth without renaming anything.

Both read the labels from crmkit.vocabulary (defined once); these tests check that the generator's
output and the methods' categoricals really use them.
"""
import pandas as pd
import pytest

from crmkit import abc as abc_mod
from crmkit import classify
from crmkit.datasets import config as C
from crmkit.datasets import generate, labels
from crmkit import vocabulary as V
from crmkit.vocabulary import ORDERED
from crmkit.crm import STALE_AFTER_DAYS

# truth label kind -> the method modules' label set
PAIRS = {
    "tier": classify.TIERS,
    "stage": classify.STAGES,
    "motive_type": classify.MOTIVE_TYPES,
    "time_type": classify.TIME_TYPES,
    "kind": classify.CONTACT_KINDS,
    "credit_rating": abc_mod.CREDIT_RATINGS,
}


@pytest.fixture(scope="module")
def ds():
    return generate(seed=4, scale={"customers": 80, "shipments": 4_000, "surveys": 100,
                                   "complaints": 60, "calls": 300})


@pytest.mark.parametrize("kind", list(PAIRS))
def test_label_sets_equal_crmkit_constants(kind):
    zh = PAIRS[kind]
    assert labels(kind) == tuple(zh)
    assert labels(kind, "en_US") == tuple(V.english(x) for x in zh)


def test_tier_and_stage_are_ordered_like_crmkit(ds):
    truth = ds.truth.customer_truth
    profit = truth.loc[~truth["prospect"]].set_index("customer_id")["profit"]
    tiers = classify.logistics_tiers(profit)["tier"]
    assert truth["tier"].dtype == tiers.dtype             # ordered, 关键客户 first
    stages = classify.relationship_stage(ds.contacts, ds.shipments, customers=ds.customers)["stage"]
    assert truth["stage"].dtype == stages.dtype           # ordered 陌生人 < ... < 忠诚者
    assert truth["stage"].cat.ordered and truth["tier"].cat.ordered
    assert ORDERED["tier"] and ORDERED["stage"]


def test_unordered_types_match_crmkit_dtypes(ds):
    truth = ds.truth.customer_truth
    motives = classify.motive_type(ds.customers)["motive_type"]
    assert truth["motive_type"].dtype == motives.dtype
    types = classify.time_type(ds.shipments, customers=ds.customers)["time_type"]
    assert truth["time_type"].dtype == types.dtype


def test_truth_dict_keys_use_the_same_labels(ds):
    truth = ds.truth
    assert tuple(truth.tier_customer_shares) == classify.TIERS
    assert tuple(truth.tier_profit_shares) == classify.TIERS
    assert tuple(truth.motive_shares) == classify.MOTIVE_TYPES
    assert set(truth.prospects["stage_shares"]) <= set(classify.STAGES)


def test_en_us_truth_uses_crmkit_english_labels():
    en = generate(seed=4, scale={"customers": 40, "shipments": 800, "surveys": 40,
                                 "complaints": 20, "calls": 100}, locale="en_US")
    ct = en.truth.customer_truth
    assert list(ct["tier"].cat.categories) == [V.english(t) for t in classify.TIERS]
    assert list(ct["motive_type"].cat.categories) == [V.english(t) for t in classify.MOTIVE_TYPES]
    assert list(ct["stage"].cat.categories) == [V.english(t) for t in classify.STAGES]


def test_planted_rule_parameters_are_crmkit_defaults():
    # The 忠诚者 rule and the staleness rule the generator plants are the methods' defaults.
    assert C.LOYAL_MIN_ORDERS == classify.LOYAL_MIN_ORDERS
    assert C.LOYAL_QUARTERS == classify.LOYAL_QUARTERS
    assert C.ACTIVE_WINDOW_DAYS == classify.ACTIVE_WINDOW_DAYS
    assert C.STALE_AFTER_DAYS == STALE_AFTER_DAYS
    assert C.ASOF == pd.Timestamp(classify.ASOF)
    assert C.TIER_SHARES == classify.TIER_SHARES
    assert C.TIER_PROFIT_SHARES == classify.TIER_PROFIT_SHARES
    assert C.SMALL_CUSTOMER_LOSS_SHARE == abc_mod.SMALL_CUSTOMER_LOSS_SHARE


def test_datasets_package_does_not_import_the_method_modules():
    import ast
    from pathlib import Path

    import crmkit.datasets

    methods = {"abc", "classify", "complaints", "crm", "delivery", "kpi", "resample",
               "satisfaction", "servicecenter", "value", "plotting", "grading"}
    for path in Path(crmkit.datasets.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                parts = name.split(".")
                assert not (parts[0] == "crmkit" and len(parts) > 1 and parts[1] in methods), \
                    f"{path.name} imports {name}"
