"""Real-browser check of the ABC lesson, both editions: JupyterLab in headless Chromium, Run All, slider
and chart.

Uses Debian's Chromium driven by Playwright for Python (never a downloaded browser). Skipped, with a
message, where Chromium is not installed. A screenshot is saved to test-artifacts/ for a human to see.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The English lesson and its Chinese twin (issue 12: a zh lesson opens and runs in a real browser).
NOTEBOOKS = [ROOT / "notebooks" / "05_abc_core_customers.ipynb",
             ROOT / "notebooks" / "zh" / "05_abc_core_customers.ipynb"]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium not found: run `apt-get install -y chromium fonts-wqy-microhei` "
               "(as .ci/run does) to enable the real-browser test",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_server(port: int, token: str, proc, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/status",
                                     headers={"Authorization": f"token {token}"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{proc.stdout.read()[-3000:]}")
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise TimeoutError("JupyterLab did not answer /api/status in time")


def _edition(path: Path) -> str:
    return "zh" if path.parent.name == "zh" else "en"


@pytest.fixture(params=NOTEBOOKS, ids=_edition)
def notebook(request) -> Path:
    return request.param


@pytest.fixture
def lab_server(tmp_path, notebook):
    """JupyterLab on 127.0.0.1 serving a *copy* of the lesson, with fresh workspace and settings."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(notebook, root / notebook.name)
    settings = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # JupyterLab 4 renders only the cells in view ("windowing"); render all so the test sees them.
    tracker = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
           f"--LabApp.user_settings_dir={tmp_path / 'settings'}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    # Kernels must use the inline backend, not the Agg backend tests/conftest.py sets for pytest.
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        _wait_for_server(port, token, proc)
        yield f"http://127.0.0.1:{port}/lab/tree/{notebook.name}?token={token}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _code_cell_count(notebook: Path) -> int:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return sum(cell["cell_type"] == "code" for cell in nb["cells"])


def test_abc_lesson_runs_in_jupyterlab_with_slider_and_chart(lab_server, notebook):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(lab_server)
            panel = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
            page.locator(f"{panel} h1").first.wait_for(timeout=60_000)
            status = page.locator("#jp-main-statusbar")
            expect(status).to_contain_text("Idle", timeout=60_000)

            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()

            # Every code cell gets an execution number, then the kernel goes idle again.
            prompts = page.locator(f"{panel} .jp-CodeCell .jp-InputArea-prompt")
            expected = _code_cell_count(notebook)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                texts = prompts.all_inner_texts()
                done = sum(t.strip().startswith("[") and t.strip()[1:-2].isdigit() for t in texts)
                if done >= expected:
                    break
                page.wait_for_timeout(500)
            else:
                pytest.fail(f"only {done} of {expected} code cells ran within 120 s")
            expect(status).to_contain_text("Idle", timeout=60_000)

            errors = page.locator(
                f'{panel} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
            assert errors.count() == 0, f"a cell shows an error: {errors.first.inner_text()[:500]}"

            charts = page.locator(f"{panel} .jp-RenderedImage img")
            assert charts.count() >= 1, "no chart rendered"

            # The cut-off slider and the chart it redraws live in one interact container.
            box = page.locator(f"{panel} .widget-interact", has=page.locator(".widget-slider")).first
            slider = box.locator(".widget-slider").first
            slider.scroll_into_view_if_needed()
            expect(slider).to_be_visible()
            chart = box.locator(".jp-RenderedImage img, img").first
            expect(chart).to_be_visible(timeout=30_000)
            before_src = chart.get_attribute("src")

            # Turning the knob redraws: the readout changes and so does the chart.
            handle = slider.locator(".noUi-handle[role=slider]").first
            readout = slider.locator(".widget-readout").first
            before = readout.inner_text()
            handle.focus()
            for _ in range(5):
                page.keyboard.press("ArrowRight")
            expect(readout).not_to_have_text(before, timeout=10_000)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                img = box.locator(".jp-RenderedImage img, img").first
                if img.count() and img.get_attribute("src") not in (None, before_src):
                    break
                page.wait_for_timeout(300)
            else:
                pytest.fail(f"the chart did not redraw after moving the slider from {before}")
            expect(status).to_contain_text("Idle", timeout=30_000)
            assert errors.count() == 0, f"moving the slider raised: {errors.first.inner_text()[:500]}"
            box.scroll_into_view_if_needed()
        finally:
            page.screenshot(path=str(ARTIFACTS / f"{notebook.stem}-{_edition(notebook)}.png"))
            browser.close()
