"""The JupyterHub path, for real: JupyterHub (PyPI) behind configurable-http-proxy (npm), the
SimpleLocalProcessSpawner and a dummy authenticator, on 127.0.0.1 only. Two students log in at the
same time, click the nbgitpuller link of lesson 01 for a local git repository of the kit, and Run All
in headless Chromium: no error output (stderr, traceback), a chart, and each has their own copy
(student1 puts a file into their copy; student2's server must answer 404 for it).

The hub environment is a venv cached under ~/.cache/crmkit-hub/venv-<key>, the key hashing what goes
into it (jupyterhub + nbgitpuller pins, JupyterLab and crmkit's dependencies, constraints.txt), so the
first run installs it (~3 min) and later runs reuse it; the proxy is installed with npm into the same
cache. Each run installs this checkout's crmkit wheel --no-deps into the run's temporary folder, put
on the single-user servers' PYTHONPATH, as on a hub image. Skipped with a message where node/npm or
Chromium is missing (`.ci/run` installs them) or the installs fail. The hub's log (and the single-user
servers', which inherit it) goes to <tmp>/hub.log; a failing step leaves a screenshot next to it.
"""
from __future__ import annotations

import asyncio
import fcntl
import hashlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
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


def _install(cmd, what: str) -> None:
    """Run an install step; a registry that cannot be reached skips the test (with the reason)."""
    try:
        result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        pytest.skip(f"installing {what} for the JupyterHub test timed out")
    if result.returncode != 0:
        pytest.skip(f"installing {what} for the JupyterHub test failed:\n{result.stderr[-1500:]}")


def _free_ports(n: int) -> list[int]:
    """``n`` distinct free ports on 127.0.0.1 (all held open while picking, so none repeats)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


def _hub_requirements() -> list[str]:
    """What a hub image holds: the hub pins, a JupyterLab and crmkit's runtime dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # setuptools >= 70.1 builds crmkit's wheel without an isolated build env (~10 s saved a run).
    return [*HUB_PINS, *project["optional-dependencies"]["lab"], *project["dependencies"],
            "setuptools>=70.1"]


def _hub_env() -> Path:
    """The cached hub venv, keyed by what goes into it (created once); returns its bin folder.

    It is self-contained (its own jupyterlab, ipykernel, ipywidgets and crmkit's dependencies, pinned
    by constraints.txt) so it does not depend on which checkout's .venv built it; crmkit itself is
    not in it (each run puts this checkout's wheel on the single-user servers' PYTHONPATH).
    """
    requirements = _hub_requirements()
    constraints = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    key = hashlib.sha256("\n".join([sys.version, *requirements, constraints]).encode()).hexdigest()[:12]
    venv = CACHE / f"venv-{key}"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / "lock", "w") as lock:  # two checkouts testing at once build it once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / ".ready").exists():
            shutil.rmtree(venv, ignore_errors=True)
            _run([sys.executable, "-m", "venv", venv])
            _install([venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
                      "-c", ROOT / "constraints.txt", *requirements], "JupyterHub, nbgitpuller and JupyterLab")
            (venv / ".ready").write_text("\n".join(requirements) + "\n")
    return venv / "bin"


def _proxy() -> Path:
    prefix = CACHE / f"chp-{CHP_VERSION}"
    binary = prefix / "node_modules" / ".bin" / "configurable-http-proxy"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not binary.exists():
            _install([NPM, "install", "--silent", "--no-audit", "--no-fund", "--prefix", prefix,
                      f"configurable-http-proxy@{CHP_VERSION}"], "configurable-http-proxy")
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


def _wait_http(url: str, proc, log_path: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited early:\n{log_path.read_text()[-4000:]}")
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
    proxy = _proxy()
    wheel_dir, site = tmp_path / "wheel", tmp_path / "site"
    port, hub_port, api_port = _free_ports(3)
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
    single_user_env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "PYTHONPATH": str(site)}
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
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [{str(bin_dir / 'jupyterhub-singleuser')!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {single_user_env!r}
c.JupyterHub.db_url = "sqlite:///{tmp_path / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(tmp_path / 'cookie_secret')!r}
c.JupyterHub.pid_file = {str(tmp_path / 'hub.pid')!r}
c.JupyterHub.cleanup_servers = True
""")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "MPLBACKEND", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["CONFIGPROXY_AUTH_TOKEN"] = secrets.token_hex(16)
    log_path = tmp_path / "hub.log"  # a file, not a pipe: an unread pipe fills up and stalls the hub
    with open(log_path, "w") as log:
        proc = subprocess.Popen([bin_dir / "jupyterhub", "-f", config], cwd=tmp_path, env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        # crmkit as on a hub image: this checkout's wheel, without dependencies (the venv has them),
        # built while the hub starts; the single-user servers find it on PYTHONPATH.
        # Built from a copy, so this test's build/ never meets another test's build of the checkout.
        src = tmp_path / "src"
        shutil.copytree(ROOT / "crmkit", src / "crmkit", ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, src)
        _run([bin_dir / "python", "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--no-deps",
              "--no-build-isolation", "-w", wheel_dir, src])
        _run([bin_dir / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
              "--no-deps", "--target", site, *wheel_dir.glob("crmkit-*.whl")])
        _wait_http(f"http://127.0.0.1:{port}/hub/login", proc, log_path)
        yield f"http://127.0.0.1:{port}", tmp_path / "home", log_path
    finally:
        _stop(proc)
        print(f"hub log: {log_path}")


def _process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, start time) of every process, from /proc."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        table[int(stat.parent.name)] = (int(fields[1]), fields[19])
    return table


def _descendants(pid: int) -> dict[int, str]:
    """pid -> start time of every process below ``pid`` (the proxy, single-user servers and their
    kernels start their own sessions, so a signal to the hub's process group does not reach them)."""
    table = _process_table()
    children = {}
    for child, (parent, _) in table.items():
        children.setdefault(parent, []).append(child)
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found[child] = table[child][1]
                todo.append(child)
    return found


def _stop(proc) -> None:
    """SIGTERM the hub's process group (the hub then stops the proxy and the single-user servers),
    wait, then SIGKILL whatever of the hub's process tree is still there (matched by pid and start
    time, so a reused pid is never hit)."""
    tree = _descendants(proc.pid)
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    time.sleep(1)
    alive = _process_table()
    for pid, started in tree.items():
        if pid in alive and alive[pid][1] == started:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _has_outputs(path: Path) -> bool:
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError):
        return False
    return any(c.get("outputs") for c in cells if c["cell_type"] == "code")


def _code_cells(path: Path) -> int:
    return sum(c["cell_type"] == "code" for c in json.loads(path.read_text(encoding="utf-8"))["cells"])


async def _contents_status(page, base: str, user: str, path: str) -> int:
    """HTTP status of ``path`` in ``user``'s own server, asked with that student's browser cookies."""
    return (await page.request.get(f"{base}/user/{user}/api/contents/{path}?content=0")).status


async def _student_runs_lesson(browser, link: str, base: str, user: str, expected: int, copy: Path,
                               shots: Path, check=None) -> None:
    """Log ``user`` in, open the nbgitpuller link, Run All, assert no error output, save (``copy``
    is where the student's saved lesson must land). ``await check(page)`` runs at the end with the
    student's page still open."""
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    page = await context.new_page()
    step = "login"
    try:
        await page.goto(f"{base}/hub/login", timeout=60_000)
        await page.fill("input[name=username]", user)
        await page.fill("input[name=password]", "any")
        await page.click("input[type=submit], button[type=submit]")
        await page.wait_for_url(f"**/user/{user}/**", timeout=150_000)  # spawn + JupyterLab
        step = "nbgitpuller link"
        await page.goto(link, timeout=60_000)  # clone into the student's home, then open the lesson
        deadline = time.monotonic() + 150
        while "/lab/tree/" not in page.url:
            failed = page.get_by_text("An unexpected error occurred")
            if await failed.count():  # nbgitpuller's error page: report its log, don't wait
                pytest.fail(f"{user}: nbgitpuller failed:\n{(await page.inner_text('body'))[:1500]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{user}: the nbgitpuller link did not reach the lesson within 150 s")
            await page.wait_for_timeout(500)
        panel = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
        await page.locator(f"{panel} h1").first.wait_for(timeout=120_000)
        status = page.locator("#jp-main-statusbar")
        await expect(status).to_contain_text("Idle", timeout=120_000)
        step = "Run All"
        await page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        await page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        prompts = page.locator(f"{panel} .jp-CodeCell .jp-InputArea-prompt")
        # stderr text, an exception's traceback, or red ANSI text in any output
        errors = page.locator(f"{panel} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
                              f"{panel} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error'], "
                              f"{panel} .jp-OutputArea-output .ansi-red-fg")

        async def no_error_output():
            if await errors.count():  # Run All stops at an exception: report it, don't wait
                pytest.fail(f"{user}: a cell shows an error output: {(await errors.first.inner_text())[:500]}")

        deadline = time.monotonic() + 240
        done = 0
        while time.monotonic() < deadline:
            await no_error_output()
            done = sum(t.strip().startswith("[") and t.strip()[1:-2].isdigit()
                       for t in await prompts.all_inner_texts())
            if done >= expected:
                break
            await page.wait_for_timeout(500)
        else:
            pytest.fail(f"{user}: only {done} of {expected} code cells ran within 240 s")
        await expect(status).to_contain_text("Idle", timeout=120_000)
        step = "outputs"
        await no_error_output()
        assert await page.locator(f"{panel} .jp-RenderedImage img").count() >= 1, f"{user}: no chart"
        step = "save"
        await page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while not _has_outputs(copy):
            if time.monotonic() > deadline:
                pytest.fail(f"{user}: the lesson with its outputs was not saved to {copy} within 30 s")
            await asyncio.sleep(0.5)
        if check is not None:
            step = "check"
            await check(page)
    except BaseException:
        shot = shots / f"{user}-{step.replace(' ', '-')}.png"
        try:
            await page.screenshot(path=shot, timeout=10_000)
            print(f"{user}: failed at {step}; screenshot {shot}; page {page.url}")
        except Exception:  # noqa: BLE001 - the screenshot is only a diagnosis
            pass
        raise
    finally:
        await context.close()


async def _two_students(base: str, link: str, homes: Path, expected: int, shots: Path) -> None:
    """Both students at the same time (as in a classroom): log in, pull, Run All. student1 then puts
    a file into their copy, and student2's server must not see it."""
    from playwright.async_api import async_playwright

    marker = "crmkit-course/notebooks/student1-was-here.txt"
    lesson = f"crmkit-course/{LESSON}"
    student1_done = asyncio.Event()

    async def student1_marks_own_copy(page):
        (homes / "student1" / marker).write_text("mine\n")
        assert await _contents_status(page, base, "student1", marker) == 200
        student1_done.set()

    async def student2_sees_only_own_copy(page):
        await asyncio.wait_for(student1_done.wait(), timeout=300)
        assert await _contents_status(page, base, "student2", lesson) == 200
        assert await _contents_status(page, base, "student2", marker) == 404, \
            "student2's server sees the file student1 put into their copy: the students share one copy"

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM)
        try:
            await asyncio.gather(
                _student_runs_lesson(browser, link, base, "student1", expected,
                                     homes / "student1" / lesson, shots, student1_marks_own_copy),
                _student_runs_lesson(browser, link, base, "student2", expected,
                                     homes / "student2" / lesson, shots, student2_sees_only_own_copy))
        finally:
            await browser.close()


def test_two_students_pull_and_run_lesson_01_on_a_hub(hub, tmp_path):
    base, homes, log_path = hub
    repo = _kit_repository(tmp_path)
    link = course.pull_link(base, f"file://{repo}", LESSON)
    try:
        asyncio.run(asyncio.wait_for(
            _two_students(base, link, homes, _code_cells(ROOT / LESSON), tmp_path), timeout=600))
    except BaseException:
        print(f"--- hub log (tail) ---\n{log_path.read_text(errors='replace')[-6000:]}")
        raise
    copies = [homes / user / "crmkit-course" / LESSON for user in ("student1", "student2")]
    for copy in copies:
        assert copy.exists(), f"{copy} was not pulled"
        assert (copy.parent.parent / ".git").is_dir(), f"{copy.parent.parent} is not a git clone"
    assert not copies[0].samefile(copies[1])
    assert not (homes / "student2" / "crmkit-course/notebooks/student1-was-here.txt").exists()
    # Saved after Run All: each copy holds that student's outputs; the repository is untouched.
    for copy in copies:
        assert _has_outputs(copy), f"{copy} has no outputs"
    assert not _has_outputs(repo / LESSON)
