"""What the GitHub workflows do, event by event, worked out by a small model of GitHub's rules.

The model reads the workflow files and answers, for one event, which jobs start and in what
order: triggers (`on:` with branch filters), `needs`, job-level `if`, matrices and reusable
workflows (`uses: ./.github/workflows/…`). It can also make a chosen job fail, to see what is
then skipped. An expression it does not understand fails the test, so a new condition has to
be modelled before it can pass. No build is needed, so this runs in `make check`.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_tests.conftest import PROJECT_ROOT

WORKFLOWS = PROJECT_ROOT / ".github" / "workflows"
CLINIC_TEMPLATE = PROJECT_ROOT / "clinics/template/.github/workflows/clinic-pages.yml"
HANDBOOK_WORKFLOWS = sorted(WORKFLOWS.glob("*.y*ml"))
EVERY_WORKFLOW = [*HANDBOOK_WORKFLOWS, CLINIC_TEMPLATE]


# --- The model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """What happened. `branch` is the pushed branch, or a pull request's base branch."""

    name: str
    ref: str
    branch: str
    completed_workflow: str | None = None  # for workflow_run
    conclusion: str | None = None

    def context(self) -> dict[str, str]:
        return {
            "github.ref": self.ref,
            "github.event_name": self.name,
            "github.event.workflow_run.conclusion": self.conclusion or "",
        }


PUSH_TO_MAIN = Event("push", "refs/heads/main", "main")
PUSH_TO_BRANCH = Event("push", "refs/heads/try-this", "try-this")
PULL_REQUEST = Event("pull_request", "refs/pull/7/merge", "main")
DISPATCH_ON_MAIN = Event("workflow_dispatch", "refs/heads/main", "main")
DISPATCH_ON_BRANCH = Event("workflow_dispatch", "refs/heads/try-this", "try-this")
CI_SUCCEEDED = Event("workflow_run", "refs/heads/main", "main", "CI", "success")
EVENTS = [
    PUSH_TO_MAIN,
    PUSH_TO_BRANCH,
    PULL_REQUEST,
    DISPATCH_ON_MAIN,
    DISPATCH_ON_BRANCH,
    CI_SUCCEEDED,
]

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}", re.DOTALL)
COMPARISON = re.compile(r"(github\.[\w.]+)\s*(==|!=)\s*'([^']*)'")


def evaluate(condition: str | bool, event: Event) -> bool:
    """A job-level `if` or a concurrency flag: comparisons of github.* joined by && and ||."""
    if isinstance(condition, bool):
        return condition
    text = EXPRESSION.sub(r"\1", condition).strip()
    alternatives = [alternative.split("&&") for alternative in text.split("||")]
    return any(all(_compare(term.strip(), event) for term in terms) for terms in alternatives)


def _compare(term: str, event: Event) -> bool:
    match = COMPARISON.fullmatch(term)
    assert match, f"the workflow model cannot evaluate {term!r}; teach it before relying on it"
    name, operator, value = match.groups()
    return (event.context()[name] == value) == (operator == "==")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as the boolean true.
    data["on"] = data.pop(True) if True in data else data["on"]
    triggers = data["on"]
    if isinstance(triggers, str):
        triggers = [triggers]
    if isinstance(triggers, list):
        triggers = dict.fromkeys(triggers)
    data["on"] = {name: settings or {} for name, settings in triggers.items()}
    return data


def triggered(workflow: dict[str, Any], event: Event) -> bool:
    if event.name not in workflow["on"]:
        return False
    settings = workflow["on"][event.name]
    if "branches" in settings and not any(
        fnmatch.fnmatchcase(event.branch, pattern) for pattern in settings["branches"]
    ):
        return False
    if any(fnmatch.fnmatchcase(event.branch, p) for p in settings.get("branches-ignore", [])):
        return False
    if event.name == "workflow_run":
        return event.completed_workflow in settings.get("workflows", [])
    return True


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace ${{ matrix.x }} and ${{ env.x }}; leave any other expression as it is."""

    def one(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return EXPRESSION.sub(one, text)


@dataclass(frozen=True)
class Job:
    id: str
    needs: frozenset[str]
    condition: str | bool
    permissions: dict[str, str]
    steps: tuple[dict[str, Any], ...]
    values: dict[str, str] = field(default_factory=dict)  # matrix.* and env.*

    def step_values(self, key: str) -> list[str]:
        return [substitute(str(step[key]), self.values) for step in self.steps if key in step]

    def actions(self) -> list[str]:
        return [action.split("@")[0] for action in self.step_values("uses")]

    def with_inputs(self, action: str) -> list[dict[str, str]]:
        return [
            {
                key: substitute(str(value), self.values)
                for key, value in step.get("with", {}).items()
            }
            for step in self.steps
            if str(step.get("uses", "")).split("@")[0] == action
        ]

    @property
    def make_targets(self) -> list[str]:
        return [t for run in self.step_values("run") for t in re.findall(r"\bmake (\w+)", run)]

    @property
    def is_test(self) -> bool:
        return bool({"check", "test"} & set(self.make_targets))

    @property
    def deploys(self) -> bool:
        return "actions/deploy-pages" in self.actions()

    @property
    def python(self) -> str | None:
        versions = [inputs["python-version"] for inputs in self.with_inputs("actions/setup-python")]
        assert len(versions) <= 1, self.id
        return versions[0] if versions else None


def jobs_of(path: Path, prefix: str = "", caller: Job | None = None) -> list[Job]:
    """Every job instance a workflow starts: matrices expanded, reusable workflows inlined.

    A job that needs a matrix job or a reusable-workflow job waits for all its instances."""
    workflow = load(path)
    env = {f"env.{key}": str(value) for key, value in workflow.get("env", {}).items()}
    instances: dict[str, list[Job]] = {}
    for job_id, job in workflow["jobs"].items():
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        assert set(needs) <= set(instances), f"{path.name}:{job_id}: list it after its needs"
        waits_for = frozenset(instance.id for need in needs for instance in instances[need])
        if caller is not None:
            waits_for |= caller.needs
        condition = job.get("if", True)
        if caller is not None and caller.condition is not True:
            assert condition is True, "a condition on both a caller and its called job"
            condition = caller.condition
        permissions = job.get("permissions", workflow.get("permissions"))
        assert permissions is not None, f"{path.name}:{job_id} inherits the repository default"
        if caller is not None:
            assert _within(permissions, caller.permissions), (job_id, caller.id)
        name = f"{prefix}{job_id}"
        if "uses" in job:
            called = str(job["uses"])
            assert called.startswith("./.github/workflows/"), called
            assert "workflow_call" in load(PROJECT_ROOT / called)["on"], called
            as_caller = Job(name, waits_for, condition, permissions, ())
            instances[job_id] = jobs_of(PROJECT_ROOT / called, f"{name}/", as_caller)
            continue
        instances[job_id] = [
            Job(
                f"{name} ({', '.join(f'{k}={v}' for k, v in combination.items())})"
                if combination
                else name,
                waits_for,
                condition,
                permissions,
                tuple(job["steps"]),
                {**env, **{f"matrix.{k}": str(v) for k, v in combination.items()}},
            )
            for combination in _matrix(job)
        ]
    return [instance for group in instances.values() for instance in group]


def _matrix(job: dict[str, Any]) -> list[dict[str, Any]]:
    matrix = job.get("strategy", {}).get("matrix", {})
    assert not {"include", "exclude"} & set(matrix), "the model does not expand include/exclude"
    keys = list(matrix)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*matrix.values())]


def _within(asked: dict[str, str], granted: dict[str, str]) -> bool:
    rank = {"none": 0, "read": 1, "write": 2}
    return all(rank[level] <= rank[granted.get(scope, "none")] for scope, level in asked.items())


@dataclass
class Run:
    """The jobs that started, each with the wave it started in (a job starts after its needs)."""

    wave: dict[str, int]
    jobs: dict[str, Job]

    def started(self) -> list[Job]:
        return sorted(
            (self.jobs[i] for i in self.wave), key=lambda job: (self.wave[job.id], job.id)
        )

    def tests(self) -> list[Job]:
        return [job for job in self.started() if job.is_test]

    def deploys(self) -> list[Job]:
        return [job for job in self.started() if job.deploys]

    def prerequisites(self, job: Job) -> set[str]:
        found: set[str] = set()
        todo = list(job.needs)
        while todo:
            need = todo.pop()
            if need not in found:
                found.add(need)
                todo.extend(self.jobs[need].needs)
        return found


def run(paths: list[Path], event: Event, failing: frozenset[str] = frozenset()) -> Run:
    """Start what `event` triggers. A job starts when every job it needs succeeded and its
    `if` holds; a job in `failing` fails, so whatever needs it is skipped (GitHub's default)."""
    jobs = {
        job.id: job
        for path in paths
        if triggered(load(path), event)
        for job in jobs_of(path, f"{path.name}/")
    }
    wave: dict[str, int] = {}
    settled: set[str] = set()
    while len(settled) < len(jobs):
        ready = [j for j in jobs.values() if j.id not in settled and j.needs <= settled]
        assert ready, "the jobs' needs form a cycle"
        for job in ready:
            settled.add(job.id)
            if all(n in wave and n not in failing for n in job.needs) and evaluate(
                job.condition, event
            ):
                wave[job.id] = max((wave[n] + 1 for n in job.needs), default=0)
    return Run(wave, jobs)


def cancels_older_runs(path: Path, event: Event) -> bool:
    concurrency = load(path).get("concurrency") or {}
    return evaluate(concurrency.get("cancel-in-progress", False), event)


# --- When things run -------------------------------------------------------------------------


def _suite(tests: list[Job]) -> list[tuple[str, str | None]]:
    return sorted((target, job.python) for job in tests for target in job.make_targets)


def _oldest_python() -> str:
    requires = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    match = re.fullmatch(r">=\s*(3\.\d+)", requires["requires-python"])
    assert match, requires["requires-python"]
    return match.group(1)


def _browser_python() -> str:
    """The Python that the pinned Pyodide runs the calculators on: 314.x runs Python 3.14."""
    package = json.loads((PROJECT_ROOT / "package.json").read_text())
    major = package["dependencies"]["pyodide"].split(".")[0]
    return f"{major[0]}.{major[1:]}"


# The unit tests on the oldest supported Python and on the browser's, and the full run (build,
# Node, browser) once, on the oldest.
WHOLE_SUITE = sorted(
    [("check", _oldest_python()), ("check", _browser_python()), ("test", _oldest_python())]
)


def test_a_push_to_main_is_tested_then_built_then_deployed() -> None:
    started = run(HANDBOOK_WORKFLOWS, PUSH_TO_MAIN)
    assert _suite(started.tests()) == WHOLE_SUITE
    [deploy] = started.deploys()
    builds = [job for job in started.started() if "site" in job.make_targets]
    assert builds
    for build in builds:
        assert {t.id for t in started.tests()} <= started.prerequisites(build)
        assert build.id in started.prerequisites(deploy)
        assert started.wave[build.id] < started.wave[deploy.id]
    assert max(started.wave[t.id] for t in started.tests()) < min(
        started.wave[b.id] for b in builds
    )


def test_a_pull_request_runs_the_whole_suite_and_publishes_nothing() -> None:
    started = run(HANDBOOK_WORKFLOWS, PULL_REQUEST)
    assert _suite(started.tests()) == WHOLE_SUITE
    assert started.deploys() == []
    assert all("write" not in job.permissions.values() for job in started.started())


def test_the_slow_run_waits_for_the_fast_checks() -> None:
    started = run(HANDBOOK_WORKFLOWS, PULL_REQUEST)
    [full] = [job for job in started.tests() if "test" in job.make_targets]
    checks = {job.id for job in started.tests() if "check" in job.make_targets}
    assert checks <= started.prerequisites(full)


def test_a_manual_run_is_tested_and_publishes_only_main() -> None:
    on_main = run(HANDBOOK_WORKFLOWS, DISPATCH_ON_MAIN)
    assert _suite(on_main.tests()) == WHOLE_SUITE
    assert len(on_main.deploys()) == 1
    on_branch = run(HANDBOOK_WORKFLOWS, DISPATCH_ON_BRANCH)
    assert _suite(on_branch.tests()) == WHOLE_SUITE
    assert on_branch.deploys() == []


def test_nothing_else_starts_a_deploy() -> None:
    """A finished CI run or a push to another branch starts no deploy of its own."""
    for event in (CI_SUCCEEDED, PUSH_TO_BRANCH):
        assert run(HANDBOOK_WORKFLOWS, event).deploys() == [], event.name


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: f"{event.name}-{event.branch}")
def test_the_deploy_never_runs_without_the_whole_suite_passing(event: Event) -> None:
    started = run(HANDBOOK_WORKFLOWS, event)
    for deploy in started.deploys():
        before = started.prerequisites(deploy)
        ran_first = [t for t in started.tests() if t.id in before]
        assert _suite(ran_first) == WHOLE_SUITE
        assert all(started.wave[t.id] < started.wave[deploy.id] for t in ran_first)
    for test in started.tests():
        assert run(HANDBOOK_WORKFLOWS, event, failing=frozenset({test.id})).deploys() == [], test.id


def test_only_a_pull_requests_older_run_is_cancelled() -> None:
    """A newer push to a pull request supersedes its run; a run on main (which deploys) and a
    deploy already under way are never cut short."""
    assert cancels_older_runs(WORKFLOWS / "ci.yml", PULL_REQUEST)
    for event in (PUSH_TO_MAIN, DISPATCH_ON_MAIN):
        assert not cancels_older_runs(WORKFLOWS / "ci.yml", event)  # when pages.yml calls it
        assert not cancels_older_runs(WORKFLOWS / "pages.yml", event)


def _group(workflow: dict[str, Any], values: dict[str, str]) -> str:
    group = substitute(str((workflow.get("concurrency") or {}).get("group", "")), values)
    assert not EXPRESSION.search(group), f"the model cannot resolve the group {group!r}"
    return group


def test_a_called_workflow_never_waits_for_its_caller() -> None:
    """GitHub cancels a run whose called workflow asks for a concurrency group its caller
    already holds. Inside a called workflow, github.workflow is the caller's name."""
    for event in (PUSH_TO_MAIN, DISPATCH_ON_MAIN):
        for path in HANDBOOK_WORKFLOWS:
            caller = load(path)
            if not triggered(caller, event):
                continue
            values = {"github.ref": event.ref, "github.workflow": caller["name"]}
            for job in caller["jobs"].values():
                if "uses" in job:
                    called = load(PROJECT_ROOT / job["uses"])
                    assert _group(called, values) != _group(caller, values), job["uses"]


# --- Privileges and pins ---------------------------------------------------------------------

each_workflow = pytest.mark.parametrize(
    "path", EVERY_WORKFLOW, ids=lambda path: path.relative_to(PROJECT_ROOT).as_posix()
)

# What each action needs from the job's token; a job gets the union for its steps, no more.
TOKEN_NEEDS = {
    "actions/checkout": {"contents": "read"},
    "actions/configure-pages": {"pages": "read"},  # reads the site's address from the Pages API
    "actions/deploy-pages": {"pages": "write", "id-token": "write"},
}


def _needed(jobs: list[Job]) -> dict[str, str]:
    needed: dict[str, str] = {}
    for action in (action for job in jobs for action in job.actions()):
        for scope, level in TOKEN_NEEDS.get(action, {}).items():
            needed[scope] = max(needed.get(scope, "read"), level, key=["read", "write"].index)
    return needed


@each_workflow
def test_the_token_grants_nothing_by_default(path: Path) -> None:
    assert load(path)["permissions"] == {}


@each_workflow
def test_each_job_gets_only_what_its_steps_need(path: Path) -> None:
    workflow = load(path)
    for job in jobs_of(path):
        assert job.permissions == _needed([job]), job.id
    for job_id, job in workflow["jobs"].items():
        if "uses" in job:  # a caller grants what the jobs it starts need, together
            inner = jobs_of(PROJECT_ROOT / job["uses"])
            assert job["permissions"] == _needed(inner), job_id


@each_workflow
def test_no_checkout_leaves_the_token_behind(path: Path) -> None:
    for job in jobs_of(path):
        for inputs in job.with_inputs("actions/checkout"):
            assert inputs.get("persist-credentials") == str(False), job.id


@each_workflow
def test_every_action_is_pinned_to_a_commit(path: Path) -> None:
    """A tag can be moved to other code; a full commit SHA cannot. The version stays readable."""
    pins = re.findall(r"uses:\s*(\S+)(.*)", path.read_text())
    assert pins
    for action, comment in pins:
        if action.startswith("./"):  # a workflow of this repository, at this same commit
            assert (PROJECT_ROOT / action).is_file(), action
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), action


def test_dependabot_updates_every_pinned_action() -> None:
    config = yaml.safe_load((PROJECT_ROOT / ".github" / "dependabot.yml").read_text())
    folders = [
        folder
        for update in config["updates"]
        if update["package-ecosystem"] == "github-actions"
        for folder in update.get("directories", [update.get("directory")])
    ]
    # Dependabot reads the workflows in <folder>/.github/workflows/.
    covered = {(PROJECT_ROOT / folder.lstrip("/") / ".github" / "workflows") for folder in folders}
    assert {path.parent for path in EVERY_WORKFLOW} <= covered


# --- The template clinics copy ---------------------------------------------------------------


def test_the_clinic_template_never_runs_in_the_handbook() -> None:
    """GitHub runs every workflow file in .github/workflows/; the template is not one of them."""
    assert CLINIC_TEMPLATE.is_file()
    assert all(path.read_bytes() != CLINIC_TEMPLATE.read_bytes() for path in HANDBOOK_WORKFLOWS)
    for event in EVENTS:  # and nothing that runs here builds another repository's copy
        started = run(HANDBOOK_WORKFLOWS, event).started()
        checkouts = [i for job in started for i in job.with_inputs("actions/checkout")]
        assert all("repository" not in inputs for inputs in checkouts), event.name


def test_in_a_clinics_repository_a_push_builds_then_deploys() -> None:
    started = run([CLINIC_TEMPLATE], PUSH_TO_MAIN)
    [build] = [job for job in started.started() if "site" in job.make_targets]
    [deploy] = started.deploys()
    assert started.wave[build.id] < started.wave[deploy.id]
    assert run([CLINIC_TEMPLATE], PULL_REQUEST).started() == []


def test_the_clinic_template_builds_a_release_not_a_branch() -> None:
    """A branch would change a clinic's site without anyone there choosing to upgrade."""
    [build] = [job for job in jobs_of(CLINIC_TEMPLATE) if "site" in job.make_targets]
    [handbook] = [i for i in build.with_inputs("actions/checkout") if "repository" in i]
    ref = handbook["ref"]
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["version"]
    # The template shipped with a release builds that release (or a commit chosen by hand).
    assert ref == f"v{version}" or re.fullmatch(r"[0-9a-f]{40}", ref), ref
