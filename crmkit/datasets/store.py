"""``build`` writes a dataset folder without ever losing a user's file; ``load`` reads it back."""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from crmkit.datasets import config as C
from crmkit.datasets.core import TABLES, TRUTH_TABLES, Truth, generate
from crmkit.datasets.dictionary import dictionary_markdown, dictionary_rows
from crmkit.datasets.io import (PACKAGE_DATA, csv_bytes, gzip_bytes, read_table, sha256, table_file,
                                xlsx_bytes)
from crmkit.datasets.schemas import FOREIGN_KEYS, SPECS, TABLE_INFO, check_foreign_key, validate_table

__all__ = ["BuildConflict", "build", "data_dir", "load", "load_truth", "FORMATS"]

FORMATS = ("csv", "xlsx", "csv.gz")
XLSX_NAME = "crmkit_datasets.xlsx"


class BuildConflict(FileExistsError):
    """Files in the output folder differ from what ``build`` would write (pass force=True)."""

    def __init__(self, files: Iterable[str]) -> None:
        self.files = list(files)
        super().__init__(
            f"{len(self.files)} file(s) already exist with different content and were left "
            f"untouched: {', '.join(self.files)}. Nothing was written. Pass --force (force=True) "
            "to overwrite them.")


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The dataset folder: ``path``, else $CRMKIT_DATA_DIR, else the copy inside the package."""
    if path is not None:
        return Path(path)
    env = os.environ.get("CRMKIT_DATA_DIR")
    if env:
        return Path(env)
    return PACKAGE_DATA


def _version() -> str:
    import crmkit

    return crmkit.__version__


def _truth_json(truth: Truth) -> bytes:
    plain = {k: v for k, v in truth.items() if not isinstance(v, pd.DataFrame)}
    return (json.dumps(plain, ensure_ascii=False, indent=2, default=_jsonable) + "\n").encode("utf-8")


def _jsonable(value):
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    raise TypeError(f"not JSON serialisable: {value!r}")


def render(ds, fmt: str = "csv") -> dict[str, bytes]:
    """File name -> bytes of everything ``build`` writes for the Dataset ``ds``.

    ``fmt="csv.gz"`` is the package copy: the CSV files gzip'd, truth and manifest as they are (the
    manifest's hashes are those of the plain CSV files); the data dictionary stays in the repo.
    """
    if fmt == "csv.gz":
        plain = render(ds, "csv")
        plain.pop("README.md")
        return {(f"{n}.gz" if n.endswith(".csv") else n): (gzip_bytes(d) if n.endswith(".csv") else d)
                for n, d in plain.items()}
    cfg = ds.config
    if fmt == "xlsx":
        readme = [["table", "column", "中文名", "type", "unit", "含义", "meaning", "values"]]
        for table in (*TABLES, *TRUTH_TABLES):
            readme += [[table, *row] for row in dictionary_rows(table)]
        sheets = {**ds.tables, **{k: ds.truth[k] for k in TRUTH_TABLES}}
        return {XLSX_NAME: xlsx_bytes(sheets, readme)}
    files = {f"{name}.csv": csv_bytes(ds.tables[name], name) for name in TABLES}
    files.update({f"{name}.csv": csv_bytes(ds.truth[name], name) for name in TRUTH_TABLES})
    files["truth.json"] = _truth_json(ds.truth)
    manifest = {"crmkit_version": _version(), "seed": cfg.seed, "scale": cfg.scale,
                "locale": cfg.locale, "sizes": cfg.sizes,
                "rows": {**{k: len(v) for k, v in ds.tables.items()},
                         **{k: len(ds.truth[k]) for k in TRUTH_TABLES}}}
    files["README.md"] = dictionary_markdown(manifest).encode("utf-8")
    manifest["files"] = {name: {"sha256": sha256(data), "bytes": len(data)}
                         for name, data in sorted(files.items())}
    files["MANIFEST.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    return files


def build(out: str | os.PathLike = "datasets", *, scale: str | dict = "classroom",
          seed: int = C.DEFAULT_SEED, locale: str = "zh_CN", force: bool = False, fmt: str = "csv",
          progress: Callable[[str], None] | None = None) -> dict[str, str]:
    """Generate a dataset and write it to ``out``, never overwriting a different file unless ``force``.

    Parameters
    ----------
    out : str or Path
        Output folder (created if missing).
    scale, seed, locale
        As in :func:`generate`.
    force : bool
        Overwrite files whose content differs. Without it, if any file differs nothing is written
        and :class:`BuildConflict` lists those files.
    fmt : {"csv", "xlsx", "csv.gz"}
        CSV files plus truth, manifest and data dictionary; or one Excel workbook; or the compact
        package copy (gzip'd CSV, truth, manifest).
    progress : callable, optional
        Called with a short label after each step.

    Returns
    -------
    dict
        File name -> "written" (new), "unchanged" (identical bytes already there) or
        "overwritten" (different, replaced because ``force``).
    """
    if fmt not in FORMATS:
        raise ValueError(f"The value for `fmt` must be one of ({', '.join(FORMATS)}), but {fmt!r} was passed.")
    tick = progress or (lambda label: None)
    ds = generate(seed=seed, scale=scale, locale=locale, progress=tick)
    files = render(ds, fmt)
    tick("rendered")
    out = Path(out)
    status = {}
    for name, data in files.items():
        target = out / name
        if not target.exists():
            status[name] = "written"
        elif target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            status[name] = "unchanged"
        else:
            status[name] = "overwritten"
    conflicts = [n for n, s in status.items() if s == "overwritten"]
    if conflicts and not force:
        raise BuildConflict(conflicts)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        if status[name] != "unchanged":
            _atomic_write(out / name, data)
    tick("written")
    return status


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _manifest(folder: Path) -> dict:
    path = folder / "MANIFEST.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def load(name: str, path: str | os.PathLike | None = None, *,
         validate: bool = True) -> pd.DataFrame:
    """Read one table of the shipped (or built) dataset with the right dtypes, validated.

    Parameters
    ----------
    name : str
        Table name, e.g. ``"shipments"`` (see :data:`TABLES`), or ``"customer_truth"``.
    path : str or Path, optional
        Folder holding the CSV (or ``.csv.gz``) files (default: $CRMKIT_DATA_DIR, else the classroom
        data shipped inside the package).
    validate : bool
        Check the table against its schema and its foreign keys (default True).

    Returns
    -------
    pandas.DataFrame
        Dates as datetime64, categories as category, flags as bool.

    Raises
    ------
    ValueError
        If the file breaks the schema; the message names the file and every broken column.

    Examples
    --------
    >>> shipments = load("shipments")
    >>> shipments["order_date"].dtype, shipments["service"].dtype.name
    (dtype('<M8[s]'), 'category')
    """
    if name not in SPECS:
        raise ValueError(f"Unknown table {name!r}. Tables: {', '.join(TABLE_INFO)}.")
    folder = data_dir(path)
    file = table_file(folder, name)
    if not file.exists():
        raise FileNotFoundError(f"{file} does not exist. Build the data first: "
                                f"python -m crmkit.datasets build --out {folder}")
    locale = _manifest(folder).get("locale")
    frame, locale = read_table(file, name, locale)
    if not validate:
        return frame
    frame = validate_table(frame, name, locale, source=str(file))
    frame = frame[[s.name for s in SPECS[name]]]
    for (child, col), (parent, key) in FOREIGN_KEYS.items():
        parent_file = table_file(folder, parent)
        if child == name and parent_file.exists():
            keys = pd.read_csv(parent_file, encoding="utf-8-sig", usecols=[key], dtype="str")[key]
            check_foreign_key(frame[col], keys, f"{file}: column '{col}'", f"{parent_file.name}")
    return frame


def load_truth(path: str | os.PathLike | None = None) -> Truth:
    """The planted truth of a dataset folder: ``truth.json`` plus the per-customer tables."""
    folder = data_dir(path)
    file = folder / "truth.json"
    if not file.exists():
        raise FileNotFoundError(f"{file} does not exist. Build the data first: "
                                f"python -m crmkit.datasets build --out {folder}")
    truth = Truth(json.loads(file.read_text(encoding="utf-8")))
    for name in TRUTH_TABLES:
        truth[name] = load(name, folder)
    return truth
