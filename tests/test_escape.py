"""User text is shown as text: session.escape against Markdown, Streamlit's extensions and HTML."""
import re

import pytest

from app_support import shown
from studio.session import escape

HOSTILE = [
    "**bold** _it_ ~~gone~~",
    "[link](http://127.0.0.1:9/x) ![](http://127.0.0.1:9/x.png)",
    "<img src=x onerror=alert(1)> <b>b</b> &amp;",
    ":red[red] :material/home: :smile: $x^2$ `code`",
    "# heading",
    "1. list",
    "- item | table |",
    "www.example.com http://example.com",
    "back\\slash",
    "cat",
    "고양이",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_shows_the_same_characters(text):
    assert shown(escape.markdown(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_leaves_no_active_syntax(text):
    escaped = escape.markdown(text)
    bare = re.sub(r"\\.", "", escaped)   # what is left once the escaped characters go
    assert not re.search(r"[*_\[\]()<>`$~#|!&]", bare), escaped
    assert "http://" not in escaped and "www." not in escaped   # no bare links
    assert not re.search(r":[a-z/]+:", escaped)                 # no :icon: shortcodes


def test_markdown_escape_keeps_user_text_on_one_line():
    assert escape.markdown("cat\n\n# dog") == "cat \\# dog"


def test_plotly_escape_leaves_no_html():
    assert escape.plotly("<a href='x'>cat</a> & dog") == (
        "&lt;a href=&#x27;x&#x27;&gt;cat&lt;/a&gt; &amp; dog")
