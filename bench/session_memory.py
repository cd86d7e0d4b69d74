"""Memory one browser session costs the server, measured with tracemalloc over AppTest sessions.

AppTest runs the real pages in this process, so Python's own allocations for a session
(its session state, what its pages keep, what caches hand it) can be counted exactly:
open one warm-up session (it fills the shared caches), then K idle sessions (the Train page
opened, nothing pressed) and K trained sessions (Train with the course's settings at full
speed), all kept alive, and divide the growth by K. The biggest allocation sites are
printed so a regression says where it comes from. RSS (what the operating system sees,
allocator slack included) is what ``bench/load_test.py`` measures on a real server.

    LOGREG_DATA_DIR=/path/to/cat/data python bench/session_memory.py [--sessions 4]
"""
import argparse
import gc
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from app_support import button, new_app, train_with_ui  # noqa: E402


def open_train(speed=None):
    at = new_app()
    at.switch_page("pages/train.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if speed:
        at.selectbox(key="train_speed").set_value(speed).run()
    return at


def train(at):
    run = train_with_ui(at)
    assert not at.exception, [e.value for e in at.exception]
    return run


def traced():
    gc.collect()
    return tracemalloc.take_snapshot()


def growth(before, after, label, count, top):
    stats = after.compare_to(before, "filename")
    total = sum(stat.size_diff for stat in stats)
    print(f"{label}: {total / count / 2**20:.2f} MiB per session "
          f"({total / 2**20:.1f} MiB for {count})")
    for stat in sorted(after.compare_to(before, "lineno"), key=lambda s: -s.size_diff)[:top]:
        frame = stat.traceback[0]
        print(f"    {stat.size_diff / count / 2**10:8.0f} KiB  "
              f"{Path(frame.filename).name}:{frame.lineno}")
    return total / count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--top", type=int, default=8, help="allocation sites to list")
    args = parser.parse_args(argv)

    tracemalloc.start(1)
    warm = open_train("full speed")
    train(warm)
    baseline = traced()

    idle = [open_train() for _ in range(args.sessions)]
    after_idle = traced()
    growth(baseline, after_idle, "idle session (Train page opened)", args.sessions, args.top)

    trained = []
    for _ in range(args.sessions):
        at = open_train("full speed")
        run = train(at)
        trained.append(at)
    after_trained = traced()
    growth(after_idle, after_trained, "trained session (course settings)", args.sessions,
           args.top)
    text = " ".join(str(m.value) for m in trained[-1].markdown)
    print("course numbers:", "train accuracy: 99.04306220095694 %" in text
          and "test accuracy: 70.0 %" in text, f"({run.trainer.iteration} iterations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
