"""Every public function of crmkit carries type hints, and the hints name things that exist.

"Public" is what a module lists in ``__all__``: the functions of ``crmkit.<m>`` for every
subpackage in ``crmkit._SUBMODULES`` plus ``vocabulary``, ``glossary`` and ``practice``, and the
public methods (and ``__init__``) of the classes listed there. Each parameter and the return must
be annotated, and ``typing.get_type_hints`` must resolve every hint, so a misspelt or unimported
name fails here instead of in a student's editor.

Names a module imports only under ``if TYPE_CHECKING:`` (``ArrayLike``, ``Axes``, ``PathLike``
...) do not exist at run time; the test imports those blocks for real and resolves the hints with
them, so they are checked too.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import sys
import typing

import pytest

import crmkit

MODULES = [f"crmkit.{m}" for m in crmkit._SUBMODULES] + [
    "crmkit.vocabulary", "crmkit.glossary", "crmkit.practice"]


def _own_methods(cls: type) -> list[tuple[str, typing.Callable]]:
    """Public methods, properties and ``__init__`` defined by ``cls`` itself."""
    out = []
    for name, member in vars(cls).items():
        if name.startswith("_") and name != "__init__":
            continue
        if isinstance(member, (staticmethod, classmethod)):
            member = member.__func__
        elif isinstance(member, property):
            member = member.fget
        if inspect.isfunction(member):
            out.append((f"{cls.__name__}.{name}", member))
    return out


def _public_functions() -> list[tuple[str, typing.Callable]]:
    found, seen = [], set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                items = [(name, obj)]
            elif inspect.isclass(obj) and obj.__module__.startswith("crmkit"):
                items = _own_methods(obj)
            else:
                continue
            for qualname, func in items:
                key = (func.__module__, func.__qualname__)
                if key not in seen:
                    seen.add(key)
                    found.append((f"{func.__module__}.{qualname}", func))
    return found


FUNCTIONS = _public_functions()


def _type_checking_names(module_name: str) -> dict:
    """What the module imports under ``if TYPE_CHECKING:``, imported for real."""
    module = sys.modules[module_name]
    names: dict = {}
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING",
                                                                   "typing.TYPE_CHECKING"):
            code = compile(ast.Module(body=node.body, type_ignores=[]), module.__file__, "exec")
            exec(code, {"__name__": module.__name__, "__package__": module.__package__}, names)
    return names


def test_the_walk_finds_the_public_functions():
    names = {name for name, _ in FUNCTIONS}
    assert len(FUNCTIONS) > 150
    for expected in ("crmkit.abc.pareto.abc_classify", "crmkit.complaints.case.ComplaintCase.move",
                     "crmkit.crm.database.CustomerStore.query", "crmkit.vocabulary.labels",
                     "crmkit.plotting.abc.plot_pareto"):
        assert expected in names


@pytest.mark.parametrize("func", [f for _, f in FUNCTIONS], ids=[n for n, _ in FUNCTIONS])
def test_every_parameter_and_the_return_are_annotated(func):
    params = list(inspect.signature(func).parameters.values())
    if params and params[0].name in ("self", "cls") and "." in func.__qualname__:
        params = params[1:]
    missing = [p.name for p in params if p.annotation is inspect.Parameter.empty]
    if inspect.signature(func).return_annotation is inspect.Signature.empty:
        missing.append("return")
    assert not missing, (f"{func.__module__}.{func.__qualname__} has no type hint for "
                         f"{', '.join(missing)}")


@pytest.mark.parametrize("func", [f for _, f in FUNCTIONS], ids=[n for n, _ in FUNCTIONS])
def test_the_hints_resolve(func):
    extra = _type_checking_names(func.__module__)
    try:
        hints = typing.get_type_hints(func, localns=extra)
    except NameError as exc:
        pytest.fail(f"{func.__module__}.{func.__qualname__}: a type hint names something that "
                    f"is not imported: {exc}")
    assert "return" in hints
