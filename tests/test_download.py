"""The cat-data downloader against a real HTTP server on 127.0.0.1 serving the real files,
plus broken copies: corrupted, truncated, missing, over-long and stalling."""
import hashlib
import http.server
import json
import socket
import threading
from pathlib import Path

import pytest

from logreg import cli, download
from logreg.data import load_pair

NAMES = ("train_catvnoncat.h5", "test_catvnoncat.h5")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes: /<behaviour>/<file name>; the data and a stall event hang off the server."""

    def log_message(self, *args):
        pass

    def send_body(self, body, length=None):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up on purpose (too long a body)

    def do_GET(self):
        self.server.requests.append(self.path)
        _, behaviour, name = self.path.split("/", 2)
        files = self.server.files
        if name not in files or behaviour == "missing":
            self.send_error(404, "Not Found")
            return
        good = files[name]
        if behaviour == "good":
            self.send_body(good, len(good))
        elif behaviour == "corrupt":
            flipped = bytearray(good)
            flipped[len(flipped) // 2] ^= 0xFF
            self.send_body(bytes(flipped), len(flipped))
        elif behaviour == "truncated":
            self.send_body(good[: len(good) // 2], len(good) // 2)
        elif behaviour == "cutoff":
            # Announces the full size, then the connection ends half way.
            self.send_body(good[: len(good) // 2], len(good))
            self.close_connection = True
        elif behaviour == "long":
            # No Content-Length: the client only finds out by counting.
            self.send_response(200)
            self.end_headers()
            try:
                self.wfile.write(good)
                for _ in range(200):  # up to 12.8 MB more, unless the client hangs up
                    self.wfile.write(b"\0" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif behaviour == "announced-long":
            self.send_body(good + b"\0", len(good) + 1)
        elif behaviour == "stall":
            self.send_response(200)
            self.send_header("Content-Length", str(len(good)))
            self.end_headers()
            self.wfile.write(good[:1000])
            self.wfile.flush()
            self.server.release.wait(10)
        elif behaviour == "slow":
            # Every chunk arrives well within the socket timeout, but the whole takes ages.
            self.send_response(200)
            self.send_header("Content-Length", str(len(good)))
            self.end_headers()
            try:
                for start in range(0, len(good), 1000):
                    self.wfile.write(good[start:start + 1000])
                    self.wfile.flush()
                    if self.server.release.wait(0.05):
                        break
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif behaviour == "garbage":
            self.wfile.write(b"this is not HTTP\r\n\r\n")
            self.close_connection = True
        elif behaviour == "testbroken":
            # A mirror whose train file is fine and whose test file is missing.
            if name.startswith("test_"):
                self.send_error(404, "Not Found")
            else:
                self.send_body(good, len(good))
        else:
            self.send_error(404, "Not Found")


@pytest.fixture(scope="module")
def server(data_dir):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.files = {name: (data_dir / name).read_bytes() for name in NAMES}
    httpd.requests = []
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server):
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def pinned():
    """The pinned file sets of mirrors.json, one per mirror."""
    return [mirror.pin_sets[0] for mirror in download.load_mirrors()[1]]


def mirror(base, behaviour, pins):
    return download.Mirror(f"{base}/{behaviour}/{{name}}", (pins,))


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_clean(dest):
    """Nothing but complete, verified files: no temporary or partial file is left."""
    leftovers = [p.name for p in Path(dest).iterdir() if p.name not in NAMES]
    assert leftovers == []


def assert_verified(dest, data_dir):
    for name in NAMES:
        assert sha256((Path(dest) / name).read_bytes()) == sha256((data_dir / name).read_bytes())


def test_mirror_list_pins_the_issue_digests_and_the_shared_files(data_dir):
    file_names, mirrors = download.load_mirrors()
    assert file_names == NAMES
    assert [m.url for m in mirrors] == [
        "https://raw.githubusercontent.com/Hiren2002/Logistic-Regression/main/datasets/{name}",
        "https://raw.githubusercontent.com/Youngyi/DeepLearning/master/datasets/{name}"]
    first, second = (m.pin_sets[0] for m in mirrors)
    for name in NAMES:
        data = (data_dir / name).read_bytes()
        assert first[name] == download.Pin(len(data), sha256(data))
    assert second["train_catvnoncat.h5"] == download.Pin(
        2572008, "da12e2082423090f6ea4ee6af58b81af055bbcd3db6f03a1ee148e06caa93673")
    assert second["test_catvnoncat.h5"] == download.Pin(
        616958, "5b215139f541f8c3631590b1da4ae4db0ad8f06a8a0ced823eaa186b1311b2f3")
    json.loads(download.MIRRORS_FILE.read_text())  # a plain data file shipped with logreg


def test_good_mirror_gives_verified_loadable_files_with_progress(tmp_path, base, pinned,
                                                                 data_dir):
    seen = []
    result = download.download(tmp_path, [mirror(base, "good", pinned[0])],
                               progress=lambda done, total, name: seen.append((done, total,
                                                                               name)))
    assert result.downloaded == list(NAMES)
    assert result.failures == []
    assert_verified(tmp_path, data_dir)
    assert_clean(tmp_path)
    for name in NAMES:
        final = [s for s in seen if s[2] == name][-1]
        size = (data_dir / name).stat().st_size
        assert final == (size, size, name)
    dataset = load_pair(tmp_path / NAMES[0], tmp_path / NAMES[1])
    assert (dataset.m_train, dataset.m_test, dataset.num_px) == (209, 50, 64)


@pytest.mark.parametrize("behaviour, reason", [
    ("corrupt", "sha256"),
    ("truncated", "got 1,286,011 bytes"),
    ("cutoff", ""),
    ("missing", "HTTP 404"),
    ("long", "larger than the expected 2,572,022 bytes"),
    ("announced-long", "the server announces 2,572,023 bytes"),
    ("garbage", "this is not HTTP"),
])
def test_bad_mirror_is_skipped_and_the_next_one_used(tmp_path, base, pinned, data_dir,
                                                     behaviour, reason):
    mirrors = [mirror(base, behaviour, pinned[0]), mirror(base, "good", pinned[0])]
    result = download.download(tmp_path, mirrors, timeout=5)
    assert result.mirror is mirrors[1]
    [(url, why)] = result.failures
    assert url == f"{base}/{behaviour}/train_catvnoncat.h5"
    assert reason in why
    assert_verified(tmp_path, data_dir)
    assert_clean(tmp_path)


@pytest.mark.parametrize("behaviour", ["corrupt", "truncated", "cutoff", "missing", "long",
                                       "announced-long", "garbage"])
def test_bad_mirror_alone_leaves_nothing_behind(tmp_path, base, pinned, behaviour):
    with pytest.raises(download.DownloadError) as error:
        download.download(tmp_path, [mirror(base, behaviour, pinned[0])], timeout=5)
    message = str(error.value)
    assert message.startswith("could not get a verified copy of the cat data from any mirror")
    assert f"{base}/{behaviour}/train_catvnoncat.h5" in message
    assert message.endswith("the built-in faces dataset still works")
    assert list(tmp_path.iterdir()) == []


def test_stalled_server_times_out_and_the_next_mirror_is_used(tmp_path, base, pinned,
                                                              data_dir):
    mirrors = [mirror(base, "stall", pinned[0]), mirror(base, "good", pinned[0])]
    result = download.download(tmp_path, mirrors, timeout=0.5)
    [(url, why)] = result.failures
    assert url.endswith("/stall/train_catvnoncat.h5")
    assert why == "timed out"
    assert_verified(tmp_path, data_dir)
    assert_clean(tmp_path)


def test_slow_trickle_hits_the_overall_deadline(tmp_path, base, pinned, data_dir):
    mirrors = [mirror(base, "slow", pinned[0]), mirror(base, "good", pinned[0])]
    result = download.download(tmp_path, mirrors, timeout=5, total_timeout=0.5)
    [(url, why)] = result.failures
    assert url.endswith("/slow/train_catvnoncat.h5")
    assert why == "the download took too long"
    assert_clean(tmp_path)


def test_both_files_come_from_one_mirror(tmp_path, base, pinned, data_dir):
    # The first mirror has a good train file but no test file: its train file must not be
    # kept, and the pair comes whole from the second mirror.
    mirrors = [mirror(base, "testbroken", pinned[0]), mirror(base, "good", pinned[0])]
    result = download.download(tmp_path, mirrors)
    assert [url.rsplit("/", 2)[1:] for url, _ in result.failures] == [
        ["testbroken", "test_catvnoncat.h5"]]
    assert result.downloaded == list(NAMES)
    assert_verified(tmp_path, data_dir)
    assert_clean(tmp_path)


def test_a_file_matching_another_mirrors_pins_is_rejected(tmp_path, base, pinned):
    # The shared files are the first mirror's bytes; the second mirror's pins reject them.
    with pytest.raises(download.DownloadError,
                       match="announces 2,572,022 bytes, expected 2,572,008"):
        download.download(tmp_path, [mirror(base, "good", pinned[1])])
    assert list(tmp_path.iterdir()) == []


def test_verified_files_already_present_are_not_fetched_again(tmp_path, base, pinned,
                                                              server, data_dir):
    download.download(tmp_path, [mirror(base, "good", pinned[0])])
    before = len(server.requests)
    result = download.download(tmp_path, [mirror(base, "good", pinned[0])])
    assert result.mirror is None and result.downloaded == []
    assert len(server.requests) == before
    # A damaged local copy is replaced, the good one is kept.
    (tmp_path / NAMES[1]).write_bytes(b"damaged")
    result = download.download(tmp_path, [mirror(base, "good", pinned[0])])
    assert result.downloaded == [NAMES[1]]
    assert server.requests[before:] == [f"/good/{NAMES[1]}"]
    assert_verified(tmp_path, data_dir)


def test_no_network_gives_one_clear_sentence(tmp_path, pinned):
    port = closed_port()
    with pytest.raises(download.DownloadError) as error:
        download.download(tmp_path, [mirror(f"http://127.0.0.1:{port}", "good", pinned[0])],
                          timeout=2)
    assert str(error.value).startswith("could not reach any mirror of the cat data")
    assert str(error.value).endswith("the built-in faces dataset still works")
    assert list(tmp_path.iterdir()) == []


def test_custom_mirror_accepts_any_pinned_pair(base, pinned):
    custom = download.custom_mirror(f"{base}/good/")
    assert custom.url == f"{base}/good/{{name}}"
    assert custom.pin_sets == tuple(pinned)
    with pytest.raises(download.DownloadError, match="http://, https:// or file://"):
        download.custom_mirror("ftp://example.org/data")


def test_cli_download_with_mirror(tmp_path, base, data_dir, capsys):
    dest = tmp_path / "new folder"
    assert cli.main(["data", "download", "--dest", str(dest), "--mirror", f"{base}/good"]) == 0
    out = capsys.readouterr().out
    assert "saved train_catvnoncat.h5 and test_catvnoncat.h5" in out
    assert "(sha256 verified)" in out
    assert_verified(dest, data_dir)
    assert_clean(dest)
    assert cli.main(["data", "download", "--dest", str(dest), "--mirror", f"{base}/good"]) == 0
    assert "already in" in capsys.readouterr().out


def test_cli_download_failure_is_one_error_line(tmp_path, base, capsys):
    code = cli.main(["data", "download", "--dest", str(tmp_path), "--mirror", f"{base}/missing",
                     "--timeout", "5"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: could not get a verified copy of the cat data")
    assert "HTTP 404" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_download_rejects_bad_options(tmp_path, capsys):
    assert cli.main(["data", "download", "--dest", str(tmp_path), "--timeout", "0"]) == 2
    assert "error: --timeout must be above 0" in capsys.readouterr().err
    assert cli.main(["data", "download", "--mirror", "ftp://x/"]) == 2
    assert "error: ftp://x/: a mirror must be" in capsys.readouterr().err


def test_unwritable_destination_is_reported(tmp_path, pinned):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    with pytest.raises(download.DownloadError, match="cannot write to"):
        download.download(blocker / "data", [mirror("http://127.0.0.1:1", "good", pinned[0])])
