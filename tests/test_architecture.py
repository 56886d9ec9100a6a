"""Dependencies between the top-level packages point one way (README, "What is here"):

    core  <-  surveys  <-  accounts  <-  feedback  <-  admin

Every import of every module counts: at the top of a file, inside a function, or under
`if TYPE_CHECKING:`. A cycle between two packages fails the suite with the import lines that
close it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The order the packages may depend on each other: each imports only those before it.
LAYERS = ("core", "surveys", "accounts", "feedback", "admin")


def top_level_packages(root: Path) -> set[str]:
    """The directories of `root` that are Python packages."""
    return {path.parent.name for path in root.glob("*/__init__.py")}


def package_imports(root: Path) -> dict[tuple[str, str], list[str]]:
    """Every import from one top-level package of `root` into another, as
    {(importer, imported): ["module.py:line imports name", ...]}."""
    packages = top_level_packages(root)
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for package in sorted(packages):
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:  # a relative import stays inside its own package
                    continue
                for name in names:
                    imported = name.split(".")[0]
                    if imported in packages and imported != package:
                        where = f"{path.relative_to(root)}:{node.lineno} imports {name}"
                        found[(package, imported)].append(where)
    return dict(found)


def package_cycle(edges: dict[tuple[str, str], list[str]]) -> list[str] | None:
    """One cycle between packages (as the list of packages along it, first repeated at the end),
    or None when the dependencies point one way."""
    graph: dict[str, set[str]] = defaultdict(set)
    for importer, imported in edges:
        graph[importer].add(imported)
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return path[path.index(node):] + [node]
        if node in done:
            return None
        for following in sorted(graph[node]):
            cycle = visit(following, path + [node])
            if cycle:
                return cycle
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None


def _explain(cycle: list[str], edges: dict[tuple[str, str], list[str]]) -> str:
    lines = [" -> ".join(cycle)]
    for importer, imported in zip(cycle, cycle[1:], strict=False):
        places = edges[(importer, imported)]
        lines += [f"  {where}" for where in places[:3]]
        lines += [f"  … and {len(places) - 3} more"] if len(places) > 3 else []
    return "\n".join(lines)


def test_no_import_cycle_between_top_level_packages():
    edges = package_imports(ROOT)
    cycle = package_cycle(edges)
    assert cycle is None, _explain(cycle, edges)


def test_each_package_imports_only_the_layers_below_it():
    assert top_level_packages(ROOT) == set(LAYERS), "a package was added: place it in LAYERS"
    upward = [where for (importer, imported), places in package_imports(ROOT).items()
              if LAYERS.index(imported) > LAYERS.index(importer) for where in places]
    assert upward == []


def test_the_check_finds_a_cycle_hidden_in_a_function(tmp_path):
    for package, body in (
        ("low", "def helper():\n    from high.views import page\n    return page\n"),
        ("high", "from low import helper\n"),
    ):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
        (tmp_path / package / "views.py").write_text(body)
    edges = package_imports(tmp_path)
    assert package_cycle(edges) == ["high", "low", "high"]
    assert edges[("low", "high")] == ["low/views.py:2 imports high.views"]
    (tmp_path / "low" / "views.py").write_text("def helper():\n    return 1\n")
    assert package_cycle(package_imports(tmp_path)) is None
