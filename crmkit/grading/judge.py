"""Score a hand-in's answer values in the grading process, which never runs student code.

:func:`judge` takes the raw bytes a sandbox sent (:mod:`crmkit.grading._harness`), reads them with
the safe loaders of :mod:`crmkit.grading.answers`, rebuilds each question's namespace — the master's
own setup cell run on the grader's data, then the student's declared answer values — and runs the
master's public and hidden tests in it. Expected answers come from crmkit and the grader's seed only
(the seed is set here, in this process; nothing a hand-in does reaches it). A question earns its
points from the master when all its tests pass, else zero; a missing, unsupported or unreadable
answer is zero with the reason.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import traceback
import warnings
from typing import TYPE_CHECKING

from crmkit.grading.answers import AnswerError, decode
from crmkit.grading.course import CONFIG_ENV, PER_STUDENT_ENV, SEED_ENV

if TYPE_CHECKING:
    from collections.abc import Iterator
    from os import PathLike

    from crmkit.grading.masters import Master

__all__ = ["Verdict", "judge", "grader_environment"]

#: Longest student id accepted from a hand-in (it only picks per-student data).
MAX_ID_CHARS = 64


class Verdict(dict):
    """``{"scores": {q: points}, "errors": [...], "failed": {q: reason}}`` for one hand-in.

    ``errors`` are reasons a question could not be graded (a missing name, a wrong type, an
    unreadable value) and cell errors; ``failed`` says which test a gradable wrong answer failed.
    """


@contextlib.contextmanager
def grader_environment(seed: int, per_student: bool,
                       config: str | PathLike[str] | None = None) -> Iterator[None]:
    """Set the grader's seed (and settings file) in this process while the tests run."""
    keys = {SEED_ENV: str(int(seed)), PER_STUDENT_ENV: "true" if per_student else "false"}
    if config is not None:
        keys[CONFIG_ENV] = str(config)
    old = {k: os.environ.get(k) for k in keys}
    os.environ.update(keys)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _run(code: str, namespace: dict, label: str) -> str:
    """Run grader-owned code; return '' or a one-line reason it failed."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(code, label, "exec"), namespace)  # noqa: S102 - the master's own tests
    except AssertionError as err:
        return str(err).splitlines()[0][:200] if str(err) else "a test failed"
    except Exception as err:  # a value of the right type but the wrong shape, etc.
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        return last[:200]
    return ""


def _context(master, student_id) -> dict:
    namespace = {"__name__": "__grading__", "STUDENT_ID": student_id}
    for i, code in enumerate(master.context_code):
        lines = [ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        namespace["STUDENT_ID"] = student_id
        problem = _run("\n".join(lines), namespace, f"<setup cell {i + 1}>")
        if problem:
            raise RuntimeError(f"the master's setup cell failed in the grader: {problem}")
        namespace["STUDENT_ID"] = student_id  # the setup cell sets it to "" again
    return namespace


def _student_id(payload: dict, per_student: bool):
    if not per_student:
        return ""
    record = payload.get("answers", {}).get("STUDENT_ID")
    try:
        value = decode(record)
    except AnswerError:
        return None
    ok = isinstance(value, str) and value.strip() and len(value) <= MAX_ID_CHARS
    return value if ok else None


def judge(master: Master, raw: bytes, *, seed: int, per_student: bool = False,
          config: str | PathLike[str] | None = None) -> Verdict:
    """Score the answer data ``raw`` of one hand-in against ``master``.

    Parameters
    ----------
    master : Master
        The parsed master (:func:`crmkit.grading.masters.read_master`).
    raw : bytes
        What the sandbox sent: a JSON document ``{"answers": {name: record}, "cell_errors": [...]}``.
    seed, per_student :
        The grader's course settings.

    Returns
    -------
    Verdict
        ``scores`` per auto-graded question (capped at the master's points) and ``errors``.
    """
    auto = master.auto_questions
    verdict = Verdict(scores={q.name: 0.0 for q in auto}, errors=[], failed={})
    try:
        payload = json.loads(raw.decode("utf-8"))
        if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
            raise ValueError("no answers table")
    except (UnicodeDecodeError, ValueError, RecursionError):  # e.g. a forged, deeply nested JSON
        verdict["errors"].append("the notebook sent no readable answers (did it finish?)")
        return verdict
    cells = payload.get("cell_errors")
    if isinstance(cells, list):
        verdict["errors"] += [str(c)[:200] for c in cells[:5]]
    student_id = _student_id(payload, per_student)
    verdict["student_id"] = student_id or ""
    if student_id is None:
        verdict["errors"].append("STUDENT_ID is empty or not a short text: no per-student data to "
                                 "grade")
        return verdict
    with grader_environment(seed, per_student, config):
        try:
            base = _context(master, student_id)
        except RuntimeError as err:
            if not per_student:
                raise  # the master's own setup is broken: the instructor must see it
            verdict["errors"].append(f"STUDENT_ID {student_id!r} selects no data: {err}")
            return verdict
        for q in auto:
            namespace, problem = dict(base), ""
            for name in q.answers:
                record = payload["answers"].get(name)
                kind = record.get("kind") if isinstance(record, dict) else None
                if kind == "missing" or record is None:
                    problem = f"`{name}` is not defined"
                elif kind == "unsupported":
                    problem = f"`{name}` has a type that cannot be graded ({str(record.get('why'))[:80]})"
                else:
                    try:
                        namespace[name] = decode(record)
                    except AnswerError as err:
                        problem = f"`{name}` could not be read: {err}"
                if problem:
                    break
            if problem:
                verdict["errors"].append(f"{q.name}: {problem}")
                continue
            for i, test in enumerate(q.public_tests + q.hidden_tests):
                problem = _run(test, namespace, f"<{q.name} test {i + 1}>")
                if problem:
                    verdict["failed"][q.name] = problem
                    break
            else:
                verdict["scores"][q.name] = float(q.points)
    return verdict
