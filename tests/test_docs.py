"""README.md fits a screen and leads to everything else: the long text lives in docs/*.md and
SECURITY.md, each linked from README.md, and no relative link or image in the documentation
points at a file (or a heading) that is not there."""
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, ROOT / "README.ko.md", *DOCS, ROOT / "SECURITY.md"]
LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def targets(page):
    """Every link and image target of a Markdown page, outside code blocks."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return LINK.findall(text)


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = "".join(c for c in text if c.isalnum() or c in " -")
    return text.replace(" ", "-")


def anchors(page):
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}


def test_readme_fits_a_screen():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines"
    korean = (ROOT / "README.ko.md").read_text(encoding="utf-8").splitlines()
    assert len(korean) <= 150, f"README.ko.md has {len(korean)} lines"


def test_the_moved_pages_exist():
    names = {p.name for p in DOCS}
    assert {"teaching.md", "classroom.md", "engine.md", "architecture.md",
            "benchmarks.md"} <= names
    assert (ROOT / "SECURITY.md").is_file()


@pytest.mark.parametrize("readme", ["README.md", "README.ko.md"])
@pytest.mark.parametrize("page", [*DOCS, ROOT / "SECURITY.md"], ids=lambda p: p.name)
def test_every_doc_is_linked_from_the_readmes(readme, page):
    linked = {(ROOT / unquote(t.split("#")[0])).resolve() for t in targets(ROOT / readme)
              if not re.match(r"[a-z]+:", t) and t.split("#")[0]}
    assert page.resolve() in linked, f"{readme} does not link {page.relative_to(ROOT)}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_and_images_point_at_files(page):
    found = targets(page)
    assert found
    for target in found:
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / unquote(path)).resolve() if path else page
        assert file.exists(), f"{page.relative_to(ROOT)} links {target}: no such file"
        if anchor and file.suffix == ".md":
            assert anchor in anchors(file), \
                f"{page.relative_to(ROOT)} links {target}: no such heading"


def test_the_test_tiers_and_benchmark_machine_are_stated():
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert '\n    python3 -m pytest -m "not browser and not slow" -n 2\n' in architecture
    benchmarks = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert "2-core, 24 GiB" in "\n".join(benchmarks.splitlines()[:6])
