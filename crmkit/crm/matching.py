"""One customer view from departmental lists: name normalisation and record matching.

Textbook: chapter 2, 现代物流客户关系管理系统 (CRM产生的背景: customer data scattered over
sales, warehouse and service, so the customer never meets "one company") and chapter 3
(客户信息的整理; CRM与数据库建设).
Notebook: notebooks/02_crm_system.ipynb
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit._result import Result
from crmkit._validate import check_columns, check_datetime, check_frame, check_series

__all__ = ["COMPANY_SUFFIX", "Extract", "MatchResult", "normalize_name", "normalize_phone",
           "match_customers"]

#: Legal-form suffixes treated as the same company form when matching names (公司法: 有限责任公司
#: and 股份有限公司 are both "limited"; 有限公司 is the common short form).
COMPANY_SUFFIX = "有限公司"
_SUFFIX_RE = r"(?:(?:股份)?有限(?:责任)?公司|股份公司)$"
_LATIN_FORMS = ((r"\bgroup\b", ""), (r"\bcorporation$", "corp"),
                (r"\b(?:limited liability (?:co|company)|company limited|co limited|co ltd)$", "co ltd"))
_GROUP_RE = r"\(\s*集团\s*\)"
_BRACKETS_RE = r"[()\[\]{}【】〔〕〈〉《》「」『』<>]"
_PUNCT_RE = r"[.,;:!?'\"，。、；：·&+/\\_-]"
_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_ID_RE = re.compile(r"(?:^|_)(?:id|code|no)$|编号$|编码$", re.IGNORECASE)

@dataclass(frozen=True, repr=False)
class MatchResult(Result):
    """Result of :func:`match_customers`: the ``master`` list, the ``links`` and a ``report``."""

    master: pd.DataFrame
    links: pd.DataFrame
    report: pd.Series


@dataclass(frozen=True)
class Extract:
    """One departmental customer list and the names of its columns.

    Parameters
    ----------
    data : pandas.DataFrame
        The list, one row per record.
    source : str
        Short name of the department, e.g. ``"sales"``.
    id : str, optional
        The department's own id column; default the only column named like ``*_id``/``*_code``.
    name, phone, city, updated : str or None
        Column names of the company name, phone, city and last-update date; ``None`` if the list
        has no such column (``name`` is required).
    """

    data: pd.DataFrame
    source: str
    id: str | None = None
    name: str = "name"
    phone: str | None = "phone"
    city: str | None = "city"
    updated: str | None = "last_updated"


def _as_text(values, name) -> pd.Series:
    s = check_series(values, name, allow_empty=True)
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind not in ("string", "empty"):
        raise TypeError(f"`{name}` must hold text, but it holds {kind} values "
                        f"(e.g. {s.dropna().head(3).tolist()}).")
    return s.astype("str")


def normalize_name(names: pd.Series | Sequence[str]) -> pd.Series:
    """Matching key for company names: the same company written differently gets the same key.

    Steps: NFKC (full-width → half-width: ``ＡＢＣ（集团）`` → ``ABC(集团)``), case-fold Latin,
    drop ``(集团)``, drop brackets and punctuation, collapse spaces (and drop them next to
    Chinese characters), unify the legal form at the end (有限责任公司, 股份有限公司, 股份公司 →
    有限公司; "Company Limited", "Limited Liability Co." → "co ltd", "Corporation" → "corp",
    the word "Group" dropped). Missing or empty names give missing keys. Textbook ch. 2–3: one
    customer, one record.

    Parameters
    ----------
    names : pandas.Series or list of str
        Company names.

    Returns
    -------
    pandas.Series
        Keys, same index (and name) as the input.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_name(["华通物流（集团）有限责任公司", "华通 物流有限公司", "ＡＢＣ  Logistics Co., Ltd."]).tolist()
    ['华通物流有限公司', '华通物流有限公司', 'abc logistics co ltd']
    """
    s = _as_text(names, "names").str.normalize("NFKC").str.casefold()
    s = _soft(s.str.replace(_GROUP_RE, "", regex=True).str.replace(_BRACKETS_RE, " ", regex=True))
    for pattern, repl in _LATIN_FORMS:
        s = s.str.replace(pattern, repl, regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    s = s.str.replace(rf"(?<={_CJK}) | (?={_CJK})", "", regex=True)
    s = s.str.replace(_SUFFIX_RE, COMPANY_SUFFIX, regex=True)
    return s.where(s.str.len() > 0)


def _soft(s: pd.Series) -> pd.Series:
    """NFKC, case-folded, punctuation to spaces, single spaces, none next to Chinese."""
    s = s.str.normalize("NFKC").str.casefold().str.replace(_PUNCT_RE, " ", regex=True)
    s = s.str.replace(r"\s+", " ", regex=True).str.strip()
    return s.str.replace(rf"(?<={_CJK}) | (?={_CJK})", "", regex=True)


def normalize_phone(phones: pd.Series | Sequence[object]) -> pd.Series:
    """Phone numbers as digits only, without the +86/0086 country code (missing stays missing).

    NFKC first (full-width digits → ASCII), then every non-digit is dropped; a leading 86 or
    0086 goes only when an 11-digit mobile number (1…) follows. Used as matching evidence in
    :func:`match_customers` (textbook ch. 3, 客户信息的整理).

    Parameters
    ----------
    phones : pandas.Series or list
        Phone numbers as text (or whole numbers, as spreadsheets store them).

    Returns
    -------
    pandas.Series
        Digit strings, same index as the input.

    Examples
    --------
    >>> normalize_phone(["+86 138-1234-5678", "（021）6123 4567", None]).tolist()
    ['13812345678', '02161234567', nan]
    """
    s = check_series(phones, "phones", allow_empty=True)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        s = s.astype("Int64")
    s = s.astype("str").where(s.notna())
    s = s.str.normalize("NFKC").str.replace(r"\D", "", regex=True)
    s = s.str.replace(r"^(?:00)?86(?=1\d{10}$)", "", regex=True)
    return s.where(s.str.len() > 0)


def _clean_text(s: pd.Series) -> pd.Series:
    s = s.astype("str").where(s.notna()).str.normalize("NFKC").str.strip()
    return s.str.replace(r"\s+", " ", regex=True).where(lambda v: v.str.len() > 0)


def _city_key(s: pd.Series) -> pd.Series:
    """City matching key written like a name key, without 市/City, and a province prefix
    (江苏苏州) reduced to the longest other city in the data it ends with (苏州)."""
    key = _soft(_clean_text(s)).str.replace(r"\s?(?:市|city)$", "", regex=True)
    key = key.where(key.str.len() > 0)
    known = sorted(set(key.dropna()), key=len)  # distinct cities only: a few dozen
    reduce = {k: c for k in known for c in known if 2 <= len(c) < len(k) and k.endswith(c)}
    return key.replace(reduce)


def _name_city(names: pd.Series, keys: pd.Series, cities: pd.Series):
    """The city a company name itself contains, in front (上海恒通商贸…) or in brackets
    (恒通商贸(上海)…), and the name key without a leading city. A bracketed city stays in the
    key: 恒通商贸(上海) and 上海恒通商贸 are kept apart, as different firms often are."""
    known = sorted(set(cities.dropna()), key=len, reverse=True)
    if not known:
        return pd.Series(np.nan, index=keys.index, dtype="str"), keys
    alt = "|".join(re.escape(c) for c in known)
    lead = keys.str.extract(rf"^({alt})(?![a-z])", expand=False)
    inner = _soft(names).str.extract(rf"\(\s*({alt})\s*\)", expand=False)
    short = keys.str.replace(rf"^(?:{alt})(?![a-z])\s*", "", regex=True)
    return lead.fillna(inner), short.where(short.str.len() > 0, keys)


def _spec(item, i) -> Extract:
    if isinstance(item, Extract):
        spec = item
    elif isinstance(item, dict):
        try:
            spec = Extract(**item)
        except TypeError as exc:
            raise TypeError(f"Extract {i + 1} as a dict needs keys data, source (and optionally "
                            f"id, name, phone, city, updated): {exc}") from None
    elif isinstance(item, pd.DataFrame):
        spec = Extract(item, source=f"extract{i + 1}")
    else:
        raise TypeError(f"Extract {i + 1} must be an Extract, a dict or a DataFrame, "
                        f"not {type(item).__name__}.")
    label = f"extract '{spec.source}'"
    check_frame(spec.data, label)
    if spec.id is None:
        found = [c for c in spec.data.columns if _ID_RE.search(str(c))]
        if len(found) != 1:
            raise ValueError(f"Cannot tell the id column of {label} (candidates: "
                             f"{', '.join(map(str, found)) or 'none'}); pass id=... in its "
                             f"Extract. Available columns: {', '.join(map(str, spec.data.columns))}.")
        spec = Extract(spec.data, spec.source, found[0], spec.name, spec.phone, spec.city,
                       spec.updated)
    used = [c for c in (spec.id, spec.name, spec.phone, spec.city, spec.updated) if c is not None]
    check_columns(spec.data, used, label)
    if spec.data[spec.id].isna().any():
        raise ValueError(f"The id column `{spec.id}` of {label} has "
                         f"{int(spec.data[spec.id].isna().sum())} missing id(s).")
    return spec


def _stack(specs) -> pd.DataFrame:
    parts = []
    for spec in specs:
        d = spec.data
        part = pd.DataFrame({"source": spec.source, "source_id": d[spec.id].astype("str")},
                            index=d.index)
        for std, col in (("name", spec.name), ("phone", spec.phone), ("city", spec.city)):
            part[std] = d[col] if col is not None else pd.Series(np.nan, index=d.index)
        part["last_updated"] = (check_datetime(d[spec.updated], spec.updated)
                                if spec.updated is not None else pd.NaT)
        own = {spec.id, spec.name, spec.phone, spec.city, spec.updated}
        extra = d[[c for c in d.columns if c not in own and c not in part.columns]]
        parts.append(pd.concat([part, extra], axis=1))
    return pd.concat(parts, ignore_index=True)


def _components(rec: pd.DataFrame, use_phone: bool, max_iter: int = 50) -> pd.Series:
    """Group labels by label propagation (each pass a groupby-min) over the matching keys.

    Two records are linked when they share (a) the name without its city and the city,
    (b) the name (or the name without its city) and the phone, or (c) the name, if no two
    records with that name give different cities; with ``use_phone`` also (d) the phone alone.
    """
    label = pd.Series(np.arange(len(rec)), index=rec.index)
    cities = rec.groupby("name_key")["place"].transform("nunique")
    keys = [rec["short_key"] + "|" + rec["place"], rec["name_key"] + "|" + rec["phone_key"],
            rec["short_key"] + "|" + rec["phone_key"], rec["name_key"].where(cities <= 1)]
    keys += [rec["phone_key"]] if use_phone else []
    for _ in range(max_iter):
        before = label.copy()
        for k in keys:
            has = k.notna()
            label[has] = label[has].groupby(k[has]).transform("min")
        if label.equals(before):
            break
    return label


def match_customers(*extracts: Extract | Mapping[str, object] | pd.DataFrame, use_phone: bool = False,
                    id_prefix: str = "M") -> MatchResult:
    """Merge departmental customer lists into one customer master (客户主数据).

    Matching works on the normalised name (:func:`normalize_name`), with city and phone as
    supporting evidence. A record's *place* is the city written in its name (上海恒通…,
    恒通…(上海)) or else its city column. Two records are one customer when they share

    1. the name without a leading city and the place (so 上海恒通商贸 = 恒通商贸 in 上海), or
    2. the name (with or without the leading city) and the phone, or
    3. the name, provided no two records with that name give different places;

    with ``use_phone=True`` also a phone alone. Customers are the connected groups (found by
    repeated groupby, no pairwise comparisons). Each link then says whether its phone and city
    agree with the master's; for every field the master keeps the freshest non-missing value
    (latest ``updated``). Textbook ch. 2: sales, warehouse and service each keep their own
    list; a CRM makes one.

    Parameters
    ----------
    *extracts : Extract, dict or pandas.DataFrame
        The lists; an :class:`Extract` (or a dict with its fields) names the columns of each.
    use_phone : bool
        Also link records that share a (normalised) phone number.
    id_prefix : str
        Prefix of the master ids (``"M00001"``, …, numbered in order of first appearance).

    Returns
    -------
    MatchResult
        ``master``: one row per customer (``master_id, name, name_key, phone, city,
        last_updated, n_records, n_sources, sources``, then other fields); ``links``: one row per
        input record (``source, source_id, master_id, name_key, phone_agrees, city_agrees,
        conflict``); ``report``: counts (``rows_in``, ``rows_<source>``, ``masters``,
        ``duplicates_merged`` = rows − masters, ``within_source_duplicates``,
        ``matched_across_sources`` and ``unmatched`` = masters seen in ≥ 2 / only 1 source,
        ``no_name``, ``conflicts`` = links whose phone and city both disagree).

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({"sales_id": ["S1", "S2"], "name": ["华通物流有限公司", "远达电子"],
    ...     "phone": ["13800000001", None], "city": ["上海", "苏州"],
    ...     "last_updated": pd.to_datetime(["2024-05-01", "2025-01-01"])})
    >>> service = pd.DataFrame({"ticket_cust": ["K9"], "company": ["华通物流（集团）有限责任公司"],
    ...     "phone": ["13800000002"], "last_updated": pd.to_datetime(["2025-06-01"])})
    >>> master, links, report = match_customers(
    ...     Extract(sales, "sales"),
    ...     Extract(service, "service", id="ticket_cust", name="company", city=None))
    >>> master[["master_id", "name", "phone", "city", "sources"]]
      master_id          name        phone city        sources
    0    M00001  华通物流(集团)有限责任公司  13800000002   上海  sales,service
    1    M00002         远达电子         NaN   苏州          sales
    >>> links["master_id"].tolist()
    ['M00001', 'M00002', 'M00001']
    >>> report[["rows_in", "masters", "matched_across_sources", "unmatched"]].tolist()
    [3, 2, 1, 1]
    """
    if not extracts:
        raise ValueError("Pass at least one extract, e.g. match_customers(Extract(sales, 'sales')).")
    specs = [_spec(item, i) for i, item in enumerate(extracts)]
    sources = [s.source for s in specs]
    if len(set(sources)) != len(sources):
        raise ValueError(f"Each extract needs its own source name, but got {sources}.")
    rec = _stack(specs)
    rec["name"] = _clean_text(_as_text(rec["name"], "name"))
    rec["name_key"] = normalize_name(rec["name"])
    rec["phone"] = normalize_phone(rec["phone"])
    rec["phone_key"] = rec["phone"]
    rec["city"] = _clean_text(rec["city"])
    rec["city_key"] = _city_key(rec["city"])
    name_city, rec["short_key"] = _name_city(rec["name"], rec["name_key"], rec["city_key"])
    rec["place"] = name_city.fillna(rec["city_key"])  # a city in the name beats a stale column
    label = _components(rec, bool(use_phone))
    first_row = label.groupby(label).transform("min")
    number = first_row.rank(method="dense").astype(int)
    width = max(5, len(str(number.max())))
    rec["master_id"] = id_prefix + number.astype(str).str.zfill(width)

    skip = {"source", "source_id", "master_id", "phone_key", "short_key", "place", "last_updated"}
    fields = ["name", "name_key", "phone", "city", "city_key"]
    fields += [c for c in rec.columns if c not in skip and c not in fields]
    fresh = rec.sort_values("last_updated", ascending=False, na_position="last", kind="mergesort")
    master = fresh.groupby("master_id", sort=True)[fields].first()
    master_city_key = master.pop("city_key")
    grouped = rec.groupby("master_id")
    master.insert(3, "last_updated", grouped["last_updated"].max())
    master.insert(4, "n_records", grouped.size())
    master.insert(5, "n_sources", grouped["source"].nunique())
    master.insert(6, "sources", grouped["source"].agg(lambda v: ",".join(sorted(set(v)))))
    master = master.reset_index()

    links = rec[["source", "source_id", "master_id", "name_key"]].copy()
    for what, theirs in (("phone", master.set_index("master_id")["phone"]),
                         ("city", master_city_key)):
        mine, theirs = rec[f"{what}_key"], rec["master_id"].map(theirs)
        agree = pd.array(mine == theirs, dtype="boolean")
        agree[(mine.isna() | theirs.isna()).to_numpy()] = pd.NA
        links[f"{what}_agrees"] = agree
    links["conflict"] = ((links["phone_agrees"] == False) & (links["city_agrees"] == False)  # noqa: E712
                         ).fillna(False).astype(bool)

    per_source = rec.groupby("source", sort=False)
    report = {"rows_in": len(rec)}
    report.update({f"rows_{s}": int(n) for s, n in per_source.size().items()})
    n_src = master["n_sources"]
    report.update({
        "masters": len(master), "duplicates_merged": len(rec) - len(master),
        "within_source_duplicates": int((per_source.size() - per_source["master_id"].nunique()).sum()),
        "matched_across_sources": int((n_src >= 2).sum()),
        "in_all_sources": int((n_src == len(specs)).sum()),
        "unmatched": int((n_src == 1).sum()),
        "no_name": int(rec["name_key"].isna().sum()), "conflicts": int(links["conflict"].sum()),
    })
    return MatchResult(master, links.reset_index(drop=True), pd.Series(report, name="count"))
