"""The first screen's welcome: what this app is and what to press, in plain words."""
import streamlit as st

from ..session import state
from ..session.i18n import t


def _dismiss():
    st.session_state[state.WELCOME_DISMISSED] = True


def render(train_page):
    """A short welcome until the person dismisses it; ``train_page`` is the Train page's
    path for the link."""
    if st.session_state.get(state.WELCOME_DISMISSED):
        return
    with st.container(border=True, key="welcome"):
        st.markdown(t("**Welcome!** Here a computer learns to tell two kinds of pictures apart "
                      "(in the course: cats and everything else), and you can watch it learn. "
                      "It looks at every pixel of a few hundred "
                      "labelled photos and adjusts one number per pixel, a little at a time, "
                      "until its guesses get better."))
        st.markdown(t("Go to **Train** and press the **Train** button: the falling line is how "
                      "wrong the computer still is. Then try your own photos on **Classify**."))
        with st.container(key="row_welcome", horizontal=True):
            st.page_link(train_page, label=t("Go to Train"), icon=":material/model_training:")
            st.button(t("Got it, hide this"), key="welcome_dismiss", on_click=_dismiss)
