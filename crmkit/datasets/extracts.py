"""Three messy departmental copies of the customer list (sales, warehouse, service).

Raw material for chapters 2-3: each department keeps its own ids (XS-0001, WH0001, KF-000001),
covers only part of the customers, spells names its own way (full-width characters, extra spaces,
有限公司 ↔ 有限责任公司, (集团) added or dropped, the city left off), has duplicates, missing and stale
phones and cities. A row is stale when its data really changed (an outdated phone or city); its
last-update date is only correlated with that (ch.3 timeliness): most stale rows were last updated
more than a year before the reference date, a few recently (the change came after the update), and
a few fresh rows are old but still right, so the 365-day rule finds most stale rows, with some
misses and false alarms (``truth.extract_staleness``). Sales
also lists prospects; the warehouse and the service desk only know customers who have ordered.
``extract_links`` records which customer every row really is.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit.datasets import config as C
from crmkit.datasets._util import ids
from crmkit.datasets.providers import make_faker

__all__ = ["make_extracts", "EXTRACTS", "full_width"]

# table name, id column, id prefix, id width, share of customers covered, lists prospects too
EXTRACTS = (("sales_extract", "sales_id", "XS-", 4, 0.88, True),
            ("warehouse_extract", "wh_id", "WH", 4, 0.72, False),
            ("service_extract", "kf_id", "KF-", 6, 0.80, False))
VARIANT_SHARE = 0.35      # rows whose name is spelled differently from the master
DUPLICATE_SHARE = 0.04    # extra rows that repeat a customer (exact or near duplicates)
MISSING_PHONE, MISSING_CITY = 0.06, 0.05
STALE_PHONE, STALE_CITY = 0.05, 0.02

_FULL = {i: i + 0xFEE0 for i in range(0x21, 0x7F)}
_FULL[0x20] = 0x3000


def full_width(text: str) -> str:
    """ASCII letters, digits and signs as their full-width forms (what some input methods type).

    >>> full_width("AB-12(3)")
    'ＡＢ－１２（３）'
    """
    return text.translate(_FULL)


def _name_variants(names: np.ndarray, cities: np.ndarray, ops: np.ndarray, prov) -> np.ndarray:
    """Company names spelled another way, one of five kinds per row (op 0-4), as whole columns:

    0. the legal form written another way (the provider's first ``name_swaps`` pair that occurs),
       else a trailing space;
    1. (集团) added or dropped;
    2. the city left off (a short name), else an extra space;
    3. spaces inside and around the name;
    4. full-width characters (names with ASCII), else full-width brackets and a trailing space.
    """
    if len(names) == 0:
        return np.empty(0, dtype=object)
    name, city = np.asarray(names, dtype=str), np.asarray(cities, dtype=str)
    add = np.strings.add
    swapped, done = add(name, " "), np.zeros(len(name), bool)
    for old, new in prov.name_swaps:
        hit = ~done & (np.strings.find(name, old) >= 0)
        swapped = np.where(hit, np.strings.replace(name, old, new, 1), swapped)
        done |= hit
    grouped = np.where(np.strings.find(name, prov.group_marker) >= 0,
                       np.strings.replace(name, prov.group_marker, "", 1),
                       np.strings.replace(name, prov.group_anchor,
                                          prov.group_marker + prov.group_anchor, 1))
    n_city = np.strings.str_len(city)
    city_first = np.strings.startswith(name, city)
    rest = np.strings.slice(name, n_city, None)
    spaced = np.where(np.strings.find(name, " ") >= 0, np.strings.replace(name, " ", "  ", 1),
                      add(add(np.strings.slice(name, 0, 2), " "), np.strings.slice(name, 2, None)))
    short = np.where(city_first & (np.strings.str_len(name) > n_city + 4),
                     np.strings.lstrip(rest), spaced)
    padded = add(add(" ", np.where(city_first, add(add(np.strings.slice(name, 0, n_city), " "), rest),
                                   name)), " ")
    cp = np.ascontiguousarray(name).view(np.uint32).reshape(len(name), -1)
    ascii_in = ((cp < 128) & (np.arange(cp.shape[1]) < np.strings.str_len(name)[:, None])).any(axis=1)
    wide = np.where(ascii_in, _full_width_column(name),
                    add(np.strings.replace(np.strings.replace(name, "(", "（"), ")", "）"), " "))
    out = np.empty(len(name), dtype=object)
    for op, column in enumerate((swapped, grouped, short, padded, wide)):
        out[ops == op] = column[ops == op].astype(object)
    return out


def _phone_variants(phones: np.ndarray, ops: np.ndarray) -> np.ndarray:
    """Phones written five ways (op 0-4): digits only, 138-1234-5678, 138 1234 5678, full-width
    digits, +86 without the space; whole columns with numpy string functions (object array)."""
    if len(phones) == 0:
        return np.empty(0, dtype=object)
    digits = np.strings.replace(np.asarray(phones, dtype=str), "+86 ", "")
    head, mid, tail = (np.strings.slice(digits, 0, 3), np.strings.slice(digits, 3, 7),
                       np.strings.slice(digits, 7, None))
    dashed = np.strings.add(np.strings.add(np.strings.add(np.strings.add(head, "-"), mid), "-"), tail)
    spaced = np.strings.add(np.strings.add(np.strings.add(np.strings.add(head, " "), mid), " "), tail)
    written = (digits, dashed, spaced, _full_width_column(digits), np.strings.add("+86", digits))
    out = np.empty(len(digits), dtype=object)
    for op, column in enumerate(written):
        out[ops == op] = column[ops == op].astype(object)
    return out


def _full_width_column(text: np.ndarray) -> np.ndarray:
    """:func:`full_width` of every string of a numpy unicode array, on the code points at once."""
    text = np.ascontiguousarray(text)
    cp = text.view(np.uint32).reshape(len(text), -1)
    wide = np.where((cp >= 0x21) & (cp < 0x7F), cp + 0xFEE0, np.where(cp == 0x20, 0x3000, cp))
    return wide.astype(np.uint32).view(text.dtype).ravel()


def make_extracts(rng: np.random.Generator, customers: pd.DataFrame,
                  config: C.Config) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The three extracts (dict of DataFrames) and ``extract_links`` (every row -> customer_id)."""
    fake = make_faker(config.locale, config.faker_seed("extracts"))
    prov = next(p for p in fake.providers if hasattr(p, "name_swaps"))
    master = {"name": customers["name"].to_numpy(dtype=object),
              "phone": customers["phone"].to_numpy(dtype=object),
              "city": customers["city"].astype(str).to_numpy(dtype=object),
              "province": customers["province"].astype(str).to_numpy(dtype=object),
              "customer_id": customers["customer_id"].to_numpy(dtype=object)}
    may_list = {True: np.ones(len(customers), bool),   # sales also lists the prospects
                False: customers["first_order_date"].notna().to_numpy()}
    out, links = {}, []
    for table, id_col, prefix, width, cover, with_prospects in EXTRACTS:
        rows, is_dup = _draw_rows(rng, cover, may_list[with_prospects])
        name, variant = _spell_names(rng, master, rows, is_dup, prov)
        phone, stale_phone = _draw_phones(rng, fake, master["phone"], rows)
        city, stale_city = _draw_cities(rng, master, rows, prov)
        stale = stale_phone | stale_city
        rec_ids = ids(prefix, len(rows), width)
        out[table] = _extract_frame(table, id_col, rec_ids, customers, rows, {
            "name": name, "phone": phone, "city": city, "updated": _draw_updates(rng, stale)})
        links.append(pd.DataFrame({"extract": table, "record_id": rec_ids,
                                   "customer_id": master["customer_id"][rows],
                                   "duplicate": is_dup, "name_variant": variant,
                                   "stale": stale}))
    link_frame = pd.concat(links, ignore_index=True)
    for col in ("extract", "record_id", "customer_id"):
        link_frame[col] = link_frame[col].astype("str")
    return out, link_frame


def _draw_rows(rng: np.random.Generator, cover: float,
               may_list: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Master rows an extract lists (a share ``cover`` of those it may list, shuffled), plus
    DUPLICATE_SHARE repeated rows mixed in; and which rows are the repeats."""
    listed = (rng.random(len(may_list)) < cover) & may_list
    chosen = rng.permutation(np.flatnonzero(listed))
    dup_src = rng.choice(len(chosen), size=int(round(DUPLICATE_SHARE * len(chosen))), replace=False)
    rows = np.concatenate([chosen, chosen[dup_src]])
    is_dup = np.r_[np.zeros(len(chosen), bool), np.ones(len(dup_src), bool)]
    perm = rng.permutation(len(rows))
    return rows[perm], is_dup[perm]


def _spell_names(rng: np.random.Generator, master: dict, rows: np.ndarray, is_dup: np.ndarray,
                 prov) -> tuple[np.ndarray, np.ndarray]:
    """Company names as the department wrote them: VARIANT_SHARE of the rows, and most near
    duplicates, spelled another way (one of five kinds of variant)."""
    m = len(rows)
    near = is_dup & (rng.random(m) < 0.6)
    variant = (rng.random(m) < VARIANT_SHARE) | near
    ops = rng.integers(0, 5, m)
    name = master["name"][rows].copy()
    name[variant] = _name_variants(name[variant], master["city"][rows][variant], ops[variant], prov)
    return name, variant


def _draw_phones(rng: np.random.Generator, fake, phones: np.ndarray,
                 rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Phones as written (other formats), STALE_PHONE of them outdated (another number), some
    missing; and which are stale."""
    m = len(rows)
    stale_phone = rng.random(m) < STALE_PHONE
    phone_ops = rng.choice(5, m, p=[0.6, 0.15, 0.1, 0.1, 0.05])
    phone = _phone_variants(phones[rows], phone_ops)
    phone[stale_phone] = [fake.mobile() for _ in range(int(stale_phone.sum()))]  # in row order
    phone[rng.random(m) < MISSING_PHONE] = None
    return phone, stale_phone


def _draw_cities(rng: np.random.Generator, master: dict, rows: np.ndarray,
                 prov) -> tuple[np.ndarray, np.ndarray]:
    """Cities as written: STALE_CITY of them outdated (another city), some with the city suffix
    or (where the locale writes it so) the province in front, some missing; and which are stale."""
    m = len(rows)
    stale_city = rng.random(m) < STALE_CITY
    city = master["city"][rows].copy()
    city_names = np.asarray(prov.city_names(), dtype=object)
    city[stale_city] = city_names[rng.integers(0, len(city_names), stale_city.sum())]
    style = rng.integers(0, 6, m)
    city = np.where(style == 4, city + prov.city_suffix, city)
    if prov.province_prefix:
        city = np.where(style == 5, master["province"][rows] + city, city)
    city[rng.random(m) < MISSING_CITY] = None
    return city, stale_city


def _draw_updates(rng: np.random.Generator, stale: np.ndarray) -> np.ndarray:
    """Last-update day of each row: before the staleness cutoff with probability STALE_OLD_P (higher
    for stale rows), else within the last STALE_AFTER_DAYS."""
    m = len(stale)
    asof = np.datetime64(C.ASOF, "D")
    cutoff = asof - np.timedelta64(C.STALE_AFTER_DAYS, "D")  # updated before this day = stale
    d_fresh = (cutoff, asof + np.timedelta64(1, "D"))                      # [lo, hi)
    d_stale = (np.datetime64("2019-01-01"), cutoff)
    old = rng.random(m) < np.where(stale, C.STALE_OLD_P[1], C.STALE_OLD_P[0])
    lo, hi = (np.where(old, d_stale[0], d_fresh[0]).astype(np.int64),
              np.where(old, d_stale[1], d_fresh[1]).astype(np.int64))
    return (lo + (rng.random(m) * (hi - lo)).astype(np.int64)).astype("datetime64[D]")


def _extract_frame(table: str, id_col: str, rec_ids: np.ndarray, customers: pd.DataFrame,
                   rows: np.ndarray, written: dict) -> pd.DataFrame:
    """One extract: its own ids, the fields as written, the department's extra columns, the
    last update."""
    def master(col):
        return customers[col].astype(str).to_numpy(dtype=object)[rows] if col == "industry" \
            else customers[col].to_numpy(dtype=object)[rows]

    frame = {id_col: pd.array(rec_ids, dtype="str"), "name": pd.array(written["name"], dtype="str"),
             "contact_name": pd.array(master("contact_name"), dtype="str"),
             "phone": pd.array(written["phone"], dtype="str"),
             "city": pd.array(written["city"], dtype="str")}
    if table == "sales_extract":
        frame["industry"] = pd.array(master("industry"), dtype="str")
        frame["sales_rep"] = pd.array(master("account_manager"), dtype="str")
    if table == "warehouse_extract":
        frame["address"] = pd.array(master("address"), dtype="str")
    frame["last_updated"] = written["updated"].astype("datetime64[s]")
    return pd.DataFrame(frame)
