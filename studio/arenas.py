"""At most two malloc arenas for the server process (glibc), set from inside it.

glibc gives threads that allocate at the same time arenas of their own (up to eight per
core) and keeps each arena's freed memory for reuse by its own threads. Streamlit runs
every script run on a new thread, so a class's training runs leave their transient blocks
(gradient steps, figures) spread over many arenas that each hold on to their peak:
``bench/load_test.py`` measured 29 MiB of RSS per trained session as is and 19 MiB with
``MALLOC_ARENA_MAX=2``. ``mallopt`` sets the same limit from inside the process, so every
way of starting the app gets it (an explicit ``MALLOC_ARENA_MAX`` is left as it is).
"""
import ctypes
import os

M_ARENA_MAX = -8   # from glibc's malloc.h
ARENAS = 2


def limit(arenas=ARENAS):
    """Ask glibc for at most ``arenas`` arenas; True when it agreed (False elsewhere)."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt   # the C library this process already runs on
    except (OSError, AttributeError):   # not glibc (musl, macOS): nothing to tune
        return False
    return mallopt(M_ARENA_MAX, arenas) == 1
