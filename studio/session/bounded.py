"""Long training that ends when its visitor leaves or its CPU budget is spent.

A script run does not end with its browser tab: measured on a big dataset, Normalization →
Compare with 100 000 iterations kept both cores at 100 % for 75 s after the tab was closed.
So long work advances trainers (anything with ``step(k)`` and ``iteration``) in chunks of
about :data:`CHUNK_SECONDS`, and between chunks asks two questions: is the session still
connected (Streamlit's runtime knows), and is this request's CPU time left? Either answer
"no" ends the work, and :class:`Outcome` says where and why in a sentence for the page.
Between chunks it also shares its turn (:func:`studio.session.turns.share`) with a classmate who
waits for one. What such work may cost before it starts is in :mod:`logreg.workload`.
"""
import time
from dataclasses import dataclass
from typing import Optional

from . import turns
from .i18n import t

CPU_SECONDS = 10.0      # CPU time one button press may use (its script thread's own time)
CHUNK_SECONDS = 0.05    # grow chunks until one takes about this long
MAX_CHUNK = 5000


def session_alive():
    """Whether the browser session of the current script run is still connected.

    True outside a server (AppTest, bare Python), where nobody can leave.
    """
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return True
    return Runtime.instance().is_active_session(ctx.session_id)


class Budget:
    """CPU seconds for one request, shared by every computation it starts.

    ``clock`` is the CPU time of the script's own thread, so other sessions' work on the
    same server does not count against this one.
    """

    def __init__(self, seconds=None, clock=time.thread_time):
        self.seconds = float(CPU_SECONDS if seconds is None else seconds)
        self.clock = clock
        self.started = clock()

    def spent(self):
        return self.clock() - self.started

    def exhausted(self):
        return self.spent() >= self.seconds


@dataclass(frozen=True)
class Outcome:
    """How far :func:`advance_together` got: ``iteration`` of ``total``, and ``reason``
    (None when finished, "budget" or "session ended")."""

    iteration: int
    total: int
    reason: Optional[str] = None
    seconds: float = CPU_SECONDS

    @property
    def cut(self):
        return self.reason is not None

    def sentence(self):
        """What the page says about a cut run (empty when the run finished)."""
        if self.reason == "budget":
            return t("Cut at iteration {iteration:,} of {total:,}: this button press had "
                     "used its {seconds:g} s of computing time, a limit that keeps the shared "
                     "server responsive for everyone. Everything below describes the runs as "
                     "they were at iteration {iteration:,}; fewer iterations finish in full.",
                     iteration=self.iteration, total=self.total, seconds=self.seconds)
        if self.reason == "session ended":
            return t("Abandoned at iteration {iteration:,}: the browser tab was closed.",
                     iteration=self.iteration)
        return ""


def advance_together(trainers, total, budget=None, alive=session_alive, on_chunk=None):
    """Step every trainer to ``total`` iterations in lock-step chunks, or stop early.

    All trainers are always at the same iteration, so a cut comparison stays fair. The
    first chunk always runs, so even a cut run has costs to show.

    Parameters
    ----------
    trainers : list of objects with ``step(k)`` and ``iteration``, all at the same iteration
    total : int
    budget : :class:`Budget`, optional (a fresh one of :data:`CPU_SECONDS` by default)
    alive : callable returning bool, checked before every chunk
    on_chunk : callable(iteration), optional, called after every chunk (a progress label;
        in Streamlit it also lets a newer rerun interrupt this one)

    Returns
    -------
    :class:`Outcome`
    """
    budget = budget or Budget()
    done = min((t.iteration for t in trainers), default=total)
    chunk, first = 8, True
    while done < total:
        if not alive():
            return Outcome(done, total, "session ended", budget.seconds)
        if budget.exhausted() and not first:
            return Outcome(done, total, "budget", budget.seconds)
        first = False
        k = min(chunk, total - done)
        began = budget.clock()
        for trainer in trainers:
            trainer.step(k)
        done += k
        if budget.clock() - began < CHUNK_SECONDS / 2:
            chunk = min(2 * chunk, MAX_CHUNK)
        if on_chunk is not None:
            on_chunk(done)
        turns.share()   # a classmate waiting for a turn gets this one between chunks
    return Outcome(done, total, None, budget.seconds)
