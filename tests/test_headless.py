"""Every lesson runs headless (nbclient, what `jupyter nbconvert --execute` uses) and a static copy is
complete: each widget is preceded by its default view — a chart (an image output) wherever the
widget's function draws one — so GitHub, an HTML export or a PDF shows what the text describes."""
from __future__ import annotations

import shutil
from pathlib import Path

import importlib.util

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("course", ROOT / "tools" / "course.py")
course = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(course)
execute_notebook = course.execute_notebook
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"

pytestmark = pytest.mark.slow


def _is_widget(output) -> bool:
    """An ``interact`` widget (not e.g. a tqdm progress bar, which is a widget too)."""
    data = output.get("data", {})
    return (output.get("output_type") in ("display_data", "execute_result") and WIDGET in data
            and str(data.get("text/plain", "")).startswith("interactive("))


def _shows(output, image_only: bool) -> bool:
    if output.get("output_type") == "stream":
        return not image_only
    data = output.get("data", {})
    if "image/png" in data or "image/svg+xml" in data:
        return True
    return not image_only and bool({"text/html", "text/plain"} & set(data)) and WIDGET not in data


def static_view_problems(nb) -> list[str]:
    """Cells whose widget is not preceded by its default view (same cell, or the code cell before)."""
    problems = []
    previous = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        draws = "plt.show()" in cell.source or "plot_" in cell.source
        for at, output in enumerate(outputs):
            if _is_widget(output):
                before = outputs[:at] or previous
                if not any(_shows(o, image_only=draws) for o in before):
                    problems.append(f"cell {index} ({cell.get('id')}): widget without its default "
                                    f"{'chart' if draws else 'view'} before it")
                break
        previous = outputs
    return problems


def test_the_rule_catches_a_widget_without_its_default_chart():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("def f(x):\n    plt.show()\nwidgets.interact(f, x=1)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={WIDGET: {"model_id": "m"},
                                                                  "text/plain": "interactive(...)"})]
    nb.cells = [cell]
    assert static_view_problems(nb)
    cell.outputs.insert(0, nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"}))
    assert not static_view_problems(nb)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_headless_with_a_static_default_before_each_widget(lesson, tmp_path):
    copy = shutil.copy(lesson, tmp_path)
    nb = execute_notebook(copy, timeout=300)
    errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(nb.cells)
              if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    widgets = sum(_is_widget(o) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert widgets == sum("interact(" in c.source for c in nb.cells if c.cell_type == "code")
    assert not static_view_problems(nb)
