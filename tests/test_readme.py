"""The README's "Testing your client" examples, run exactly as written: each Python block is a user's
test file, run by pytest with the installed plugin in a temporary directory."""

import re
import subprocess
import sys

import pytest

from mockserver import PROJECT_ROOT

SECTION = re.compile(r"^## Testing your client\n(.*?)(?=^## )", re.MULTILINE | re.DOTALL)
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def examples() -> list[str]:
    section = SECTION.search((PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))
    assert section, "README.md has no 'Testing your client' section"
    return BLOCK.findall(section.group(1))


def test_the_section_has_examples_of_the_plugin_journal_clock_and_faults():
    text = "\n".join(examples())
    for used in ("mockserver_url", "mockserver.requests(", "mockserver.count(", "mockserver.clock.", ".fault("):
        assert used in text, used


@pytest.mark.slow
def test_the_examples_run_as_written(tmp_path):
    blocks = examples()
    for number, block in enumerate(blocks):
        (tmp_path / f"test_readme_example_{number}.py").write_text(block, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    expected = sum(len(re.findall(r"^def test_", block, re.MULTILINE)) for block in blocks)
    assert f"{expected} passed" in result.stdout
