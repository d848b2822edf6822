"""The GitHub workflows: CI, the Pages deploy and the template clinics copy. No build needed."""

from __future__ import annotations

import re

import yaml

from site_tests.conftest import PROJECT_ROOT

WORKFLOWS = PROJECT_ROOT / ".github" / "workflows"
CLINIC_TEMPLATE = PROJECT_ROOT / "clinics/template/.github/workflows/clinic-pages.yml"


def test_workflows_parse_and_use_least_privilege() -> None:
    """CI runs make test; Pages uploads an artifact and deploys with minimal permissions."""
    ci = yaml.safe_load((WORKFLOWS / "ci.yml").read_text())
    pages = yaml.safe_load((WORKFLOWS / "pages.yml").read_text())
    ci_steps = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert any("make test" in run for run in ci_steps)
    assert ci["permissions"] == {"contents": "read"}
    assert pages["permissions"] == {}
    uses = [step.get("uses", "") for job in pages["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_every_workflow_parses_and_grants_nothing_by_default() -> None:
    """Including the template clinics copy into their own repository."""
    workflows = [*sorted(WORKFLOWS.glob("*.yml")), CLINIC_TEMPLATE]
    assert {w.name for w in workflows} >= {"ci.yml", "pages.yml", "clinic-pages.yml"}
    for workflow in workflows:
        data = yaml.safe_load(workflow.read_text())
        assert data["jobs"], workflow.name
        assert data["permissions"] in ({}, {"contents": "read"}), workflow.name
    clinic = yaml.safe_load(CLINIC_TEMPLATE.read_text())
    runs = [step.get("run", "") for step in clinic["jobs"]["build"]["steps"]]
    assert any("make site CLINIC=" in run for run in runs)


def test_the_clinic_template_never_runs_in_the_handbook() -> None:
    """GitHub runs every file in .github/workflows/; the template belongs to a clinic's repo."""
    assert not (WORKFLOWS / CLINIC_TEMPLATE.name).exists()
    handbook_workflows = [yaml.safe_load(w.read_text()) for w in WORKFLOWS.glob("*.yml")]
    assert all("HANDBOOK_REF" not in workflow.get("env", {}) for workflow in handbook_workflows)


def test_every_action_is_pinned_to_a_commit() -> None:
    """A tag can be moved to other code; a full commit SHA cannot. The version stays readable."""
    for workflow in [*WORKFLOWS.glob("*.yml"), CLINIC_TEMPLATE]:
        pins = re.findall(r"uses:\s*(\S+)(.*)", workflow.read_text())
        assert pins, workflow.name
        for action, comment in pins:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), (workflow.name, action)
            assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), (workflow.name, action)
