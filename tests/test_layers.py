"""The house's floors: imports only run downwards.

- ``logreg/`` (the engine) never imports Streamlit, ``studio`` or ``pages``;
- ``pages/`` never imports numpy (a page says what to show; the work is below it), and
  nothing imports a page;
- ``studio/`` is four sub-packages, its floors (:data:`FLOORS`), and a module imports only
  from its own floor or below: the session's code (state, storage, language) never imports
  a chart, a section or the frame. A module outside the four fails here.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# studio's floors, lowest first; each package's docstring says what lives there.
FLOORS = {"session": 1, "display": 2, "sections": 3, "frame": 4}


def imports(path, root=ROOT):
    """Every module name ``path`` imports, relative ones made absolute (``from ..session
    import state`` in studio/frame/ is ``studio.session.state``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(root).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def sources(folder):
    return sorted((ROOT / folder).rglob("*.py"))


def test_the_engine_imports_no_streamlit_studio_or_pages():
    bad = {str(path.relative_to(ROOT)): sorted(name for name in imports(path)
                                               if name.split(".")[0] in
                                               ("streamlit", "studio", "pages"))
           for path in sources("logreg")}
    assert not {path: names for path, names in bad.items() if names}


def test_pages_import_no_numpy_and_nothing_imports_a_page():
    numpy = [str(path.relative_to(ROOT)) for path in sources("pages")
             if any(name.split(".")[0] == "numpy" for name in imports(path))]
    assert not numpy
    everything = [ROOT / "app.py", *sources("pages"), *sources("studio"), *sources("logreg")]
    assert not [str(path.relative_to(ROOT)) for path in everything
                if any(name.split(".")[0] == "pages" for name in imports(path))]


def floor_of(path, root=ROOT):
    """The floor (sub-package) of a studio module, or None for studio/__init__.py."""
    parts = path.relative_to(root / "studio").parts
    return parts[0] if len(parts) > 1 else None


def upward(root=ROOT):
    """"module (floor) imports other (floor)" for every import that climbs a floor."""
    climbs = []
    for path in sorted((root / "studio").rglob("*.py")):
        here = floor_of(path, root)
        if here not in FLOORS:
            continue
        for name in imports(path, root):
            parts = name.split(".")
            if parts[0] == "studio" and len(parts) > 2 and parts[1] in FLOORS \
                    and FLOORS[parts[1]] > FLOORS[here]:
                climbs.append(f"{here}/{path.stem} imports {parts[1]}.{parts[2]}")
    return sorted(set(climbs))


def test_studio_imports_run_down_its_floors():
    outside = [str(path.relative_to(ROOT)) for path in sources("studio")
               if floor_of(path) not in FLOORS and path != ROOT / "studio" / "__init__.py"]
    assert not outside, f"put every studio module on one of the floors {list(FLOORS)}"
    assert upward() == []


def test_the_floor_check_sees_an_import_that_climbs(tmp_path):
    (tmp_path / "studio" / "session").mkdir(parents=True)
    (tmp_path / "studio" / "session" / "store.py").write_text(
        "from ..sections import inspector\n"
        "from ..frame.shell import render_shell\n"
        "from . import state\n")
    assert upward(tmp_path) == ["session/store imports frame.shell",
                                "session/store imports sections.inspector"]
