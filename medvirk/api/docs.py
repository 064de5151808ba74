"""The API's documentation page, made from the OpenAPI schema on the server.

Swagger UI and ReDoc run in the browser with JavaScript from elsewhere; this reads the same
schema and lists each operation as HTML, so the page follows the no-JavaScript rule and the
Content-Security-Policy, and never drifts from the schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Parameter:
    name: str
    where: str
    required: bool
    kind: str


@dataclass(frozen=True)
class Answer:
    status: str
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    scope: str
    anchor: str
    parameters: list[Parameter] = field(default_factory=list)
    body_types: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)


def _kind(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_kind(option) for option in schema["anyOf"])
    if "allOf" in schema:
        return " & ".join(_kind(part) for part in schema["allOf"])
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    kind = str(schema.get("type", "object"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _parameter(found: dict[str, Any], schemas: dict[str, Any]) -> Parameter:
    schema = found.get("schema", {})
    if "$ref" in schema:
        schema = schemas.get(str(schema["$ref"]).rsplit("/", 1)[-1], schema)
    return Parameter(
        name=str(found["name"]),
        where=str(found.get("in", "")),
        required=bool(found.get("required", False)),
        kind=_kind(schema),
    )


def operations(schema: dict[str, Any]) -> list[Operation]:
    """Every operation in the schema, in its order."""
    schemas = schema.get("components", {}).get("schemas", {})
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=str(operation.get("summary", "")),
                    description=str(operation.get("description", "")),
                    scope=str(operation.get("x-scope", "")),
                    anchor=str(operation.get("operationId", f"{method}-{path}")),
                    parameters=[_parameter(p, schemas) for p in operation.get("parameters", [])],
                    body_types=list(operation.get("requestBody", {}).get("content", {})),
                    answers=[
                        Answer(str(status), str(answer.get("description", "")))
                        for status, answer in sorted(operation.get("responses", {}).items())
                    ],
                )
            )
    return found
