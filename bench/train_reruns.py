"""Script runs per Train-page run at "watch it learn", before and after (not a CI test).

Starts a server for the working tree ("after") and one for another git revision
("before", its files from ``git archive``, as ``bench/ab_latency.py`` does), on the
course's cat data (``LOGREG_DATA_DIR``), and in a fresh session on each presses Train with
the defaults (2,000 iterations) and waits for the results. It counts the requests to run
the script (the whole page or a fragment of it) that the browser sent over the WebSocket
from the click until the page has been idle for a second: each message decoded as
Streamlit's ``BackMsg``, counted when it is a ``rerun_script``. The click itself is one.

    python bench/train_reruns.py --against main [--tries 3]
"""
import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402

from ab_latency import before_and_after  # noqa: E402
from driver import open_page, wait_idle  # noqa: E402

WAIT_MS = 240_000


def reruns(payloads):
    """How many of the browser's WebSocket messages asked for a script run."""
    count = 0
    for payload in payloads:
        message = BackMsg()
        message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
        count += message.WhichOneof("type") == "rerun_script"
    return count


def one_run(browser, server):
    """The script runs a Train press at the default speed asked for, to its results."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    try:
        open_page(page, server.url, "train")
        wait_idle(page)
        sent.clear()
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("train accuracy: 99.04306220095694 %").first.wait_for()
        wait_idle(page, settle=1.0)
        return reruns(sent)
    finally:
        context.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the git revision before the change")
    parser.add_argument("--tries", type=int, default=3)
    args = parser.parse_args(argv)
    data = Path(os.environ["LOGREG_DATA_DIR"])
    counts = {0: [], 1: []}
    with before_and_after(parser, args.against, data) as (browser, servers):
        for i in range(args.tries):
            for v in ((0, 1) if i % 2 == 0 else (1, 0)):
                counts[v].append(one_run(browser, servers[v]))
    for v, name in ((0, f"before ({args.against})"), (1, "after (the working tree)")):
        print(f"{name}: script runs per run {counts[v]}, median "
              f"{statistics.median(counts[v]):g}; load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
