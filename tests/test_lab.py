"""`make lab` really serves JupyterLab: start it headless on 127.0.0.1, ask /api/status, stop it."""
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(proc, sig=signal.SIGTERM):
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:  # already gone
        pass


def _status(port: int, token: str | None):
    url = f"http://127.0.0.1:{port}/api/status"
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=2) as response:
        return response.status, response.read().decode()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_serves_jupyterlab(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    args = (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} "
            f"--LabApp.workspaces_dir={tmp_path / 'ws'} --LabApp.user_settings_dir={tmp_path / 'us'}")
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, text=True)
    try:
        deadline, answer = time.monotonic() + 90, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                answer = _status(port, token)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        if answer is None:
            _stop(proc)
            output = proc.communicate(timeout=30)[0]
            pytest.fail(f"JupyterLab did not answer /api/status within 90 s:\n{output[-3000:]}")
        assert answer[0] == 200 and '"started"' in answer[1]
        with pytest.raises(urllib.error.HTTPError) as refused:  # the token is really required
            _status(port, None)
        assert refused.value.code == 403
    finally:
        _stop(proc)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _stop(proc, signal.SIGKILL)
