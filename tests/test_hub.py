"""The JupyterHub path, for real: JupyterHub (PyPI) behind configurable-http-proxy (npm), the
SimpleLocalProcessSpawner and a dummy authenticator, on 127.0.0.1 only. Two students log in, click
the nbgitpuller link of lesson 01 for a local git repository of the kit, and Run All in headless
Chromium: no error output, and each has their own copy.

The hub environment is a venv cached under ~/.cache/crmkit-hub (jupyterhub + nbgitpuller from the
package index, crmkit's wheel installed --no-deps as on a hub image, everything else borrowed from
this .venv); the proxy is installed with npm into the same cache. Skipped with a message where
node/npm or Chromium is missing (`.ci/run` installs them).
"""
from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON = "notebooks/01_customer_types.ipynb"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NPM = shutil.which("npm")
HUB_PINS = ["jupyterhub==6.1.1", "nbgitpuller==1.3.0"]
CHP_VERSION = "5.3.0"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "crmkit-hub"
SPEC = importlib.util.spec_from_file_location("course", ROOT / "tools" / "course.py")
course = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(course)

pytestmark = [
    pytest.mark.slow, pytest.mark.browser,
    # UNFINISHED (issue 10): the hub starts, students log in, but after the nbgitpuller link the
    # lesson's notebook panel did not appear within 180 s in the one run so far. Opt in to debug.
    pytest.mark.skipif(os.environ.get("CRMKIT_HUB_TEST") != "1",
                       reason="JupyterHub end-to-end test unfinished; set CRMKIT_HUB_TEST=1 to run it"),
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium not found: `apt-get install -y chromium` "
                                                "(as .ci/run does) to enable the JupyterHub test"),
    pytest.mark.skipif(NPM is None or shutil.which("node") is None,
                       reason="node/npm not found: `apt-get install -y nodejs npm` (as .ci/run does) "
                              "to enable the JupyterHub test"),
]


def _run(cmd, **kw):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=900, **kw)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _hub_env() -> Path:
    """The cached hub venv (created once); returns its bin folder."""
    venv = CACHE / "venv"
    if not (venv / ".ready").exists():
        shutil.rmtree(venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", venv])
        _run([venv / "bin" / "python", "-m", "pip", "install", "-q", *HUB_PINS])
        site = Path(_run([venv / "bin" / "python", "-c",
                          "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
        (site / "zz_borrow_dev_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        (venv / ".ready").write_text("\n".join(HUB_PINS) + "\n")
    return venv / "bin"


def _proxy() -> Path:
    prefix = CACHE / f"chp-{CHP_VERSION}"
    binary = prefix / "node_modules" / ".bin" / "configurable-http-proxy"
    if not binary.exists():
        _run([NPM, "install", "--silent", "--no-audit", "--no-fund", "--prefix", prefix,
              f"configurable-http-proxy@{CHP_VERSION}"])
    return binary


def _kit_repository(tmp_path: Path) -> Path:
    """A local git repository holding the kit's lessons (what students pull)."""
    repo = tmp_path / "crmkit-course"
    (repo / "notebooks").mkdir(parents=True)
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, repo / "notebooks")
    git = ["git", "-C", repo, "-c", "user.name=crmkit", "-c", "user.email=crmkit@example.invalid"]
    _run(["git", "init", "-q", "-b", "main", repo])
    _run([*git, "add", "."])
    _run([*git, "commit", "-q", "-m", "kit"])
    return repo


def _wait_http(url: str, proc, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited early:\n{proc.stdout.read()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in time")


@pytest.fixture
def hub(tmp_path):
    bin_dir = _hub_env()
    python = bin_dir / "python"
    wheel_dir = tmp_path / "wheel"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheel_dir, ROOT])
    _run([python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
          *wheel_dir.glob("crmkit-*.whl")])
    proxy = _proxy()
    port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    settings = tmp_path / "lab-settings" / "@jupyterlab"
    (settings / "apputils-extension").mkdir(parents=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"}))
    args = [f"--LabApp.user_settings_dir={tmp_path / 'lab-settings'}"]
    if os.geteuid() == 0:
        args.append("--allow-root")
    config = tmp_path / "jupyterhub_config.py"
    config.write_text(f"""
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{str(proxy)!r}]
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(tmp_path / 'home' / '{username}')!r}
c.Spawner.cmd = [{str(bin_dir / 'jupyterhub-singleuser')!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {{"PATH": {f"{bin_dir}:/usr/bin:/bin"!r}}}
c.JupyterHub.db_url = "sqlite:///{tmp_path / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(tmp_path / 'cookie_secret')!r}
c.JupyterHub.pid_file = {str(tmp_path / 'hub.pid')!r}
""")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MPLBACKEND"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["CONFIGPROXY_AUTH_TOKEN"] = secrets.token_hex(16)
    proc = subprocess.Popen([bin_dir / "jupyterhub", "-f", config], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        _wait_http(f"http://127.0.0.1:{port}/hub/login", proc)
        yield f"http://127.0.0.1:{port}", tmp_path / "home", proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        # The single-user servers are stopped by the hub on SIGTERM (cleanup_servers).


def _code_cells(path: Path) -> int:
    return sum(c["cell_type"] == "code" for c in json.loads(path.read_text(encoding="utf-8"))["cells"])


def _student_runs_lesson(browser, link: str, base: str, user: str, expected: int) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{base}/hub/login")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", "any")
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_url("**/user/**", timeout=180_000)
        page.goto(link)  # nbgitpuller: clone into the student's home, then open the lesson
        panel = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
        page.locator(f"{panel} h1").first.wait_for(timeout=180_000)
        status = page.locator("#jp-main-statusbar")
        expect(status).to_contain_text("Idle", timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        prompts = page.locator(f"{panel} .jp-CodeCell .jp-InputArea-prompt")
        deadline = time.monotonic() + 240
        done = 0
        while time.monotonic() < deadline:
            done = sum(t.strip().startswith("[") and t.strip()[1:-2].isdigit()
                       for t in prompts.all_inner_texts())
            if done >= expected:
                break
            page.wait_for_timeout(500)
        else:
            pytest.fail(f"{user}: only {done} of {expected} code cells ran within 240 s")
        expect(status).to_contain_text("Idle", timeout=120_000)
        errors = page.locator(f'{panel} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        tracebacks = page.locator(f"{panel} .jp-OutputArea-output .ansi-red-fg, {panel} .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
        assert errors.count() == 0, f"{user}: a cell shows an error: {errors.first.inner_text()[:500]}"
        assert tracebacks.count() == 0, f"{user}: a cell shows a traceback"
        assert page.locator(f"{panel} .jp-RenderedImage img").count() >= 1, f"{user}: no chart"
        page.keyboard.press("Control+s")
        page.wait_for_timeout(1500)
    finally:
        context.close()


def test_two_students_pull_and_run_lesson_01_on_a_hub(hub, tmp_path):
    from playwright.sync_api import sync_playwright

    base, homes, proc = hub
    repo = _kit_repository(tmp_path)
    link = course.pull_link(base, f"file://{repo}", LESSON)
    expected = _code_cells(ROOT / LESSON)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        try:
            for user in ("student1", "student2"):
                _student_runs_lesson(browser, link, base, user, expected)
        finally:
            browser.close()
    copies = [homes / user / "crmkit-course" / LESSON for user in ("student1", "student2")]
    for copy in copies:
        assert copy.exists(), f"{copy} was not pulled"
        assert (copy.parent.parent / ".git").is_dir()
    assert copies[0].resolve() != copies[1].resolve()
    # Saved after Run All: each copy holds that student's outputs; the repository is untouched.
    for copy in copies:
        cells = json.loads(copy.read_text(encoding="utf-8"))["cells"]
        assert any(c.get("outputs") for c in cells if c["cell_type"] == "code"), f"{copy} has no outputs"
    assert not any(c.get("outputs") for c in json.loads((repo / LESSON).read_text())["cells"]
                   if c["cell_type"] == "code")

