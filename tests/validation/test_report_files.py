import json
from pathlib import Path

from flows.validation.report import write_reports
from tests.validation.report_samples import steward_result


def test_three_reports_are_written_into_the_dataset_folder(tmp_path: Path) -> None:
    out_dir = tmp_path / "out" / "senate-votes"
    paths = write_reports(steward_result(), out_dir)
    assert paths == {"json": out_dir / "validation.json", "html": out_dir / "report.html",
                     "markdown": out_dir / "summary.md"}
    assert sorted(p.name for p in out_dir.iterdir()) == ["report.html", "summary.md",
                                                         "validation.json"]
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["dataset"] == "senate-votes"
    assert "<html lang=\"th\">" in paths["html"].read_text(encoding="utf-8")


def test_rewriting_gives_the_same_bytes(tmp_path: Path) -> None:
    first = {kind: path.read_bytes() for kind, path in write_reports(steward_result(),
                                                                     tmp_path / "a").items()}
    second = {kind: path.read_bytes() for kind, path in write_reports(steward_result(),
                                                                      tmp_path / "b").items()}
    assert first == second
    assert b"\r\n" not in first["json"]
