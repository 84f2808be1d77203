"""Shared pytest set-up: a non-interactive matplotlib backend for the tests' own process.

Set in-process (not through MPLBACKEND), so the Jupyter kernels that nbval and the browser test
start keep their inline backend and really draw every figure.
"""
import matplotlib

matplotlib.use("Agg")
