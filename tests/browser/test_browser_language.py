"""The language in a real browser: ?lang=ko, the browser's own language, and the switch
(the URL keeps the choice, so a copied link opens in the same language)."""
from driver import open_page, wait_idle

KOREAN_NAV = ["데이터", "학습", "정규화", "신경망", "분류", "작동 원리"]
ENGLISH_NAV = ["Data", "Train", "Normalization", "Network", "Classify", "How it works"]


def navigation(tab):
    items = tab.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    return [item.split("\n")[-1].strip() for item in items]


def switch_to(tab, code):
    tab.locator('[data-testid="stSidebarUserContent"] button', has_text=code).first.click()
    wait_idle(tab)


def test_lang_in_the_url_then_the_switch(chromium, cat_server):
    context = chromium.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    try:
        tab = context.new_page()
        open_page(tab, cat_server.url, "how-it-works", "lang=ko")
        assert navigation(tab) == KOREAN_NAV
        assert "lang=ko" in tab.url          # a browser asking for English keeps it in the link
        switch_to(tab, "en")
        assert navigation(tab) == ENGLISH_NAV
        assert "lang=" not in tab.url        # English is this browser's own language
        switch_to(tab, "ko")
        assert navigation(tab) == KOREAN_NAV and "lang=ko" in tab.url
    finally:
        context.close()


def test_a_korean_browser_gets_korean_without_asking(chromium, cat_server):
    context = chromium.new_context(viewport={"width": 1280, "height": 720}, locale="ko-KR")
    try:
        tab = context.new_page()
        open_page(tab, cat_server.url, "how-it-works")
        assert navigation(tab) == KOREAN_NAV
        switch_to(tab, "en")
        assert navigation(tab) == ENGLISH_NAV and "lang=en" in tab.url
    finally:
        context.close()
