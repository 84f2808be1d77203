"""One parameter vocabulary across the public API (written down in crmkit's package docstring).

Every public function of every crmkit module is read here; a new function that calls the id column
``customer=`` or takes ``asof`` positionally fails this test, not a student's notebook.
"""
import importlib
import inspect

import pytest

import crmkit
from crmkit import vocabulary as V

MODULES = [*crmkit._SUBMODULES, "vocabulary", "glossary", "practice"]
#: Method packages: tables in, tables out; the column-name vocabulary applies in full.
METHODS = {"abc", "classify", "complaints", "crm", "delivery", "kpi", "resample", "satisfaction",
           "servicecenter", "value", "plotting"}

#: A second name for a vocabulary word -> the word to use.
SYNONYMS = {
    "customer": "key", "customer_id": "key", "id_col": "key", "id_column": "key",
    "order_date": "date (or shipment_date for a second table)", "contact_date": "date",
    "complaint_date": "date", "survey_date": "date", "opened": "date", "arrived": "date",
    "df": "data", "frame": "data", "table_": "data",
    "revenue": "value (revenue= only beside cost=)",
    "aht": "aht_s", "answer_within": "answer_within_s", "arrival_rate": "calls_per_hour",
    "weight": "weight_kg", "distance": "distance_km", "rate": "rate_per_day or another unit",
    "scale": "likert (scale is the datasets' table sizes)",
}
#: Parameters of time spans must say their unit.
TIME_WORDS = ("window", "horizon", "within", "inactive", "stale", "response", "resolution",
              "delay", "wait", "tolerance_h")
UNITS = ("_days", "_h", "_s")


def public_functions():
    seen = set()
    for name in MODULES:
        module = importlib.import_module(f"crmkit.{name}")
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            if inspect.isfunction(obj) and obj not in seen:
                seen.add(obj)
                yield name, f"crmkit.{name}.{attr}", obj


FUNCTIONS = list(public_functions())
IDS = [qual for _, qual, _ in FUNCTIONS]


def test_there_are_many_public_functions():
    assert len(FUNCTIONS) > 120


@pytest.mark.parametrize("package, qualname, func", FUNCTIONS, ids=IDS)
def test_signature_speaks_the_vocabulary(package, qualname, func):
    params = inspect.signature(func).parameters
    problems = []
    for p in params.values():
        if package in METHODS and p.name in SYNONYMS:
            if not (p.name == "revenue" and "cost" in params) and not (
                    p.name == "scale" and package == "datasets"):
                problems.append(f"`{p.name}=` should be `{SYNONYMS[p.name]}`")
        if p.name == "asof":
            if p.kind is not p.KEYWORD_ONLY:
                problems.append("`asof` must be keyword-only")
            if p.default is not V.ASOF:
                problems.append("`asof` must default to crmkit.vocabulary.ASOF")
        if p.name in ("by", "key", "date", "value", "slot", "groups", "likert") and package in METHODS:
            if p.kind is not p.KEYWORD_ONLY and not (p.name == "value" and package == "value"):
                problems.append(f"`{p.name}` must be keyword-only")
        if p.name == "by" and package in METHODS and p.default is not inspect.Parameter.empty:
            if not (p.default is None or isinstance(p.default, str)):
                problems.append("`by` must default to None or one column name")
        if p.name == "key" and isinstance(p.default, str) and not p.default.endswith("_id"):
            problems.append(f"`key` names an id column, not {p.default!r}")
        numeric = isinstance(p.default, (int, float)) and not isinstance(p.default, bool)
        if numeric and any(w in p.name for w in TIME_WORDS) and not p.name.endswith(UNITS):
            problems.append(f"`{p.name}` is a time span: end its name with {'/'.join(UNITS)}")
    assert not problems, f"{qualname}{inspect.signature(func)}: " + "; ".join(problems)


WITH_BY = [f for f in FUNCTIONS if f[0] in METHODS - {"plotting"}
           and "by" in inspect.signature(f[2]).parameters]


def test_grouping_functions_are_found():
    assert len(WITH_BY) >= 12


@pytest.mark.parametrize("package, qualname, func", WITH_BY, ids=[q for _, q, _ in WITH_BY])
def test_by_parameters_are_read_by_the_one_helper(package, qualname, func):
    """A method that takes `by` reads it through crmkit._validate.check_by (str or list alike)."""
    source = inspect.getsource(inspect.getmodule(func))
    assert "check_by(" in source, f"{qualname} reads `by` without check_by"


def test_the_vocabulary_is_written_down_in_the_package_docstring():
    doc = crmkit.__doc__
    for word in ("key", "date", "value", "asof", "by", "likert", "_days", "_h", "_s", "Result"):
        assert f"``{word}``" in doc, f"the package docstring does not explain ``{word}``"


def test_a_synonym_is_caught():
    def bad(shipments, asof=V.ASOF, *, customer="customer_id"):
        return shipments

    with pytest.raises(AssertionError, match="`customer=` should be `key`"):
        test_signature_speaks_the_vocabulary("value", "fake.bad", bad)
    with pytest.raises(AssertionError, match="`asof` must be keyword-only"):
        test_signature_speaks_the_vocabulary("value", "fake.bad", bad)
