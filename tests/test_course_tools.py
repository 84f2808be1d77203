"""tools/course.py: the nbgitpuller link table and the headless runner's entry point."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("course", ROOT / "tools" / "course.py")
course = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(course)


def test_link_table_has_one_link_per_lesson():
    table = course.link_table("https://hub.example.edu", "https://github.com/o/crmkit-course")
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(lessons) == 11 and table.count("/hub/user-redirect/git-pull?") == len(lessons)
    assert "urlpath=lab%2Ftree%2Fcrmkit-course%2Fnotebooks%2F01_customer_types.ipynb" in table
    with pytest.raises(ValueError, match="http"):
        course.pull_link("hub.example.edu", "r", "x")


def test_links_command_prints_the_table(capsys):
    assert course.main(["links", "--hub", "https://hub.example.edu", "--repo",
                        "https://github.com/o/crmkit-course.git", "--format", "tsv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 11 and lines[0].startswith("01_customer_types\thttps://hub.example.edu/hub/")
    assert "targetpath=crmkit-course&" in lines[0]


def test_links_command_rejects_a_bad_hub_address(capsys):
    assert course.main(["links", "--hub", "hub.example.edu", "--repo", "r"]) == 2
    assert "http" in capsys.readouterr().err
