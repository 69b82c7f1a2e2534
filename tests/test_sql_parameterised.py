"""Every SQL statement the project runs binds its values: no SQL is built by string
formatting (f-strings, %, .format, + or join) into `text(...)`, `exec_driver_sql`,
`execute`/`executemany` of a cursor or connection, or Alembic's `op.execute`.

The few statements that format are listed in ALLOWED with the reason: they put only
identifiers from the schema, constants or `?` placeholders into the text, never a value.
A listed place that no longer formats fails too, so the list stays honest."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO

SKIP_DIRS = {".venv", "tests", ".cache", "build", "dist", ".git", "qulaq.egg-info"}
SINK_METHODS = {"exec_driver_sql", "execute", "executemany", "executescript"}

# (file, function) -> why its formatted SQL carries no value
ALLOWED: dict[tuple[str, str], str] = {
    ("qulaq/storage/comments.py", "<module>"): (
        "_INSERT_SQL: column names from the schema and one ? per column; values are bound"
    ),
    ("qulaq/storage/comments.py", "_insert_rows"): "runs _INSERT_SQL (see <module>)",
    ("qulaq/storage/comments.py", "_existing_ids"): (
        "one (?, ?, ?) placeholder group per identity; the identities are bound"
    ),
    ("signals/store.py", "_insert_new"): (
        "column names from a module constant and one placeholder group per row; values bound"
    ),
    ("qulaq/storage/database.py", "_configure_sqlite._on_connect"): (
        "PRAGMA takes no parameter; the values are module constants (_BUSY_MS, "
        "_WRITER_CACHE_KIB, _WRITER_CHECKPOINT_PAGES)"
    ),
    ("bench/dashboard.py", "generate"): (
        "benchmark bulk load: column names from a constant and 29 ? placeholders"
    ),
    ("bench/dashboard.py", "run"): "the same benchmark insert as in generate",
}


@dataclass(frozen=True)
class Finding:
    path: str
    function: str
    line: int
    code: str


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _stringy(node: ast.AST, names: dict[str, list[ast.AST]], depth: int) -> bool:
    """A string: a literal, an f-string, or a name given one."""
    if _is_str(node) or isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Name) and depth <= 4:
        return any(_stringy(v, names, depth + 1) for v in names.get(node.id, ()))
    return _formatted(node, names, depth + 1)


def _formatted(node: ast.AST | None, names: dict[str, list[ast.AST]], depth: int = 0) -> bool:
    """Whether the expression builds a string by formatting or concatenation."""
    if node is None or depth > 4:
        return False
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _is_str(node.left) or _formatted(node.left, names, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        sides = (node.left, node.right)
        return any(_stringy(s, names, depth + 1) for s in sides)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join")
        and (_is_str(node.func.value) or _formatted(node.func.value, names, depth + 1))
    ):
        return True
    if isinstance(node, ast.IfExp):
        return _formatted(node.body, names, depth + 1) or _formatted(node.orelse, names, depth + 1)
    if isinstance(node, ast.Name):
        return any(_formatted(v, names, depth + 1) for v in names.get(node.id, ()))
    return False


def _assignments(body: list[ast.stmt]) -> dict[str, list[ast.AST]]:
    """Values assigned to plain names in a scope (nested functions excluded)."""
    out: dict[str, list[ast.AST]] = {}
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            if node.value is not None:
                out.setdefault(node.target.id, []).append(node.value)
            if isinstance(node, ast.AugAssign):  # sql += "…": a concatenation
                out.setdefault(node.target.id, []).append(
                    ast.BinOp(ast.Name(node.target.id), ast.Add(), node.value)
                )
        stack.extend(ast.iter_child_nodes(node))
    return out


def _sql_text_names(tree: ast.Module) -> set[str]:
    """Local names of sqlalchemy's `text` in this module."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names |= {a.asname or a.name for a in node.names if a.name == "text"}
    return names


def _sink_argument(call: ast.Call, text_names: set[str]) -> ast.AST | None:
    func = call.func
    is_sink = (isinstance(func, ast.Name) and func.id in text_names) or (
        isinstance(func, ast.Attribute)
        and (
            func.attr in SINK_METHODS
            or (
                func.attr == "text"
                and isinstance(func.value, ast.Name)
                and func.value.id in ("sa", "sqlalchemy")
            )
        )
    )
    if not is_sink:
        return None
    if call.args:
        return call.args[0]
    for kw in call.keywords:
        if kw.arg in ("statement", "sql", "text", "sqltext"):
            return kw.value
    return None


def scan_source(source: str, path: str) -> list[Finding]:
    tree = ast.parse(source, path)
    text_names = _sql_text_names(tree)
    module_names = _assignments(tree.body)
    found: list[Finding] = []

    def visit(node: ast.AST, qualname: list[str], names: dict[str, list[ast.AST]]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                local = _assignments(child.body)
                merged = {**names, **local}
                visit(child, [*qualname, child.name], merged)
                continue
            if isinstance(child, ast.ClassDef):
                visit(child, [*qualname, child.name], names)
                continue
            if isinstance(child, ast.Call):
                arg = _sink_argument(child, text_names)
                if arg is not None and _formatted(arg, names):
                    found.append(
                        Finding(
                            path,
                            ".".join(qualname) or "<module>",
                            child.lineno,
                            ast.get_source_segment(source, child) or "",
                        )
                    )
            visit(child, qualname, names)

    visit(tree, [], module_names)
    # a module-level SQL constant built by formatting counts at module level
    for name, values in module_names.items():
        if name.upper().endswith("SQL") and any(_formatted(v, module_names) for v in values):
            found.append(Finding(path, "<module>", values[0].lineno, name))  # type: ignore[attr-defined]
    return found


def project_sources() -> list[Path]:
    out = []
    for path in sorted(REPO.rglob("*.py")):
        rel = path.relative_to(REPO)
        if not SKIP_DIRS.intersection(rel.parts[:-1]):
            out.append(path)
    return out


def test_the_scanner_finds_formatted_sql_and_passes_bound_sql() -> None:
    bad = """
from sqlalchemy import text as sql_text
def a(conn, name, n):
    conn.execute(sql_text(f"SELECT * FROM t WHERE name = '{name}'"))
def b(cur, name):
    cur.execute("SELECT * FROM t WHERE name = '%s'" % name)
def c(conn, name):
    q = "DELETE FROM t WHERE name = '{}'".format(name)
    conn.exec_driver_sql(q)
def d(cur, name):
    sql = "SELECT 1 FROM t WHERE a = '"
    sql += name
    cur.executemany(sql, [])
def e(op, table):
    op.execute("DROP TABLE " + table)
def f(conn, days):
    conn.execute(sql_text("DELETE FROM t WHERE age > " + str(days)))
"""
    found = {f.function for f in scan_source(bad, "bad.py")}
    assert found == {"a", "b", "c", "d", "e", "f"}
    good = """
from sqlalchemy import text, select
def a(conn, name):
    conn.execute(text("SELECT * FROM t WHERE name = :name"), {"name": name})
    conn.execute(select(t).where(t.c.name == name))
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    st.text(f"{name}")
    cur.execute("SELECT ? ", (name,))
"""
    assert scan_source(good, "good.py") == []


def test_project_sql_is_parameterised() -> None:
    findings = [
        f
        for path in project_sources()
        for f in scan_source(path.read_text(encoding="utf-8"), path.relative_to(REPO).as_posix())
    ]
    unexplained = [f for f in findings if (f.path, f.function) not in ALLOWED]
    assert not unexplained, "SQL built by formatting (bind the values instead):\n" + "\n".join(
        f"{f.path}:{f.line} in {f.function}: {f.code}" for f in unexplained
    )
    stale = set(ALLOWED) - {(f.path, f.function) for f in findings}
    assert not stale, f"allowed places that no longer format SQL, remove them: {sorted(stale)}"
