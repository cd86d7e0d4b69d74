"""Streamlit-side helpers shared by the pages: session state, datasets, figures.

The numerical work lives in ``logreg``; this package only wires it to the browser.
"""
