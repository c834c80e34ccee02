"""Make the legacy-Word (.doc) fixtures once, with LibreOffice, from the DOCX renderer.

CI never runs this: the .doc files and their expected sections are committed under
tests/fixtures/documents/. Re-run only to change the fixtures:

    apt-get install -y libreoffice-writer-nogui fonts-noto-cjk
    python scripts/make_doc_fixtures.py
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao.demo.documents import expected_sections, random_content, render_docx  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "documents"
FIXTURES = (
    # (file stem, seed, agency, year, layout, zero)
    ("doc-2021-township", 101, "新密市岳村镇", 2023, "2021", False),
    ("doc-2019-county", 202, "平潭综合实验区管委会", 2020, "2019", False),
    ("doc-2021-zero", 303, "招远市金岭镇人民政府", 2022, "2021", True),
)


def main() -> int:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for stem, seed, agency, year, layout, zero in FIXTURES:
            content = random_content(random.Random(seed), agency, year, layout, zero=zero)
            source = Path(work) / f"{stem}.docx"
            source.write_bytes(render_docx(content))
            subprocess.run(
                [office, "--headless", f"-env:UserInstallation=file://{work}/profile",
                 "--convert-to", "doc:MS Word 97", "--outdir", str(OUT), str(source)],
                check=True,
                capture_output=True,
                timeout=180,
            )
            expected = {"agency": agency, "year": year, "layout": layout, **expected_sections(content)}
            (OUT / f"{stem}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"{stem}.doc: {(OUT / f'{stem}.doc').stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
