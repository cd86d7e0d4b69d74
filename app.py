"""logreg studio: the entry point. Run with ``streamlit run app.py``.

Each session runs this file as its script (``__main__``): the navigation over ``pages/``.
``streamlit run`` first imports it to look for an ``st.App``, and serves the one it finds,
whose start runs the app once before the first visitor (studio.frame.serve says why).
"""
import streamlit as st


def main():
    # Imported at the first run, not when `streamlit run` imports this file to find `app`:
    # studio's cached functions check their settings against the server's runtime as they
    # are defined, and before it exists each one logs a warning in the server's console.
    from studio.display import presenter
    from studio.frame import shell
    from studio.session import turns
    from studio.session.i18n import t

    st.set_page_config(**shell.page_config())
    pages = [
        # The default page is served at "/" (Streamlit reserves its url_path but never serves
        # it), so a hidden second entry for the same file makes the /data links teachers share
        # work.
        st.Page("pages/data.py", title=t("Data"), url_path="start", default=True,
                icon=":material/photo_library:"),
        st.Page("pages/train.py", title=t("Train"), url_path="train",
                icon=":material/model_training:"),
        st.Page("pages/normalization.py", title=t("Normalization"), url_path="normalization",
                icon=":material/tune:"),
        st.Page("pages/network.py", title=t("Network"), url_path="network", icon=":material/hub:"),
        st.Page("pages/classify.py", title=t("Classify"), url_path="classify",
                icon=":material/image_search:"),
        st.Page("pages/how-it-works.py", title=t("How it works"), url_path="how-it-works",
                icon=":material/functions:"),
        st.Page("pages/class.py", title=t("Class"), url_path="class", icon=":material/groups:"),
        st.Page("pages/data.py", title=t("Data"), url_path="data", visibility="hidden"),
    ]
    page = st.navigation(pages)
    with turns.turn():   # a class's script runs take turns: see studio.session.turns
        link_slot = shell.render_shell(page.url_path)
        page.run()
        with link_slot:   # after the page, so the settings it put in the URL are in the link
            presenter.copy_link(page.url_path)


if __name__ == "__main__":   # a session's run of this file, as the app's script
    main()
else:   # ``streamlit run app.py`` imports this file, finds ``app`` and serves it
    from studio.frame import serve
    app = st.App(__file__, lifespan=serve.lifespan)
