"""The Train page's "Save or load parameters": the session's model as a .npz download, and
a .npz upload that becomes the session's model (checked from its metadata first)."""
import streamlit as st

from logreg.params import ParamsError, load_params, params_to_bytes

from . import training
from ..session import escape, state, words
from ..session.i18n import t


def render(model, key, dataset):
    """Draw both halves; ``model`` is the session's usable model or None."""
    st.header(t("Save or load parameters"))
    left, right = st.columns(2)
    with left:
        if model is not None:
            st.download_button(t("Download parameters (.npz)"), params_to_bytes(model),
                               file_name=f"logreg-{model.scaler.mode}-"
                                         f"{model.num_iterations}.npz",
                               mime="application/octet-stream", icon=":material/download:")
            st.caption(t("w, b, the scaling and the image size in one file. Load it here "
                         "later, or use it with `python -m logreg predict`."),
                       help=t("A NumPy .npz archive of plain arrays: loading it runs no code "
                              "(no pickle)."))
        else:
            st.caption(t("Train first, then the parameters can be downloaded here."))
    with right:
        upload = st.file_uploader(t("Load parameters (.npz)"), type=["npz"],
                                  key="params_upload",
                                  help=t("A file downloaded from this page earlier."))
        if upload is None:
            st.session_state.pop(state.PARAMS_STATUS, None)
        else:
            state.handle_upload_once(state.PARAMS_STATUS, [upload],
                                     lambda: _load(upload, key, dataset))


def _load(upload, key, dataset):
    """Make an uploaded .npz the session's model: (level, message, rerun)."""
    try:
        model = load_params(upload.getvalue(), name=upload.name)
    except ParamsError as exc:
        return "error", t("Could not load parameters: {reason}",
                          reason=escape.markdown(exc)), False
    if model.mismatch(dataset):
        return "error", t("{file}: the parameters are for {model_size} images, but this "
                          "dataset has {data_size} images. Your current parameters are "
                          "unchanged.", file=escape.markdown(upload.name),
                          model_size=words.size(model.num_px, model.channels, " × "),
                          data_size=words.size(dataset.num_px, dataset.channels, " × ")), False
    training.reset()
    state.set_trained(model, key)
    # The rerun redraws the sidebar and the results with the loaded parameters.
    return "success", t("Loaded {file}: {model}.", file=escape.markdown(upload.name),
                        model=words.model(model)), True
