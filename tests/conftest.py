"""Shared pytest set-up: a non-interactive matplotlib backend for the tests' own process.

Set in-process (not through MPLBACKEND), so the Jupyter kernels that nbval and the browser test
start keep their inline backend and really draw every figure.
"""
import matplotlib

matplotlib.use("Agg")

# Property tests explore new random examples on every developer run; CI replays a fixed set
# (derandomize), so a landing never depends on the luck of the draw. Failures still print the
# example to reproduce it.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
import os  # noqa: E402

settings.load_profile("ci" if os.environ.get("CI") else "dev")
