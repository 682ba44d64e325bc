"""Runs the ```python cells of walkthrough.md.in in one namespace (from the repository root) and writes
docs/python.md with each cell's output beneath it: what it prints, then the value of its last line."""

import ast
import contextlib
import io
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
source = (pathlib.Path(__file__).parent / "walkthrough.md.in").read_text()
namespace: dict = {}


def run(code: str) -> str:
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(tree, "<cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
            if value is not None:
                print(value)
    return out.getvalue().rstrip()


def cell(match: re.Match) -> str:
    code = match.group(1)
    output = run(code)
    return f"```python\n{code}```\n" + (f"```\n{output}\n```\n" if output else "")


import os
os.chdir(ROOT)
(ROOT / "docs" / "python.md").write_text(re.sub(r"```python\n(.*?)```\n", cell, source, flags=re.S))
