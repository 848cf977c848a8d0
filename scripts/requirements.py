"""Print the project's runtime dependencies from pyproject.toml, one a line, for pip -r."""

import tomllib
from pathlib import Path

pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
print("\n".join(pyproject["project"]["dependencies"]))
