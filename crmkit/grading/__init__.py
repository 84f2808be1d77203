"""Graded exercises on otter-grader: course seeds, exercise data, builds and batch grading.

Textbook: all chapters (one exercise set per chapter, plus case studies).
Exercises: ``exercises/masters/*.ipynb`` (masters), ``exercises/NN_slug/`` (student notebooks).

Students meet only :func:`exercise_data` (the seeded data of their exercise set). Instructors use
the command line::

    python -m crmkit.grading build                      # = make exercises
    python -m crmkit.grading grade --assignment 05 --submissions DIR --out gradebook.csv
    python -m crmkit.grading release --out DIR          # the student copy to publish
    python -m crmkit.grading progress --dir DIR         # who passed which set

Self-learners: ``from crmkit.grading import my_progress; my_progress()`` in any exercise notebook.

The course seed lives in ``exercises/course.toml`` (or ``CRMKIT_COURSE_SEED``); see
:mod:`crmkit.grading.course`. Heavy parts (otter) load only when building or grading.
"""
from __future__ import annotations

import importlib
import sys

from crmkit.grading.course import (
    CourseSettings, course_seed, course_settings, exercise_seed, student_seed,
)
from crmkit.grading.data import exercise_data

__all__ = [
    "CourseSettings", "course_settings", "course_seed", "student_seed", "exercise_seed",
    "exercise_data", "build", "grade", "feedback", "masters", "release", "judge", "answers",
    "sandbox", "checks", "progress", "my_progress",
]

if "otter" in sys.modules:  # a student notebook: failed grader.check(...) prints one plain line
    from crmkit.grading.checks import install as _install_plain_checks

    _install_plain_checks()

#: Submodules loaded on first use: ``build`` (build.build), ``grade`` (grade.grade), ``feedback``
#: (checks for tests), ``masters`` (master parsing and leak checks).
_LAZY = ("build", "grade", "feedback", "masters", "release", "judge", "answers", "sandbox", "checks",
         "progress")


def __getattr__(name: str):
    if name == "my_progress":  # a student's own status: ``from crmkit.grading import my_progress``
        from crmkit.grading.progress import my_progress

        return my_progress
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'crmkit.grading' has no attribute {name!r}")
