"""Course tools for instructors and hub admins (run from a clone; nothing here is imported by crmkit).

    python tools/course.py links --hub https://hub.example.edu --repo https://github.com/ORG/crmkit-course
        Print one nbgitpuller link per lesson (Markdown table, or --format tsv): a student who
        clicks it logs in to the hub, gets their own copy of the repository pulled (later clicks
        merge updates without overwriting their edits) and lands in the lesson.

    python tools/course.py execute notebooks/*.ipynb [--out DIR]
        Run lessons headless, as `jupyter nbconvert --execute` does, without its stall after
        `interact` cells (see execute_notebook) - e.g. to publish executed copies as HTML or PDF.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def pull_link(hub: str, repo: str, path: str, *, branch: str = "main", target: str | None = None,
              interface: str = "lab") -> str:
    """The nbgitpuller link that opens ``path`` (a file of ``repo``) for a student of ``hub``.

    >>> pull_link("https://hub.example.edu/", "https://github.com/o/crmkit-course", "notebooks/01_a.ipynb")
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fcrmkit-course&branch=main&targetpath=crmkit-course&urlpath=lab%2Ftree%2Fcrmkit-course%2Fnotebooks%2F01_a.ipynb'
    """
    if not hub.startswith(("http://", "https://")):
        raise ValueError(f"`hub` must be the hub's address starting with http:// or https://, but {hub!r} was passed.")
    target = target or repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    query = urlencode({"repo": repo, "branch": branch, "targetpath": target,
                       "urlpath": f"{interface}/tree/{target}/{path}"}, quote_via=quote)
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def link_table(hub: str, repo: str, *, branch: str = "main", fmt: str = "markdown") -> str:
    """One nbgitpuller link per lesson, as a Markdown table or tab-separated lines."""
    rows = [(name.removesuffix(".ipynb"), pull_link(hub, repo, f"notebooks/{name}", branch=branch))
            for name in LESSONS]
    if fmt == "tsv":
        return "".join(f"{lesson}\t{link}\n" for lesson, link in rows)
    lines = ["| lesson 课 | nbgitpuller link 链接 |", "|---|---|"]
    lines += [f"| {lesson} | [{lesson}]({link}) |" for lesson, link in rows]
    return "\n".join(lines) + "\n"


def execute_notebook(path, *, timeout: int = 300, kernel_name: str = "python3"):
    """Execute the notebook at ``path`` in its folder with nbclient; return the executed notebook.

    Why not plain ``jupyter nbconvert --execute``: nbclient mimics the frontend of ipywidgets'
    Output widget (which ``interact`` draws into) and, while a cell is still running, *sends* that
    widget's state back on the shell socket from the task that reads IOPub - concurrently with the
    task waiting on the same socket for the cell's ``execute_reply`` (nbclient issue #312, PR #311).
    On a busy machine the reply can then go unnoticed until the cell timeout: a 300 s stall right
    after an ``interact`` cell (the reply is found only when that timeout expires). Here the mimic
    still records what the widget shows (in the widget state, as a saved notebook has it), but never
    sends anything to the kernel: a headless run has no user to move a slider, so the kernel needs
    no echo. nbval, which has no such mimic, never stalled.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.output_widget import OutputWidget

    class QuietOutputWidget(OutputWidget):
        def _publish_msg(self, *args, **kwargs) -> None:  # the shell send that races the reply
            return None

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(path.parent)}})
    client.widget_registry = {"@jupyter-widgets/output": {"OutputModel": QuietOutputWidget}}
    client.execute()
    return nb


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/course.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    links = sub.add_parser("links", help="print the nbgitpuller link of every lesson")
    links.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    links.add_argument("--repo", required=True, help="the git repository students pull")
    links.add_argument("--branch", default="main")
    links.add_argument("--format", dest="fmt", default="markdown", choices=["markdown", "tsv"])
    run = sub.add_parser("execute", help="run notebooks headless (no stall after interact cells)")
    run.add_argument("notebooks", nargs="+", type=Path)
    run.add_argument("--out", type=Path, help="folder for the executed copies (default: in place)")
    run.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    if args.command == "links":
        try:
            sys.stdout.write(link_table(args.hub, args.repo, branch=args.branch, fmt=args.fmt))
        except ValueError as err:
            print(err, file=sys.stderr)
            return 2
        return 0
    import nbformat

    for path in args.notebooks:
        nb = execute_notebook(path, timeout=args.timeout)
        target = (args.out / path.name) if args.out else path
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        print(f"executed  {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
