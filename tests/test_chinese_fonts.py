"""Chinese text must render in charts on a fresh install: no missing-glyph warnings, no tofu."""
import re
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
    assert matplotlib.rcParams["font.sans-serif"][0] == plotting.FONT_NAME
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


def test_font_covers_every_chinese_character_the_kit_uses():
    cmap = TTFont(plotting.FONT_PATH)["cmap"].getBestCmap()
    missing = {}
    for path in _kit_texts():
        text = path.read_text(encoding="utf-8-sig", errors="ignore")
        for char in set(re.findall(r"[\u3000-\u9fff\uff00-\uffef]", text)):
            if ord(char) not in cmap and unicodedata.category(char) != "Cn":
                missing.setdefault(char, path.relative_to(ROOT).as_posix())
    assert not missing, (
        f"The shipped font lacks {len(missing)} character(s) used in the kit: "
        f"{dict(list(missing.items())[:10])}. Re-run tools/subset_font.py."
    )
