"""The API's reference page, drawn from its OpenAPI document as an ordinary page of the site (USWDS,
keyboard and screen-reader friendly), in place of Swagger UI, which axe-core finds failing
(contrast, nested controls, no page language)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    schema: str


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[tuple[str, Field]]  # (where: path or query, field)
    body: list[Field]
    body_type: str
    answers: list[Answer]


@dataclass(frozen=True)
class Group:
    tag: str
    operations: list[Operation]


def type_name(schema: dict[str, Any]) -> str:
    """A JSON schema as a short type: 'string (date)', 'array of SpendRow', 'integer or null'."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(type_name(s) for s in schema["anyOf"])
    kind = str(schema.get("type", "object"))
    if kind == "array":
        return f"array of {type_name(schema.get('items', {}))}"
    if kind == "object" and "additionalProperties" in schema:
        return "object"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return kind


def _body_type(answer: dict[str, Any]) -> str:
    return next((type_name(c["schema"]) for c in answer.get("content", {}).values()), "")


def _fields(schema: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", ()))
    return [
        Field(name, type_name(prop), name in required, str(prop.get("description", "")))
        for name, prop in schema.get("properties", {}).items()
    ]


def reference(document: dict[str, Any]) -> tuple[list[Group], list[tuple[str, str, list[Field]]]]:
    """The operations grouped by tag, in the document's order; and every schema's fields."""
    groups: dict[str, list[Operation]] = {}
    for path, methods in document.get("paths", {}).items():
        for method in _METHODS:
            op = methods.get(method)
            if op is None:
                continue
            body_type, body = "", []
            for media, content in op.get("requestBody", {}).get("content", {}).items():
                body_type, body = media, _fields(content.get("schema", {}))
            answers = [
                Answer(status, str(answer.get("description", "")), _body_type(answer))
                for status, answer in op.get("responses", {}).items()
            ]
            parameters = [
                (str(p["in"]), Field(
                    str(p["name"]), type_name(p.get("schema", {})), bool(p.get("required")),
                    str(p.get("description", p.get("schema", {}).get("description", ""))),
                ))
                for p in op.get("parameters", ())
            ]  # fmt: skip
            operation = Operation(
                anchor=str(op.get("operationId", f"{method}-{path}")), method=method.upper(),
                path=path, summary=str(op.get("summary", "")),
                description=str(op.get("description", "")), parameters=parameters, body=body,
                body_type=body_type, answers=answers,
            )  # fmt: skip
            for tag in op.get("tags", ["Other"]):
                groups.setdefault(str(tag), []).append(operation)
    schemas = [
        (name, str(schema.get("description", "")), _fields(schema))
        for name, schema in document.get("components", {}).get("schemas", {}).items()
        if schema.get("properties")
    ]
    return [Group(tag, ops) for tag, ops in groups.items()], schemas


class ReferencePage(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        groups, schemas = reference(document)
        context = {
            "info": document["info"],
            "groups": groups,
            "schemas": schemas,
            "openapi_url": self.get_openapi_url(api, kwargs),
        }
        return render(request, "api/reference.html", context)
