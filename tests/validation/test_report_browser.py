"""The steward report in a real browser: headless Chromium renders it offline, with Thai text.

Screenshots are kept in ``out/test-artifacts/`` for a person to look at (is the Thai legible, does
the page look right on a desktop and on a phone); the test checks what it can of that itself:
the pixels against a blank page of the same size, and, from a PDF print, the fonts Chromium
really drew the text with (one Thai-capable family of the house stack, so no boxes for Thai
letters). Marked ``browser``; without Chromium the tests skip, except when
SENATE_REQUIRE_BROWSER=1 (set by `make test`), where a missing browser is a failure, so CI can
never pass by skipping.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from flows.html_style import house_css
from flows.settings import PROJECT_ROOT
from flows.validation.report import write_reports
from tests.validation.report_samples import steward_result

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "out" / "test-artifacts"
BROWSER_TIMEOUT_SECONDS = 120
# Everything that could reach the network is off; the page itself also forbids it (CSP).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--host-resolver-rules=MAP * ~NOTFOUND"]
#: The report's title, the first Thai words a reader sees.
THAI_TITLE = "รายงานผลการตรวจสอบคุณภาพข้อมูล"
#: The house style's header band (flows/templates/house.css, --navy).
NAVY = (0x1F, 0x3A, 0x68)


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


def _screenshot(chromium: str, profile: Path, path: Path, url: str, *,
                size: tuple[int, int]) -> Image.Image:
    path.unlink(missing_ok=True)
    _run_chromium(chromium, profile, f"--screenshot={path}", f"--window-size={size[0]},{size[1]}",
                  url)
    with Image.open(path) as image:
        return image.convert("RGB")


def _share(mask: Image.Image) -> float:
    """The share of a mode-"1" image's pixels that are set."""
    return mask.histogram()[255] / (mask.width * mask.height)


def _ink(image: Image.Image) -> Image.Image:
    """Dark pixels (every channel under 100): text, mostly. The navy header is not ink."""
    red, green, blue = image.split()
    return ImageChops.lighter(ImageChops.lighter(red, green), blue).point(
        lambda value: 255 if value < 100 else 0, mode="1")


def _changed(image: Image.Image, reference: Image.Image) -> Image.Image:
    return ImageChops.difference(image, reference).convert("L").point(
        lambda value: 255 if value else 0, mode="1")


def test_rendered_page_shows_the_thai_summary_first(chromium: str, report_html: Path,
                                                    tmp_path: Path) -> None:
    dom = _run_chromium(chromium, tmp_path / "profile", "--dump-dom", report_html.as_uri()).stdout
    assert '<html lang="th">' in dom
    assert THAI_TITLE in dom
    assert "ไม่ผ่าน — ระงับการเผยแพร่" in dom
    assert dom.index("ไม่ผ่าน — ระงับการเผยแพร่") < dom.index("Fail — blocks publication")
    assert "สรุปตามกฎการตรวจสอบ" in dom
    assert "แสดง 20 จาก 5,123 รายการ" in dom


def test_a_script_in_the_data_is_shown_not_run(chromium: str, report_html: Path,
                                               tmp_path: Path) -> None:
    dom = _run_chromium(chromium, tmp_path / "profile", "--dump-dom", report_html.as_uri()).stdout
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in dom
    assert "<script" not in dom


def _font_stack(selector: str) -> list[str]:
    """The families of a rule's ``font-family`` in the house CSS, as PDF font names have them
    ("Noto Sans Thai" -> "NotoSansThai")."""
    rule = re.search(re.escape(selector) + r"\s*\{[^}]*?font-family:\s*([^;]+);", house_css())
    assert rule, f"no font-family for {selector!r} in flows/templates/house.css"
    return [family.strip().strip('"').replace(" ", "") for family in rule[1].split(",")]


def _pdf_font_families(pdf: bytes) -> set[str]:
    """The families of the fonts a PDF embeds: "/BaseFont /BAAAAA+Loma-Bold" -> "Loma"."""
    names = re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([A-Za-z0-9_-]+)", pdf)
    return {name.decode("ascii").split("-")[0] for name in names}


def _thai_font_families() -> set[str]:
    """Installed families with Thai glyphs (fontconfig, which Chromium draws with)."""
    fc_list = shutil.which("fc-list")
    assert fc_list, "fontconfig's fc-list is missing (Chromium needs fontconfig): reinstall it"
    listed = subprocess.run([fc_list, ":lang=th", "family"], capture_output=True, text=True,
                            timeout=30, check=True).stdout
    return {name.strip().replace(" ", "") for line in listed.splitlines()
            for name in line.split(",") if name.strip()}


def test_thai_text_is_drawn_in_a_thai_font_of_the_house_stack(chromium: str, report_html: Path,
                                                              tmp_path: Path) -> None:
    """The fonts Chromium really drew the report with (embedded in its PDF print): all the prose,
    Thai and English, in one family of the house stack, which has Thai glyphs. A stack whose
    first installed family lacks Thai would bring in a second, fallback font (or, with no Thai
    font at all, boxes instead of letters)."""
    pdf = tmp_path / "report.pdf"
    _run_chromium(chromium, tmp_path / "profile", "--no-pdf-header-footer",
                  f"--print-to-pdf={pdf}", report_html.as_uri())
    prose = _pdf_font_families(pdf.read_bytes()) - set(_font_stack("code, .mono"))
    assert len(prose) == 1, f"the prose is drawn in several fonts: {sorted(prose)}"
    [font] = prose
    assert font in _font_stack("body"), font
    assert font in _thai_font_families(), (
        f"{font} has no Thai glyphs: `apt-get install -y fonts-thai-tlwg`")


@pytest.mark.parametrize("name, width, height", [("desktop", 1280, 1600), ("phone", 390, 1600)])
@pytest.mark.slow  # 3 Chromium runs per size: ~2 s each
def test_screenshot_kept_as_an_artifact_shows_the_styled_report(
        chromium: str, report_html: Path, tmp_path: Path, name: str, width: int,
        height: int) -> None:
    profile, size = tmp_path / "profile", (width, height)
    shot = _screenshot(chromium, profile, ARTIFACTS / f"validation-report-{name}.png",
                       report_html.as_uri(), size=size)
    blank = _screenshot(chromium, profile, tmp_path / "blank.png", "about:blank", size=size)
    assert shot.size == size
    assert blank.getcolors(1) == [(width * height, (255, 255, 255))]  # the measure's zero
    assert shot.getpixel((2, 2)) == NAVY          # the house header band, so the CSS applied
    assert _share(_changed(shot, blank)) > 0.3    # a page drawn, not a blank one
    assert _share(_ink(shot)) > 0.003             # and text on it (0.7% on desktop, 1.1% phone)
    dom = _run_chromium(chromium, profile, "--dump-dom", report_html.as_uri()).stdout
    assert THAI_TITLE in dom
