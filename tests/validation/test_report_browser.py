"""The steward report in a real browser: headless Chromium renders it offline, with Thai text.

Screenshots are kept in ``out/test-artifacts/`` for a person to look at (is the Thai legible, does
the page look right on a desktop and on a phone). Without Chromium the tests skip, except when
SENATE_REQUIRE_BROWSER=1 (set by `make test`), where a missing browser is a failure, so CI can
never pass by skipping.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from flows.settings import PROJECT_ROOT
from flows.validation.report import write_reports
from tests.validation.report_samples import steward_result

ARTIFACTS = PROJECT_ROOT / "out" / "test-artifacts"
BROWSER_TIMEOUT_SECONDS = 120
# Everything that could reach the network is off; the page itself also forbids it (CSP).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--host-resolver-rules=MAP * ~NOTFOUND"]


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = write_reports(steward_result(), tmp_path_factory.mktemp("report"))["html"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, ARTIFACTS / "validation-report.html")
    return path


def _run_chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                               capture_output=True, text=True, encoding="utf-8",
                               timeout=BROWSER_TIMEOUT_SECONDS, check=False)
    assert completed.returncode == 0, f"chromium failed:\n{completed.stderr[-3000:]}"
    return completed


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_rendered_page_shows_the_thai_summary_first(chromium: str, report_html: Path,
                                                    tmp_path: Path) -> None:
    dom = _run_chromium(chromium, tmp_path / "profile", "--dump-dom", report_html.as_uri()).stdout
    assert '<html lang="th">' in dom
    assert "รายงานผลการตรวจสอบคุณภาพข้อมูล" in dom
    assert "ไม่ผ่าน — ระงับการเผยแพร่" in dom
    assert dom.index("ไม่ผ่าน — ระงับการเผยแพร่") < dom.index("Fail — blocks publication")
    assert "สรุปตามกฎการตรวจสอบ" in dom
    assert "แสดง 20 จาก 5,123 รายการ" in dom


def test_a_script_in_the_data_is_shown_not_run(chromium: str, report_html: Path,
                                               tmp_path: Path) -> None:
    dom = _run_chromium(chromium, tmp_path / "profile", "--dump-dom", report_html.as_uri()).stdout
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in dom
    assert "<script" not in dom


def test_thai_capable_fonts_are_installed() -> None:
    """Without a Thai font Chromium draws boxes (tofu); the screenshots would be unreadable."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        pytest.skip("fontconfig's fc-list is not installed")
    families = subprocess.run([fc_list, ":lang=th", "family"], capture_output=True, text=True,
                              timeout=30, check=True).stdout
    assert families.strip(), "no Thai font installed: `apt-get install -y fonts-thai-tlwg`"


@pytest.mark.parametrize("name, width, height", [("desktop", 1280, 1600), ("phone", 390, 1600)])
def test_screenshot_is_kept_as_an_artifact(chromium: str, report_html: Path, tmp_path: Path,
                                           name: str, width: int, height: int) -> None:
    screenshot = ARTIFACTS / f"validation-report-{name}.png"
    screenshot.unlink(missing_ok=True)
    _run_chromium(chromium, tmp_path / "profile", f"--screenshot={screenshot}",
                  f"--window-size={width},{height}", report_html.as_uri())
    assert _png_size(screenshot) == (width, height)
