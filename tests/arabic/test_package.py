"""The package's boundary: a public surface, and no imports from Django or the rest of khabar."""

import ast
import pathlib
import sys

import khabar.arabic

PACKAGE_DIR = pathlib.Path(khabar.arabic.__file__).parent
ALLOWED_THIRD_PARTY = {"hijridate"}


def test_imports_only_stdlib_hijridate_and_itself():
    for path in PACKAGE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                continue
            if isinstance(node, ast.ImportFrom):
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
                    f"{path.name} imports {name}"
                )


def test_public_names_are_exported():
    for name in khabar.arabic.__all__:
        assert callable(getattr(khabar.arabic, name)), name
