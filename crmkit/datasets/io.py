"""Reading and writing the dataset files: fast byte-identical CSV, hashing, xlsx.

The CSV writer formats whole columns with numpy into a byte matrix (one row per record, NUL bytes as
padding) and drops the padding, so a million shipments are written in about two seconds and the same
data always give the same bytes: fixed decimals per column, ISO dates, ``True``/``False``, UTF-8 with a
byte-order mark so that Excel on Windows shows the Chinese correctly.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from crmkit.vocabulary import ORDERED
from crmkit.datasets.schemas import SPECS, allowed

__all__ = ["BOM", "PACKAGE_DATA", "csv_bytes", "gzip_bytes", "read_table", "sha256", "table_file",
           "xlsx_bytes"]

#: The classroom data shipped inside the package (gzip'd CSV, one file a table), so ``load()`` works
#: on every install: a wheel, a JupyterHub image, Binder, a clone. ``python -m crmkit.datasets
#: build`` writes it; $CRMKIT_DATA_DIR points ``load()`` at another folder.
PACKAGE_DATA = Path(__file__).resolve().parent / "classroom"

BOM = b"\xef\xbb\xbf"
CHUNK = 50_000
_COMMA, _NL, _QUOTE = 44, 10, 34


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzip'd with no timestamp or file name in the header, so equal data give equal bytes.

    >>> gzip.decompress(gzip_bytes(b"abc")) == b"abc" and gzip_bytes(b"abc") == gzip_bytes(b"abc")
    True
    """
    return gzip.compress(data, compresslevel=9, mtime=0)


def table_file(folder: Path, name: str) -> Path:
    """The file of table ``name`` in ``folder``: ``name.csv``, else ``name.csv.gz``.

    Returns the plain ``.csv`` path when neither exists (for the error message).
    """
    plain = Path(folder) / f"{name}.csv"
    packed = plain.with_name(plain.name + ".gz")
    return packed if not plain.exists() and packed.exists() else plain


def _text_matrix(values: np.ndarray, unique: bool = False) -> np.ndarray:
    """Byte matrix (n, width) of strings, NUL-padded; None/NaN -> empty; quoted where CSV needs it."""
    if unique:  # ids: every value differs, so skip the factorisation
        codes, uniq = np.arange(len(values)), values
    else:
        codes, uniq = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    if len(uniq) == 0:
        return np.zeros((len(codes), 1), np.uint8)
    table = np.append(np.asarray(uniq, dtype=object).astype("U"), "")
    special = np.zeros(len(table), bool)
    for ch in ',"\n\r':
        special |= np.strings.find(table, ch) >= 0
    if special.any():  # quote the few values CSV needs quoted
        quoted = ['"' + t.replace('"', '""') + '"' for t in table[special].tolist()]
        table = table.astype(object)
        table[special] = quoted
        table = table.astype("U")
    cp = table.view(np.uint32).reshape(len(table), -1)
    if (cp < 128).all():
        lookup = cp.astype(np.uint8)
    else:
        enc = np.strings.encode(table, "utf-8")
        lookup = np.frombuffer(enc.tobytes(), np.uint8).reshape(len(table), -1)
    return np.take(lookup, np.where(codes < 0, len(table) - 1, codes), axis=0)


_TRIPLES = np.array([list(f"{i:03d}".encode()) for i in range(1000)], dtype=np.uint8)


def _digits(a: np.ndarray, width: int | None = None) -> np.ndarray:
    """Non-negative integers as ASCII digits, NUL-padded (zero-padded to ``width`` if given).

    Built three digits at a time from a lookup table, so a million numbers take milliseconds (the
    remainder is taken as ``rest - 1000 * quotient``: numpy divides by a constant fast, but its
    ``%`` is slow; ``np.take`` gathers rows faster than fancy indexing).
    """
    a = np.asarray(a, dtype=np.int64)
    w = width or len(str(int(a.max()) if a.size else 0))
    groups = -(-w // 3)
    out = np.empty((len(a), groups * 3), np.uint8)
    rest = a
    for g in range(groups - 1, -1, -1):
        quotient = rest // 1000
        out[:, 3 * g:3 * g + 3] = np.take(_TRIPLES, rest - quotient * 1000, axis=0)
        rest = quotient
    out = out[:, groups * 3 - w:]
    if width is None and w > 1:  # blank the leading zeros (keep one digit for 0)
        _blank_leading_zeros(out, a, 1)
    return out


def _blank_leading_zeros(out: np.ndarray, a: np.ndarray, unit: int) -> None:
    """Blank (NUL) the leading zeros of the zero-padded digits ``out`` of ``a // unit`` in place,
    keeping one digit for 0."""
    w = out.shape[1]
    ndigits = 1 + np.searchsorted(10 ** np.arange(1, w, dtype=np.int64) * unit, a, side="right")
    np.copyto(out, 0, where=np.arange(w)[None, :] < (w - ndigits)[:, None])


def _number_matrix(x: np.ndarray, decimals: int) -> np.ndarray:
    """Numbers with a fixed number of decimals ('12.50', '-3', ''), NaN -> empty.

    One pass of :func:`_digits` over the scaled integers gives the whole part and the decimals.
    """
    x = np.asarray(x, dtype=float)
    nan = ~np.isfinite(x)
    k = np.round(np.where(nan, 0, x) * 10 ** decimals).astype(np.int64)
    a = np.abs(k)
    unit = 10 ** decimals
    whole = len(str(int(a.max()) // unit if a.size else 0))
    digits = _digits(a, whole + decimals)
    out = np.empty((len(a), 1 + whole + (decimals + 1 if decimals else 0)), np.uint8)
    out[:, 0] = np.where(k < 0, 45, 0)
    out[:, 1:1 + whole] = digits[:, :whole]
    if whole > 1:
        _blank_leading_zeros(out[:, 1:1 + whole], a, unit)
    if decimals:
        out[:, 1 + whole] = 46
        out[:, 2 + whole:] = digits[:, whole:]
    if nan.any():
        out[nan] = 0
    return out


def _date_matrix(values) -> np.ndarray:
    """Datetimes as 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM' or with seconds - the coarsest exact form.

    Dates are looked up per distinct day and times per minute of the day, so the cost is a few
    table gathers however many rows there are.
    """
    d = np.asarray(values, dtype="datetime64[s]")
    nat = np.isnat(d)
    secs = np.where(nat, 0, d.astype(np.int64))
    days = secs // 86400
    rem = secs - days * 86400  # numpy's % and divmod are slow; // by a constant is fast
    unit = "D" if not rem.any() else ("m" if not (rem - rem // 60 * 60).any() else "s")
    first = int(days[~nat].min()) if (~nat).any() else 0
    span = np.arange(first, int(days.max()) + 1) if len(days) else np.arange(first, first + 1)
    year, month, day = _civil(span)
    n_span = len(span)
    table = np.hstack([_digits(year, 4), _dash(n_span), _digits(month, 2), _dash(n_span),
                       _digits(day, 2)])
    parts = [np.take(table, np.clip(days - first, 0, n_span - 1), axis=0)]
    if unit != "D":
        minute = np.arange(1440)
        clock = np.hstack([np.full((1440, 1), 32, np.uint8), _digits(minute // 60, 2),
                           np.full((1440, 1), 58, np.uint8), _digits(minute % 60, 2)])
        parts.append(np.take(clock, rem // 60, axis=0))
    if unit == "s":
        sec = np.hstack([np.full((60, 1), 58, np.uint8), _digits(np.arange(60), 2)])
        parts.append(np.take(sec, rem - rem // 60 * 60, axis=0))
    m = np.hstack(parts)
    m[nat] = 0
    return m


def _dash(n: int) -> np.ndarray:
    return np.full((n, 1), 45, np.uint8)


def _civil(days: np.ndarray):
    """Year, month, day of days since 1970-01-01 (H. Hinnant's civil_from_days, vectorised)."""
    z = days + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, day


def _column_matrix(series: pd.Series, kind: str, decimals: int | None) -> np.ndarray:
    if kind == "bool":
        table = np.zeros((2, 5), np.uint8)
        table[0, :5] = np.frombuffer(b"False", np.uint8)
        table[1, :4] = np.frombuffer(b"True", np.uint8)
        return np.take(table, series.to_numpy(dtype=bool).astype(np.int64), axis=0)
    if kind == "date":
        return _date_matrix(series.to_numpy())
    if kind == "int":
        v = series.to_numpy(dtype=np.int64)
        return _number_matrix(v.astype(float), 0) if (v < 0).any() else _digits(v)
    if kind == "float":
        return _number_matrix(series.to_numpy(dtype=float), 3 if decimals is None else decimals)
    if kind.startswith("cat:") and isinstance(series.dtype, pd.CategoricalDtype):
        labels = _text_matrix(np.asarray(series.cat.categories, dtype=object))
        labels = np.vstack([labels, np.zeros((1, labels.shape[1]), np.uint8)])
        codes = series.cat.codes.to_numpy()
        return np.take(labels, np.where(codes < 0, len(labels) - 1, codes), axis=0)
    return _text_matrix(series.to_numpy(dtype=object, na_value=None),
                        unique=kind == "id" and not series.hasnans)


def csv_bytes(frame: pd.DataFrame, table: str, *, bom: bool = True) -> bytes:
    """The CSV file of ``table`` as bytes (header, then one line per row, LF line ends).

    Blocks of CHUNK rows are formatted on up to two threads (numpy releases the GIL in the heavy
    steps); the blocks are joined in order, so the bytes do not depend on the threads.
    """
    specs = {s.name: s for s in SPECS[table]}
    header = ",".join(frame.columns).encode("utf-8") + b"\n"
    starts = range(0, len(frame), CHUNK)
    if len(starts) > 1 and (os.cpu_count() or 1) > 1:
        with ThreadPoolExecutor(max_workers=2) as pool:
            blocks = list(pool.map(lambda start: _block_bytes(frame, start, specs), starts))
    else:
        blocks = [_block_bytes(frame, start, specs) for start in starts]
    return b"".join([BOM + header if bom else header, *blocks])


def _block_bytes(frame: pd.DataFrame, start: int, specs: dict) -> bytes:
    """CSV lines of rows ``start`` to ``start + CHUNK`` of ``frame``."""
    part = frame.iloc[start:start + CHUNK]
    pieces = []
    for i, col in enumerate(frame.columns):
        spec = specs.get(col)
        kind = spec.kind if spec else "str"
        if i:
            pieces.append(np.full((len(part), 1), _COMMA, np.uint8))
        pieces.append(_column_matrix(part[col], kind, spec.decimals if spec else None))
    pieces.append(np.full((len(part), 1), _NL, np.uint8))
    block = np.empty((len(part), sum(p.shape[1] for p in pieces)), np.uint8)
    at = 0
    for p in pieces:
        block[:, at:at + p.shape[1]] = p
        at += p.shape[1]
    return block[block != 0].tobytes()


def read_table(path: Path, table: str, locale: str | None = None) -> tuple[pd.DataFrame, str]:
    """Read one CSV (with or without BOM) into the dtypes of ``table``; raise ValueError if unreadable.

    Returns the frame and its locale (``locale``, or guessed from the category labels).
    """
    specs = SPECS[table]
    text_cols = {s.name: "str" for s in specs if s.kind not in ("int", "float", "bool")}
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=text_cols, keep_default_na=False,
                            na_values=[""], low_memory=False)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} could not be read as a CSV file of the {table} table: {exc}") from None
    if locale is None:
        locale = _guess_locale(frame, specs)
    for spec in specs:
        if spec.name not in frame.columns:
            continue
        col = frame[spec.name]
        if spec.kind == "float" and pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            frame[spec.name] = col.astype(float)
        elif spec.kind == "date":
            parsed = pd.to_datetime(col, format="ISO8601", errors="coerce")
            bad = parsed.isna() & col.notna()
            if bad.any():
                raise ValueError(f"{path}: column '{spec.name}' holds values that are not dates "
                                 f"(e.g. {col[bad].iloc[0]!r}).")
            frame[spec.name] = parsed.astype("datetime64[s]")
        elif spec.kind.startswith("cat:"):
            labels = allowed(spec, locale)
            present = set(col.dropna().unique())
            unknown = sorted(present - set(labels))
            if unknown:
                raise ValueError(f"{path}: column '{spec.name}' has unknown label(s) "
                                 f"{', '.join(map(repr, unknown[:5]))}. Allowed: "
                                 f"{', '.join(labels[:12])}{' ...' if len(labels) > 12 else ''}.")
            if spec.kind == "cat:route":
                labels = [lab for lab in labels if lab in present]
            ordered = ORDERED.get(spec.kind[4:], False)
            frame[spec.name] = pd.Categorical(col, categories=list(labels), ordered=ordered)
    return frame, locale


def _guess_locale(frame: pd.DataFrame, specs) -> str:
    """zh_CN unless a categorical column is written in English labels."""
    for spec in specs:
        if spec.kind.startswith("cat:") and spec.name in frame.columns:
            values = set(frame[spec.name].dropna().unique()[:50])
            if values and values <= set(allowed(spec, "en_US")) and not values <= set(allowed(spec, "zh_CN")):
                return "en_US"
    return "zh_CN"


EXCEL_MAX_ROWS = 1_048_576


def xlsx_bytes(tables: dict, readme_rows: list | None = None) -> bytes:
    """One workbook, a sheet per table (plus a 说明 sheet), with fixed timestamps for same bytes."""
    from datetime import datetime

    from openpyxl import Workbook

    too_big = [k for k, v in tables.items() if len(v) + 1 > EXCEL_MAX_ROWS]
    if too_big:
        raise ValueError(f"Excel holds at most {EXCEL_MAX_ROWS:,} rows per sheet; {', '.join(too_big)} "
                         f"{'is' if len(too_big) == 1 else 'are'} larger. Use the CSV format for this scale.")
    wb = Workbook(write_only=True)
    wb.properties.created = wb.properties.modified = datetime(2016, 1, 1)
    wb.properties.creator = "crmkit"
    if readme_rows:
        sheet = wb.create_sheet("说明")
        for row in readme_rows:
            sheet.append(row)
    for name, frame in tables.items():
        sheet = wb.create_sheet(name[:31])
        sheet.append(list(frame.columns))
        cols = []
        for col in frame.columns:
            s = frame[col]
            if pd.api.types.is_datetime64_any_dtype(s):
                cols.append([None if pd.isna(v) else v for v in s.dt.to_pydatetime()])
            else:
                cols.append(s.astype(object).where(s.notna(), None).tolist())
        for row in zip(*cols):
            sheet.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2016-01-01T00:00:00Z", data)
            dst.writestr(fixed, data)
    return out.getvalue()
