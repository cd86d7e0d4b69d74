"""Korean and English everywhere a person reads: the catalogs, and every page in Korean."""
import ast
import re
import string
import subprocess
import sys
import unicodedata

import pytest

from app_support import (PAGES, ROOT, all_text, button, cat_data, fresh_caches,  # noqa: F401
                         new_app, open_page, open_replay)
from studio.session import i18n

SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")),
           *sorted((ROOT / "studio").rglob("*.py"))]
ENGINE = sorted((ROOT / "logreg").glob("*.py"))


def fields(text):
    """The named placeholders of a message: {"iterations", "name"} for "{iterations:,} {name}"."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_catalogs_hold_exactly_the_messages_the_code_uses():
    check = subprocess.run([sys.executable, "tools/update_catalogs.py", "--check"], cwd=ROOT,
                           capture_output=True, text=True)
    assert check.returncode == 0, ("run `python tools/update_catalogs.py`: "
                                   + check.stdout + check.stderr)


def test_the_check_reads_messages_not_the_babel_version_that_wrote_the_header():
    """A fresh pip brings a newer Babel than wrote the committed catalog (2.17 vs 2.19)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import update_catalogs
    finally:
        sys.path.pop(0)
    text = (i18n.CATALOGS / "ko.po").read_bytes()
    header = re.search(rb"Generated-By: Babel [0-9.]+", text).group(0)
    other = text.replace(header, b"Generated-By: Babel 9.99.0")
    assert update_catalogs._messages(other, "ko") == update_catalogs._messages(text, "ko")
    changed = text.replace('msgstr "'.encode(), 'msgstr "X'.encode(), 3)
    assert update_catalogs._messages(changed, "ko") != update_catalogs._messages(text, "ko")


def korean_messages():
    from babel.messages.pofile import read_po
    with (i18n.CATALOGS / "ko.po").open("rb") as handle:
        return [m for m in read_po(handle, locale="ko") if m.id]


def forms(message):
    """A message's (id, translation) pairs: one for a plain message; for a plural one, each
    Korean form against the English plural (Korean's one form says every count)."""
    if isinstance(message.id, tuple):
        return [(message.id[1], form) for form in message.string]
    return [(message.id, message.string)]


def test_every_message_has_a_korean_translation_with_the_same_placeholders():
    i18n._read.cache_clear()
    messages = korean_messages()
    assert messages
    assert any(isinstance(m.id, tuple) for m in messages), "no plural message left?"
    untranslated = [m.id for m in messages if not all(text for _, text in forms(m))]
    assert not untranslated, f"{len(untranslated)} without Korean: {untranslated[:10]}"
    mismatched = [m.id for m in messages
                  if any(fields(english) != fields(text) for english, text in forms(m))]
    assert not mismatched, f"placeholders differ: {mismatched[:10]}"


# A particle glued to a placeholder with both its forms, "{file}을(를)": Korean picks the
# particle by the sound the word ends in, which a placeholder does not know. The sentences
# are built so that a fixed word follows the placeholder instead ("{file} 파일을").
PARTICLE_FALLBACK = re.compile(r"\((?:이|으|을|를|은|는|가|과|와|아|야|이라|라)\)"
                               r"|(?:을|를|은|는|이|가|과|와)\((?:을|를|은|는|이|가|과|와)\)")


def test_no_korean_sentence_leaves_the_particle_to_the_reader():
    fallbacks = [text for m in korean_messages() for _, text in forms(m)
                 if PARTICLE_FALLBACK.search(text)]
    assert not fallbacks, f"{len(fallbacks)} with a particle fallback: {fallbacks[:5]}"


def emphasis_that_does_not_close(text):
    """Where Markdown (CommonMark's flanking rules) does not read ``*`` / ``**`` as text
    meant: a delimiter after punctuation followed by a letter neither closes nor, before
    punctuation after a letter, opens: "**표준화(z-점수)**는" showed its asterisks. Korean
    glues particles to words, so it meets this where English has a space. A ``{title}``
    stands for a dataset's title, which may end in ")" ("… (Coursera)"); other placeholders
    for a letter or a number."""
    def punctuation(c):
        return c == "" or unicodedata.category(c)[0] in "PS"

    def space(c):
        return c == "" or c.isspace()

    text = re.sub(r"`[^`]*`", "c", text.replace("\\*", ""))
    text = re.sub(r"\{(\w+)[^}]*\}", lambda m: "(x)" if m.group(1) == "title" else "x", text)
    wrong = []
    for size in (2, 1):
        opening = True
        for run in re.finditer(r"\*+", text):
            if len(run.group()) != size:
                continue
            before = text[run.start() - 1] if run.start() else ""
            after = text[run.end():run.end() + 1]
            opens = not space(after) and (not punctuation(after) or space(before)
                                          or punctuation(before))
            closes = not space(before) and (not punctuation(before) or space(after)
                                             or punctuation(after))
            if not opens and not closes:   # "2 * 3": not emphasis at all
                continue
            if not (opens if opening else closes):
                wrong.append(text[max(run.start() - 12, 0):run.end() + 12])
            opening = not opening
    return wrong


def test_bold_and_italics_read_as_emphasis_in_both_languages():
    assert emphasis_that_does_not_close("**표준화(z-점수)**는") == ["**표준화(z-점수)**는"]
    assert emphasis_that_does_not_close("데이터셋은 **{title}**입니다") != []
    assert emphasis_that_does_not_close("**표준화**(z-점수)는 · 2 * 3 · *{label}*입니다") == []
    wrong = [found for m in korean_messages() for english, text in forms(m)
             for found in emphasis_that_does_not_close(english)
             + emphasis_that_does_not_close(text)]
    assert not wrong, f"{len(wrong)} shown with their asterisks: {wrong[:5]}"


def test_a_count_picks_the_form_in_each_language(monkeypatch):
    tn = i18n.tn
    monkeypatch.setattr(i18n, "language", lambda: "en")
    assert tn("{count} file skipped", "{count} files skipped", count=1) == "1 file skipped"
    assert tn("{count} file skipped", "{count} files skipped", count=0) == "0 files skipped"
    assert tn("one every iteration", "one every {count:,} iterations",
              count=1500) == "one every 1,500 iterations"
    monkeypatch.setattr(i18n, "language", lambda: "ko")   # one form for every count
    for count in (0, 1, 7):
        assert tn("{count:,} iteration · learning rate {learning_rate:g} · {scaling}",
                  "{count:,} iterations · learning rate {learning_rate:g} · {scaling}",
                  count=count, learning_rate=0.5, scaling="z") == f"반복 {count}번 · 학습률 0.5 · z"


def test_counted_phrases_agree_with_their_count(monkeypatch):
    from studio.session import words
    monkeypatch.setattr(i18n, "language", lambda: "en")
    assert words.images(1, 50) == "1 training image and 50 test images"
    assert words.images(209, 1) == "209 training images and 1 test image"
    assert (words.minutes(1), words.minutes(0)) == ("1 minute", "0 minutes")
    assert words.iterations(2000) == "2,000 iterations"
    monkeypatch.setattr(i18n, "language", lambda: "ko")
    assert words.images(209, 1) == "학습 이미지 209장, 테스트 이미지 1장"


def test_no_message_leaves_the_plural_to_the_reader():
    """"2 picture(s)": a count picks its form with tn / Nn_ instead."""
    glued = [m.id for m in korean_messages()
             if any("(s)" in text for text in (m.id if isinstance(m.id, tuple) else (m.id,)))]
    assert not glued, glued


def test_the_engines_plural_sentences_read_in_english_and_translate(monkeypatch):
    from logreg.course import describe_settings
    assert describe_settings(1, 0.005, "divide255").startswith("1 iteration · ")
    assert describe_settings(2000, 0.005, "divide255").startswith("2,000 iterations · ")
    monkeypatch.setattr(i18n, "language", lambda: "ko")
    assert i18n.say(describe_settings(1, 0.005, "divide255")) == "반복 1번 · 학습률 0.005 · 픽셀 ÷ 255"


def literals(call, count):
    """Whether a call's first ``count`` arguments are string literals."""
    first = call.args[:count]
    return len(first) == count and all(isinstance(arg, ast.Constant)
                                       and isinstance(arg.value, str) for arg in first)


def test_every_message_is_a_literal_so_the_catalog_can_find_it():
    """t(f"…") or t(variable) would be invisible to the extractor and never translated (and
    so would tn's two forms).

    The one exception is ``studio.session.i18n.say``, which passes on the engine's sentences; those
    are built as ``Message(N_("literal"), …)`` or ``Message(Nn_("literal", "literals"), …)``
    in logreg/, so the extractor finds them too."""
    bad = []
    for path in [*SOURCES, *ENGINE]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        passing_on = {id(node) for function in ast.walk(tree)
                      if isinstance(function, ast.FunctionDef) and function.name == "say"
                      and path == ROOT / "studio" / "session" / "i18n.py"
                      for node in ast.walk(function)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            literal = literals(node, 1)
            marked = (node.args and isinstance(node.args[0], ast.Call)
                      and isinstance(node.args[0].func, ast.Name)
                      and ((node.args[0].func.id == "N_" and literals(node.args[0], 1))
                           or (node.args[0].func.id == "Nn_" and literals(node.args[0], 2))))
            if ((node.func.id == "t" and not literal and id(node) not in passing_on)
                    or (node.func.id == "tn" and not literals(node, 2)
                        and id(node) not in passing_on)
                    or (node.func.id == "N_" and not literal)
                    or (node.func.id == "Nn_" and not literals(node, 2))
                    or (node.func.id == "Message" and not marked
                        and path != ROOT / "logreg" / "words.py")):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bad, bad


def test_a_message_is_translated_and_filled_in_by_name(monkeypatch):
    monkeypatch.setattr(i18n, "language", lambda: "ko")
    assert i18n.t("Train") == "학습"
    monkeypatch.setattr(i18n, "language", lambda: "en")
    assert i18n.t("Train") == "Train"
    assert i18n.t("no such message {n:,}", n=12000) == "no such message 12,000"


# What may stay in Latin letters on a Korean page: names, units, code and the data's own words.
ALLOWED = {
    "logreg", "studio", "numpy", "coursera", "python", "streamlit", "korean", "english",
    "sigmoid", "relu", "tanh", "npz", "png", "jpeg", "jpg", "zip", "csv", "url", "http", "https",
    "cat", "non", "catvnoncat", "faces", "train", "test", "set", "orig", "classes", "list",
    "github", "andrew", "deeplearning", "matplotlib", "sha", "ipynb",
}


def leftover_english(text):
    """Latin-letter words a Korean reader would meet, outside code, formulas and icons."""
    text = re.sub(r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    text = re.sub(r":material/[a-z_]+:|:[a-z]+\[|https?://\S+|\b[\w.-]+\.(?:h5|npz|py)\b",
                  " ", text)
    words = re.findall(r"[A-Za-z]{3,}", text)
    return sorted({w for w in words if w.lower() not in ALLOWED})


def korean_app():
    """An app whose session chose Korean (AppTest has no browser to carry ``?lang=ko``;
    the browser tests check the URL)."""
    at = new_app()
    at.session_state["lang"] = "ko"
    return at


def labels(at):
    """Widget labels and their help, which a reader meets as much as the page text."""
    parts = []
    for kind in ("button", "selectbox", "number_input", "slider", "select_slider", "toggle",
                 "checkbox", "radio", "text_input", "multiselect", "expander", "tab"):
        for element in at.get(kind):
            parts += [str(getattr(element, "label", "") or ""),
                      str(getattr(element, "help", "") or "")]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_in_korean(cat_data, page):
    at = open_page(korean_app(), "pages/classify.py")
    button(at, "기본 설정으로 학습").click().run()
    at = open_page(at, page)
    # Code blocks (the engine's source, the course's printout) stay as they are.
    left = leftover_english(all_text(at, code=False) + "\n" + labels(at))
    assert not left, f"{page}: English left on the Korean page: {left}"


def test_the_train_pages_results_and_inspector_read_in_korean(cat_data):
    """After a run (the Train button, live, as a learner presses it) the results, the
    diagnoses, the weights and the whole run inspector are Korean too — the sentences the
    engine writes (logreg.course, logreg.diagnosis) included — and so are the replay's
    chart titles."""
    at = open_page(korean_app(), "pages/train.py")
    at.selectbox(key="train_speed").set_value("full speed").run()
    at.button(key="train_speed_train").click().run()
    for _ in range(200):
        run = at.session_state["live_training"]
        if run.status != "running":
            break
        at.run()
    assert at.session_state["live_training"].status == "done"
    assert not at.exception, [e.value for e in at.exception]
    open_replay(at)
    text = all_text(at)
    assert "결과" in [h.value for h in at.header]
    assert "반복 2,000번 · 학습률 0.005 · 픽셀 ÷ 255" in text   # model.describe(), in Korean
    assert "실행 들여다보기" in text and "과적합" in text
    # The course's printout is the notebook's own English, shown as code: left as it is.
    assert "Cost after iteration 1900: 0.140872" in text
    # The page itself (the sidebar is every page's, checked by the test above).
    left = leftover_english(all_text(at.main, code=False) + "\n" + labels(at.main))
    assert not left, f"English left after training on the Korean Train page: {left}"
    import json
    replay = next(json.loads(chart.proto.spec) for chart in at.get("plotly_chart")
                  if "logistic_replay" in chart.proto.id)
    words = replay["layout"]["title"]["text"] + " ".join(
        a["text"] for a in replay["layout"]["annotations"])
    assert "반복 2,000" in words and "정밀도" in words
    assert not leftover_english(re.sub(r"<[^>]+>", " ", words).replace("ROC", "")
                                .replace("PR", ""))
