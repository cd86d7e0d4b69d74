"""At most studio.session.turns.TURNS threads hold a turn at once; the others wait for one, and one
student holds no more than their share of them while others wait."""
import contextlib
import threading
import time

from studio.session import turns


def test_no_more_than_the_turns_run_at_once_and_all_get_one():
    inside, most, done = 0, 0, []
    lock = threading.Lock()

    def work(i):
        nonlocal inside, most
        with turns.turn():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.02)
            with lock:
                inside -= 1
        done.append(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4 * turns.TURNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(done) == list(range(4 * turns.TURNS))
    assert most == turns.TURNS


def test_a_turn_is_given_back_when_the_block_raises():
    for _ in range(turns.TURNS + 1):
        try:
            with turns.turn():
                raise RuntimeError("a stopped script run")
        except RuntimeError:
            pass
    assert turns.free() == turns.TURNS


def test_a_turn_taken_again_inside_itself_costs_no_second_turn():
    with turns.turn():
        with turns.turn():   # would wait forever with TURNS threads each doing this
            with turns.turn():
                # Only one turn is held: the others can still be taken by other threads.
                assert turns.free() == turns.TURNS - 1
    assert turns.free() == turns.TURNS


def test_pause_gives_the_turn_back_for_its_block_and_takes_one_again():
    with turns.turn():
        with turns.turn():                      # nested: still one turn
            assert turns.free() == turns.TURNS - 1
            with turns.pause():
                assert turns.free() == turns.TURNS   # given back while it sleeps
            assert turns.free() == turns.TURNS - 1   # and taken again after
    assert turns.free() == turns.TURNS
    with turns.pause():                         # outside a turn: just the block
        assert turns.free() == turns.TURNS


def test_taking_turns_runs_the_function_in_a_turn():
    @turns.taking_turns
    def callback(x):
        return x, turns.free()
    assert callback(7) == (7, turns.TURNS - 1)
    assert turns.free() == turns.TURNS


def _until(condition, seconds=30):
    """Wait for another thread to get somewhere (a deadline for a hang, not a speed test)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "a thread never got there"
        time.sleep(0.001)


def _in_a_turn(owner, got, leave, record=None):
    """A thread that takes a turn for ``owner``, says so on ``got``, and gives it back once
    ``leave`` is set; with ``record``, it shares its turn between chunks of work meanwhile,
    and notes how many turns its owner holds after each chunk."""
    def run():
        with turns.turn(owner):
            got.set()
            while not leave.is_set():
                if record is not None:
                    record.append(turns.holding(owner))
                    turns.share()
                else:
                    time.sleep(0.001)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def _let_go(*events):
    """Set ``events`` when the block ends, however it ends: a failed check must not leave
    threads holding turns that every later test would wait for."""
    try:
        yield
    finally:
        for event in events:
            event.set()


def test_a_free_turn_goes_first_to_a_student_holding_none():
    """A student's second tab waits behind a classmate who holds no turn, though it came
    first."""
    leave = [threading.Event() for _ in range(4)]
    got = [threading.Event() for _ in range(4)]
    with _let_go(*leave):
        first = _in_a_turn("ann", got[0], leave[0])
        other = _in_a_turn("carl", got[1], leave[1])
        got[0].wait(30), got[1].wait(30)
        second_tab = _in_a_turn("ann", got[2], leave[2])
        _until(lambda: turns.waiting() == 1)
        classmate = _in_a_turn("bea", got[3], leave[3])
        _until(lambda: turns.waiting() == 2)
        leave[1].set()                      # carl's turn comes free
        got[3].wait(30)
        assert got[3].is_set() and not got[2].is_set()
        assert turns.holding("ann") == 1 and turns.holding("bea") == 1
    for thread in (first, other, second_tab, classmate):
        thread.join(30)
    assert turns.free() == turns.TURNS


def test_long_work_gives_a_turn_to_a_student_holding_none():
    """Issue 24: two tabs of one student doing long work held both turns, and everybody
    else's page waited for them. Working between chunks with share(), the student keeps
    one turn while another student waits or works, and both again once nobody waits."""
    leave, record = threading.Event(), []
    got = [threading.Event(), threading.Event()]
    visitor_in, visitor_leaves = threading.Event(), threading.Event()
    with _let_go(leave, visitor_leaves):
        tabs = [_in_a_turn("ann", got[i], leave, record) for i in (0, 1)]
        got[0].wait(30), got[1].wait(30)
        assert turns.holding("ann") == turns.TURNS
        visitor = _in_a_turn("bea", visitor_in, visitor_leaves)
        assert visitor_in.wait(30), "the visitor never got a turn"
        record.clear()
        _until(lambda: len(record) >= 50)
        # One turn for ann while bea holds the other. (Each tab may append one count it
        # read before the turn went to bea: the first two are left out.)
        assert max(record[2:]) == 1
        visitor_leaves.set()
        visitor.join(30)
        _until(lambda: turns.holding("ann") == turns.TURNS)   # nobody waits: both again
    for tab in tabs:
        tab.join(30)
    assert turns.free() == turns.TURNS


def test_sharing_outside_a_turn_or_with_nobody_waiting_does_nothing():
    assert turns.share() is False
    with turns.turn("ann"):
        assert turns.share() is False
        assert turns.holding("ann") == 1


def test_a_students_tabs_are_one_owner_and_a_session_without_a_token_its_own():
    """The owner of a script run's turn: the browser's token its session keeps (so every
    tab of one browser is one student), else the session."""
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from studio.session import state, turns
        if st.session_state.get("with_token"):
            st.session_state[state.BROWSER] = "b" * 32
        st.text(repr(turns._owner()))

    at = AppTest.from_function(script).run()
    kind, who = eval(at.text[0].value)
    assert kind == "session" and who
    at.session_state["with_token"] = True
    at.run()
    assert eval(at.text[0].value) == ("browser", "b" * 32)
    assert turns._owner()[0] == "thread"   # outside a script run: this thread


def test_the_server_multiplies_on_one_blas_thread():
    """Importing studio (what app.py does first) leaves numpy's BLAS one thread: a second
    one spun while it waited and doubled a Train click's server CPU. In a fresh
    interpreter, as a server starts: a limit set before numpy loads its BLAS limits
    nothing."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    found = subprocess.run(
        [sys.executable, "-c", "import studio, json\n"
         "from threadpoolctl import threadpool_info\n"
         "print(json.dumps([p['num_threads'] for p in threadpool_info() "
         "if p['user_api'] == 'blas']))"],
        cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, check=True)
    threads = json.loads(found.stdout)
    assert threads and set(threads) == {1}, threads
