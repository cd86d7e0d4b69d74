"""Turns for script runs: at most :data:`TURNS` at once per process do their work.

Thirty students pressing **Train** in the same second start thirty script runs that each
build the results and the run inspector (about 0.3 s of Python, most of it plotly). All
at once they share the interpreter lock with the server's event loop, which then took
7–10 s to answer ``/_stcore/health`` (``bench/load_test.py``). A run waiting for its turn
sleeps, so the runs in their turn and the event loop share the processor between them:
results come out in turn, and the server keeps answering.

``app.py`` runs every page in a turn. What runs outside it takes its own where it works
(:func:`taking_turns`): button callbacks, which Streamlit runs before the script, and
fragments that rerun alone (a live chart's ticks, the run inspector). A turn is per
thread and may be taken again inside itself.

Sleeping or waiting for the network inside a turn would hold up everybody: :func:`pause`
gives the turn back for that while (never inside a lock: the turn is waited for again).
A run waiting for a turn cannot be stopped until it gets one, so keep turns short: no
waiting for the browser inside one.
"""
import contextlib
import functools
import threading

TURNS = 2   # one per core of the machines we measured; numpy's BLAS takes the rest

_turns = threading.BoundedSemaphore(TURNS)
_held = threading.local()   # how deep this thread is in its turn


@contextlib.contextmanager
def turn():
    """Hold one of the process's turns for the block (wait, sleeping, until one is free);
    inside a turn this thread already holds, just go on."""
    depth = getattr(_held, "depth", 0)
    if depth == 0:
        _turns.acquire()
    _held.depth = depth + 1
    try:
        yield
    finally:
        _held.depth = depth
        if depth == 0:
            _turns.release()


def taking_turns(function):
    """``function`` that runs in a turn, for work that may run outside app.py's."""
    @functools.wraps(function)
    def in_a_turn(*args, **kwargs):
        with turn():
            return function(*args, **kwargs)
    return in_a_turn


@contextlib.contextmanager
def pause():
    """Give this thread's turn back for the block (to sleep or wait for the network), and
    wait for one again after it; outside a turn, just run the block."""
    depth = getattr(_held, "depth", 0)
    if depth:
        _held.depth = 0
        _turns.release()
    try:
        yield
    finally:
        if depth:
            _turns.acquire()
            _held.depth = depth
