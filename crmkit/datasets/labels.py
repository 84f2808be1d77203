"""Category labels of the generated tables: the course vocabulary, seen from the generator.

The generator draws every category as an integer code and turns codes into the labels of the
chosen locale at the very end, so a seed gives the same numbers in both languages. The labels and
their English twins are defined once, in :mod:`crmkit.vocabulary`, which the method modules use
too: the planted truth (tiers, stages, motive and time types) is labelled exactly as an analysis is.
"""
from __future__ import annotations

from crmkit.vocabulary import CATEGORIES, EN, LOCALES, ORDERED, labels, translate

__all__ = ["LOCALES", "CATEGORIES", "EN", "ORDERED", "labels", "translate"]
