"""The house's floors: imports only run downwards.

- ``logreg/`` (the engine) never imports Streamlit, ``studio`` or ``pages``;
- ``pages/`` never imports numpy (a page says what to show; the work is below it), and
  nothing imports a page;
- inside ``studio/`` every module sits on one floor of :data:`FLOORS` and imports only
  from its own floor or below. A new module fails here until it is given a floor.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# studio's floors, lowest first: what a module may import is on its floor or below.
FLOORS = {
    # 0 · knowledge and plumbing: words, escaping, turns, the store, the session's keys
    "allocator": 0, "bounded": 0, "classroom": 0, "escape": 0, "guard": 0, "i18n": 0,
    "state": 0, "store": 0, "turns": 0, "words": 0,
    # 1 · the session's data, its live runs, what it keeps, the room's settings, charts
    "camera": 1, "class_session": 1, "datasets": 1, "figures": 1, "network": 1, "presenter": 1, "runs": 1,
    "saved": 1, "settings": 1, "training": 1,
    # 2 · the sections pages are built from
    "builder_section": 2, "class_section": 2, "comparisons": 2, "diagnoses": 2,
    "download_section": 2, "export_section": 2, "inspector": 2, "lessons": 2, "pair_upload": 2,
    "params_section": 2, "pictures": 2, "playground": 2,
    "replay": 2, "samples": 2, "step_section": 2, "verdict": 2, "welcome": 2,
    # 3 · the frame around every page
    "shell": 3, "sidebar": 3, "strip": 3,
}


def imports(path, root=ROOT):
    """Every module name ``path`` imports, relative ``from . import x`` made ``studio.x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package if node.level else ""
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


def upward(root=ROOT):
    """"module (floor i) imports other (floor j)" for every import that climbs a floor."""
    climbs = []
    for path in sorted((root / "studio").rglob("*.py")):
        if path.stem not in FLOORS:
            continue
        for name in imports(path, root):
            parts = name.split(".")
            if parts[0] == "studio" and len(parts) > 1 and parts[1] in FLOORS \
                    and FLOORS[parts[1]] > FLOORS[path.stem]:
                climbs.append(f"{path.stem} (floor {FLOORS[path.stem]}) imports {parts[1]} "
                              f"(floor {FLOORS[parts[1]]})")
    return sorted(set(climbs))


def test_studio_imports_run_down_its_floors():
    modules = {path.stem for path in sources("studio") if path.stem != "__init__"}
    assert modules == set(FLOORS), ("give every studio module a floor in FLOORS: "
                                    f"{sorted(modules ^ set(FLOORS))}")
    assert upward() == []


def test_the_floor_check_sees_an_import_that_climbs(tmp_path):
    (tmp_path / "studio").mkdir()
    (tmp_path / "studio" / "store.py").write_text("from . import inspector\n"
                                                  "from .shell import render_shell\n")
    assert upward(tmp_path) == ["store (floor 0) imports inspector (floor 2)",
                                "store (floor 0) imports shell (floor 3)"]
