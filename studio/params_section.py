"""The Train page's "Save or load parameters": the session's model as a .npz download, and
a .npz upload that becomes the session's model (checked from its metadata first)."""
import streamlit as st

from logreg.params import ParamsError, load_params, params_to_bytes

from . import escape, state, training


def render(model, key, dataset):
    """Draw both halves; ``model`` is the session's usable model or None."""
    st.header("Save or load parameters")
    left, right = st.columns(2)
    with left:
        if model is not None:
            st.download_button("Download parameters (.npz)", params_to_bytes(model),
                               file_name=f"logreg-{model.scaler.mode}-"
                                         f"{model.num_iterations}.npz",
                               mime="application/octet-stream", icon=":material/download:")
            st.caption("w, b, the scaling and the image size in one NumPy file (no pickle). "
                       "Load it here later, or use it with `python -m logreg predict`.")
        else:
            st.caption("Train first, then the parameters can be downloaded here.")
    with right:
        upload = st.file_uploader("Load parameters (.npz)", type=["npz"], key="params_upload",
                                  help="A file downloaded from this page earlier.")
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
        return "error", f"Could not load parameters: {escape.markdown(exc)}", False
    if model.mismatch(dataset):
        return "error", (f"{escape.markdown(upload.name)}: {model.mismatch(dataset)}. Your "
                         f"current parameters are unchanged."), False
    training.reset()
    state.set_trained(model, key)
    # The rerun redraws the sidebar and the results with the loaded parameters.
    return "success", f"Loaded {escape.markdown(upload.name)}: {model.describe()}.", True
