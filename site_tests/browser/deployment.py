"""A throwaway deployment: a site built for one address, served by a server that can stop."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from macros.content.loader import CONTENT_DIR
from site_tests.browser.static_server import StaticServer
from site_tests.conftest import build_site, free_port


@dataclass
class Deployment:
    """A site built for one address, and the server that can be stopped to go offline."""

    site: Path
    server: StaticServer
    content: Path
    clinic: Path | None = None
    generator: str = "mkdocs"

    @property
    def url(self) -> str:
        return self.server.url

    def rebuild(self) -> None:
        env = {
            "SITE_URL": self.url,
            "HANDBOOK_CONTENT": str(self.content),
            "GENERATOR": self.generator,
        }
        if self.clinic is not None:
            env["HANDBOOK_CLINIC"] = str(self.clinic)
        result = build_site(self.site, **env)
        assert result.returncode == 0, result.stdout + result.stderr


def deploy(
    tmp_path: Path, prefix: str = "/", clinic: Path | None = None, generator: str = "mkdocs"
) -> Deployment:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    server = StaticServer(tmp_path / "site", prefix=prefix)
    server.port = free_port()
    deployment = Deployment(tmp_path / "site", server, content, clinic, generator)
    deployment.rebuild()
    server.start()
    return deployment
