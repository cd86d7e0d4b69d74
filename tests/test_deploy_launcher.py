"""deploy/classroom.sh refuses bad arguments and a machine without nginx or openssl with one
clear line, before it starts anything (the whole launch is tests/browser/test_deploy.py)."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "deploy" / "classroom.sh"
USAGE = ("usage: deploy/classroom.sh --replicas N --port P [--tls [--cert FILE --key FILE]] "
         "[--class]")


def run(*args, **env):
    environment = {**os.environ, "PYTHON": sys.executable, **env}
    return subprocess.run(["bash", str(LAUNCHER), *args], capture_output=True, text=True,
                          env=environment, timeout=60)


@pytest.mark.parametrize("args, message", [
    ((), "--replicas is required"),
    (("--replicas", "2"), "--port is required"),
    (("--port", "8080"), "--replicas is required"),
    (("--replicas", "0", "--port", "8080"), "--replicas must be a whole number from 1 to 32, not '0'"),
    (("--replicas", "two", "--port", "8080"), "not 'two'"),
    (("--replicas", "33", "--port", "8080"), "not '33'"),
    (("--replicas", "-1", "--port", "8080"), "not '-1'"),
    (("--replicas", "2", "--port", "0"), "--port must be a port number from 1 to 65535, not '0'"),
    (("--replicas", "2", "--port", "65536"), "not '65536'"),
    (("--replicas", "2", "--port", "80x"), "not '80x'"),
    (("--replicas", "2", "--port"), "--port needs a value"),
    (("--replicas", "2", "--port", "8080", "--workers", "3"), "unknown argument '--workers'"),
    (("--replicas", "2", "--port", "8080", "--cert", "c.pem", "--key", "k.pem"),
     "--cert and --key go with --tls"),
    (("--replicas", "2", "--port", "8080", "--tls", "--cert", "/no/such/cert.pem",
      "--key", "/no/such/key.pem"), "--cert: cannot read the file '/no/such/cert.pem'"),
    (("--replicas", "2", "--port", "8080", "--tls", "--key", "k.pem"), "--key needs --cert too"),
])
def test_bad_arguments_get_one_line_and_the_usage(args, message):
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("classroom.sh: "), result.stderr
    assert message in lines[0]
    assert lines[1] == USAGE
    assert result.stdout == ""


def test_help_prints_the_usage():
    result = run("--help")
    assert result.returncode == 0 and result.stdout.strip() == USAGE


def test_a_data_dir_that_is_not_a_folder_is_named(tmp_path):
    result = run("--replicas", "1", "--port", "8080", LOGREG_DATA_DIR=str(tmp_path / "nope"))
    assert result.returncode == 2
    assert f"LOGREG_DATA_DIR is '{tmp_path / 'nope'}', which is not a folder" in result.stderr


def test_missing_nginx_says_how_to_install_it():
    result = run("--replicas", "1", "--port", "8080", NGINX="/no/such/nginx")
    assert result.returncode == 1
    assert result.stderr.strip() == ("classroom.sh: nginx is not installed (/no/such/nginx not "
                                     "found): sudo apt-get install nginx")


def test_missing_openssl_matters_only_for_a_generated_certificate(tmp_path):
    result = run("--replicas", "1", "--port", "8080", "--tls", OPENSSL="/no/such/openssl")
    assert result.returncode == 1
    assert "sudo apt-get install openssl" in result.stderr
    # With a certificate given, openssl is not needed: the launcher goes on to the port check.
    (tmp_path / "c.pem").write_text("x")
    (tmp_path / "k.pem").write_text("x")
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("--replicas", "1", "--port", str(port), "--tls", "--cert",
                     str(tmp_path / "c.pem"), "--key", str(tmp_path / "k.pem"),
                     OPENSSL="/no/such/openssl")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"classroom.sh: port {port} is already in use (or needs "
                                     "root): choose another --port")
