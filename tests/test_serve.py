"""``streamlit run app.py`` serves app.py's st.App, whose start runs the app once
(studio.frame.serve); each session still runs app.py as its script. A server's own warm-up
is checked where it shows, in tests/browser/test_browser_fresh_server.py."""
import subprocess
import sys

from app_support import ROOT


def test_streamlit_run_finds_the_app_and_its_warm_up():
    from streamlit.web.server.app_discovery import discover_asgi_app

    assert discover_asgi_app(ROOT / "app.py").import_string == "app:app"
    # As `streamlit run` imports it (a fresh interpreter: st.App pins process-wide config).
    probe = ("import app, streamlit as st; from studio.frame import serve; "
             "assert isinstance(app.app, st.App), app.app; "
             "assert app.app._user_lifespan is serve.lifespan; "
             "print(app.app.script_path.name)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "app.py"
    # Importing it defines none of studio's cached functions before the runtime exists.
    assert "No runtime found" not in done.stderr, done.stderr[-2000:]
