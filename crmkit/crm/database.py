"""A small CRM database on SQLite: schema, loading, queries and the 360° customer view.

Textbook: chapter 2, 现代物流客户关系管理系统 (物流企业CRM系统的基本构架) and chapter 3,
第二节 四、CRM与数据库建设.
Notebook: notebooks/02_crm_system.ipynb
"""
from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crmkit._result import Result
from crmkit._validate import check_choice, check_datetime, check_frame, check_numeric

if TYPE_CHECKING:
    from os import PathLike

__all__ = ["SCHEMA_SQL", "TABLES", "CustomerStore", "Customer360", "UnknownCustomerError"]

#: The database schema (one statement per table and index). Dates are stored as ISO text
#: ('2025-03-01 09:00:00'); BOOLEAN columns hold 0/1. Columns follow the crmkit data contract.
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS customers (
    customer_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    industry TEXT, province TEXT, city TEXT, address TEXT, phone TEXT, contact_name TEXT,
    first_order_date TIMESTAMP,
    contract_tier TEXT, credit_rating TEXT, account_manager TEXT,
    price_sensitivity REAL CHECK (price_sensitivity BETWEEN 0 AND 1),
    ethical_preference REAL CHECK (ethical_preference BETWEEN 0 AND 1),
    customization_requests INTEGER CHECK (customization_requests >= 0),
    convenience_preference REAL CHECK (convenience_preference BETWEEN 0 AND 1),
    loyalty_score REAL CHECK (loyalty_score BETWEEN 0 AND 1)
);
CREATE TABLE IF NOT EXISTS shipments (
    shipment_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (customer_id),
    order_date TIMESTAMP NOT NULL,
    service TEXT, origin_city TEXT, dest_city TEXT, route TEXT, time_window TEXT,
    weight_kg REAL CHECK (weight_kg >= 0), distance_km REAL CHECK (distance_km >= 0),
    revenue REAL CHECK (revenue >= 0), cost REAL CHECK (cost >= 0),
    cost_transport REAL CHECK (cost_transport >= 0), cost_handling REAL CHECK (cost_handling >= 0),
    cost_storage REAL CHECK (cost_storage >= 0), cost_admin REAL CHECK (cost_admin >= 0),
    declared_value REAL CHECK (declared_value >= 0),
    promised_at TIMESTAMP, delivered_at TIMESTAMP, on_time BOOLEAN,
    items_ordered INTEGER CHECK (items_ordered >= 0),
    items_delivered INTEGER CHECK (items_delivered >= 0),
    in_full BOOLEAN, damaged BOOLEAN, lost BOOLEAN, doc_error BOOLEAN
);
CREATE INDEX IF NOT EXISTS idx_shipments_customer ON shipments (customer_id, order_date);
CREATE TABLE IF NOT EXISTS complaints (
    complaint_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (customer_id),
    shipment_id TEXT REFERENCES shipments (shipment_id),
    channel TEXT, cause TEXT, severity TEXT,
    opened_at TIMESTAMP NOT NULL, first_response_at TIMESTAMP, resolved_at TIMESTAMP,
    claim_amount REAL CHECK (claim_amount >= 0), compensation REAL CHECK (compensation >= 0),
    outcome TEXT,
    satisfaction_after REAL CHECK (satisfaction_after BETWEEN 1 AND 7)
);
CREATE INDEX IF NOT EXISTS idx_complaints_customer ON complaints (customer_id, opened_at);
CREATE INDEX IF NOT EXISTS idx_complaints_shipment ON complaints (shipment_id);
CREATE TABLE IF NOT EXISTS contacts (
    contact_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (customer_id),
    contact_date TIMESTAMP NOT NULL,
    channel TEXT, kind TEXT
);
CREATE INDEX IF NOT EXISTS idx_contacts_customer ON contacts (customer_id, contact_date);
"""

#: Tables in load order (parents before children).
TABLES = ("customers", "shipments", "complaints", "contacts")
_IF_EXISTS = ("fail", "skip", "upsert")
_DATE_FMT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True, repr=False)
class Customer360(Result):
    """Everything the firm knows about one customer (客户360度视图)."""

    customer_id: str
    profile: pd.Series
    shipments: pd.Series
    complaints: pd.DataFrame = field(repr=False)
    contacts: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        s = self.shipments
        rate = "n/a" if pd.isna(s["on_time_rate"]) else f"{s['on_time_rate']:.0%}"
        last = "never" if pd.isna(s["last_order"]) else f"{s['last_order']:%Y-%m-%d}"
        return (f"Customer360({self.customer_id} {self.profile.get('name', '')}: "
                f"{s['orders']} orders, revenue {s['revenue']:,.2f}, on time {rate}, "
                f"last order {last}; {len(self.complaints)} complaints, "
                f"{len(self.contacts)} contacts)")


class CustomerStore:
    """A customer database in one SQLite file (or ``":memory:"``), with foreign keys on.

    Opening creates the schema (:data:`SCHEMA_SQL`) if it is missing. Use it as a context manager
    so the connection is closed. Textbook ch. 2–3: CRM 与数据库建设.

    Parameters
    ----------
    path : str or pathlib.Path
        Database file; created if it does not exist.

    Examples
    --------
    >>> import pandas as pd
    >>> with CustomerStore(":memory:") as db:
    ...     _ = db.load(customers=pd.DataFrame({"customer_id": ["C1"], "name": ["华通物流"]}),
    ...                 shipments=pd.DataFrame({"shipment_id": ["S1", "S2"],
    ...                     "customer_id": ["C1", "C1"], "revenue": [100.0, 300.0],
    ...                     "order_date": pd.to_datetime(["2025-01-05", "2025-02-01"]),
    ...                     "on_time": [True, False]}))
    ...     view = db.customer_360("C1")
    ...     db.query("SELECT customer_id, SUM(revenue) AS revenue FROM shipments GROUP BY 1")
      customer_id  revenue
    0          C1    400.0
    >>> view.shipments[["orders", "revenue", "on_time_rate"]].tolist()
    [2, 400.0, 0.5]
    """

    def __init__(self, path: str | PathLike) -> None:
        self.path = str(path)
        self._conn = sqlite3.connect(self.path)
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.executescript(SCHEMA_SQL)
        self._columns = {t: self._table_info(t) for t in TABLES}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        counts = ", ".join(f"{t}={n}" for t, n in self.counts().items())
        return f"CustomerStore({self.path!r}: {counts})"

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def _table_info(self, table) -> dict:
        rows = self._conn.execute(f"PRAGMA table_info({table})").fetchall()
        return {r[1]: {"type": r[2].upper(), "notnull": bool(r[3]), "pk": bool(r[5])} for r in rows}

    def _key(self, table) -> str:
        return next(c for c, info in self._columns[table].items() if info["pk"])

    def counts(self) -> pd.Series:
        """Rows per table."""
        return pd.Series({t: self._conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                          for t in TABLES}, name="rows")

    def query(self, sql: str, params: Sequence[object] | Mapping[str, object] = (), *,
              parse_dates: Sequence[str] | None = None) -> pd.DataFrame:
        """Run a SELECT and return the result as a DataFrame (``?`` placeholders, ``params``).

        Dates come back as text unless listed in ``parse_dates``.
        """
        try:
            return pd.read_sql_query(sql, self._conn, params=params, parse_dates=parse_dates)
        except (sqlite3.Error, pd.errors.DatabaseError) as exc:
            raise ValueError(f"The query failed: {exc}. Tables: {', '.join(TABLES)}.") from None

    def load(self, *, customers: pd.DataFrame | None = None, shipments: pd.DataFrame | None = None,
             complaints: pd.DataFrame | None = None, contacts: pd.DataFrame | None = None,
             if_exists: str = "fail", extra: str = "error") -> pd.Series:
        """Insert DataFrames into the tables, all or nothing (one transaction).

        Parents are loaded before children, and every ``customer_id``/``shipment_id`` must point
        at a row that exists (foreign keys).

        Parameters
        ----------
        customers, shipments, complaints, contacts : pandas.DataFrame, optional
            Tables with (a subset of) the schema's columns; the id and NOT NULL columns are needed.
        if_exists : {"fail", "skip", "upsert"}
            What to do with ids already in the database: ``"fail"`` raises (nothing is replaced
            silently), ``"skip"`` keeps the stored rows, ``"upsert"`` updates them with the new
            values (columns not passed keep their stored values).
        extra : {"error", "drop"}
            Columns the schema does not have: raise (default) or leave them out.

        Returns
        -------
        pandas.Series
            Rows written per table.
        """
        check_choice("if_exists", _IF_EXISTS, if_exists)
        check_choice("extra", ("error", "drop"), extra)
        frames = dict(zip(TABLES, (customers, shipments, complaints, contacts)))
        prepared = {t: self._prepare(t, df, extra) for t, df in frames.items() if df is not None}
        written = {}
        try:
            with self._conn:
                for table, frame in prepared.items():
                    written[table] = self._insert(table, frame, if_exists)
        except sqlite3.IntegrityError as exc:
            raise ValueError(f"Loading `{table}` broke a database rule ({exc}); nothing was "
                             "saved.") from None
        return pd.Series(written, name="rows", dtype=int)

    def _prepare(self, table, df, extra) -> pd.DataFrame:
        check_frame(df, table, allow_empty=True)
        cols = self._columns[table]
        unknown = [c for c in df.columns if c not in cols]
        if unknown and extra == "drop":
            df = df.drop(columns=unknown)
        elif unknown:
            raise ValueError(f"`{table}` has column(s) {', '.join(map(str, unknown))} that the "
                             f"database does not have (pass extra='drop' to leave them out). "
                             f"Allowed: {', '.join(cols)}.")
        needed = [c for c, info in cols.items() if info["notnull"] or info["pk"]]
        missing = [c for c in needed if c not in df.columns]
        if missing:
            raise ValueError(f"`{table}` lacks required column(s) {', '.join(missing)}.")
        out = {}
        for col in df.columns:
            kind, values = cols[col]["type"], df[col]
            if (cols[col]["notnull"] or cols[col]["pk"]) and values.isna().any():
                raise ValueError(f"`{table}['{col}']` has {int(values.isna().sum())} missing "
                                 "value(s), but it is required.")
            out[col] = self._convert(values, kind, f"{table}['{col}']")
        key = self._key(table)
        dup = df[key].duplicated()
        if dup.any():
            raise ValueError(f"`{table}['{key}']` repeats {int(dup.sum())} id(s) "
                             f"(e.g. {df.loc[dup, key].iloc[0]!r}); each id must appear once.")
        return pd.DataFrame(out, index=df.index)

    @staticmethod
    def _convert(values: pd.Series, kind: str, name: str) -> pd.Series:
        present = values.notna()
        if kind == "TIMESTAMP":
            conv = check_datetime(values, name).dt.strftime(_DATE_FMT)
        elif kind == "BOOLEAN":
            if not values[present].isin([True, False, 0, 1]).all():
                raise TypeError(f"`{name}` must hold True/False values.")
            conv = values.where(present, 0).astype(int)
        elif kind in ("REAL", "INTEGER"):
            check_numeric(values, name)
            conv = values.astype(float) if kind == "REAL" else values.astype("Int64")
        else:
            conv = values.astype(str)
        return conv.astype(object).where(present, None)

    def _insert(self, table, frame, if_exists) -> int:
        key = self._key(table)
        stored = pd.read_sql_query(f"SELECT {key} FROM {table}", self._conn)[key]
        clash = frame[key].isin(stored)
        if clash.any() and if_exists == "fail":
            raise ValueError(f"{int(clash.sum())} {table} row(s) already exist "
                             f"(e.g. {frame.loc[clash, key].iloc[0]!r}). Pass if_exists='skip' "
                             "to keep them or if_exists='upsert' to update them.")
        if if_exists == "skip":
            frame = frame[~clash]
        self._check_parents(table, frame)
        cols = list(frame.columns)
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        updates = [c for c in cols if c != key]
        if if_exists == "upsert":
            sql += (f" ON CONFLICT ({key}) DO " +
                    (f"UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in updates)}"
                     if updates else "NOTHING"))
        self._conn.executemany(sql, zip(*(frame[c].tolist() for c in cols)))
        return len(frame)

    def _check_parents(self, table, frame):
        fks = self._conn.execute(f"PRAGMA foreign_key_list({table})").fetchall()
        for fk in fks:
            parent, col, parent_col = fk[2], fk[3], fk[4]
            if col not in frame.columns:
                continue
            known = pd.read_sql_query(f"SELECT {parent_col} FROM {parent}", self._conn)[parent_col]
            orphan = frame[col].notna() & ~frame[col].isin(known)
            if orphan.any():
                raise ValueError(f"`{table}['{col}']` has {int(orphan.sum())} value(s) not in "
                                 f"{parent} (e.g. {frame.loc[orphan, col].iloc[0]!r}); load those "
                                 f"{parent} first. Nothing was saved.")

    def _dates(self, table, frame) -> pd.DataFrame:
        for col, info in self._columns[table].items():
            if info["type"] == "TIMESTAMP" and col in frame.columns:
                frame[col] = pd.to_datetime(frame[col])
        return frame

    def customer_360(self, customer_id: str) -> Customer360:
        """One customer's profile, shipment summary, complaints and contacts (客户360度视图).

        The shipment summary has ``orders, revenue, on_time_rate`` (mean of ``on_time`` over
        orders where it is known), ``first_order, last_order``.

        Raises
        ------
        KeyError
            If ``customer_id`` is not in the customers table.
        """
        profile = self.query("SELECT * FROM customers WHERE customer_id = ?", (customer_id,))
        if profile.empty:
            some = self._conn.execute("SELECT customer_id FROM customers ORDER BY customer_id "
                                      "LIMIT 3").fetchall()
            hint = ", ".join(repr(r[0]) for r in some) or "none: the table is empty"
            raise UnknownCustomerError(f"Customer {customer_id!r} is not in the database "
                                       f"(ids look like {hint}).")
        row = self._conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(revenue), 0.0), AVG(on_time), MIN(order_date), "
            "MAX(order_date) FROM shipments WHERE customer_id = ?", (customer_id,)).fetchone()
        summary = pd.Series({"orders": int(row[0]), "revenue": float(row[1]),
                             "on_time_rate": np.nan if row[2] is None else float(row[2]),
                             "first_order": pd.Timestamp(row[3]), "last_order": pd.Timestamp(row[4])},
                            dtype=object, name=customer_id)
        parts = {t: self._dates(t, self.query(
            f"SELECT * FROM {t} WHERE customer_id = ? ORDER BY {order}", (customer_id,)))
            for t, order in (("complaints", "opened_at"), ("contacts", "contact_date"))}
        profile = self._dates("customers", profile).iloc[0].rename(customer_id)
        return Customer360(customer_id, profile, summary,
                           parts["complaints"], parts["contacts"])


class UnknownCustomerError(KeyError, ValueError):
    """A customer id that is not in the database (both a KeyError and a ValueError)."""

    def __str__(self):
        return str(self.args[0])
