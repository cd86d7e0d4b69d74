"""The server tunes glibc's malloc from inside its process (studio/session/allocator.py)."""
import os
import platform
import subprocess
import sys

import pytest

PROBE = """
import sys
sys.path.insert(0, %r)
from studio.session import allocator
print(sorted(allocator.tune().items()))
"""
VARIABLES = ("MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_")


def run_probe(**given):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES} | given
    done = subprocess.run([sys.executable, "-c", PROBE % root], env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_takes_both_settings_and_an_explicit_variable_wins():
    assert run_probe() == "[('arena_max', True), ('mmap_threshold', True)]"
    assert run_probe(MALLOC_ARENA_MAX="4") == "[('mmap_threshold', True)]"
    assert run_probe(MALLOC_MMAP_THRESHOLD_="131072") == "[('arena_max', True)]"


def test_the_objects_of_imported_modules_leave_the_collectors_passes():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    probe = (f"import gc, sys; sys.path.insert(0, {root!r}); import plotly.graph_objects; "
             "from studio.session import allocator; allocator.freeze_imports(); "
             "print(gc.get_freeze_count())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert int(done.stdout) > 10_000   # plotly alone has tens of thousands
