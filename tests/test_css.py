"""The style sheets say each thing once: a selector has one rule per media context.

When two apps each wrote their own `.form` or `.data-table` rule, the later one silently won
and the earlier one became dead code that still looked authoritative (issue 17).
"""

import re
from collections import defaultdict
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parent.parent / "static" / "css"


def rules(text: str) -> dict[tuple[str, str], list[int]]:
    """Map (media context, normalised selector) to the lines where a rule for it starts."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    contexts: list[str] = []
    depth_of_context: list[int] = []
    depth, line, buffer, start = 0, 1, "", 1
    for char in text:
        if not buffer.strip() and not char.isspace():
            start = line  # the line where the next selector or at-rule begins
        if char == "{":
            head = " ".join(buffer.split())
            if head.startswith("@"):
                contexts.append(head)
                depth_of_context.append(depth)
            else:
                found[(" ".join(contexts), head)].append(start)
            depth += 1
            buffer = ""
        elif char == "}":
            depth -= 1
            if depth_of_context and depth_of_context[-1] == depth:
                contexts.pop()
                depth_of_context.pop()
            buffer = ""
        elif char == ";" and not contexts and depth == 0:
            buffer = ""  # @import / @charset
        else:
            buffer += char
        if char == "\n":
            line += 1
    return found


@pytest.mark.parametrize("name", ["portal.css", "print.css"])
def test_each_selector_has_one_rule(name):
    repeated = {
        key: lines for key, lines in rules((CSS / name).read_text()).items() if len(lines) > 1
    }
    assert not repeated, f"{name}: selectors with more than one rule (merge them): {repeated}"


def test_the_check_finds_a_repeat_and_respects_media():
    css = ".a { x: 1; }\n@media (max-width: 1px) {\n  .a { x: 2; }\n}\n.b { y: 1; }\n.a { z: 3; }\n"
    found = rules(css)
    assert found[("", ".a")] == [1, 6]
    assert found[("@media (max-width: 1px)", ".a")] == [3]
