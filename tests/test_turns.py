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


def test_a_turn_is_given_back_when_the_block_raises():
    for _ in range(turns.TURNS + 1):
        try:
            with turns.turn():
                raise RuntimeError("a stopped script run")
        except RuntimeError:
            pass
    with turns.turn():   # would wait forever had a turn been lost
        pass
