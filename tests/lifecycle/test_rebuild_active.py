"""Re-issued files for the active version: `occurisk pipeline --version 30.1` rebuilds it while the API and
the pages keep serving the last complete build, whole, until the rebuild is complete and checked; a failed
rebuild leaves that build served and says so in `occurisk versions list`.

The module's database is a copy of the session's built platform (30.1 built by the real pipeline, active);
each test then rebuilds 30.1 from a copy of the real release with one task reworded, while a thread requests
the real app throughout."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.main import create_app
from occurisk_assets.cli import main
from tests.built_platform import copy_of_built_platform
from tests.conftest import ONET_DATA

# Builds whole releases end to end (minutes): started first, see tests/conftest.py.
pytestmark = pytest.mark.builds_releases

RELEASE = "db_30_1_text"
SOC = "11-1011"
TASK_ID = "8823"
ORIGINAL = "maximize investments"  # in task 8823's text (Chief Executives) in the real 30.1 release
URLS = (f"/api/v1/occupations/{SOC}?tasks=100", f"/occupation/{SOC}")
PAUSE_S = 0.2


def reissue(root: Path, wording: str) -> Path:
    """A copy of the real 30.1 release (symlinks) whose task 8823 says `wording` instead of ORIGINAL."""
    folder = root / RELEASE
    folder.mkdir(parents=True)
    for source in (ONET_DATA / RELEASE).iterdir():
        if source.name != "Task Statements.txt":
            (folder / source.name).symlink_to(source)
    lines = (
        (ONET_DATA / RELEASE / "Task Statements.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    )
    reworded = [
        line.replace(ORIGINAL, wording) if line.split("\t")[1:2] == [TASK_ID] else line for line in lines
    ]
    assert reworded != lines
    (folder / "Task Statements.txt").write_text("".join(reworded), encoding="utf-8")
    return root


@dataclass(eq=False)  # a thread must stay hashable
class Poller(threading.Thread):
    """Requests the health endpoint, the occupation and its page, again and again until stopped, a short pause
    between rounds; records for each answer its status and which wordings of the task it holds. Without the
    pause it asked about 220 times a second and took a core from the rebuild it watches (this file alone: 528 s
    of CPU, 385 with the pause); with it, about ten answers a second still cover the switch."""

    client: TestClient
    wordings: tuple[str, ...]
    answers: list[tuple[str, int, tuple[bool, ...]]] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        super().__init__(daemon=True, name="rebuild-poller")

    def run(self) -> None:
        while not self.stopped.is_set():
            health = self.client.get("/api/v1/health")
            self.answers.append(("/api/v1/health", health.status_code, ()))
            for url in URLS:
                response = self.client.get(url)
                self.answers.append(
                    (url, response.status_code, tuple(w in response.text for w in self.wordings))
                )
            self.stopped.wait(PAUSE_S)


@pytest.fixture(scope="module")
def built(pg_server, built_database) -> Iterator[str]:
    """30.1 built by the real pipeline and active: a copy of the session's built platform (a file copy,
    where building it again took 2.5 min of the suite)."""
    with copy_of_built_platform(pg_server) as url:
        yield url


@pytest.fixture(scope="module")
def client(built) -> Iterator[TestClient]:
    # The API and the pages, as the site runs (each pool takes its own role).
    with TestClient(create_app(built)) as client:
        yield client


def served_wording(client: TestClient, wordings: tuple[str, ...]) -> str:
    [served] = [w for w in wordings if w in client.get(URLS[0]).text]
    return served


def rebuild_while_polling(client: TestClient, wordings: tuple[str, ...]) -> tuple[Poller, object]:
    poller = Poller(client, wordings)
    poller.start()
    try:
        result = CliRunner().invoke(main, ["pipeline", "--version", "30.1"])
    finally:
        poller.stopped.set()
        poller.join()
    return poller, result


def test_rebuilding_the_active_version_serves_the_old_build_until_the_new_one_is_switched_in(
    client, settings_env, tmp_path
):
    reworded = "grow reserves"
    wordings = (ORIGINAL, reworded)
    assert served_wording(client, wordings) == ORIGINAL
    assert all(ORIGINAL in client.get(url).text for url in URLS)  # the page shows the task too
    settings_env(OCCURISK_ONET_SOURCE=reissue(tmp_path / "reissued", reworded))

    poller, result = rebuild_while_polling(client, wordings)

    assert result.exit_code == 0, result.output
    assert poller.answers
    assert [a for a in poller.answers if a[1] != 200] == []
    for url in URLS:
        seen = [holds for u, _, holds in poller.answers if u == url]
        # Each answer is one build whole: the old wording or the new, never both, never none.
        assert all(sum(holds) == 1 for holds in seen), url
        # And once the new build is served the old never comes back.
        served = [holds.index(True) for holds in seen]
        assert served == sorted(served), url
    assert served_wording(client, wordings) == reworded
    assert all(reworded in client.get(url).text for url in URLS)
    listing = CliRunner().invoke(main, ["versions", "list"]).output
    [line] = [line for line in listing.splitlines() if " 30.1 " in line]
    assert line.startswith("* 30.1   complete (served)  released")
    assert "~new" not in listing


def test_a_failed_rebuild_leaves_the_last_build_served_and_says_so(client, settings_env, tmp_path):
    wordings = (ORIGINAL, "grow reserves", "guard assets")
    before = served_wording(client, wordings)
    # No release of ours has every task rated: the rebuild fails its scoring coverage check at the end.
    settings_env(
        OCCURISK_ONET_SOURCE=reissue(tmp_path / "reissued", "guard assets"),
        OCCURISK_ACTIVATION_MIN_COVERAGE=1.0,
    )

    poller, result = rebuild_while_polling(client, wordings)

    assert result.exit_code != 0
    assert [a for a in poller.answers if a[1] != 200] == []
    assert all(holds == tuple(w == before for w in wordings) for u, _, holds in poller.answers if u in URLS)
    assert served_wording(client, wordings) == before != "guard assets"
    listing = CliRunner().invoke(main, ["versions", "list"]).output
    [line] = [line for line in listing.splitlines() if " 30.1 " in line]
    assert line.startswith("* 30.1   complete (served) — rebuild failed at ")
    assert "scoring_coverage: mean scoring coverage" in line
    assert "~new" not in listing.replace(line, "")
