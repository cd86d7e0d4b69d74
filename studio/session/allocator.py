"""How glibc's malloc keeps the server's freed memory, set from inside the process.

Two settings, each measured with ``bench/load_test.py`` (thirty sessions training at once):

- **At most two arenas.** glibc gives threads that allocate at the same time arenas of
  their own (up to eight per core) and keeps each arena's freed memory for reuse by its
  own threads. Streamlit runs every script run on a new thread, so a class's training
  runs left their transient blocks spread over many arenas that each held on to their
  peak: 29 MiB of RSS per trained session as is, 19 MiB with two arenas.
- **Blocks of 512 KiB and more are mapped, and unmapped when freed.** glibc starts out
  doing that from 128 KiB, but each time such a block is freed it raises the threshold to
  the block's size (up to 32 MiB), so the 20 MB matrices of a scaling, and then every
  figure's JSON, protobuf and frame of weights, came from the heap, which kept their peak:
  still 15-19 MiB per trained session, and 174 MiB for a server that had served one
  session. With the threshold fixed: 4.3 MiB per trained session and 113 MiB. Mapping a
  fresh block costs its page faults: a Train click took about 5 % more CPU.

``mallopt`` sets what ``MALLOC_ARENA_MAX`` and ``MALLOC_MMAP_THRESHOLD_`` would set for a
whole launch, so every way of starting the app gets it; either variable, when given, is
left as it is.

And what Python's collector scans: :func:`freeze_imports`.
"""
import ctypes
import gc
import os

# mallopt's parameters (glibc's malloc.h), our value, and the variable that overrides it.
SETTINGS = {"arena_max": (-8, 2, "MALLOC_ARENA_MAX"),
            "mmap_threshold": (-3, 512 * 1024, "MALLOC_MMAP_THRESHOLD_")}


def tune():
    """Apply :data:`SETTINGS` not given in the environment; {name: True when glibc agreed}
    ({} elsewhere than glibc: nothing to tune)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt   # the C library this process already runs on
    except (OSError, AttributeError):   # not glibc (musl, macOS)
        return {}
    return {name: mallopt(parameter, value) == 1
            for name, (parameter, value, variable) in SETTINGS.items()
            if not os.environ.get(variable)}


def freeze_imports():
    """Leave every object that exists now out of the collector's later passes.

    Called when studio.frame.shell is first imported, after Streamlit, plotly, numpy and h5py:
    their objects (about 87,000) live as long as the process, yet each full collection
    walked them all again, holding
    the interpreter lock; with thirty trained sessions a full pass walked some 160,000
    objects and took up to 0.4 s, while the server answered nobody. (No collection first:
    it would cost the first visitor 40 ms, and an import leaves little garbage to keep.)
    """
    gc.freeze()
