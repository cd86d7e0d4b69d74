"""Network: one neuron, then a hidden layer, then four layers, trained live on the same
pictures and compared; then a 2-D playground where a straight boundary becomes a curve."""
import streamlit as st

from logreg.network import HIDDEN_ACTIVATIONS, INIT_SCHEMES, MAX_SEED, architecture
from logreg.settings import Network
from studio.display import figures, presenter
from studio.frame import shell
from studio.sections import (export_section, inspector, live_panel, network, playground,
                             training)
from studio.session import datasets, settings, state, words
from studio.session.i18n import fixed, say, t, tn

WIDGETS = settings.widgets(Network)
PRESET = "net_preset"
STAGE_PX = 340   # presenter mode: the curve's and the drawing's height, on a 720 px screen
UNITS_SHOWN = 32   # unit pictures drawn; a 1024-unit layer would be 1024 PNGs per rerun

shell.page_setup()
st.title(t("Network"))
if not presenter.presenting():   # on a projector the room goes to the curve and the drawing
    st.caption(t("Logistic regression is a neural network with a single neuron. Give it hidden "
                 "layers and train it on the same pictures with the same gradient descent: "
                 "the course's three models, side by side."))

key, dataset = datasets.active_dataset()


def _apply_preset():
    for name, value in network.PRESETS.get(st.session_state[PRESET], {}).items():
        st.session_state[WIDGETS[name]] = value


def _name_preset():
    """Show the preset the values match, or Custom once they match none."""
    values = {name: st.session_state[widget] for name, widget in WIDGETS.items()}
    st.session_state[PRESET] = next(
        (label for label, preset in network.PRESETS.items()
         if all(values[name] == value for name, value in preset.items())), network.CUSTOM)


def settings_form(dataset, model_area, details_area):
    """The preset (in ``model_area``) and the settings (in ``details_area``); returns
    (the settings, None), or (the defaults where a value is refused, the error)."""
    # First values; after that the widgets keep their own (persist_state). The type's
    # defaults are the first preset's single neuron.
    settings.init_widgets(Network)
    st.session_state.setdefault(PRESET, next(iter(network.PRESETS)))
    model_area.selectbox(t("Model"), [*network.PRESETS, network.CUSTOM], key=PRESET,
                         on_change=_apply_preset, persist_state="session",
                         format_func=fixed(network.preset_name),
                         help=t("The course's three models with the course's settings, or "
                                "your own."))
    with details_area, st.container(key="row_network"):   # two a row on a phone, not six rows
        c1, c2, c3, c4, c5, c6 = st.columns([1.4, 1, 1, 1, 1, 0.8])
    c1.text_input(t("Hidden layers"), key=WIDGETS["hidden"], on_change=_name_preset,
                  max_chars=network.HIDDEN_MAX_CHARS, placeholder=t("none: logistic regression"), persist_state="session",
                  help=t("Units in each hidden layer, e.g. 7 or 20,7,5. Empty: no hidden "
                         "layer, the single neuron of logistic regression."))
    c2.selectbox(t("Hidden activation"), HIDDEN_ACTIVATIONS, key=WIDGETS["activation"],
                 on_change=_name_preset, persist_state="session")
    c3.selectbox(t("Initial weights"), list(INIT_SCHEMES), key=WIDGETS["init"],
                 on_change=_name_preset, persist_state="session",
                 format_func=fixed(network.init_name),
                 help=" · ".join(f"**{network.init_name(name)}**: {say(text)}"
                                 for name, text in INIT_SCHEMES.items()))
    c4.number_input(t("Learning rate"), key=WIDGETS["learning_rate"], step=0.0005,
                    format="%g", on_change=_name_preset, persist_state="session")
    c5.number_input(t("Iterations"), key=WIDGETS["iterations"], step=100,
                    on_change=_name_preset, persist_state="session")
    c6.number_input(t("Seed"), key=WIDGETS["seed"], min_value=0, max_value=MAX_SEED, step=1,
                    on_change=_name_preset, persist_state="session",
                    help=t("Seed of the random initial weights."))
    return settings.read(Network, n_x=dataset.n_features, m=dataset.m_train)


def _start(chosen, key):
    network.start(key, chosen)


def live_view(key, dataset):
    """The run while it trains: progress, the cost curve and the network itself; then the
    run as it ended, or the session's network restored from saved work."""
    def describe(run):
        trainer = run.trainer
        cost = f"{trainer.costs[-1]:.6f}" if trainer.costs else "—"
        return t("cost J = {cost} · learning rate {learning_rate:g} · initial weights: "
                 "{init} · {seconds:.2f} s of training", cost=cost,
                 learning_rate=trainer.learning_rate, init=network.init_name(trainer.init),
                 seconds=run.seconds)

    def drawing(run):
        trainer = run.trainer
        return diagram(trainer.layer_dims, network.layer_weights(trainer), trainer.activation,
                       dataset)

    def otherwise():
        run = training.current(network.LIVE)
        if run is None or run.dataset_key != key:
            restored_view(key, dataset)
            return
        trainer = run.trainer
        st.progress(1.0, text=t("{network} · iteration {iteration:,} / {total:,}",
                                network=architecture(trainer.layer_dims),
                                iteration=trainer.iteration, total=run.total))
        st.caption(describe(run))
        curve_and_drawing(trainer.costs, run.total, trainer.layer_dims,
                          network.layer_weights(trainer), trainer.activation, dataset)

    run = training.current(network.LIVE)
    live_panel.panel(network.LIVE, key, otherwise, describe=describe, beside=drawing,
                     title=architecture(run.trainer.layer_dims) + " · " if run else "",
                     height=STAGE_PX if presenter.presenting() else 360)


def diagram(layer_dims, weights, activation, dataset):
    """The network drawn with these weights (the height of the curve beside it)."""
    drawing = figures.network.network_diagram(
        layer_dims, weights, activation,
        input_label=t("{num_px}×{num_px}×{channels} pixels", num_px=dataset.num_px,
                      channels=dataset.channels),
        output_label=f"P({words.classes(dataset.classes)[1]})")
    if presenter.presenting():
        drawing.update_layout(height=STAGE_PX)
    return drawing


def curve_and_drawing(costs, total, layer_dims, weights, activation, dataset):
    """The cost curve and the network drawn with these weights, side by side."""
    left, right = st.columns([3, 2])
    curve = figures.base.cost_curve(costs, total=total, max_points=live_panel.CURVE_POINTS,
                                    **({"height": STAGE_PX} if presenter.presenting() else {}))
    presenter.chart(curve, where=left, key="net_cost")
    presenter.chart(diagram(layer_dims, weights, activation, dataset), where=right,
                    key="net_diagram")


def restored_view(key, dataset):
    """The session's network without its live run (restored after a reload or in a new
    tab): its curve and drawing as they ended, when it was trained on this dataset."""
    model = state.trained_network()
    if model is None or state.trained_network_dataset_key() != key or model.mismatch(dataset):
        return
    cost = f"{model.costs[-1]:.6f}" if len(model.costs) else "—"
    st.caption(tn("{network} · {count:,} iteration · final cost J = {cost} · restored from "
                  "your saved work", "{network} · {count:,} iterations · final cost J = {cost} · "
                  "restored from your saved work", network=architecture(model.layer_dims),
                  count=model.num_iterations, cost=cost))
    weights = {l: model.parameters[f"W{l}"] for l in range(2, len(model.layer_dims))}
    curve_and_drawing(model.costs, model.num_iterations, model.layer_dims, weights,
                      model.activation, dataset)


def results_table(key, dataset):
    rows = network.results()
    if not rows:
        st.info(t("Train the three models in turn (pick each in **Model**, press **Train**): "
                  "every run lands in a table here, side by side."), icon=":material/table:")
        return
    st.subheader(t("Every run of this session"))
    presenter.table(network.results_table(rows), "net_runs",
                    column_config={t("network"): st.column_config.TextColumn(width="medium")})
    steps = " → ".join(row["test accuracy"] for row in rows[-6:])
    st.markdown(t("Test accuracy, run after run: **{steps}**", steps=steps))
    for lesson in network.depth_lessons(rows, key, dataset):
        st.markdown(say(lesson))
    st.button(t("Clear the table"), on_click=network.results().clear, icon=":material/delete:")


def unit_pictures(key, dataset):
    """The first layer's weights as pictures, once the run is stopped or done."""
    run = training.current(network.LIVE)
    if run is None or run.status == "running" or run.dataset_key != key:
        return
    _unit_pictures(run.trainer, dataset)


def _unit_pictures(trainer, dataset):
    units, hidden = trainer.layer_dims[1], trainer.layer_dims[1:-1]
    st.subheader(t("What the first layer looks at") if hidden else
                 t("What the neuron looks at"))
    view = st.segmented_control(t("Show"), network.UNIT_VIEWS, default=network.UNIT_VIEWS[0],
                                key="net_unit_view", required=True,
                                format_func=fixed(network.unit_view_name))
    shown = min(units, UNITS_SHOWN)
    tiles = figures.network.unit_tiles(network.first_layer(trainer, view)[:shown], dataset.num_px,
                               dataset.channels)
    st.image(tiles, caption=[t("unit {number}", number=i) for i in range(1, shown + 1)],
             width=104 if units > 4 else 208, output_format="PNG")
    if shown < units:
        st.caption(t("The first {shown} of {units} units.", shown=shown, units=units))
    network_name = architecture(trainer.layer_dims)
    if not hidden:
        st.caption(t("{network}: the neuron has one weight per pixel, laid out as a picture "
                     "(channels summed). **Red** pixels raise its z when bright, **blue** ones "
                     "lower it. Here the single neuron is the whole model: this is the Train "
                     "page's picture of w.", network=network_name))
        return
    st.caption(
        tn("{network}: the first layer's one unit has one weight per pixel, laid out as a "
           "picture (channels summed). **Red** pixels raise the unit's z when bright, **blue** "
           "ones lower it. ",
           "{network}: each of the {count} first-layer units has one weight per pixel, laid "
           "out as a picture (channels summed, each on its own scale). **Red** pixels raise "
           "the unit's z when bright, **blue** ones lower it. ",
           count=units, network=network_name)
        + t("Random starting weights look like noise and training changes them only a "
            "little: **change since the start** shows what the unit has learned. The later "
            "layers combine these detectors, which a single neuron cannot do."))


if dataset is not None:
    # Presenter mode: the model and the buttons in one row, the settings folded below it, so
    # at 1280 × 720 Train, the live curve and the drawing share the first screen.
    compact = presenter.presenting()
    if compact:
        model_area, controls_area = st.columns([2, 3], vertical_alignment="bottom")
        details_area = st.expander(t("Settings of this model"), icon=":material/tune:")
    else:
        model_area, details_area, controls_area = st.container(), st.container(), st.container()
    chosen, error = settings_form(dataset, model_area, details_area)
    if error:
        st.error(t("Cannot train with these settings: {error}.", error=error),
                 icon=":material/error:")
    with controls_area:
        training.controls(network.LIVE, _start, (chosen, key), error, "net_speed",
                          t("Start from fresh initial weights with these settings."),
                          compact=compact)
    live_view(key, dataset)
    export_section.network(key, dataset)
    results_table(key, dataset)
    unit_pictures(key, dataset)
    inspector.render("network", key, dataset)
    if presenter.shows("step"):   # a link may have hidden it there
        st.caption(t("One step by hand is on the Train page: it walks through logistic "
                     "regression's single neuron, where every number of an update fits on "
                     "screen."))
st.divider()
with st.container(key="playground"):
    playground.section()
