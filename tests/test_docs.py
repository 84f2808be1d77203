"""The chart functions' docstrings, as readers get them from help(): shared pieces filled in, every
parameter of the signature documented in the numpydoc "Parameters" section (issue 13, item 4)."""
from __future__ import annotations

import inspect
import re

import pytest

import crmkit.plotting as plotting
from crmkit.plotting._pieces import PLOT_DOCS, DocstringComponents, fill_doc

FUNCTIONS = {name: getattr(plotting, name) for name in plotting.__all__
             if inspect.isfunction(getattr(plotting, name))}
CHARTS = sorted(name for name in FUNCTIONS if name.startswith("plot_"))
#: A placeholder left unfilled: a bare name in braces (dict literals in Examples have quotes).
UNFILLED = re.compile(r"\{[A-Za-z_][\w.]*\}")
_HEADER = re.compile(r"^(\S[^\n]*)\n-+$", re.MULTILINE)


def _sections(doc: str) -> dict[str, str]:
    """numpydoc sections of a docstring by title (a line underlined with dashes)."""
    text = inspect.cleandoc(doc)
    heads = list(_HEADER.finditer(text))
    return {h[1].strip(): text[h.end(): nxt.start() if nxt else len(text)]
            for h, nxt in zip(heads, heads[1:] + [None])}


def _documented(doc: str) -> list[str]:
    """The parameter names of the "Parameters" section (``a, b : type`` names two)."""
    names = []
    for line in _sections(doc).get("Parameters", "").splitlines():
        if line and not line[0].isspace():
            names += [n.strip().lstrip("*") for n in line.split(" : ")[0].split(",")]
    return names


def test_every_plotting_function_is_checked():
    assert len(CHARTS) == 26 and {"setup", "set_theme", "font_rc"} <= set(FUNCTIONS)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_no_placeholder_is_left(name):
    doc = FUNCTIONS[name].__doc__
    assert doc and not UNFILLED.findall(doc), f"{name}: unfilled {UNFILLED.findall(doc)}"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_parameter_is_documented(name):
    func = FUNCTIONS[name]
    params = [p for p in inspect.signature(func).parameters]
    documented = _documented(func.__doc__)
    assert sorted(documented) == sorted(params), (
        f"{name}: signature {params}, Parameters section {documented}")
    assert documented == params, f"{name}: the Parameters section is not in signature order"


@pytest.mark.parametrize("name", CHARTS)
def test_charts_read_as_complete_numpydoc(name):
    doc = FUNCTIONS[name].__doc__
    sections = _sections(doc)
    assert list(sections) == ["Parameters", "Returns", "Examples"] or list(sections) == [
        "Parameters", "Returns", "See Also", "Examples"], f"{name}: sections {list(sections)}"
    assert sections["Returns"].lstrip().startswith("matplotlib.axes.Axes\n    The axes drawn on")
    assert PLOT_DOCS["ax"] in inspect.cleandoc(doc)
    assert sections["Examples"].lstrip().startswith(">>> import matplotlib; matplotlib.use")


def test_the_section_parser_reads_grouped_names():
    doc = """Draw.

    Parameters
    ----------
    x_cut, y_cut : float, optional
        Lines.
    ax : matplotlib.axes.Axes
        Where.

    Returns
    -------
    matplotlib.axes.Axes
    """
    assert _documented(doc) == ["x_cut", "y_cut", "ax"]


def test_a_piece_keeps_the_placeholder_indent_and_its_continuation():
    @fill_doc
    def plot_demo(*, title=None, ax=None):
        """Demo.

        Parameters
        ----------
        {title}
            Default "演示 demo".
        {ax}
        """

    doc = inspect.cleandoc(plot_demo.__doc__)
    assert 'title : str, optional\n    Title of the chart, in place of its default title.\n' \
           '    Default "演示 demo".\nax : matplotlib.axes.Axes, optional\n' in doc
    assert _documented(plot_demo.__doc__) == ["title", "ax"]


def test_a_misspelt_placeholder_fails_at_import():
    with pytest.raises(KeyError, match=r"\{titel\}.*there are: ax"):
        DocstringComponents({"ax": "ax : Axes"}).fill("    {titel}\n")


def test_braces_in_examples_are_left_alone():
    doc = '    >>> pd.DataFrame({"a": [1]})\n    >>> f"{x}"\n'
    assert PLOT_DOCS.fill(doc) == doc


HINTED = ("crmkit.plotting", "crmkit.glossary", "crmkit.practice", "crmkit.grading")


def _public_functions():
    import importlib

    for module_name in HINTED:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                yield f"{module_name}.{name}", obj


@pytest.mark.parametrize("name, func", list(_public_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_public_functions_have_type_hints(name, func):
    sig = inspect.signature(func)
    bare = [p for p, v in sig.parameters.items() if v.annotation is inspect.Parameter.empty]
    assert not bare, f"{name}: no type hint on {bare}"
    assert sig.return_annotation is not inspect.Signature.empty, f"{name}: no return type hint"


# ---------------------------------------------------------------- the methods' shared pieces
METHOD_PACKAGES = ("abc", "classify", "complaints", "crm", "delivery", "kpi", "resample",
                   "satisfaction", "servicecenter", "value")


def _method_functions():
    import importlib
    for package in METHOD_PACKAGES:
        module = importlib.import_module(f"crmkit.{package}")
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj):
                yield f"{package}.{attr}", obj


METHOD_FUNCTIONS = dict(_method_functions())


@pytest.mark.parametrize("name", sorted(METHOD_FUNCTIONS))
def test_method_docstrings_have_no_unfilled_piece(name):
    doc = METHOD_FUNCTIONS[name].__doc__ or ""
    assert not re.search(r"(?m)^\s*\{[A-Za-z_]\w*\}\s*$", doc), f"{name}: unfilled piece"


@pytest.mark.parametrize("name", sorted(n for n, f in METHOD_FUNCTIONS.items()
                                        if "asof" in inspect.signature(f).parameters))
def test_asof_is_documented_by_the_shared_piece(name):
    from crmkit._docs import DOCS
    doc = inspect.cleandoc(METHOD_FUNCTIONS[name].__doc__)
    assert DOCS["asof"].splitlines()[0] in doc, f"{name} describes `asof` in its own words"


def test_every_asof_function_is_covered():
    names = [n for n, f in METHOD_FUNCTIONS.items() if "asof" in inspect.signature(f).parameters]
    assert len(names) >= 7
