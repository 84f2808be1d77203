"""Handouts: a lesson's executed HTML is offline and its PDF carries Chinese body text."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import handouts  # noqa: E402
import slides  # noqa: E402


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is needed to read the PDF back; .ci/run installs it")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(handouts.chromium_path() is None, reason="no Chromium installed (apt-get install chromium)")
@pytest.mark.skipif(shutil.which("npm") is None and not (slides.OUT / slides.VENDOR_NAME).is_dir(),
                    reason="needs npm (once) to fetch MathJax/require.js")
@pytest.mark.parametrize("edition", ["", "zh"], ids=["en", "zh"])
def test_handout_html_and_pdf_with_chinese(tmp_path, edition):
    lesson = ROOT / "notebooks" / edition / "01_customer_types.ipynb"
    html = handouts.build_html(lesson, out=tmp_path)
    page = html.read_text(encoding="utf-8")
    assert slides.remote_refs(page) == []
    assert "<img" in page and "data:image/png;base64" in page        # executed charts, inline
    pdf = handouts.print_pdf(html)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = _pdf_text(pdf)
    # the lesson's own Chinese title words come back out of the PDF as text (not boxes or images)
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    title = "".join(cells[0]["source"]).splitlines()[0]
    chinese = max(re.findall("[\u4e00-\u9fff]+", title), key=len)    # the longest run of Chinese
    assert len(chinese) >= 4
    assert chinese[:4] in text.replace("\n", "")
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in text) > 200
