"""Synthetic, deterministic logistics CRM data for the course (数据集生成器).

One generator builds related tables — customers, contracts, shipments, SERVQUAL surveys, complaints,
service-centre calls, contacts and three messy departmental extracts — from one seed, one scale and
one locale, and records the structure it planted (profit concentration as in 表1-1, motive types,
SERVQUAL weights, the satisfaction trap, complaint causes, call peaks) in ``truth``.

>>> from crmkit.datasets import generate, load
>>> ds = generate(seed=7, scale="tiny")             # tables + truth, validated
>>> ds.shipments["service"].cat.categories.tolist()
['整车', '零担', '快递', '仓储', '冷链']
>>> customers = load("customers")                  # the shipped classroom data

Command line: ``python -m crmkit.datasets build --out datasets/ [--scale] [--seed] [--locale]
[--force] [--format csv|xlsx]``.

Notebook: every notebook loads its tables from here (see ``datasets/README.md``).
"""
from crmkit.datasets.config import DEFAULT_SEED, SCALES, SERVQUAL_DIMENSIONS
from crmkit.datasets.core import TABLES, TRUTH_TABLES, Dataset, Truth, generate
from crmkit.datasets.geography import city_table
from crmkit.vocabulary import LOCALES, labels
from crmkit.datasets.schemas import SPECS, schema
from crmkit.datasets.store import BuildConflict, build, data_dir, load, load_truth

__all__ = ["DEFAULT_SEED", "SCALES", "TABLES", "TRUTH_TABLES", "LOCALES", "SERVQUAL_DIMENSIONS",
           "SPECS", "Dataset", "Truth", "BuildConflict", "generate", "load", "load_truth", "build",
           "data_dir", "schema", "labels", "city_table"]
