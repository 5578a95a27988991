"""The shape of the code: imports point one way, modules and view methods stay small.

Layers, from the bottom: common; the leaves audit, outbox and jobs (they know no domain model
by import); municipalities; coordinators (the domain core); offers; privacy; duplicates; the
apps people use (intake, workspace, reports, imports, accounts, returnee, inbound,
aftercare); demo and events; openfigures and grants; the project package. A module may
import its own app and the layers below it, never a layer above or beside it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "common": 0,
    "audit": 1,
    "outbox": 1,
    "jobs": 1,
    "municipalities": 2,
    "coordinators": 3,
    "offers": 4,
    "transfers": 4,
    "savedviews": 4,
    "privacy": 5,
    "duplicates": 6,
    "intake": 7,
    "workspace": 7,
    "reports": 7,
    "imports": 7,
    "accounts": 7,
    "returnee": 7,
    "inbound": 7,
    "aftercare": 7,
    "demo": 8,
    # Events use the contact form's defences (intake) and the case core; the public figures
    # read the reports and the upcoming events.
    "events": 8,
    "openfigures": 9,
    # A funded activity links the events it held and shows their funnel.
    "grants": 9,
    "remigration": 10,
}
# (importing app, imported app): exceptions with a reason. Keep this list short.
ALLOWED = set()
MODULE_MAX_LINES = 400
VIEW_METHOD_MAX_LINES = 25


def app_modules():
    """Every Python module of the portal's own apps, migrations aside."""
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def walk_run_time(tree):
    """Every node, except under `if TYPE_CHECKING:`: an import there only names a type for
    the type checker (a leaf may annotate `case: Case`); it loads nothing when the code runs."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for other in node.orelse:
                yield other
                yield from walk_run_time(other)
            continue
        yield node
        yield from walk_run_time(node)


def imported_apps(app, path, source=None):
    """The portal apps a module imports, absolute or relative, at any depth of the file."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    package = list(path.relative_to(ROOT).parent.parts)
    for node in walk_run_time(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package[: len(package) - node.level + 1]
                names = [".".join([*base, node.module or ""])]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS and top != app:
                yield top, node.lineno


def test_imports_point_one_way():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for app, path in app_modules()
        for target, line in imported_apps(app, path)
        if LAYERS[target] >= LAYERS[app] and (app, target) not in ALLOWED
    ]
    assert wrong == []


def test_the_import_check_sees_a_wrong_way_import():
    """The walk above must find an import that goes up, relative or absolute, also one
    inside a function."""
    source = (
        "from coordinators.models import Case\n"
        "def f():\n"
        "    from ..offers import models\n"
        "    import reports.figures\n"
        "from . import dates\n"
        "if TYPE_CHECKING:\n"
        "    from workspace import views\n"
    )
    found = imported_apps("common", ROOT / "common" / "probe.py", source=source)
    assert sorted(target for target, _line in found) == ["coordinators", "offers", "reports"]


def test_no_app_module_is_over_the_size_limit():
    long = [
        f"{path.relative_to(ROOT)}: {length} lines"
        for _app, path in app_modules()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MODULE_MAX_LINES
    ]
    assert long == []


def view_modules():
    for app, path in app_modules():
        if path.name == "views.py" or "views" in path.parts:
            yield app, path


@pytest.mark.parametrize("limit", [VIEW_METHOD_MAX_LINES])
def test_no_view_method_is_long(limit):
    long = []
    for _app, path in view_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length}")
    assert long == []
