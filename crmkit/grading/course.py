"""Course settings for the graded exercises: the course seed and per-student seeds.

An instructor sets the seed once per class in ``exercises/course.toml`` (or the environment
variable ``CRMKIT_COURSE_SEED``); every exercise notebook and every grading test derive their data
from it, so a re-seeded class gets its own data and its own answers. With ``per_student = true``
each student's data come from the course seed and their student id.

Lookup order for the settings file: ``CRMKIT_COURSE_CONFIG`` (a path), else the first
``course.toml`` (or ``exercises/course.toml``) found in the working directory or one of its parents,
else the built-in defaults below. ``CRMKIT_COURSE_SEED`` overrides the seed from any file.
"""
from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from os import PathLike

__all__ = [
    "DEFAULT_SEED", "DEFAULT_SCALE", "DEFAULT_LOCALE", "SEED_ENV", "CONFIG_ENV",
    "CourseSettings", "read_settings", "course_settings", "course_seed", "student_seed", "exercise_seed",
]

#: Seed of the shipped classroom data (the textbook's year of publication, 2016).
DEFAULT_SEED = 2016
#: Dataset scale for exercises: small, so every notebook runs in seconds.
DEFAULT_SCALE = "tiny"
#: Labels in Chinese by default, like the textbook.
DEFAULT_LOCALE = "zh_CN"
#: Environment variable that overrides the course seed (the grader sets it for every submission).
SEED_ENV = "CRMKIT_COURSE_SEED"
#: Environment variable naming the settings file to use.
CONFIG_ENV = "CRMKIT_COURSE_CONFIG"
#: Environment variable that overrides ``per_student`` ("1"/"true" or "0"/"false").
PER_STUDENT_ENV = "CRMKIT_PER_STUDENT"

_KEYS = ("seed", "per_student", "scale", "locale")


@dataclass(frozen=True)
class CourseSettings:
    """The course's exercise settings (see ``exercises/course.toml``)."""

    seed: int = DEFAULT_SEED
    per_student: bool = False
    scale: str = DEFAULT_SCALE
    locale: str = DEFAULT_LOCALE
    path: Path | None = None


def _find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        for candidate in (folder / "course.toml", folder / "exercises" / "course.toml"):
            if candidate.is_file():
                return candidate
    return None


def _as_bool(text: str, name: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no", ""):
        return False
    raise ValueError(f"`{name}` must be true or false, but {text!r} was set.")


def _as_seed(value, name: str) -> int:
    try:
        seed = int(str(value).strip())
    except ValueError:
        raise ValueError(f"`{name}` must be a whole number such as 2016, but {value!r} was set.") from None
    if seed < 0:
        raise ValueError(f"`{name}` must be zero or positive, but {seed} was set.")
    return seed


def read_settings(path: str | PathLike[str]) -> CourseSettings:
    """Read a ``course.toml`` file; unknown keys are an error so typos don't pass silently."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"Cannot read the course settings {path}: {err}") from None
    table = raw.get("course", {})
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ValueError(f"Unknown setting(s) {', '.join(unknown)} in {path}. "
                         f"Known settings: {', '.join(_KEYS)}.")
    return CourseSettings(
        seed=_as_seed(table.get("seed", DEFAULT_SEED), "seed"),
        per_student=bool(table.get("per_student", False)),
        scale=str(table.get("scale", DEFAULT_SCALE)),
        locale=str(table.get("locale", DEFAULT_LOCALE)),
        path=path,
    )


def course_settings(start: str | PathLike[str] | None = None) -> CourseSettings:
    """Return the course settings in force here (file, then environment overrides).

    Parameters
    ----------
    start : path-like, optional
        Folder to start looking for ``course.toml`` (default: the working directory).

    Returns
    -------
    CourseSettings
        ``seed``, ``per_student``, ``scale``, ``locale`` and the ``path`` they came from.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "course.toml").write_text("[course]\\nseed = 7\\n")
    >>> read_settings(folder / "course.toml").seed
    7
    """
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ValueError(f"{CONFIG_ENV} names {path}, but there is no such file.")
    else:
        path = _find_config(Path(start) if start is not None else Path.cwd())
    settings = read_settings(path) if path is not None else CourseSettings()
    if os.environ.get(SEED_ENV, "").strip():
        settings = replace(settings, seed=_as_seed(os.environ[SEED_ENV], SEED_ENV))
    if os.environ.get(PER_STUDENT_ENV, "").strip():
        settings = replace(settings, per_student=_as_bool(os.environ[PER_STUDENT_ENV], PER_STUDENT_ENV))
    return settings


def course_seed(start: str | PathLike[str] | None = None) -> int:
    """The course seed: ``CRMKIT_COURSE_SEED``, else ``course.toml``, else 2016."""
    return course_settings(start).seed


def student_seed(student_id: str | int, *, course_seed: int) -> int:
    """A stable seed for one student: a hash of the course seed and the student id.

    The same id and course seed give the same seed on every machine and in every process
    (SHA-256, not Python's salted ``hash``). Spaces around the id and letter case are ignored.

    Examples
    --------
    >>> student_seed("2023001", course_seed=2016) == student_seed(" 2023001 ", course_seed=2016)
    True
    >>> student_seed("2023001", course_seed=2016) == student_seed("2023002", course_seed=2016)
    False
    """
    if not isinstance(student_id, (str, int)) or isinstance(student_id, bool):
        raise TypeError(f"`student_id` must be text such as '2023001', "
                        f"but a {type(student_id).__name__} was passed.")
    text = str(student_id).strip().casefold()
    if not text:
        raise ValueError("`student_id` is empty: type your student id between the quotes.")
    digest = hashlib.sha256(f"{_as_seed(course_seed, 'course_seed')}:{text}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def exercise_seed(student_id: str | int | None = None, *,
                  settings: CourseSettings | None = None) -> int:
    """The seed an exercise uses: the course seed, or the student's own when the course says so.

    With ``per_student = false`` (the default) every student shares the course seed and
    ``student_id`` is ignored. With ``per_student = true`` a student id is required.

    Examples
    --------
    >>> s = CourseSettings(seed=11)
    >>> exercise_seed(None, settings=s), exercise_seed("2023001", settings=s)
    (11, 11)
    >>> exercise_seed("2023001", settings=CourseSettings(seed=11, per_student=True)) != 11
    True
    """
    settings = course_settings() if settings is None else settings
    if not settings.per_student:
        return settings.seed
    if student_id is None or not str(student_id).strip():
        raise ValueError("This course gives every student their own data: set STUDENT_ID to your "
                         "student id (for example STUDENT_ID = '2023001') in the first code cell "
                         "and run the notebook again.")
    return student_seed(student_id, course_seed=settings.seed)
