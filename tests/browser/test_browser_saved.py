"""A browser's work across reloads and tabs, and runs that go on off their page, in Chromium.

Each browser context is one browser (its own cookies): a reload or a new tab of the same
context is a new Streamlit session of the same browser; another context is another person.
"""
import re

from driver import (CHROMIUM, CHROMIUM_ARGS, LONG_WAIT_MS, assert_no_exception, open_page,
                    screenshot, wait_idle)
from studio.sections import camera

COOKIE = "logreg_browser"


def sidebar(tab):
    return tab.locator('[data-testid="stSidebar"]')


def wait_main(tab, text, timeout=LONG_WAIT_MS):
    tab.locator('[data-testid="stMain"]').get_by_text(text).first.wait_for(timeout=timeout)


def click_nav(tab, title):
    """Open another page in the same session, without waiting for the app to be idle
    (a run going on keeps it busy)."""
    nav = tab.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name=re.compile(rf"{re.escape(title)}$")).click()
    tab.get_by_role("heading", name=title, level=1).wait_for(timeout=LONG_WAIT_MS)


def strip_iteration(tab):
    """The iteration the progress line above the page's title shows (studio.frame.strip)."""
    match = re.search(r"Training: iteration ([\d,]+) / ([\d,]+)",
                      tab.locator(".st-key-strip_runs").inner_text())
    return int(match.group(1).replace(",", "")) if match else None


def train_short_run(tab, url):
    open_page(tab, url, "train", "iterations=300")
    tab.get_by_role("button", name="Train", exact=True).click()
    tab.get_by_role("heading", name="Results", level=2).wait_for(timeout=LONG_WAIT_MS)
    wait_idle(tab)


def test_reload_new_tab_and_another_browser(make_context, faces_server):
    me = make_context()
    tab = me.new_page()
    train_short_run(tab, faces_server.url)
    cookies = [c for c in me.cookies() if c["name"] == COOKIE]
    assert len(cookies) == 1 and re.fullmatch(r"[A-Za-z0-9_-]{32}", cookies[0]["value"])
    assert cookies[0]["sameSite"] == "Lax" and cookies[0]["path"] == "/"

    tab.reload()                                            # a reload: a new session
    notice = tab.get_by_text("Your saved work was restored")
    notice.wait_for(timeout=LONG_WAIT_MS)
    title = tab.get_by_role("heading", name="Train", level=1).bounding_box()
    box = notice.bounding_box()                             # in the flow, above the title
    assert box["y"] + box["height"] <= title["y"], (box, title)
    tab.get_by_role("heading", name="Results", level=2).wait_for(timeout=LONG_WAIT_MS)
    screenshot(tab, "saved-after-reload", full_page=False)
    assert "300 iterations" in tab.locator('[data-testid="stMain"]').inner_text()
    assert_no_exception(tab)

    second = me.new_page()                                  # a new tab of the same browser
    open_page(second, faces_server.url, "classify")
    second.get_by_text("Your saved work was restored").wait_for()
    text = second.locator('[data-testid="stMain"]').inner_text()
    assert "no trained parameters yet" not in text and "Upload one or more pictures" in text
    assert [c["value"] for c in me.cookies() if c["name"] == COOKIE] == [cookies[0]["value"]]

    stranger = make_context().new_page()                    # another browser sees nothing
    open_page(stranger, faces_server.url, "classify")
    wait_main(stranger, "This session has no trained parameters yet")
    assert "restored" not in stranger.locator("body").inner_text()
    assert_no_exception(stranger)


def test_a_reload_after_both_models_shows_the_network_table_and_trains_results(
        tab, faces_server):
    train_short_run(tab, faces_server.url)
    open_page(tab, faces_server.url, "network", "")
    tab.get_by_role("textbox", name="Hidden layers").first.fill("2")
    tab.get_by_role("textbox", name="Hidden layers").first.press("Enter")
    wait_idle(tab)
    tab.get_by_role("spinbutton", name="Iterations").first.fill("60")
    tab.get_by_role("spinbutton", name="Iterations").first.press("Enter")
    wait_idle(tab)
    tab.get_by_role("button", name="Train", exact=True).first.click()
    wait_main(tab, "Every run of this session")
    wait_idle(tab)
    tab.reload()                                            # a new session of this browser
    tab.get_by_role("heading", name="Network", level=1).wait_for(timeout=LONG_WAIT_MS)
    wait_main(tab, "Every run of this session")             # the run table
    wait_main(tab, "restored from your saved work")         # the curve and the drawing
    main = tab.locator('[data-testid="stMain"]')
    assert main.locator(".st-key-net_cost, [class*='st-key-net_cost']").count() or \
        main.locator(".js-plotly-plot").count() >= 2
    assert "Train the three models in turn" not in main.inner_text()
    screenshot(tab, "saved-network-after-reload", full_page=False)
    open_page(tab, faces_server.url, "train")
    tab.get_by_role("heading", name="Results", level=2).wait_for(timeout=LONG_WAIT_MS)
    assert tab.get_by_role("button", name="Reset", exact=True).is_enabled()
    assert_no_exception(tab)


def test_leaving_train_mid_run_and_reset(tab, faces_server):
    train_short_run(tab, faces_server.url)
    tab.get_by_role("button", name="Reset", exact=True).click()   # a clean slate
    wait_main(tab, "No trained parameters yet")
    wait_idle(tab)
    assert tab.get_by_role("heading", name="Results", level=2).count() == 0

    # 1,600 iterations at slow motion's 160 a second: ten seconds, time enough to leave the
    # page and see the strip count on, and no longer.
    tab.get_by_role("spinbutton", name="Iterations").fill("1600")
    tab.get_by_role("spinbutton", name="Iterations").press("Enter")
    wait_idle(tab)
    tab.get_by_role("combobox", name="Speed", exact=True).click()
    tab.get_by_role("option", name="slow motion", exact=True).click()
    wait_idle(tab)
    tab.get_by_role("button", name="Train", exact=True).click()
    wait_main(tab, "iteration")
    click_nav(tab, "Classify")
    wait_main(tab, "Training…")
    screenshot(tab, "saved-classify-while-training", full_page=False)
    assert re.search(r"Training: iteration [\d,]+ / 1,600 \(\d+ %\)",
                     tab.locator(".st-key-strip_runs").inner_text())
    tab.locator(".st-key-strip_runs").get_by_text("Training: iteration").wait_for()
    first = strip_iteration(tab)
    tab.wait_for_timeout(2000)
    later = strip_iteration(tab)
    assert first is not None and later is not None and later > first, (first, later)
    # The run ends off its page: Classify then has a model to answer with.
    wait_main(tab, "Upload one or more pictures above")
    assert "Training…" not in tab.locator('[data-testid="stMain"]').inner_text()
    assert_no_exception(tab)


def test_the_camera_on_plain_http_says_why(chromium, tab, faces_server):
    """A school server's name over plain HTTP (a name mapped to this machine): the page says
    the camera needs HTTPS and how to get it; on localhost it says nothing."""
    school = chromium.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS + ["--host-resolver-rules=MAP school.test 127.0.0.1"])
    try:
        remote = school.new_context().new_page()
        open_page(remote, faces_server.url.replace("127.0.0.1", "school.test"), "classify")
        remote.get_by_text("Take a photo with the camera").click()
        wait_main(remote, "browsers allow it only on pages served over HTTPS")
        assert camera.TLS_COMMAND in remote.locator('[data-testid="stMain"]').inner_text()
        screenshot(remote, "camera-needs-https", full_page=False)
    finally:
        school.close()
    open_page(tab, faces_server.url, "classify")   # on localhost
    tab.get_by_text("Take a photo with the camera").click()
    tab.wait_for_timeout(500)
    assert "served over HTTPS" not in tab.locator('[data-testid="stMain"]').inner_text()
