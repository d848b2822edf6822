"""Stage 2 of a build: the staged folder every generator builds from, written without MkDocs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from macros.browser import security
from macros.build import config as generator_config
from macros.build.generators import GENERATORS
from macros.build.staging import DOCS_DIR, Sources, stage, sync_tree, with_meta
from macros.content.loader import CONTENT_DIR
from macros.content.problems import ContentError
from site_tests.conftest import PROJECT_ROOT

EXAMPLE_CLINIC = PROJECT_ROOT / "clinics" / "example"


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    return dict(yaml.safe_load(text[4 : text.index("\n---\n", 3)]))


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    before = sorted(p.relative_to(DOCS_DIR) for p in DOCS_DIR.rglob("*"))
    result = stage(Sources(CONTENT_DIR), tmp_path_factory.mktemp("stage"), GENERATORS["mkdocs"])
    # docs/ in the repository holds hand-written pages only and is never written to.
    assert sorted(p.relative_to(DOCS_DIR) for p in DOCS_DIR.rglob("*")) == before
    return result


def test_every_condition_and_hand_written_page_is_staged(staged) -> None:  # type: ignore[no-untyped-def]
    for path in sorted((CONTENT_DIR / "conditions").glob("*.yml")):
        assert (staged.docs_dir / "conditions" / f"{path.stem}.md").is_file(), path.name
    for page in DOCS_DIR.rglob("*"):
        if page.is_file():
            assert (staged.docs_dir / page.relative_to(DOCS_DIR)).is_file(), page


def test_edit_links_name_the_file_a_page_is_made_from(staged) -> None:  # type: ignore[no-untyped-def]
    condition = _front_matter(staged.docs_dir / "conditions" / "calf-strain.md")
    assert str(condition["edit_url"]).endswith("/edit/main/content/conditions/calf-strain.yml")
    about = _front_matter(staged.docs_dir / "about.md")
    assert str(about["edit_url"]).endswith("/edit/main/docs/about.md")


def test_a_guide_gets_its_sources_listed(staged) -> None:  # type: ignore[no-untyped-def]
    guide = (staged.docs_dir / "guides" / "cadence-and-form.md").read_text(encoding="utf-8")
    sources = guide.split("\n## Sources\n", 1)[1]
    front = yaml.safe_load(guide.split("---\n")[1])
    assert sources.count("<li>") == len(front["references"])
    assert "Heiderscheit" in sources


def test_the_configuration_needs_nothing_from_the_project(staged) -> None:  # type: ignore[no-untyped-def]
    config = yaml.safe_load(staged.config_file.read_text(encoding="utf-8"))
    assert "hooks" not in config
    assert config["docs_dir"] == "docs"
    assert config["theme"]["custom_dir"] == "overrides"
    assert (staged.root / "overrides" / "main.html").is_file()
    assert config["plugins"] == []
    assert config["extra"]["calculators_bundle"] == staged.bundle.code.path
    assert config["extra"]["calculators_shared"] == staged.bundle.shared.path
    assert config["extra"]["calculators_qr"] == staged.bundle.qr.path
    assert config["extra"]["service_worker"] is True
    assert config["extra"]["journal_page"] == "journal/"
    names = [next(iter(entry)) for entry in config["nav"]]
    assert names[:3] == ["Home", "My recovery", "Body regions"]


def test_zensical_gets_its_own_search_off_and_the_classic_look() -> None:
    base = generator_config.read_base_config()
    config = generator_config.generator_config(
        base,
        GENERATORS["zensical"],
        docs_dir=Path("docs"),
        site_dir=Path("site"),
        theme_dir=Path("overrides"),
        nav=[],
        extra={},
        overrides={},
    )
    assert config["plugins"] == {"search": {"enabled": False}}
    assert config["theme"]["variant"] == "classic"
    assert not {"strict", "validation", "not_in_nav"} & set(config)


def test_env_tags_are_resolved(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://physio.example/handbook/")
    assert generator_config.read_base_config()["site_url"] == "https://physio.example/handbook/"
    monkeypatch.delenv("SITE_URL")
    assert generator_config.read_base_config()["site_url"] == "http://127.0.0.1:8000/"


def test_a_served_preview_carries_the_runtime_and_bundle_in_its_pages_folder(
    tmp_path: Path,
) -> None:
    staged = stage(Sources(CONTENT_DIR), tmp_path, GENERATORS["mkdocs"], serving=True)
    files = staged.bundle.files()
    assert len(files) == 4 + len(staged.book.conditions)  # code, QR, shared, index, chunks
    for path, data in files.items():
        assert (staged.docs_dir / path).read_bytes() == data
    assert list((staged.docs_dir / "assets" / "pyodide").glob("*/pyodide.asm.wasm"))
    assert staged.config["extra"]["service_worker"] is False


def test_a_clinic_copy_is_staged_with_its_logo_css_and_pages(tmp_path: Path) -> None:
    staged = stage(Sources(CONTENT_DIR, EXAMPLE_CLINIC), tmp_path, GENERATORS["mkdocs"])
    assert staged.config["site_name"] == staged.clinic.name  # type: ignore[union-attr]
    assert (staged.docs_dir / "assets" / "stylesheets" / "clinic.css").is_file()
    assert "assets/stylesheets/clinic.css" in staged.config["extra_css"]
    assert list((staged.docs_dir / "clinic").glob("*.md"))
    # The hand-written mkdocs.yml is never changed by a clinic build.
    assert "assets/stylesheets/clinic.css" not in (PROJECT_ROOT / "mkdocs.yml").read_text()


def test_a_script_in_a_clinic_page_stops_staging_naming_the_file(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    shutil.copytree(EXAMPLE_CLINIC, clinic)
    with (clinic / "our-team.md").open("a", encoding="utf-8") as page:
        page.write('\n<p style="color:red">hi</p>\n')
    with pytest.raises(security.PolicyError, match=r"^clinic/our-team\.md: <p style=…>"):
        stage(Sources(CONTENT_DIR, clinic), tmp_path / "stage", GENERATORS["mkdocs"])
    assert not (tmp_path / "stage").exists()  # nothing written


def test_bad_content_stops_staging_before_anything_is_written(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    broken = content / "conditions" / "calf-strain.yml"
    broken.write_text(broken.read_text().replace("region:", "regoin:", 1))
    with pytest.raises(ContentError) as error:
        stage(Sources(content), tmp_path / "stage", GENERATORS["mkdocs"])
    assert any("HB104" in str(problem) for problem in error.value.problems)
    assert not (tmp_path / "stage").exists()


def test_front_matter_keys_are_added_and_the_pages_own_kept() -> None:
    page = "---\n# a comment\nreferences:\n  - x\n---\n# Title\n"
    assert with_meta(page, {"edit_url": "https://e/x"}) == (
        "---\n# a comment\nreferences:\n  - x\nedit_url: https://e/x\n---\n# Title\n"
    )
    assert with_meta("# Title\n", {"edit_url": "u"}) == "---\nedit_url: u\n---\n# Title\n"
    assert with_meta("# Title\n", {}) == "# Title\n"


def test_sync_rewrites_only_what_changed_and_removes_what_went(tmp_path: Path) -> None:
    sync_tree({"a.md": "one", "sub/b.md": "two", "c.bin": b"\x00"}, tmp_path)
    past = 1_000_000_000
    os.utime(tmp_path / "a.md", (past, past))
    sync_tree({"a.md": "one", "sub/b.md": "changed"}, tmp_path)
    assert (tmp_path / "a.md").stat().st_mtime == past  # unchanged, so not rewritten
    assert (tmp_path / "sub" / "b.md").read_text() == "changed"
    assert not (tmp_path / "c.bin").exists()
    sync_tree({"a.md": "one"}, tmp_path, keep=("sub/",))
    assert (tmp_path / "sub" / "b.md").exists()
