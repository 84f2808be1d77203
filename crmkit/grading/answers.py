"""Answer values as plain data: how a hand-in's answers leave the sandbox, and how they are read back.

The sandbox (:mod:`crmkit.grading._harness`) turns each declared answer into a JSON document with a
``kind`` tag: ``"json"`` for numbers, strings, booleans and None inside lists, tuples, sets and
dicts (a tagged tree, so a tuple stays a tuple and a dict keeps non-string keys), ``"frame"`` and
``"series"`` for pandas tables (CSV text plus a record of the dtypes and the index), ``"npy"`` for a
numpy array (the ``.npy`` format, base64, written and read with ``allow_pickle=False``).

:func:`decode` is the only reader. It runs in the grading process, treats every byte as hostile
(whatever ran in the sandbox may have forged it) and accepts only these shapes, within size limits:
never pickle, never code. Anything else raises :class:`AnswerError` with a plain reason.
"""
from __future__ import annotations

import base64
import io
import json
import math
import numbers
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["AnswerError", "encode", "decode", "MAX_ITEMS", "MAX_DEPTH", "MAX_CELLS"]

#: Items in one list/dict/set tree, rows x columns of one table, elements of one array.
MAX_ITEMS = 200_000
MAX_CELLS = 2_000_000
#: Nesting depth of lists and dicts.
MAX_DEPTH = 20
#: Dtypes a table column or an array may have after reading (names as pandas/numpy spell them).
_COLUMN_DTYPES = {"int64", "int32", "float64", "float32", "bool", "object", "category", "str",
                  "string", "Int64", "boolean"} | {f"datetime64[{u}]" for u in ("s", "ms", "us", "ns")}
_ARRAY_KINDS = "biufU"  # bool, int, uint, float, unicode: never object (that would need pickle)


class AnswerError(ValueError):
    """An answer value that cannot be read back safely; the message says why."""


# ----------------------------------------------------------------------------- encoding (sandbox)
def _tree(value, depth=0):
    if depth > MAX_DEPTH:
        raise AnswerError("nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return {"t": "v", "v": value}
    if value is Ellipsis:  # an answer left as `...`: graded as wrong, not as an error
        return {"t": "ell", "v": None}
    if isinstance(value, np.bool_):
        return {"t": "v", "v": bool(value)}
    if isinstance(value, numbers.Integral):
        return {"t": "v", "v": int(value)}
    if isinstance(value, numbers.Real):
        number = float(value)
        return {"t": "f", "v": repr(number)} if not math.isfinite(number) else {"t": "v", "v": number}
    if isinstance(value, pd.Timestamp):
        return {"t": "ts", "v": value.isoformat()}
    if isinstance(value, (list, tuple, set, frozenset)):
        tag = {list: "list", tuple: "tuple"}.get(type(value), "set")
        items = sorted(value, key=repr) if tag == "set" else value
        return {"t": tag, "v": [_tree(v, depth + 1) for v in items]}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[_tree(k, depth + 1), _tree(v, depth + 1)] for k, v in value.items()]}
    raise AnswerError(f"a {type(value).__name__} cannot be graded")


def _frame_record(frame: pd.DataFrame) -> dict:
    if isinstance(frame.columns, pd.MultiIndex):
        raise AnswerError("a table with several column levels cannot be graded")
    index_names = [n if n is not None else None for n in frame.index.names]
    flat = frame.reset_index()
    flat.columns = [f"__c{i}" for i in range(flat.shape[1])]
    return {"csv": flat.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S.%f"),
            "columns": [_tree(c) for c in frame.columns],
            "index_names": [_tree(n) for n in index_names],
            "dtypes": [str(t) for t in list(frame.index.to_frame().dtypes) + list(frame.dtypes)],
            "categories": {str(i): [_tree(c) for c in flat[col].cat.categories]
                           for i, col in enumerate(flat.columns)
                           if isinstance(flat[col].dtype, pd.CategoricalDtype)}}


def encode(value: Any) -> dict:
    """One answer value as a JSON-ready dict (the sandbox side); raises :class:`AnswerError`.

    Examples
    --------
    >>> decode(json.loads(json.dumps(encode((1, "A", 0.5)))))
    (1, 'A', 0.5)
    """
    if isinstance(value, pd.DataFrame):
        return {"kind": "frame", **_frame_record(value)}
    if isinstance(value, pd.Series):
        return {"kind": "series", "name": _tree(value.name), **_frame_record(value.to_frame("__v"))}
    if isinstance(value, pd.Index):
        return {"kind": "index", "value": _tree(value.tolist()), "name": _tree(value.name)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in _ARRAY_KINDS:
            raise AnswerError(f"a numpy array of {value.dtype} cannot be graded")
        buf = io.BytesIO()
        np.save(buf, value, allow_pickle=False)
        return {"kind": "npy", "data": base64.b64encode(buf.getvalue()).decode("ascii")}
    return {"kind": "json", "value": _tree(value)}


# ----------------------------------------------------------------------------- decoding (grader)
class _Budget:
    def __init__(self):
        self.left = MAX_ITEMS

    def spend(self, n=1):
        self.left -= n
        if self.left < 0:
            raise AnswerError(f"more than {MAX_ITEMS} items")


def _untree(node, budget, depth=0):
    if depth > MAX_DEPTH:
        raise AnswerError("nested too deeply")
    if not isinstance(node, dict) or "t" not in node or "v" not in node:
        raise AnswerError("not a recognised value record")
    budget.spend()
    tag, v = node["t"], node["v"]
    if tag == "v" and (v is None or isinstance(v, (bool, int, float, str))):
        return v
    if tag == "ell":
        return Ellipsis
    if tag == "f" and v in ("nan", "inf", "-inf"):
        return float(v)
    if tag == "ts" and isinstance(v, str) and len(v) < 64:
        return pd.Timestamp(v)
    if tag in ("list", "tuple", "set") and isinstance(v, list):
        items = [_untree(x, budget, depth + 1) for x in v]
        if tag == "set":
            try:
                return set(items)
            except TypeError:
                raise AnswerError("a set of unhashable values") from None
        return tuple(items) if tag == "tuple" else items
    if tag == "dict" and isinstance(v, list):
        out = {}
        for pair in v:
            if not isinstance(pair, list) or len(pair) != 2:
                raise AnswerError("a broken dict record")
            key = _untree(pair[0], budget, depth + 1)
            if isinstance(key, (list, dict, set)):
                raise AnswerError("a dict with unhashable keys")
            out[key] = _untree(pair[1], budget, depth + 1)
        return out
    raise AnswerError(f"unknown value tag {str(tag)[:20]!r}")


def _read_frame(record) -> pd.DataFrame:
    budget = _Budget()
    csv, dtypes = record.get("csv"), record.get("dtypes")
    columns = [_untree(c, budget) for c in record.get("columns", [])]
    index_names = [_untree(n, budget) for n in record.get("index_names", [])]
    if not isinstance(csv, str) or not isinstance(dtypes, list) or not index_names \
            or len(dtypes) != len(columns) + len(index_names):
        raise AnswerError("a table record without its CSV text and dtypes")
    if any(not isinstance(t, str) or t not in _COLUMN_DTYPES for t in dtypes):
        raise AnswerError(f"a table column of an unsupported dtype ({dtypes})")
    n_cols = len(dtypes)
    if n_cols * (csv.count("\n") + 1) > MAX_CELLS:
        raise AnswerError(f"a table of more than {MAX_CELLS} cells")
    names = [f"__c{i}" for i in range(n_cols)]
    read_as = {n: ("object" if t in ("category", "str", "string") or t.startswith("datetime")
                   else t)
               for n, t in zip(names, dtypes)}
    try:
        flat = pd.read_csv(io.StringIO(csv), dtype=read_as, keep_default_na=True,
                           na_values=[""], engine="c")
    except (ValueError, TypeError, pd.errors.ParserError) as err:
        raise AnswerError(f"the table could not be read ({str(err)[:80]})") from None
    if list(flat.columns) != names:
        raise AnswerError("the table's columns do not match its record")
    cats = record.get("categories") or {}
    for i, (name, dtype) in enumerate(zip(names, dtypes)):
        if dtype == "category":
            levels = [_untree(c, budget) for c in cats.get(str(i), [])] if isinstance(cats, dict) else []
            flat[name] = pd.Categorical(flat[name], categories=levels or None)
        elif dtype.startswith("datetime64"):
            flat[name] = pd.to_datetime(flat[name], errors="raise").astype(dtype)
        elif dtype in ("str", "string"):
            flat[name] = flat[name].astype(dtype)
    k = len(index_names)
    frame = flat.set_index(names[:k]) if k else flat
    frame.index.names = index_names
    frame.columns = columns
    return frame


def decode(record: Any) -> Any:
    """Rebuild one answer from its record, trusting nothing in it.

    Raises
    ------
    AnswerError
        For any record that is not one of the documented shapes or is too large.
    """
    if not isinstance(record, dict):
        raise AnswerError("not a value record")
    kind = record.get("kind")
    try:
        if kind == "json":
            return _untree(record.get("value"), _Budget())
        if kind == "frame":
            return _read_frame(record)
        if kind == "series":
            frame = _read_frame(record)
            if frame.shape[1] != 1:
                raise AnswerError("a Series record with several columns")
            return frame.iloc[:, 0].rename(_untree(record.get("name"), _Budget()))
        if kind == "index":
            values = _untree(record.get("value"), _Budget())
            if not isinstance(values, list):
                raise AnswerError("an Index record that is not a list")
            return pd.Index(values, name=_untree(record.get("name"), _Budget()))
        if kind == "npy":
            raw = base64.b64decode(str(record.get("data", "")), validate=True)
            array = np.load(io.BytesIO(raw), allow_pickle=False)
            if not isinstance(array, np.ndarray) or array.dtype.kind not in _ARRAY_KINDS \
                    or array.size > MAX_CELLS:
                raise AnswerError("an array of an unsupported dtype or size")
            return array
    except AnswerError:
        raise
    except (ValueError, TypeError, KeyError, OverflowError) as err:
        raise AnswerError(f"unreadable ({type(err).__name__}: {str(err)[:80]})") from None
    raise AnswerError(f"unknown kind {str(kind)[:20]!r}")
