"""Who has passed which exercise set: a term's gradebooks → one status per (student, set).

``python -m crmkit.grading progress gradebook_01.csv gradebook_05.csv [--roster roster.csv]``

Conventions (also in ``exercises/README.md``):

* **Set** — the gradebook's file name without ``gradebook_`` (``gradebook_05.csv`` → ``05``);
  in :func:`progress_table` the keys of the ``gradebooks`` dict.
* **Student** — the ``student`` column if the gradebook has one, else the hand-in file name up to
  its first ``_`` or ``.`` (``2024001.zip``, ``2024001_05.ipynb`` → ``2024001``). Rename the
  hand-ins to ``<student-id>.zip`` before grading, or add a ``student`` column.
* **Score** — ``percent`` of the auto-graded part; once manual columns (``q7 (manual /4)``) are
  filled in, the filled ones count: (total + manual points) / (possible + their maxima). An empty
  manual cell is "not marked yet" and counts neither way.
* **Status** — ``passed`` (score ≥ pass mark, no grading error), ``not yet`` (below the mark, or
  the row has a grading error), ``missing`` (no hand-in for a set of the term, for a student who
  appears in another gradebook or in the roster). A student who handed in twice gets the best row.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from os import PathLike

__all__ = ["STATUSES", "STATUS_LABELS", "progress_table", "progress_wide", "read_gradebook", "my_progress",
           "notebook_status", "format_my_progress",
           "read_roster", "set_name", "student_from_file", "render_html", "write_outputs"]

#: The three statuses, in the order they are shown.
STATUSES = ("passed", "not yet", "missing")
#: Bilingual labels for printed and HTML tables.
STATUS_LABELS = {"passed": "通过 passed", "not yet": "未通过 not yet", "missing": "缺交 missing"}
_COLOURS = {"passed": "#c8e6c9", "not yet": "#ffe0b2", "missing": "#ffcdd2"}
_MANUAL = re.compile(r"^(?P<q>.+) \(manual /(?P<max>[0-9.]+)\)$")
COLUMNS = ["student", "name", "set", "status", "percent", "hand_ins", "note"]


def set_name(path: str | PathLike[str]) -> str:
    """The set a gradebook file holds: its stem without ``gradebook_``.

    Examples
    --------
    >>> set_name("term/gradebook_05.csv")
    '05'
    >>> set_name("case_haier.csv")
    'case_haier'
    """
    stem = Path(path).stem
    return stem[len("gradebook_"):] if stem.startswith("gradebook_") and len(stem) > 10 else stem


def student_from_file(name: str) -> str:
    """Student id from a hand-in file name: everything before the first ``_`` or ``.``.

    Examples
    --------
    >>> student_from_file("2024001_05_abc.zip"), student_from_file("王芳.ipynb")
    ('2024001', '王芳')
    """
    name = str(name).strip()
    return re.split(r"[_.]", name, maxsplit=1)[0] or name


def _check_pass_mark(pass_mark) -> float:
    try:
        mark = float(pass_mark)
    except (TypeError, ValueError):
        raise ValueError(f"`pass_mark` must be a number from 0 to 100, but {pass_mark!r} was passed.")
    if not 0 <= mark <= 100 or np.isnan(mark):
        raise ValueError(f"`pass_mark` must be a percentage from 0 to 100, but {pass_mark!r} "
                         "was passed.")
    return mark


def _numeric(book: pd.DataFrame, column: str, where: str) -> pd.Series:
    values = pd.to_numeric(book[column], errors="coerce")
    bad = values.isna() & book[column].notna() & (book[column].astype(str).str.strip() != "")
    if bad.any():
        row = bad.idxmax()
        raise ValueError(f"{where}: column `{column}` must hold numbers, but row {row + 2} "
                         f"({book.loc[row, 'submission']}) has {book.loc[row, column]!r}.")
    return values


def _scores(book: pd.DataFrame, where: str) -> pd.DataFrame:
    """student, percent, error note for each row of one gradebook."""
    if not isinstance(book, pd.DataFrame):
        raise TypeError(f"{where}: a gradebook must be a pandas DataFrame, not a "
                        f"{type(book).__name__}.")
    missing = [c for c in ("submission", "percent") if c not in book.columns]
    manual = {c: float(m["max"]) for c in book.columns if (m := _MANUAL.match(str(c)))}
    if manual:
        missing += [c for c in ("total", "possible") if c not in book.columns]
    if missing:
        raise ValueError(f"{where}: not a crmkit gradebook, it lacks the column(s) "
                         f"{', '.join(missing)} (columns found: {', '.join(map(str, book.columns))}).")
    book = book.reset_index(drop=True)
    percent = _numeric(book, "percent", where)
    error = (book["error"].fillna("").astype(str).str.strip() if "error" in book.columns
             else pd.Series("", index=book.index))
    if (percent.isna() & (error == "")).any():
        row = (percent.isna() & (error == "")).idxmax()
        raise ValueError(f"{where}: row {row + 2} ({book.loc[row, 'submission']}) has no `percent` "
                         "and no error.")
    if manual:
        got = pd.DataFrame({c: _numeric(book, c, where) for c in manual})
        over = got.gt(pd.Series(manual)) | got.lt(0)
        if over.any().any():
            col = over.any().idxmax()
            raise ValueError(f"{where}: column `{col}` must be between 0 and {manual[col]:g}, but "
                             f"row {over[col].idxmax() + 2} has {got[col][over[col]].iloc[0]:g}.")
        filled = got.notna()
        points = _numeric(book, "total", where) + got.fillna(0).sum(axis=1)
        out_of = _numeric(book, "possible", where) + filled.mul(pd.Series(manual)).sum(axis=1)
        percent = (100 * points / out_of.where(out_of > 0)).where(filled.any(axis=1), percent)
    if "student" in book.columns:
        student = book["student"].fillna("").astype(str).str.strip()
    else:
        student = book["submission"].astype(str).map(student_from_file)
    if (student == "").any():
        row = (student == "").idxmax()
        raise ValueError(f"{where}: row {row + 2} has no student id.")
    return pd.DataFrame({"student": student, "percent": percent.round(2), "error": error})


def read_roster(roster: pd.DataFrame | str | PathLike[str]) -> pd.DataFrame:
    """``student``, ``name`` from a roster DataFrame or CSV (``student``/``student_id``/``id``)."""
    if not isinstance(roster, pd.DataFrame):
        path = Path(roster)
        if not path.is_file():
            raise ValueError(f"roster file {path} does not exist.")
        roster = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    key = next((c for c in ("student", "student_id", "id") if c in roster.columns), None)
    if key is None:
        raise ValueError("the roster needs a `student` (or `student_id` / `id`) column; it has "
                         f"{', '.join(map(str, roster.columns))}.")
    out = pd.DataFrame({"student": roster[key].astype(str).str.strip(),
                        "name": roster["name"].astype(str).str.strip() if "name" in roster.columns
                        else ""})
    return out[out["student"] != ""].drop_duplicates("student")


def progress_table(gradebooks: dict, pass_mark: float = 60,
                   roster: pd.DataFrame | str | PathLike[str] | None = None) -> pd.DataFrame:
    """One row per (student, set): ``passed`` / ``not yet`` / ``missing``.

    Parameters
    ----------
    gradebooks : dict of str → DataFrame
        Set name → gradebook as ``python -m crmkit.grading grade`` writes it (``submission``,
        ``percent``; optional ``error``, ``student``, manual columns with ``total``/``possible``).
    pass_mark : float
        Percentage (0–100) a set needs to count as passed.
    roster : DataFrame or path, optional
        Students who must appear even without any hand-in (``student`` and optional ``name``).

    Returns
    -------
    pandas.DataFrame
        ``student, name, set, status, percent, hand_ins, note``; the best row if a student
        handed in more than once; ``percent`` empty for a missing set.

    Examples
    --------
    >>> books = {"01": pd.DataFrame({"submission": ["s1.zip", "s2.zip"], "percent": [80, 40]}),
    ...          "02": pd.DataFrame({"submission": ["s1.zip"], "percent": [61.0]})}
    >>> progress_table(books, pass_mark=60)[["student", "set", "status"]].values.tolist()
    [['s1', '01', 'passed'], ['s1', '02', 'passed'], ['s2', '01', 'not yet'], ['s2', '02', 'missing']]
    """
    mark = _check_pass_mark(pass_mark)
    if not gradebooks:
        raise ValueError("no gradebooks were given: pass at least one set's gradebook.")
    rows = []
    for name, book in gradebooks.items():
        scores = _scores(book, f"gradebook {name}")
        scores.insert(0, "set", str(name))
        rows.append(scores)
    every = pd.concat(rows, ignore_index=True)
    # best hand-in first: a graded row beats an error row, then the higher percent
    every["_ok"] = every["error"] == ""
    every = every.sort_values(["_ok", "percent"], ascending=False, na_position="last",
                              kind="stable")
    counts = every.groupby(["student", "set"]).size().rename("hand_ins")
    best = every.drop_duplicates(["student", "set"]).set_index(["student", "set"])
    best = best.join(counts)
    people = read_roster(roster) if roster is not None else pd.DataFrame(columns=["student", "name"])
    students = sorted(set(people["student"]) | set(every["student"]))
    if not students:
        raise ValueError("the gradebooks have no rows and no roster was given: no students to list.")
    sets = [str(s) for s in gradebooks]
    grid = pd.MultiIndex.from_product([students, sets], names=["student", "set"])
    table = best.reindex(grid).reset_index()
    table["hand_ins"] = table["hand_ins"].fillna(0).astype(int)
    handed = table["hand_ins"] > 0
    graded = table["_ok"].astype("boolean").fillna(False).astype(bool)
    passed = handed & graded & (table["percent"] >= mark)
    table["status"] = np.select([passed, handed], ["passed", "not yet"], "missing")
    note = np.where(handed & ~table["_ok"].astype("boolean").fillna(True).astype(bool),
                    "grading error: " + table["error"].astype(object).fillna("").astype(str), "")
    again = np.where(table["hand_ins"] > 1, "best of " + table["hand_ins"].astype(str) + " hand-ins",
                     "")
    table["note"] = [("; ".join(p for p in pair if p)) for pair in zip(note, again)]
    names = dict(zip(people["student"], people["name"]))
    table["name"] = [names.get(s, "") for s in table["student"]]
    table["percent"] = table["percent"].where(handed)
    return table[COLUMNS].reset_index(drop=True)


def progress_wide(table: pd.DataFrame) -> pd.DataFrame:
    """Student × set grid of bilingual labels (``通过 passed`` …) with a ``passed`` count.

    Examples
    --------
    >>> t = progress_table({"01": pd.DataFrame({"submission": ["a.zip"], "percent": [90]})})
    >>> progress_wide(t).loc["a", "01"]
    '通过 passed'
    """
    wide = table.pivot(index="student", columns="set", values="status")
    wide = wide[list(dict.fromkeys(table["set"]))]
    counts = (wide == "passed").sum(axis=1)
    wide = wide.apply(lambda col: col.map(STATUS_LABELS))
    wide.columns.name = None
    wide.insert(0, "name", table.drop_duplicates("student").set_index("student")["name"])
    wide["passed"] = counts.astype(str) + f"/{len(wide.columns) - 1}"
    return wide


def read_gradebook(path: str | PathLike[str]) -> pd.DataFrame:
    """Read one gradebook CSV (UTF-8 with or without BOM), ids kept as text."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"gradebook file {path} does not exist.")
    try:
        return pd.read_csv(path, encoding="utf-8-sig", dtype={"submission": str, "student": str,
                                                              "error": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ValueError(f"gradebook file {path} is not a readable CSV: {err}") from None


def render_html(table: pd.DataFrame, *, pass_mark: float = 60, title: str = "Progress 学习进度") -> str:
    """A small self-contained HTML page (no scripts, no external files), one coloured cell per set."""
    sets = list(dict.fromkeys(table["set"]))
    cells = table.set_index(["student", "set"])
    head = "".join(f"<th>{html.escape(s)}</th>" for s in sets)
    body = []
    for student, group in table.groupby("student", sort=True):
        name = group["name"].iloc[0]
        row = [f"<td>{html.escape(student)}</td><td>{html.escape(name)}</td>"]
        for s in sets:
            rec = cells.loc[(student, s)]
            pct = "" if pd.isna(rec["percent"]) else f"<br><small>{rec['percent']:.1f}%</small>"
            tip = f' title="{html.escape(rec["note"])}"' if rec["note"] else ""
            row.append(f'<td style="background:{_COLOURS[rec["status"]]}"{tip}>'
                       f'{html.escape(STATUS_LABELS[rec["status"]])}{pct}</td>')
        passed = int((group["status"] == "passed").sum())
        body.append("<tr>" + "".join(row) + f"<td>{passed}/{len(sets)}</td></tr>")
    legend = " · ".join(f'<span style="background:{_COLOURS[s]};padding:0 .4em">{STATUS_LABELS[s]}</span>'
                        for s in STATUSES)
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif}}"
            "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;"
            "text-align:center}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>及格线 pass mark: {pass_mark:g}% · {legend}</p>"
            f"<table><tr><th>学号 student</th><th>姓名 name</th>{head}<th>通过 passed</th></tr>"
            + "".join(body) + "</table></body></html>\n")


def write_outputs(table: pd.DataFrame, out_dir: str | PathLike[str], *, pass_mark: float = 60,
                  force: bool = False) -> list[Path]:
    """Write ``progress.csv`` (UTF-8 BOM) and ``progress.html``; refuse to overwrite unless ``force``."""
    out_dir = Path(out_dir)
    targets = [out_dir / "progress.csv", out_dir / "progress.html"]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        raise ValueError(f"{', '.join(existing)} already exist(s); pass --force to overwrite, or "
                         "choose another --out folder.")
    out_dir.mkdir(parents=True, exist_ok=True)
    table.to_csv(targets[0], index=False, encoding="utf-8-sig")
    targets[1].write_text(render_html(table, pass_mark=pass_mark), encoding="utf-8")
    return targets


# ----------------------------------------------------------------------------- self-learner side
_CHECK = re.compile(r"""grader\.check\(\s*["'](?P<q>[^"']+)["']\s*\)""")
_PLACEHOLDER = re.compile(r"^\s*[\w.\[\]'\"]+\s*=\s*\.\.\.\s*(#.*)?$", re.M)
_WRITTEN = re.compile(r"\*\*Question (?P<n>\d+) \(written")
_SET_NOTEBOOK = re.compile(r"^(\d\d_|case_)[\w]+\.ipynb$")


def _output_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        for key in ("text/plain", "text/html"):
            text = data.get(key, "")
            parts.append("".join(text) if isinstance(text, list) else str(text))
        text = out.get("text", "")
        parts.append("".join(text) if isinstance(text, list) else str(text))
        if out.get("output_type") == "error":
            parts.append("error")
    return "\n".join(parts)


def notebook_status(path: str | PathLike[str]) -> pd.DataFrame:
    """Per question of one saved student notebook: ``answered`` and the last ``grader.check`` result.

    ``check`` is ``passed`` only when the saved output of the question's check cell says otter's
    public tests passed *and* the answer cell was not run again after it; ``stale`` if it was,
    ``failed`` if the check said so, ``not run`` if the cell has no output, ``written`` for a
    question marked by the teacher. Public checks only: hidden tests decide the grade.
    """
    import json

    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    rows, answers, prompt = [], [], ""
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", ""))
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "markdown" and "otter_answer_cell" not in tags:
            prompt = source if "**Question" in source else prompt
        if "otter_answer_cell" in tags:
            if cell.get("cell_type") == "markdown":
                found = _WRITTEN.search(prompt)
                filled = source.strip() != "" and "_Type your answer here" not in source
                rows.append({"question": f"q{found['n']}" if found else f"written {len(rows) + 1}",
                             "answered": filled, "check": "written"})
            else:
                answers.append(cell)
            continue
        found = _CHECK.search(source) if cell.get("cell_type") == "code" else None
        if not found:
            continue
        answered = bool(answers) and not any(_PLACEHOLDER.search("".join(a.get("source", "")))
                                             for a in answers)
        text = _output_text(cell)
        ran = cell.get("execution_count")
        last_answer = max((a.get("execution_count") or 0 for a in answers), default=0)
        if not text.strip():
            check = "not run"
        elif re.search(r"All test cases passed!|</pre></strong> passed!", text) \
                and "error" not in [o.get("output_type") for o in cell.get("outputs", [])]:
            check = "stale" if ran is None or last_answer > ran else "passed"
        else:
            check = "failed"
        rows.append({"question": found["q"], "answered": answered, "check": check})
        answers = []
    return pd.DataFrame(rows, columns=["question", "answered", "check"])


def _find_notebooks(folder) -> list[Path]:
    start = Path(folder).resolve()
    for root in (start, start / "exercises", start.parent, start.parent.parent):
        found = sorted(p for pattern in ("[0-9][0-9]_*/*.ipynb", "cases/case_*/*.ipynb")
                       for p in root.glob(pattern)
                       if p.stem == p.parent.name and _SET_NOTEBOOK.match(p.name))
        if found:
            return found
    return []


def my_progress(folder: str | PathLike[str] | None = None, *, show: bool = True) -> pd.DataFrame:
    """Your own progress over every exercise set of the kit, from the notebooks as last saved.

    Run it from one cell in any exercise notebook (save your notebooks first)::

        from crmkit.grading import my_progress; my_progress()

    It finds the student notebooks (``NN_slug/NN_slug.ipynb``, ``cases/case_*/...``) in
    ``folder``, its ``exercises/`` or its parent, reads each one (nothing is run, so it takes well
    under a second) and counts, per set, the questions whose public check passed when you last ran
    it (see :func:`notebook_status`). It never says "passed" for a set: hidden tests decide the
    grade, and a check you have not re-run after changing the answer counts as ``stale``.

    With the default ``folder=None`` (the notebook's own folder) and no kit found, it prints one
    line and returns an empty table; a ``folder`` you name must hold the notebooks.

    Returns
    -------
    pandas.DataFrame
        ``set, question, answered, check``, one row per question.
    """
    books = _find_notebooks("." if folder is None else folder)
    if not books and folder is None:
        # The last cell of every exercise notebook calls this; where no kit is next to it (a
        # notebook opened on its own, or a hand-in being graded) it says so instead of failing.
        if show:
            print("没有找到练习笔记本 No exercise notebooks next to this one: open it inside the kit "
                  "(exercises/NN_slug/) or pass folder=.")
        return pd.DataFrame(columns=["set", "question", "answered", "check"])
    if not books:
        raise ValueError(f"no exercise notebooks (NN_slug/NN_slug.ipynb) were found in or next to "
                         f"{Path(folder).resolve()}; pass folder= the kit's exercises/ folder.")
    frames = []
    for path in books:
        status = notebook_status(path)
        status.insert(0, "set", path.stem)
        frames.append(status)
    table = pd.concat(frames, ignore_index=True)
    if show:
        print(format_my_progress(table))
    return table


def format_my_progress(table: pd.DataFrame) -> str:
    """One bilingual line per set from :func:`my_progress`'s table.

    Examples
    --------
    >>> t = pd.DataFrame({"set": ["05", "05", "05"], "question": ["q1", "q2", "q7"],
    ...                   "answered": [True, False, False], "check": ["passed", "not run", "written"]})
    >>> print(format_my_progress(t))
    05: 1/2 检查通过 public checks passed · 1 未作答 unanswered · 书面题 written 0/1 已作答 answered
    （只含公开检查；成绩由隐藏测试决定 / public checks only: hidden tests decide the grade）
    """
    lines = []
    for name, group in table.groupby("set", sort=False):
        auto = group[group["check"] != "written"]
        written = group[group["check"] == "written"]
        line = f"{name}: {(auto['check'] == 'passed').sum()}/{len(auto)} 检查通过 public checks passed"
        for state, label in (("failed", "未通过 failed"), ("stale", "改后未重查 re-run the check")):
            if (auto["check"] == state).any():
                line += f" · {(auto['check'] == state).sum()} {label}"
        if (~auto["answered"]).any():
            line += f" · {(~auto['answered']).sum()} 未作答 unanswered"
        if len(written):
            line += f" · 书面题 written {written['answered'].sum()}/{len(written)} 已作答 answered"
        lines.append(line)
    lines.append("（只含公开检查；成绩由隐藏测试决定 / public checks only: hidden tests decide the "
                 "grade）")
    return "\n".join(lines)
