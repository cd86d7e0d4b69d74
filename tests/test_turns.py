"""At most studio.turns.TURNS threads hold a turn at once; the others wait for one."""
import threading
import time

from studio import turns


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


def all_turns_free():
    """True when every turn can be taken right now (then they are given back)."""
    taken = [turns._turns.acquire(timeout=1) for _ in range(turns.TURNS)]
    for ok in taken:
        if ok:
            turns._turns.release()
    return all(taken)


def test_a_turn_is_given_back_when_the_block_raises():
    for _ in range(turns.TURNS + 1):
        try:
            with turns.turn():
                raise RuntimeError("a stopped script run")
        except RuntimeError:
            pass
    assert all_turns_free()


def test_a_turn_taken_again_inside_itself_costs_no_second_turn():
    with turns.turn():
        with turns.turn():   # would wait forever with TURNS threads each doing this
            with turns.turn():
                # Only one turn is held: the others can still be taken by other threads.
                got = [turns._turns.acquire(timeout=1) for _ in range(turns.TURNS - 1)]
                for ok in got:
                    if ok:
                        turns._turns.release()
                assert all(got)
    assert all_turns_free()


def free_turns():
    taken = 0
    while turns._turns.acquire(blocking=False):
        taken += 1
    for _ in range(taken):
        turns._turns.release()
    return taken


def test_pause_gives_the_turn_back_for_its_block_and_takes_one_again():
    with turns.turn():
        with turns.turn():                      # nested: still one turn
            assert free_turns() == turns.TURNS - 1
            with turns.pause():
                assert free_turns() == turns.TURNS   # given back while it sleeps
            assert free_turns() == turns.TURNS - 1   # and taken again after
    assert free_turns() == turns.TURNS
    with turns.pause():                         # outside a turn: just the block
        assert free_turns() == turns.TURNS


def test_taking_turns_runs_the_function_in_a_turn():
    @turns.taking_turns
    def callback(x):
        return x, free_turns()
    assert callback(7) == (7, turns.TURNS - 1)
    assert free_turns() == turns.TURNS
