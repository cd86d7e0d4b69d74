"""Reading a file a user hands us: regular files only, never more than a budget.

A path on the command line can name anything: a folder, a named pipe (reading it blocks
until someone writes), a device such as /dev/zero (reading it never ends). Each is refused
from its metadata before a byte is read, and no source is read past ``max_bytes``.
"""
import os
import stat

MEGABYTE = 1024 * 1024


def read_limited(source, label, max_bytes, error):
    """The content of bytes, a path or a binary file object, refused above ``max_bytes``.

    Parameters
    ----------
    source : bytes, path or binary file object
    label : str
        How the file is named in error messages.
    max_bytes : int
    error : type of Exception
        Raised with one sentence starting with ``label``.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        content = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        content = _read_path(source, label, max_bytes, error)
    else:
        content = source.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise error(f"{label}: the file is more than the limit of {_megabytes(max_bytes)}")
    return content


def _read_path(path, label, max_bytes, error):
    try:
        _check_kind(os.stat(path), label, max_bytes, error)
        # O_NONBLOCK: if the path was swapped for a named pipe after the check above,
        # opening it must not wait for a writer; fstat below then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as file:
            _check_kind(os.fstat(file.fileno()), label, max_bytes, error)
            return file.read(max_bytes + 1)
    except FileNotFoundError:
        raise error(f"{label}: file not found") from None
    except OSError as exc:
        raise error(f"{label}: cannot read ({exc.strerror or exc})") from None


def _check_kind(status, label, max_bytes, error):
    mode = status.st_mode
    if stat.S_ISDIR(mode):
        raise error(f"{label}: this is a folder, not a file")
    if not stat.S_ISREG(mode):
        kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a special file")
        raise error(f"{label}: not a regular file (it is {kind}), so it is not read")
    if status.st_size > max_bytes:
        raise error(f"{label}: the file is {status.st_size / MEGABYTE:.1f} MB, more than the "
                    f"limit of {_megabytes(max_bytes)}")


def _megabytes(count):
    return f"{count / MEGABYTE:g} MB"
