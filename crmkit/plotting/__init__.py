"""Charts for the lessons, drawn from what the method modules return — Chinese-ready.

Call :func:`setup` once per notebook (the lessons' first cell does). It registers the Noto Sans SC
font shipped inside crmkit with matplotlib and sets a seaborn theme whose font list starts with it,
so Chinese company names, axis labels and titles render without empty boxes ("tofu") on a fresh
pip install — no system font needed.

Trap: a later ``sns.set_theme()``/``sns.set_style()``/``plt.style.use(...)`` without the font
settings resets the font list and the tofu returns. Call ``crmkit.plotting.setup()`` again, or use
:func:`set_theme`, which keeps the font.

Every chart function takes the tidy frame a method returns, draws on ``ax`` (a new one if not
given) and returns the ``Axes``. Labels are Chinese and English together.

One chart module per method package, named after it:

- :mod:`.classify` (ch. 1) — :func:`plot_tiers`, :func:`plot_stage_transitions`.
- :mod:`.abc` (ch. 5) — :func:`plot_pareto`, :func:`plot_lorenz`, :func:`plot_whale`,
  :func:`plot_customer_matrix`.
- :mod:`.satisfaction` (ch. 6) — :func:`plot_ipa`, :func:`plot_servqual_gaps`, :func:`plot_nps`,
  :func:`plot_satisfaction_trap`, :func:`plot_alpha`, :func:`plot_drivers`.
- :mod:`.kpi` (ch. 7) — :func:`plot_p_chart`, :func:`plot_u_chart`, :func:`plot_kpi_dashboard`,
  :func:`plot_kpi_by_group`.
- :mod:`.servicecenter` (ch. 8) — :func:`plot_service_level`, :func:`plot_staffing_plan`.
- :mod:`.complaints` (ch. 10) — :func:`plot_cause_pareto`.
- :mod:`.value` (ch. 4) — :func:`plot_rfm_heatmap`, :func:`plot_rfm_segments`,
  :func:`plot_clv_curve`.
- :mod:`.delivery` (ch. 9) — :func:`plot_freight_curve`, :func:`plot_count_check`.
- :mod:`.resample` (any chapter that compares groups) — :func:`plot_intervals`,
  :func:`plot_permutation`.
"""
from __future__ import annotations

import logging
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from crmkit.plotting._pieces import fill_doc

__all__ = [
    "FONT_PATH", "FONT_NAME", "setup", "set_theme", "font_rc",
    "plot_pareto", "plot_lorenz", "plot_whale", "plot_tiers", "plot_customer_matrix",
    "plot_stage_transitions", "plot_ipa", "plot_servqual_gaps", "plot_nps", "plot_p_chart",
    "plot_kpi_dashboard", "plot_service_level", "plot_staffing_plan", "plot_cause_pareto",
    "plot_u_chart", "plot_kpi_by_group", "plot_satisfaction_trap", "plot_alpha", "plot_drivers",
    "plot_rfm_heatmap", "plot_rfm_segments", "plot_clv_curve",
    "plot_freight_curve", "plot_count_check", "plot_intervals", "plot_permutation",
]

#: The CJK font shipped with crmkit (subset of Noto Sans CJK SC, SIL Open Font License 1.1).
FONT_PATH = Path(__file__).resolve().parent.parent / "fonts" / "NotoSansSC-crmkit.otf"
#: Its family name as matplotlib knows it.
FONT_NAME = "Noto Sans CJK SC"


def font_rc() -> dict:
    """matplotlib rc settings that put the shipped Chinese font first, DejaVu Sans behind it.

    ``font.family`` is an explicit list, not the generic ``"sans-serif"``: matplotlib resolves a
    generic family to ONE font, so a glyph the Chinese subset lacks (U+2212 MINUS SIGN, typed in a
    label such as "准时率 − 合同目标") would be an empty box. With a list, every glyph missing from
    the first font is drawn from the next one (DejaVu Sans ships inside matplotlib).

    Returns
    -------
    dict
        ``font.family``, ``font.sans-serif`` and ``axes.unicode_minus``, for
        ``matplotlib.rcParams.update`` or a seaborn theme's ``rc``.

    Examples
    --------
    >>> font_rc()["font.family"]
    ['Noto Sans CJK SC', 'DejaVu Sans']
    """
    return {
        "font.family": [FONT_NAME, "DejaVu Sans"],
        "font.sans-serif": [FONT_NAME, "DejaVu Sans"],
        # Tick labels use the ASCII hyphen, as in the course's printed tables.
        "axes.unicode_minus": False,
    }


class _SingleWeightFilter(logging.Filter):
    """Drop matplotlib's "Failed to find font weight bold for <our font>" warning.

    The shipped subset has one weight (regular); a bold title is drawn in it, which is what we want.
    matplotlib logs the fallback as a warning that a notebook shows as an error-coloured output.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("Failed to find font weight" in message and FONT_NAME in message)


_WEIGHT_FILTER = _SingleWeightFilter()


def _register_font() -> None:
    if FONT_NAME not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(FONT_PATH))
    fm_logger = logging.getLogger("matplotlib.font_manager")
    if _WEIGHT_FILTER not in fm_logger.filters:
        fm_logger.addFilter(_WEIGHT_FILTER)


@fill_doc
def set_theme(*, style: str = "whitegrid", context: str = "notebook", palette: str = "deep",
              rc: dict | None = None) -> None:
    """``seaborn.set_theme`` that keeps the Chinese font (use it instead of the seaborn call).

    Parameters
    ----------
    {theme}
    palette : str, default "deep"
        seaborn colour palette.
    rc : dict, optional
        Extra matplotlib settings; the font settings of :func:`font_rc` are added after them.
    """
    import seaborn as sns

    _register_font()
    sns.set_theme(style=style, context=context, palette=palette, rc={**(rc or {}), **font_rc()})


@fill_doc
def setup(*, style: str = "whitegrid", context: str = "notebook", dpi: int = 100) -> str:
    """Make matplotlib and seaborn draw Chinese text; call once at the top of a notebook.

    Registers the font shipped with crmkit (one process-wide call, safe to repeat) and sets a
    seaborn theme that uses it. Returns the font family name.

    Parameters
    ----------
    {theme}
    dpi : int, default 100
        Figure resolution in notebooks.

    Returns
    -------
    str
        The font's family name, :data:`FONT_NAME`.

    Examples
    --------
    >>> from crmkit.plotting import setup
    >>> setup()
    'Noto Sans CJK SC'
    """
    set_theme(style=style, context=context, rc={"figure.dpi": dpi})
    return FONT_NAME


def _backend_is_interactive() -> bool:  # pragma: no cover - used by notebooks only
    return matplotlib.get_backend().lower() not in {"agg", "pdf", "svg", "ps", "cairo"}


# The charts: one module per method package (crmkit.abc -> crmkit.plotting.abc, ...).
from crmkit.plotting.abc import (  # noqa: E402
    plot_customer_matrix, plot_lorenz, plot_pareto, plot_whale,
)
from crmkit.plotting.classify import plot_stage_transitions, plot_tiers  # noqa: E402
from crmkit.plotting.complaints import plot_cause_pareto  # noqa: E402
from crmkit.plotting.delivery import plot_count_check, plot_freight_curve  # noqa: E402
from crmkit.plotting.kpi import (  # noqa: E402
    plot_kpi_by_group, plot_kpi_dashboard, plot_p_chart, plot_u_chart,
)
from crmkit.plotting.resample import plot_intervals, plot_permutation  # noqa: E402
from crmkit.plotting.satisfaction import (  # noqa: E402
    plot_alpha, plot_drivers, plot_ipa, plot_nps, plot_satisfaction_trap, plot_servqual_gaps,
)
from crmkit.plotting.servicecenter import plot_service_level, plot_staffing_plan  # noqa: E402
from crmkit.plotting.value import (  # noqa: E402
    plot_clv_curve, plot_rfm_heatmap, plot_rfm_segments,
)
