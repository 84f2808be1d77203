"""The one door through which exercise notebooks and their tests get data.

``exercise_data()`` generates the course's seeded data with :func:`crmkit.datasets.generate` at the
small ``tiny`` scale (so a notebook runs in seconds). A student notebook calls it once at the top;
the hidden tests call it again and recompute the expected answers from the same data with crmkit,
so nothing is hard-coded and a re-seeded class gets its own answers. Each call returns a fresh deep
copy: a student who edits a table in place cannot change what the tests see.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from typing import TYPE_CHECKING

from crmkit.grading.course import course_settings, exercise_seed

if TYPE_CHECKING:
    from crmkit.datasets import Dataset

__all__ = ["exercise_data"]


@lru_cache(maxsize=4)
def _generate(seed: int, scale: str, locale: str):
    from crmkit.datasets import generate

    return generate(seed=seed, scale=scale, locale=locale, validate=False)


def exercise_data(student_id: str | int | None = None, *, seed: int | None = None,
                  scale: str | None = None, locale: str | None = None) -> Dataset:
    """Generate (once per process) the seeded data of this course's exercises.

    Parameters
    ----------
    student_id : str, optional
        The student's id. Used only when the course gives every student their own data
        (``per_student = true`` in ``exercises/course.toml``); otherwise ignored.
    seed : int, optional
        Use this seed instead of the course's (for instructors and tests).
    scale, locale : str, optional
        Dataset scale and locale; default from the course settings (``tiny``, ``zh_CN``).

    Returns
    -------
    Dataset
        What :func:`crmkit.datasets.generate` returns (tables such as ``customers`` and
        ``shipments``, and the planted ``truth``), as a private copy.

    Examples
    --------
    >>> a = exercise_data(seed=3)
    >>> b = exercise_data(seed=3)
    >>> a is b
    False
    """
    settings = course_settings()
    if seed is None:
        seed = exercise_seed(student_id, settings=settings)
    data = _generate(int(seed), scale or settings.scale, locale or settings.locale)
    return copy.deepcopy(data)
