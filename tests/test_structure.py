"""The package's layers and names, checked on the source of every crmkit module (issue 13).

Layers, bottom to top:

- shared private modules (``crmkit._validate``, ``crmkit._ranking``) and ``crmkit.glossary``;
- ``crmkit.datasets`` (makes and loads data) and the method packages (``abc``, ``classify``, …), which
  know nothing of each other's layer: datasets imports no method, no method imports datasets;
- ``crmkit.plotting`` draws what the methods return (never reads data itself);
- ``crmkit.grading`` may use methods and datasets to compute expected answers.

Nothing in crmkit imports the notebooks or exercises. A name starting with ``_`` stays in its module:
what two modules share lives under a public name, in a private module if it is not for users.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "crmkit"
METHODS = {"abc", "classify", "complaints", "crm", "delivery", "kpi", "resample", "satisfaction",
           "servicecenter", "value"}
SHARED = {"_validate", "_ranking", "_docs", "_result", "glossary", "practice", "vocabulary"}
#: what each layer may import from crmkit (first component after ``crmkit.``)
ALLOWED = {
    "shared": SHARED,
    "datasets": SHARED | {"datasets"},
    "method": SHARED | METHODS,
    "plotting": SHARED | METHODS | {"plotting"},
    "grading": SHARED | METHODS | {"datasets", "grading"},
}
#: third-party drawing libraries only plotting (and the grader's chart checks) may import
DRAWING = {"matplotlib", "seaborn"}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


MODULES = dict(_modules())


def _layer(module: str) -> str:
    top = module.split(".")[1] if "." in module else ""
    if top in METHODS:
        return "method"
    if top in ("datasets", "plotting", "grading"):
        return top
    return "shared"


def _imports(module: str, path: Path):
    """(imported module, imported names) for every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, [alias.name for alias in node.names]


def test_the_scan_sees_the_whole_package():
    assert {"crmkit", "crmkit._validate", "crmkit.abc.pareto", "crmkit.plotting.abc",
            "crmkit.datasets.voice", "crmkit.grading.judge"} <= set(MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers(module):
    layer = _layer(module)
    for target, _ in _imports(module, MODULES[module]):
        parts = target.split(".")
        if parts[0] in DRAWING:
            assert layer in ("plotting", "grading", "shared") and module != "crmkit._validate", \
                f"{module} ({layer}) imports {target}: only crmkit.plotting draws"
        if parts[0] in ("notebooks", "exercises"):
            pytest.fail(f"{module} imports {target}: crmkit never imports lessons or exercises")
        if parts[0] != "crmkit" or len(parts) == 1:
            continue
        assert parts[1] in ALLOWED[layer], (
            f"{module} ({layer} layer) imports {target}; the {layer} layer may import only "
            f"crmkit.{{{', '.join(sorted(ALLOWED[layer]))}}}")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_crosses_a_module(module):
    for target, names in _imports(module, MODULES[module]):
        if not target.startswith("crmkit") or target == module:
            continue
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        assert not private, f"{module} imports the private name(s) {private} from {target}"


def test_the_two_rules_catch_a_bad_module(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from crmkit.abc.pareto import _secret\nfrom crmkit.datasets import load\n")
    found = list(_imports("crmkit.abc.bad", bad))
    assert ("crmkit.abc.pareto", ["_secret"]) in found
    assert "datasets" not in ALLOWED[_layer("crmkit.abc.bad")]


def test_module_names_do_not_collide():
    """Two modules may share a name only when a chart module mirrors its method package."""
    seen: dict[str, list[str]] = {}
    for module in MODULES:
        leaf = module.rpartition(".")[2]
        if module.count(".") >= 1 and not leaf.startswith("__"):
            seen.setdefault(leaf, []).append(module)
    for leaf, where in seen.items():
        others = [m for m in where if m != f"crmkit.{leaf}" and m != f"crmkit.plotting.{leaf}"]
        assert len(where) == 1 or not others, f"module name {leaf!r} is used by {where}"


def test_plotting_mirrors_the_method_packages():
    charts = {p.stem for p in (PACKAGE / "plotting").glob("*.py") if not p.stem.startswith("_")}
    assert charts <= METHODS, f"chart modules without a method package: {charts - METHODS}"


def test_each_vocabulary_constant_is_defined_once():
    """The reference date and planted-rule defaults are assigned only in crmkit.vocabulary."""
    from crmkit import vocabulary

    names = set(vocabulary.__all__)
    for module, path in MODULES.items():
        if module == "crmkit.vocabulary":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned = {t.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                    for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                    if isinstance(t, ast.Name)}
        assert not assigned & names, f"{module} defines {sorted(assigned & names)} again"


def _string_literals(node):
    """The strings of a tuple/list/set literal of string constants, else None."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) >= 2 and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return [e.value for e in node.elts]
    return None


def test_label_sets_and_translations_are_not_written_out_again():
    """No module but crmkit.vocabulary spells out a whole label set or a label -> English dict."""
    from crmkit import vocabulary

    label_sets = {}
    for kind in vocabulary.LABELS:
        for locale in vocabulary.LOCALES:
            if len(set(vocabulary.labels(kind, locale))) >= 3:
                label_sets[frozenset(vocabulary.labels(kind, locale))] = kind
    for module, path in MODULES.items():
        if module == "crmkit.vocabulary":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            words = _string_literals(node)
            if words is not None:
                kind = label_sets.get(frozenset(words))
                assert kind is None, (f"{module} line {node.lineno} writes out the {kind!r} labels; "
                                      f"use crmkit.vocabulary.labels({kind!r})")
            if isinstance(node, ast.Dict):
                pairs = [(k.value, v.value) for k, v in zip(node.keys, node.values)
                         if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)
                         and vocabulary.EN.get(k.value) == v.value and k.value != v.value]
                assert len(pairs) < 2, (f"{module} line {node.lineno} translates vocabulary labels "
                                        f"again ({pairs[:3]}); use crmkit.vocabulary.english()")


def test_a_label_means_one_thing_in_english():
    """A Chinese label in several kinds (电话 as channel and contact channel) has one English label."""
    from crmkit import vocabulary

    seen = {}
    for kind, pairs in vocabulary.LABELS.items():
        for zh, en in pairs.items():
            assert seen.setdefault(zh, en) == en, f"{zh!r} is {seen[zh]!r} and {en!r} ({kind})"


#: Dataclasses in the method packages that are inputs, not results.
INPUT_RECORDS = {"Extract"}


def test_method_results_are_one_bundle_type():
    """Bundles a method returns derive from crmkit._result.Result: no namedtuple, NamedTuple or
    dict subclass beside it."""
    for module, path in MODULES.items():
        if module.count(".") < 1 or module.split(".")[1] not in METHODS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "namedtuple":
                raise AssertionError(f"{module} line {node.lineno}: a namedtuple; derive from Result")
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b) for b in node.bases}
                assert not bases & {"NamedTuple", "dict", "typing.NamedTuple"}, (
                    f"{module}.{node.name} is a {bases}; derive from Result")
                dataclass = any("dataclass" in ast.unparse(d) for d in node.decorator_list)
                if dataclass and node.name not in INPUT_RECORDS:
                    assert "Result" in bases, f"{module}.{node.name} is a dataclass but not a Result"
