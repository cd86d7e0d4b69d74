"""The server asks glibc for at most two malloc arenas (studio/arenas.py)."""
import os
import platform
import subprocess
import sys

import pytest

PROBE = """
import sys
sys.path.insert(0, %r)
from studio import arenas
print(arenas.limit())
"""


def run_probe(env):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", PROBE % root], env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_takes_the_limit_and_an_explicit_setting_wins():
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    assert run_probe(env) == "True"
    assert run_probe(env | {"MALLOC_ARENA_MAX": "4"}) == "False"
