"""README.ko.md stays in step with README.md where it must: the two link to each other, the
set-up commands are the same lines, and its screenshots are ones tools/screenshots.py takes."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = (ROOT / "README.md").read_text(encoding="utf-8")
KOREAN = (ROOT / "README.ko.md").read_text(encoding="utf-8")
SHOTS = {"data", "train", "inspector", "normalization", "landscape", "classify",
         "how-it-works", "network", "playground"}


def test_each_links_the_other_on_its_first_line():
    assert "(README.ko.md)" in ENGLISH.splitlines()[0]
    assert "(README.md)" in KOREAN.splitlines()[0]


def test_the_set_up_commands_are_copied_exactly():
    run = "python3 -m pip install -e . && python3 -m streamlit run app.py"
    test = re.search(r"<!-- test-command -->\n(.*)\n", ENGLISH).group(1)
    assert run in ENGLISH and f"\n{run}\n" in KOREAN
    assert f"\n{test}\n" in KOREAN


def test_korean_screenshots_are_the_tools_korean_shots():
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", KOREAN)
    assert images
    for image in images:
        folder, name = image.rsplit("/", 1)
        assert folder == "docs/screenshots/ko" and name.removesuffix(".png") in SHOTS, image
