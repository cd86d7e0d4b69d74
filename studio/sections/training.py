"""Live training kept in the session: start, advance in time-boxed chunks, stop, resume, reset.

A run's own page draws it with :mod:`studio.sections.live_panel`, whose component animates
the cost curve in the browser and asks for the next chunk of iterations (:func:`advance`)
as it needs them; on any other page the strip above the title advances it a tick at a time
(:func:`hold` keeps that fragment's run alive until its next tick, see there why). Either
way each call trains at most a small time budget, so the page stays responsive and Stop is
honoured between chunks.
"""
import secrets
import time
from dataclasses import dataclass, field
from typing import Optional

import streamlit as st

from logreg import course
from logreg.pipeline import to_model
from logreg.history import History
from logreg.trainer import Trainer

from . import class_session
from ..display import presenter
from ..session import bounded, datasets, runs, state, turns
from ..session.i18n import t

TICK_SECONDS = 0.25      # how often the strip's fragment reruns while a run trains off its page
HOLD_SECONDS = 0.4       # a strip run lasts at least this long (> TICK_SECONDS)
BUDGET_SECONDS = 0.15    # gradient steps per tick: at most as many as fit in this time
CHUNK_SECONDS = 1.0      # each request of the live panel trains this much of the run's pace
CHUNK_BUDGET = 0.5       # ... in at most this much time: a big network then falls behind
# Iterations a second the curve is drawn at, for each speed; the Gram path does thousands in
# a tick, far too fast to watch, so the default shows the curve falling over a few seconds.
# Full speed (None) trains as fast as the computer can and draws what it has.
SPEEDS = {"slow motion": 160, "watch it learn": 800, "full speed": None}
DEFAULT_SPEED = "watch it learn"


def pace(speed_key):
    """The iterations a second the Speed widget ``speed_key`` chose (None: full speed)."""
    return SPEEDS.get(st.session_state.get(speed_key, DEFAULT_SPEED))


@dataclass(eq=False)
class LiveRun:
    """One training run of this session and where it stands."""

    trainer: Trainer
    dataset_key: str
    scaling: str
    total: int
    status: str = "running"          # running | stopped | done
    chunk: int = 1                   # steps per inner loop, tuned to the budget
    pace: Optional[int] = None       # iterations a second (None: full speed), see SPEEDS
    seconds: float = 0.0             # time spent in gradient steps so far
    history: Optional[History] = None  # the snapshots the run inspector replays
    id: str = field(default_factory=lambda: secrets.token_hex(6))   # names it to the browser

    @property
    def learning_rate(self):
        return self.trainer.learning_rate


def current(key=state.LIVE):
    """The session's :class:`LiveRun` (under ``key``: the Network page keeps its own), or None."""
    return st.session_state.get(key)


@turns.taking_turns   # a button's callback
def start(dataset_key, iterations, learning_rate, scaling):
    """Begin a fresh run from zero weights (the settings are already validated) at full
    speed; :func:`controls`' Train sets the pace its Speed chose."""
    prepared = datasets.prepared(dataset_key, scaling)
    trainer = prepared.trainer(learning_rate)
    st.session_state[state.LIVE] = LiveRun(trainer, dataset_key, scaling, int(iterations),
                                           history=runs.follow(trainer, iterations))
    return st.session_state[state.LIVE]


def controls(live_key, start, start_args, error, speed_key, start_help, show_speed=None,
             compact=False, transport=True, speed_help=None):
    """Train, Stop, Resume, Reset and Speed for the live run under ``live_key``: the same
    row on the Train page, the Network page and the playground.

    ``start(*start_args)`` begins a run; ``error`` (a sentence or None) disables Train;
    ``speed_key`` is the Speed widget's key and prefixes the buttons' keys. Speed is left
    out when ``show_speed`` is False, or by default when a link hid it (``hide=speed``);
    ``compact`` drops the empty space at the row's end, for a row that shares its line
    with the settings. Without ``transport`` Stop and Resume are left out: the playground
    draws its own beside its animation (studio.sections.playground), whose Speed says its own
    ``speed_help``.
    """
    if show_speed is None:
        show_speed = presenter.shows("speed")
    run = current(live_key)
    status = run.status if run is not None else None
    buttons = 4 if transport else 2
    widths = [1] * buttons + ([1.6] if show_speed else []) + ([] if compact else [2.4])
    # "row_…": the row stays a row on a phone (studio.display.presenter's styles).
    with st.container(key=f"row_{speed_key}"):
        cols = iter(st.columns(widths, vertical_alignment="bottom"))
    next(cols).button(t("Train"), type="primary", disabled=error is not None, on_click=_train,
                      args=(live_key, speed_key, start, start_args), width="stretch",
                      key=f"{speed_key}_train",
                      help=start_help)
    if transport:
        next(cols).button(t("Stop"), disabled=status != "running", on_click=stop,
                          args=(live_key,), width="stretch", key=f"{speed_key}_stop",
                          help=t("Pause after the current chunk of iterations."))
        next(cols).button(t("Resume"), disabled=status != "stopped", on_click=resume,
                          args=(live_key,), width="stretch", key=f"{speed_key}_resume",
                          help=t("Continue the same run where it stopped."))
    # A model restored from saved work has no live run, yet Reset must forget it too.
    model = st.session_state.get(MODELS[live_key]) if live_key in MODELS else None
    next(cols).button(t("Reset"), disabled=run is None and model is None, on_click=reset,
                      args=(live_key,),
                      width="stretch", key=f"{speed_key}_reset",
                      help=t("Forget this live run and its trained model: a clean slate."))
    if show_speed:
        speeds = {"slow motion": t("slow motion"), "watch it learn": t("watch it learn"),
                  "full speed": t("full speed")}
        next(cols).selectbox(t("Speed"), list(SPEEDS), key=speed_key,
                             index=list(SPEEDS).index(DEFAULT_SPEED),
                             format_func=lambda speed: speeds.get(speed, speed),
                             on_change=_new_pace, args=(live_key, speed_key),
                             help=speed_help or t(
                                 "How fast the live curve is drawn: slow motion {slow:g} "
                                 "iterations a second, watch it learn {watch:g}. Full speed "
                                 "trains as fast as the computer can.",
                                 slow=SPEEDS["slow motion"], watch=SPEEDS["watch it learn"]))


def _train(live_key, speed_key, start, start_args):
    """Train's callback: ``start(*start_args)``, then the pace Speed chose."""
    start(*start_args)
    _new_pace(live_key, speed_key)


def _new_pace(live_key, speed_key):
    """Speed changed (or a run began): the live run goes on at the new pace."""
    run = current(live_key)
    if run is not None:
        run.pace = pace(speed_key)


def stop(key=state.LIVE):
    run = current(key)
    if run is not None and run.status == "running":
        run.status = "stopped"


def resume(key=state.LIVE):
    run = current(key)
    if run is not None and run.status == "stopped":
        run.status = "running"


# The trained model each live run makes, which Reset forgets with the run.
MODELS = {state.LIVE: state.TRAINED, state.NETWORK_LIVE: state.TRAINED_NETWORK}


def reset(key=state.LIVE):
    """A clean slate: forget the live run and the model it made (or the one before it)."""
    st.session_state.pop(key, None)
    if key in MODELS:
        st.session_state.pop(MODELS[key], None)


def percent(run):
    """How far the run is, in whole percent."""
    return int(100 * run.trainer.iteration / run.total) if run.total else 100


@turns.taking_turns   # also from fragments that rerun alone
def advance(run, budget, steps=None, finish_run=None):
    """Apply gradient steps for at most ``budget`` seconds and at most ``steps`` of them
    (None: as many as fit); at the run's total, finish it with ``finish_run(run)`` (None:
    leave it there, its caller finishes it).

    Returns
    -------
    bool
        True when this call finished the run.
    """
    if run.status != "running":
        return False
    deadline = time.perf_counter() + budget
    trainer = run.trainer
    stop_at = run.total if steps is None else min(run.total, trainer.iteration + int(steps))
    while trainer.iteration < stop_at:
        began = time.perf_counter()
        trainer.step(min(run.chunk, stop_at - trainer.iteration))
        spent = time.perf_counter() - began
        run.seconds += spent
        # Grow the chunk while a chunk takes under a tenth of the budget, and shrink it when
        # one overran: a big network's single step can take seconds, and a tick that
        # overruns keeps the server busy even after its tab is closed.
        if spent < budget / 10:
            run.chunk = min(run.chunk * 2, 5000)
        elif spent > budget:
            run.chunk = max(1, run.chunk // 2)
        if time.perf_counter() >= deadline:
            break
        turns.share()   # between chunks: a classmate waiting for a turn gets this one
    if trainer.iteration >= run.total and finish_run is not None:
        finish_run(run)
        return True
    return False


def hold(began, seconds=HOLD_SECONDS):
    """Sleep until ``seconds`` after ``began``, so the strip's next tick finds its run still
    going.

    A tick that reaches the server after a fragment run has ended starts a new script
    runner, and Streamlit drops the messages of the old runner it has not sent yet (its
    debug log says "Ignoring event from non-current ScriptRunner"); under load that lost
    redraws. A tick that arrives during a run is queued on the same runner instead, so a
    run that outlasts the tick interval keeps one runner for the whole training. Sleeping
    costs no CPU and releases the GIL.
    """
    remaining = began + seconds - time.perf_counter()
    if remaining > 0:
        with turns.pause():   # another session's run may work meanwhile
            time.sleep(remaining)


def finish(run):
    """Freeze the run into the session's trained parameters."""
    dataset = datasets.get(run.dataset_key)
    prepared = datasets.prepared(run.dataset_key, run.scaling)
    model = to_model(run.trainer, prepared, dataset)
    state.set_trained(model, run.dataset_key)
    runs.keep("logistic", run, model)
    run.status = "done"
    class_session.finished("logistic", run, model)   # a class's board hears of it
    return model


@turns.taking_turns   # a button's callback
def train_now(dataset_key, iterations=course.ITERATIONS, learning_rate=course.LEARNING_RATE,
              scaling=course.SCALING):
    """Train to the end in one request (Classify's "Train with the defaults").

    Through :func:`studio.session.bounded.advance_together`, so a big dataset cannot keep the
    server busy after its visitor left. Returns the model and the bounded run's
    :class:`~studio.session.bounded.Outcome` (its ``sentence()`` says where and why a run was cut).
    """
    run = start(dataset_key, iterations, learning_rate, scaling)
    outcome = bounded.advance_together([run.trainer], run.total)
    return finish(run), outcome
