"""The bad-input corpus through the real browser: every image at once on Classify, the
parameter files and .h5 pairs that would harm the server one after another (AppTest takes
every case, tests/test_corpus_app.py), in one session that keeps its parameters."""
import re

import corpus
from driver import (assert_no_exception, go_to, main_text, open_page, screenshot, upload,
                    wait_idle)

LONG = 240_000
MIME = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "bmp": "image/bmp"}


def test_every_corpus_image_in_one_upload(tab, faces_server, record_property):
    images = corpus.cases("image")
    for case in images:
        record_property("corpus_case", case.name)
    open_page(tab, faces_server.url, "classify")
    tab.get_by_role("button", name="Train with the defaults").click()
    wait_idle(tab)
    files = [(case.filename, case.payload(), MIME[case.filename.rsplit(".", 1)[1]])
             for case in images]
    upload(tab, "classify_upload", files)
    tab.get_by_text("All results").wait_for(timeout=LONG)
    wait_idle(tab)
    assert_no_exception(tab)
    errors = tab.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    bad = [case for case in images if case.expect == "error"]
    assert len(errors) == len(bad), errors
    for case in bad:
        assert any(case.filename in e and case.fragment in e.lower() for e in errors), \
            (case.name, errors)
    text = main_text(tab)
    for case in images:
        if case.expect == "ok":
            # Each odd-but-valid image has its own result card with a probability.
            assert case.filename in text, case.name
    # One answer per good picture (P to 4 decimals; the explanation below quotes P in %).
    assert len(re.findall(r"P\(face\) = \d\.\d{4}\b", text)) == len(images) - len(bad)
    sidebar = tab.locator('[data-testid="stSidebar"]').inner_text()
    assert re.search(r"Trained parameters:.*ready", sidebar)
    screenshot(tab, "corpus-classify")


# Every parameter file goes through Train's uploader in tests/test_corpus_app.py; the
# browser repeats, one after another in one session, those that would harm the server
# (code in a pickle, a member that inflates to gigabytes, a zip or header that lies about
# its sizes) over a real upload. All 30 here took a minute of CI.
PARAMETER_HARMS = ("params_pickled_object_array", "params_plain_pickle", "params_random_bytes",
                   "params_npz_bomb_costs", "params_npz_bomb_unused_member",
                   "params_zip_directory_bomb", "params_member_lies_about_its_size",
                   "params_broken_deflate_stream", "params_huge_npy_header")


def test_corpus_parameter_files_one_after_another(tab, faces_server, record_property):
    cases = [corpus.by_name(name) for name in PARAMETER_HARMS]
    open_page(tab, faces_server.url, "train")
    tab.get_by_role("button", name="Train", exact=True).click()
    tab.get_by_text("train accuracy: ").first.wait_for(timeout=LONG)
    wait_idle(tab)
    before = re.search(r"train accuracy: [\d.]+ %", main_text(tab)).group(0)
    for case in cases:
        record_property("corpus_case", case.name)
        upload(tab, "params_upload", [(case.filename, case.payload(),
                                       "application/octet-stream")])
        wait_idle(tab)
        error = tab.locator('[data-testid="stAlertContentError"]')
        error.first.wait_for(timeout=LONG)
        message = error.first.inner_text()
        assert case.filename in message and case.fragment_for("app") in message.lower(), \
            (case.name, message)
        assert_no_exception(tab)
        # The session's own parameters and results are still there.
        assert before in main_text(tab), case.name
    screenshot(tab, "corpus-params")


# Every .h5 case goes through the Data page's uploader in tests/test_corpus_app.py; the
# browser repeats those whose harm would be to the real server process (a crash, reading
# its files, gigabytes of memory) over a real upload. All 27 here took 3.5 minutes of CI.
SERVER_HARMS = ("h5_random_bytes", "h5_external_storage_environ", "h5_virtual_dataset_self",
                "h5_external_link", "h5_soft_link_loop", "h5_gzip_bomb_20000_images",
                "h5_huge_images", "h5_20000_keys")


def test_hostile_h5_pairs_through_the_data_page_uploader(tab, faces_server, record_property):
    """Files that read server files, crash HDF5 or declare gigabytes: each is refused in one
    sentence naming it, and the server keeps serving this session."""
    cases = [corpus.by_name(name) for name in SERVER_HARMS]
    open_page(tab, faces_server.url, "data")
    uploaded = tab.locator('.st-key-pair_upload [data-testid="stFileChipDeleteBtn"] button')
    for case in cases:
        record_property("corpus_case", case.name)
        while uploaded.count():   # an empty uploader for each case, as a person empties it
            uploaded.first.click()
            wait_idle(tab)
        upload(tab, "pair_upload", [(name, data, "application/x-hdf5")
                                    for name, data in case.payload().items()])
        wait_idle(tab)
        error = tab.locator('[data-testid="stAlertContentError"]')
        error.first.wait_for(timeout=LONG)
        message = error.first.inner_text()
        assert case.fragment_for("app") in message.lower(), (case.name, message)
        assert any(name in message for name in case.payload()), (case.name, message)
        assert len(message) < 600, (case.name, len(message))
        assert_no_exception(tab)
    # Nothing was added, and the server (one process for every visitor) is still there.
    sidebar = tab.locator('[data-testid="stSidebar"]').inner_text()
    assert "(uploaded)" not in sidebar
    open_page(tab, faces_server.url, "train")
    assert_no_exception(tab)
    screenshot(tab, "corpus-h5")


def test_class_names_are_text_not_markdown_in_the_browser(tab, faces_server):
    """A class called ![](http://127.0.0.1:9/x.png) must not make the browser fetch it."""
    evil = corpus.MARKDOWN_CLASS_NAMES
    fetched = []

    def note(request):
        if "127.0.0.1:9" in request.url:
            fetched.append(request.url)

    tab.on("request", note)
    open_page(tab, faces_server.url, "data")
    upload(tab, "pair_upload", [(name, data, "application/x-hdf5")
                                for name, data in corpus.markdown_class_pair().items()])
    tab.get_by_text("It is now the active dataset").first.wait_for(timeout=LONG)
    wait_idle(tab)
    for page in ("Data", "Train", "Classify"):
        go_to(tab, page)
        body = tab.locator("body")
        # Shown as the characters it is (the invisible word joiners aside).
        assert evil[0] in body.inner_text().replace("\u2060", ""), page
        links = tab.locator('a[href*="127.0.0.1:9"], img[src*="127.0.0.1:9"]')
        assert links.count() == 0, page
    tab.remove_listener("request", note)   # the page goes on to other tests
    assert fetched == []
    screenshot(tab, "corpus-class-names")
