"""The national catalog's last answer, kept as a file the pipeline reads as data.

`senate-catalog national status` writes ``<out>/national/status.json`` every time it asks (also
when a catalog did not answer: then the file says so). The KPI 1.3 conditions deriver reads it
from the run's output folder, so condition 7 depends on a file, not on a network call made deep
in the pipeline or on settings read there. No file means the national catalog was never asked
(none configured, or the command was not run): condition 7 then says so and is not met.
"""

from __future__ import annotations

import json
from pathlib import Path

from flows.atomic import write_text_atomic
from flows.national.status import NationalStatus

ANSWER_FILE = Path("national") / "status.json"


def answer_path(out_dir: Path) -> Path:
    return Path(out_dir) / ANSWER_FILE


def write_answer(out_dir: Path, answer: NationalStatus) -> Path:
    """Write the answer as UTF-8 JSON (Thai kept readable); an identical file is untouched."""
    path = answer_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(path, json.dumps(answer.to_json(), ensure_ascii=False, indent=2)
                             + "\n")


def read_answer(out_dir: Path) -> NationalStatus | None:
    """The last answer, or None when the national catalog was never asked.

    A file that cannot be read is an answer too: one that knows of no registration and says
    why, so condition 7 is not claimed from it.
    """
    path = answer_path(out_dir)
    if not path.exists():
        return None
    try:
        return NationalStatus.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return NationalStatus(national_url="", agency_url="", checked_at="",
                              error=f"{path} cannot be read ({type(exc).__name__}); run "
                                    "`senate-catalog national status` again")
