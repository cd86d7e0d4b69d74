"""sections.camera: when the browser will refuse the camera, judged from the page's address."""
import pytest

from studio.sections.camera import is_secure


@pytest.mark.parametrize("url, proto, secure", [
    ("http://localhost:8501/classify", None, True),
    ("http://127.0.0.1:8501/", None, True),
    ("http://[::1]:8501/", None, True),
    ("https://192.168.1.20/classify", None, True),
    ("http://192.168.1.20:8501/classify", None, False),
    ("http://school-server.lan/classify", None, False),
    ("http://school-server.lan/classify", "https", True),   # behind a TLS proxy
    ("HTTP://Example.COM/", None, False),
    ("", None, True),          # nothing known: no warning rather than a wrong one
    (None, None, True),
])
def test_secure_contexts(url, proto, secure):
    assert is_secure(url, proto) is secure
