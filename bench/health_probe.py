"""Asks a server's ``/_stcore/health`` every EVERY seconds until stopped; prints one line
per question: ``<when it was asked, seconds since the epoch> <seconds the answer took>
<1 if it was 200, else 0>``.

``bench/load_test.py`` runs this as its own process, in its own session: a prober inside
the bench would wait for the bench's interpreter lock (Playwright drives thirty pages
from it), and its slow answers would be its own.

    python bench/health_probe.py http://127.0.0.1:8501 [EVERY]
"""
import sys
import time
import urllib.request


def main(url, every=0.2):
    while True:
        asked, began = time.time(), time.perf_counter()
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as answer:
                ok = answer.status == 200
        except Exception:   # any failure to answer is a failed check, never the probe's end
            ok = False
        try:
            print(f"{asked:.3f} {time.perf_counter() - began:.4f} {int(ok)}", flush=True)
        except BrokenPipeError:   # the bench has gone: so does its probe, quietly
            sys.stderr.close()
            return
        time.sleep(every)


if __name__ == "__main__":
    main(sys.argv[1], *map(float, sys.argv[2:3]))
