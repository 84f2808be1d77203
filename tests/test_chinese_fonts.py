"""Chinese text must render in charts on a fresh install: no missing-glyph warnings, no tofu."""
import gzip
import logging
import os
import re
import subprocess
import sys
import textwrap
import unicodedata
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402
from fontTools.ttLib import TTFont  # noqa: E402

from crmkit import plotting  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _draw_chinese_chart():
    data = pd.DataFrame({"客户": ["上海顺达物流有限公司", "北京冷链科技", "广州电商仓储"],
                         "利润（万元）": [120.5, -35.0, 48.2]})
    fig, ax = plt.subplots()
    sns.barplot(data=data, x="客户", y="利润（万元）", ax=ax)
    ax.set_title("重点客户利润 −5% 至 80%")
    fig.canvas.draw()
    plt.close(fig)


def test_seaborn_chart_with_chinese_labels_has_no_missing_glyphs():
    plotting.setup()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        warnings.filterwarnings("error", message=".*missing from font.*")
        _draw_chinese_chart()


def test_the_check_above_can_fail_without_the_font():
    sns.set_theme()  # the trap STACK.md describes: the font list is reset to DejaVu Sans
    with pytest.warns(UserWarning, match="missing from font"):
        _draw_chinese_chart()
    plotting.setup()


def test_minus_sign_uses_a_glyph_the_font_has():
    plotting.setup()
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_set_theme_keeps_the_font():
    plotting.set_theme(style="ticks")
    assert matplotlib.rcParams["font.family"] == [plotting.FONT_NAME, "DejaVu Sans"]
    plotting.setup()


def test_font_is_shipped_with_its_licence():
    assert plotting.FONT_PATH.exists()
    licence = plotting.FONT_PATH.with_name("LICENSE-OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def _kit_texts():
    for top in ("crmkit", "notebooks", "exercises"):
        for path in (ROOT / top).rglob("*"):
            if path.suffix in {".py", ".ipynb", ".md"} and ".ipynb_checkpoints" not in path.parts:
                yield path
    yield from sorted((ROOT / "datasets").glob("*.csv"))
    yield from sorted((ROOT / "crmkit" / "datasets").rglob("*.csv.gz"))


def _read(path):
    if path.suffix == ".gz":
        return gzip.decompress(path.read_bytes()).decode("utf-8-sig", errors="ignore")
    return path.read_text(encoding="utf-8-sig", errors="ignore")


def test_font_covers_every_chinese_character_the_kit_uses():
    cmap = TTFont(plotting.FONT_PATH)["cmap"].getBestCmap()
    missing = {}
    for path in _kit_texts():
        text = _read(path)
        for char in set(re.findall(r"[\u3000-\u9fff\uff00-\uffef]", text)):
            if ord(char) not in cmap and unicodedata.category(char) != "Cn":
                missing.setdefault(char, path.relative_to(ROOT).as_posix())
    assert not missing, (
        f"The shipped font lacks {len(missing)} character(s) used in the kit: "
        f"{dict(list(missing.items())[:10])}. Re-run tools/subset_font.py."
    )


# A fresh process with an empty matplotlib cache whose font manager sees only matplotlib's own fonts
# and the font crmkit ships — whatever fonts this machine has installed (a system CJK font would hide
# a glyph the shipped subset lacks). It draws every Chinese character the kit uses plus "−" in
# titles, labels, tick labels and a log axis, and fails on any missing-glyph warning or font lookup
# falling back to a font that is not ours.
_PIP_ONLY_SCRIPT = textwrap.dedent("""
    import logging, sys, warnings
    from pathlib import Path
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import font_manager
    mpl_data = Path(matplotlib.get_data_path()).resolve()
    fm = font_manager.fontManager
    fm.ttflist[:] = [f for f in fm.ttflist if mpl_data in Path(f.fname).resolve().parents]
    assert fm.ttflist and not any("CJK" in f.name or "WenQuanYi" in f.name for f in fm.ttflist)
    import matplotlib.pyplot as plt
    from crmkit import plotting
    problems = []
    class Catch(logging.Handler):
        def emit(self, record):
            if "findfont" in record.getMessage() and "not found" in record.getMessage():
                problems.append(record.getMessage())
    logging.getLogger("matplotlib.font_manager").addHandler(Catch())
    warnings.simplefilter("error")
    plotting.setup()
    if "--generic-family" in sys.argv:  # the old setting: one font for the generic family
        matplotlib.rcParams["font.family"] = "sans-serif"
    chars = sys.stdin.read()
    lines = [chars[i:i + 60] for i in range(0, len(chars), 60)] or [""]
    fig, ax = plt.subplots(figsize=(8, 6))
    ax.set_title("准时率 − 合同目标 (−5%)")
    ax.set_xlabel("无重复 1 − duplicates")
    ax.set_yscale("log")
    ax.plot([1, 2, 3], [0.01, 0.1, 1])
    ax.set_xticks([1, 2, 3], ["−1", "零担", "冷链"])
    for i, line in enumerate(lines):
        ax.text(0.01, 1 - i / len(lines), line, transform=ax.transAxes, fontsize=4)
    fig.canvas.draw()
    used = {Path(f).name for f in [font_manager.findfont(p) for p in
            (matplotlib.font_manager.FontProperties(family=plotting.FONT_NAME),)]}
    assert used == {plotting.FONT_PATH.name}, used
    assert not problems, problems
    print("ok", len(chars))
""")


def _kit_chinese_characters() -> str:
    chars = set()
    for path in _kit_texts():
        chars.update(re.findall(r"[\u3000-\u9fff\uff00-\uffef]", _read(path)))
    return "".join(sorted(c for c in chars if unicodedata.category(c) != "Cn"))


def _run_pip_only(tmp_path, chars, *args):
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mplconfig")}
    return subprocess.run([sys.executable, "-c", _PIP_ONLY_SCRIPT, *args], input=chars, text=True,
                          capture_output=True, env=env, cwd=tmp_path, timeout=240)


def test_every_kit_character_and_the_minus_sign_render_with_only_the_shipped_font(tmp_path):
    chars = _kit_chinese_characters()
    assert len(chars) > 500  # the scan found the kit's texts
    result = _run_pip_only(tmp_path, chars)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("ok")


def test_the_pip_only_check_fails_when_a_glyph_is_missing(tmp_path):
    # U+0F00 (Tibetan) is in neither font: the same check must report the missing glyph.
    result = _run_pip_only(tmp_path, "客户\u0f00")
    assert result.returncode != 0
    assert "missing from font" in result.stderr


def test_the_pip_only_check_catches_the_old_single_font_setting(tmp_path):
    # font.family "sans-serif" resolves to the CJK subset alone, which has no U+2212.
    result = _run_pip_only(tmp_path, "客户", "--generic-family")
    assert result.returncode != 0
    assert "8722" in result.stderr or "MINUS SIGN" in result.stderr


def test_bold_text_in_the_single_weight_font_logs_no_warning(caplog):
    # The subset has one weight; matplotlib's "Failed to find font weight bold" warning shows in a
    # notebook as an error-coloured output (the real-browser test counts those).
    import matplotlib.pyplot as plt

    from crmkit.plotting import setup

    setup()
    fig, ax = plt.subplots()
    with caplog.at_level(logging.INFO, logger="matplotlib.font_manager"):
        ax.set_title("关键客户 bold", fontweight="bold")
        fig.canvas.draw()
    plt.close(fig)
    assert not [r for r in caplog.records if "Failed to find font weight" in r.getMessage()]
