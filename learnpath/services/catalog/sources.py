"""Reading catalog files with the line of every field, so errors can name file, line and field."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


class CatalogError(Exception):
    """One or more problems in catalog files; nothing was written."""

    def __init__(self, problems: list["Problem"]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Problem:
    """A problem at a place in a file: `file:line: field: message`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


@dataclass
class Source:
    """A parsed file: its data, the line of each field path, and its line offset in the file."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """Line of the deepest known prefix of `loc` (1 for the whole file)."""
        for cut in range(len(loc), -1, -1):
            if loc[:cut] in self.lines:
                return self.lines[loc[:cut]]
        return 1

    def problem(self, loc: Loc, message: str) -> Problem:
        """A Problem pointing at `loc` in this file."""
        return Problem(self.path, self.line(loc), field_name(loc), message)

    def validate(self, model: type[M], problems: list[Problem]) -> M | None:
        """Validate the data with a pydantic model, turning its errors into Problems."""
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
                problems.append(self.problem(loc, _clean(err["msg"])))
            return None


def field_name(loc: Loc) -> str:
    """`('items', 3, 'b')` → `items[3].b`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _is_union_tag(part: str | int) -> bool:
    return isinstance(part, str) and (part in {"str", "function-after[...]"} or "[" in part)


def _clean(message: str) -> str:
    return message.removeprefix("Value error, ")


def read_text(path: Path, display: str) -> str:
    """A file's text; CatalogError at the line of an invalid UTF-8 byte or of a NUL character."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        raise CatalogError([Problem(display, line, "", message)]) from exc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CatalogError([Problem(display, line, "", "contains a NUL character")])
    return text


def read_yaml(path: Path, display: str, offset: int = 0, text: str | None = None) -> Source:
    """Parse YAML keeping each field's line; raises CatalogError for malformed YAML."""
    text = read_text(path, display) if text is None else text
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else 1
        raise CatalogError([Problem(display, line, "", f"malformed YAML: {exc.problem}")]) from exc
    source = Source(display, None)
    builder = _Builder(source, offset)
    source.data = builder.build(node, ()) if node is not None else {}
    return source


class _Builder:
    """Builds plain Python data from a YAML node tree, recording the line of every path."""

    def __init__(self, source: Source, offset: int) -> None:
        self.source, self.offset = source, offset
        self.scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.source.lines.setdefault(loc, node.start_mark.line + 1 + self.offset)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalars.construct_object(key_node)
                if key in out:
                    line = key_node.start_mark.line + 1 + self.offset
                    problem = Problem(
                        self.source.path, line, field_name((*loc, key)), "duplicate key"
                    )
                    raise CatalogError([problem])
                self.source.lines[(*loc, key)] = key_node.start_mark.line + 1 + self.offset
                out[key] = self.build(value_node, (*loc, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(n, (*loc, i)) for i, n in enumerate(node.value)]
        return self.scalars.construct_object(node)


FRONT = "---"


def read_markdown(path: Path, display: str) -> tuple[Source, str]:
    """Split a Markdown file into its YAML front matter (as a Source) and its body."""
    text = read_text(path, display)
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT:
        raise CatalogError(
            [Problem(display, 1, "", "missing YAML front matter (a first line '---')")]
        )
    for end in range(1, len(lines)):
        if lines[end].strip() == FRONT:
            source = read_yaml(path, display, offset=1, text="".join(lines[1:end]))
            return source, "".join(lines[end + 1 :]).strip("\n") + "\n"
    raise CatalogError([Problem(display, 1, "", "front matter is not closed by a line '---'")])
