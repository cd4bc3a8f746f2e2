"""`.ci/run`: it runs exactly the README's Quick start test command with CI=true, starts
PostgreSQL and Redis when they are down, fails loudly when they never come up, and turns
pytest's "no tests ran" into a failure.

The script runs for real against stand-ins for python3, pg_isready, redis-cli and the
service starters, put first on PATH, so no service on this machine is touched."""

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

STUBS = {
    # The venv the script creates: pip does nothing, pytest records CI and exits as told.
    "python3": """
mkdir -p .venv/bin
printf '#!/bin/sh\\nexit 0\\n' > .venv/bin/pip
printf '#!/bin/sh\\necho "CI=$CI" > "$STATE/pytest-ran"\\nexit "$PYTEST_EXIT"\\n' > .venv/bin/pytest
chmod +x .venv/bin/pip .venv/bin/pytest
""",
    "pg_isready": '[ -e "$STATE/pg-up" ]',
    "pg_ctlcluster": 'echo "pg_ctlcluster $*" >> "$STATE/started"\n'
    '[ -z "$PG_STARTS" ] || touch "$STATE/pg-up"',
    "redis-cli": '[ -e "$STATE/redis-up" ] && echo PONG',
    "redis-server": 'echo "redis-server $*" >> "$STATE/started"; touch "$STATE/redis-up"',
    "sleep": "exit 0",
}


def readme_test_command() -> str:
    quick_start = REPO.joinpath("README.md").read_text().split("## Quick start", 1)[1]
    quick_start = quick_start.split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick_start)
    [command] = [c for c in commands if c.endswith("pytest")]
    return command


@pytest.fixture
def ci(tmp_path):
    """Runs a copy of .ci/run with the stand-ins; returns (result, state folder)."""
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("without Chromium the script would apt-get install it")
    (tmp_path / "repo" / ".ci").mkdir(parents=True)
    shutil.copy(REPO / ".ci" / "run", tmp_path / "repo" / ".ci" / "run")
    stubs, state = tmp_path / "bin", tmp_path / "state"
    stubs.mkdir()
    state.mkdir()
    for name, body in STUBS.items():
        path = stubs / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)

    def run(*, pytest_exit=0, up=("pg", "redis"), pg_starts=True):
        for service in up:
            (state / f"{service}-up").touch()
        env = {
            "PATH": f"{stubs}:/usr/bin:/bin",
            "STATE": str(state),
            "PYTEST_EXIT": str(pytest_exit),
            "PG_STARTS": "yes" if pg_starts else "",
        }
        result = subprocess.run(
            ["bash", ".ci/run"], cwd=tmp_path / "repo", env=env, capture_output=True, text=True
        )
        return result, state

    return run


def test_ci_runs_the_readme_test_command_exactly():
    command = readme_test_command()

    script = REPO.joinpath(".ci/run").read_text()

    assert command == (
        "python3 -m venv .venv && .venv/bin/pip install -r requirements.lock -e . "
        "&& .venv/bin/pytest"
    )
    assert f"\n{command} || status=$?\n" in script


def test_ci_passes_with_ci_true_when_the_tests_pass(ci):
    result, state = ci(pytest_exit=0)

    assert result.returncode == 0, result.stderr
    assert (state / "pytest-ran").read_text() == "CI=true\n"
    assert not (state / "started").exists()


def test_ci_fails_when_pytest_ran_no_tests(ci):
    result, _ = ci(pytest_exit=5)

    assert result.returncode == 1
    assert "pytest collected no tests" in result.stderr


def test_ci_fails_with_pytests_exit_code_when_tests_fail(ci):
    result, _ = ci(pytest_exit=2)

    assert result.returncode == 2


def test_ci_starts_postgresql_and_redis_when_they_are_down(ci):
    result, state = ci(up=())

    assert result.returncode == 0, result.stderr
    started = (state / "started").read_text().splitlines()
    assert started[0].startswith("pg_ctlcluster --skip-systemctl-redirect ")
    assert started[0].endswith(" main start")
    assert (
        started[1]
        == "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save  --appendonly no"
    )
    assert (state / "pytest-ran").exists()


def test_ci_fails_loudly_when_postgresql_never_comes_up(ci):
    result, state = ci(up=("redis",), pg_starts=False)

    assert result.returncode == 1
    assert "PostgreSQL did not answer on 127.0.0.1" in result.stderr
    assert not (state / "pytest-ran").exists()
