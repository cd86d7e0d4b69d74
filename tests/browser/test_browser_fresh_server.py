"""A fresh server's first visitor, arriving by a page's own URL (the link a teacher shares),
gets that page inside the app's navigation. The server ran the app once before it answered
(studio.frame.serve), which also ends Streamlit's pages/ folder mode for the whole process;
studio.frame.shell's workaround for that mode is what a run without app.py (AppTest) needs."""
import pytest

from driver import ROOT, Server, assert_no_exception, open_page

# One URL of each kind (a fresh server each, about 10 s of CI apiece): the root, the
# default page by its own path, a page like the others (normalization, network and classify
# take the same path through shell.page_setup as train), a hyphenated path whose title
# differs from it, and the Class page a join link opens.
PAGES = {"": "Data", "data": "Data", "train": "Train", "how-it-works": "How it works",
         "class": "Class"}   # /class?join=CODE: the link a teacher projects
NAVIGATION = ["Data", "Train", "Normalization", "Network", "Classify", "How it works", "Class"]


@pytest.mark.parametrize("path", list(PAGES))
def test_first_visit_of_a_fresh_server_by_a_page_url(tab, tmp_path, path):
    with Server(ROOT, log_path=tmp_path / "server.log") as server:
        assert "ran the app once before the first visitor" in server.log_text()
        tab.set_viewport_size({"width": 1280, "height": 720})
        open_page(tab, server.url, path)
        tab.get_by_role("heading", name=PAGES[path], level=1).wait_for(timeout=60_000)
        assert_no_exception(tab)
        nav = tab.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        assert [item.split("\n")[-1].strip() for item in nav] == NAVIGATION, nav
        assert "Page not found" not in tab.locator("body").inner_text()
        assert "Traceback" not in server.log_text()
