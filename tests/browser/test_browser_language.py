"""The language in a real browser: ?lang=ko, the browser's own language, and the switch
(the URL keeps the choice, so a copied link opens in the same language)."""
import re

from driver import open_page, speaking, wait_idle

KOREAN_NAV = ["데이터", "학습", "정규화", "신경망", "분류", "작동 원리", "수업"]
ENGLISH_NAV = ["Data", "Train", "Normalization", "Network", "Classify", "How it works",
               "Class"]


def navigation(tab):
    items = tab.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    return [item.split("\n")[-1].strip() for item in items]


def switch_to(tab, code):
    tab.locator('[data-testid="stSidebarUserContent"] button', has_text=code).first.click()
    wait_idle(tab)


def test_lang_in_the_url_then_the_switch(tab, cat_server):
    tab.set_viewport_size({"width": 1280, "height": 720})
    with speaking(tab, "en-US"):
        open_page(tab, cat_server.url, "how-it-works", "lang=ko")
        assert navigation(tab) == KOREAN_NAV
        assert "lang=ko" in tab.url          # a browser asking for English keeps it in the link
        switch_to(tab, "en")
        assert navigation(tab) == ENGLISH_NAV
        assert "lang=" not in tab.url        # English is this browser's own language
        switch_to(tab, "ko")
        assert navigation(tab) == KOREAN_NAV and "lang=ko" in tab.url


def test_a_korean_browser_gets_korean_without_asking(tab, cat_server):
    tab.set_viewport_size({"width": 1280, "height": 720})
    with speaking(tab, "ko-KR"):
        open_page(tab, cat_server.url, "how-it-works")
        assert navigation(tab) == KOREAN_NAV
        switch_to(tab, "en")
        assert navigation(tab) == ENGLISH_NAV and "lang=en" in tab.url


LATIN_CLASS = re.compile(r"\b(non-)?cat\b", re.IGNORECASE)


def test_korean_classify_names_its_classes_in_korean_and_streamlit_speaks_korean(
        tab, cat_server):
    """The cat data's classes are 고양이 / 고양이 아님 and Streamlit's own uploader and camera
    words are Korean too: a Korean speaker meets no English word they did not type."""
    tab.set_viewport_size({"width": 1280, "height": 900})
    with speaking(tab, "ko-KR"):
        open_page(tab, cat_server.url, "classify")
        main = tab.locator('[data-testid="stMain"]')
        main.get_by_role("button", name="기본 설정으로 학습").click()
        wait_idle(tab)
        main.get_by_role("button", name="샘플 사진으로 해 보기").click()
        wait_idle(tab)
        tab.get_by_text("카메라로 사진 찍기").click()
        wait_idle(tab)
        tab.wait_for_timeout(500)    # the words script runs on the next animation frame
        text = main.inner_text()
        assert "고양이" in text
        assert not LATIN_CLASS.search(text), LATIN_CLASS.search(text)
        uploader = tab.locator('[data-testid="stFileUploader"]').first.inner_text()
        assert "올리기" in uploader and "파일당 최대 50MB" in uploader, uploader
        assert not re.search(r"Drag and drop|Upload|per file", uploader), uploader
        camera = tab.locator('[data-testid="stCameraInput"]').first.inner_text()
        assert not re.search(r"Take Photo|would like to use your camera", camera), camera
        switch_to(tab, "en")                       # and back: Streamlit's words again
        tab.wait_for_timeout(500)
        uploader = tab.locator('[data-testid="stFileUploader"]').first.inner_text()
        assert "Upload" in uploader and "50MB per file" in uploader, uploader
