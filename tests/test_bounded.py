"""Long runs in chunks: stopped by the CPU budget or by the visitor leaving, fairly."""
from studio.session.bounded import Budget, Outcome, advance_together


class Counter:
    """A trainer stand-in: counts iterations; each one costs ``cost`` on the fake clock."""

    def __init__(self, clock, cost=0.001):
        self.iteration, self.clock, self.cost = 0, clock, cost

    def step(self, k):
        self.iteration += k
        self.clock.now += k * self.cost


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_finishes_within_budget():
    clock = FakeClock()
    trainers = [Counter(clock), Counter(clock)]
    outcome = advance_together(trainers, 1000, Budget(10.0, clock), alive=lambda: True)
    assert outcome == Outcome(1000, 1000, None, 10.0)
    assert not outcome.cut and outcome.sentence() == ""
    assert [t.iteration for t in trainers] == [1000, 1000]


def test_the_budget_cuts_every_trainer_at_the_same_iteration():
    clock = FakeClock()
    trainers = [Counter(clock), Counter(clock), Counter(clock)]
    seen = []
    outcome = advance_together(trainers, 100_000, Budget(1.0, clock), alive=lambda: True,
                               on_chunk=seen.append)
    assert outcome.reason == "budget" and outcome.cut
    assert len({t.iteration for t in trainers}) == 1
    assert outcome.iteration == trainers[0].iteration == seen[-1]
    # 3 trainers at 1 ms an iteration: a 1 s budget buys about 333 iterations, and a chunk
    # grows only while it takes under 25 ms, so the overrun is at most one such chunk.
    assert 333 <= outcome.iteration <= 333 + 16
    assert outcome.sentence().startswith(f"Cut at iteration {outcome.iteration:,} of 100,000")
    assert "1 s of computing time" in outcome.sentence()


def test_a_closed_tab_stops_the_work_between_chunks():
    clock = FakeClock()
    trainer = Counter(clock, cost=0.0)
    checks = iter([True, True, True, False])
    outcome = advance_together([trainer], 10**6, Budget(10.0, clock),
                               alive=lambda: next(checks))
    assert outcome.reason == "session ended"
    assert trainer.iteration == 8 + 16 + 32            # three chunks, doubling
    assert "tab was closed" in outcome.sentence()


def test_already_done_and_outside_a_server():
    from studio.session.bounded import session_alive

    clock = FakeClock()
    trainer = Counter(clock)
    trainer.iteration = 50
    assert advance_together([trainer], 50, Budget(1.0, clock)).reason is None
    assert session_alive()  # no Streamlit server here: nobody can leave


def test_long_work_gives_its_turn_to_a_classmate_between_chunks():
    """Issue 24: one student's two tabs each running a long comparison held both of the
    process's turns, and a classmate's page waited until they ended. Between chunks the
    work now shares its turn: the classmate gets one while both tabs still run (before the
    change the tabs, which end only when the classmate is done, never let it in)."""
    import threading
    import time

    from studio.session import turns

    classmate_done = threading.Event()
    clock = FakeClock()

    def tab():
        with turns.turn("ann"):
            advance_together([Counter(clock)], 10**12, Budget(10**9, clock),
                             alive=lambda: not classmate_done.is_set())

    tabs = [threading.Thread(target=tab, daemon=True) for _ in range(2)]
    for thread in tabs:
        thread.start()
    deadline = time.monotonic() + 30   # a hang's deadline, not a speed test
    while turns.holding("ann") < turns.TURNS and time.monotonic() < deadline:
        time.sleep(0.001)
    got = threading.Event()

    def classmate():
        with turns.turn("bea"):
            got.set()
            classmate_done.set()

    visitor = threading.Thread(target=classmate, daemon=True)
    visitor.start()
    visitor.join(30)
    got_in_while_they_ran = got.is_set()
    classmate_done.set()   # (without sharing: the tabs end here, and then it gets in)
    for thread in tabs + [visitor]:
        thread.join(30)
    assert got_in_while_they_ran
    assert turns.free() == turns.TURNS
