"""Turns for script runs: at most :data:`TURNS` at once per process do their work, and one
student cannot hold more than their share of them while others wait.

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

**Fair shares.** A turn is held for an *owner*: the browser (its saved-work cookie, so a
student's tabs are one owner), else the session. A free turn goes to the waiting run
whose owner holds the fewest turns, first come first served among equals. Long work calls
:func:`share` between its chunks: when someone waits whose owner holds fewer turns than
this run's, the turn goes to them and this run queues again. So two tabs of one student
doing their heaviest work hold one turn between them while anybody else waits, and with
more work than turns the turns go round, a chunk at a time (issue 24: two tabs changing
the landscape's seed held both turns for seconds, and a new visitor's page waited 8–16 s).

Sleeping or waiting for the network inside a turn would hold up everybody: :func:`pause`
gives the turn back for that while. Never wait for a turn (:func:`pause`, :func:`share`)
while holding a lock, such as a cached function's while it computes: the turn may go to
a run that waits for that lock. A run waiting for a turn cannot be stopped until it gets
one, so keep turns short: no waiting for the browser inside one.
"""
import collections
import contextlib
import functools
import threading

TURNS = 2   # one per core of the machines we measured; numpy's BLAS takes the rest

_lock = threading.Lock()
_free = TURNS
_held = collections.Counter()   # owner -> turns its runs hold now
_queue = []                     # [owner, event] of the runs waiting, in order of arrival
_thread = threading.local()     # this thread's depth in its turn and the turn's owner


def _owner():
    """Who the current script run works for: ``("browser", token)``, the token the
    session keeps (``studio/frame/saved.py``) or else its cookie's, when well formed; else
    ``("session", id)``; outside a server, ``("thread", id)``."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return ("thread", threading.get_ident())
    try:
        import streamlit as st

        from . import state, store
        token = st.session_state.get(state.BROWSER) or st.context.cookies.get(store.COOKIE)
        if store.valid_token(token):
            return ("browser", token)
    except Exception:   # no runtime (AppTest) or no client: the session is the owner
        pass
    return ("session", ctx.session_id)


def _take(owner):
    """Wait (sleeping) until a turn is handed to ``owner``."""
    global _free
    with _lock:
        if _free and not _queue:
            _free -= 1
            _held[owner] += 1
            return
        waiter = [owner, threading.Event()]
        _queue.append(waiter)
    waiter[1].wait()   # the run that gave the turn up counted it as this owner's


def _give(owner):
    """Give ``owner``'s turn to the waiting run whose owner holds the fewest turns."""
    global _free
    with _lock:
        _held[owner] -= 1
        if _held[owner] <= 0:
            del _held[owner]
        if not _queue:
            _free += 1
            return
        chosen = min(range(len(_queue)), key=lambda i: (_held[_queue[i][0]], i))
        next_owner, event = _queue.pop(chosen)
        _held[next_owner] += 1
        event.set()


@contextlib.contextmanager
def turn(owner=None):
    """Hold one of the process's turns for the block (wait, sleeping, until one is given);
    inside a turn this thread already holds, just go on. ``owner``: see :func:`_owner`."""
    depth = getattr(_thread, "depth", 0)
    if depth == 0:
        _thread.owner = _owner() if owner is None else owner
        _take(_thread.owner)
    _thread.depth = depth + 1
    try:
        yield
    finally:
        _thread.depth = depth
        if depth == 0:
            _give(_thread.owner)


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
    depth = getattr(_thread, "depth", 0)
    if depth:
        _thread.depth = 0
        _give(_thread.owner)
    try:
        yield
    finally:
        if depth:
            _take(_thread.owner)
            _thread.depth = depth


def share():
    """Between two chunks of long work: if a run waits whose owner holds fewer turns than
    this one's, give it the turn and wait for one again. Returns whether it did. Cheap
    when nobody waits; outside a turn, does nothing."""
    if not getattr(_thread, "depth", 0):
        return False
    owner = _thread.owner
    with _lock:
        mine = _held[owner]
        if not any(_held[other] < mine for other, _ in _queue):
            return False
    with pause():
        pass
    return True


def free():
    """How many turns nobody holds right now."""
    with _lock:
        return _free


def waiting():
    """How many runs wait for a turn right now."""
    with _lock:
        return len(_queue)


def holding(owner):
    """How many turns ``owner``'s runs hold right now."""
    with _lock:
        return _held[owner]
