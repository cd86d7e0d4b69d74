"""A custom component (``st.components.v2``) that every runtime running the script knows.

``st.components.v2.component`` registers the component on the runtime that exists when
its module is imported. Streamlit 1.67 registers it again on another runtime when it is
drawn there; 1.65, the last release for Python 3.10, does not, and AppTest makes a
runtime per test: every test after a worker's first failed with "Component 'logreg_live'
is not registered". So a component made here checks, each time it is drawn, that the
runtime running the script has it (one dictionary lookup), and registers it there if not.
"""
import streamlit as st


def define(name, *, html, css, js, **options):
    """``st.components.v2.component(name, ...)``: its mount function, registered on the
    runtime of each script run that draws it."""
    parts = dict(html=html, css=css, js=js, **options)
    mount = st.components.v2.component(name, **parts)

    def draw(*args, **kwargs):
        from streamlit.runtime import Runtime
        if Runtime.exists() and Runtime.instance().bidi_component_registry.get(name) is None:
            st.components.v2.component(name, **parts)
        return mount(*args, **kwargs)

    return draw
