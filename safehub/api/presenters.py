"""The OpenAPI schema as GOV.UK-readable operations for the API reference page."""

from __future__ import annotations

from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _fields(schema: dict[str, Any], node: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not node:
        return []
    node = _resolve(schema, node)
    if node.get("type") == "array":
        node = _resolve(schema, node.get("items", {}))
    required = set(node.get("required", []))
    rows = []
    for name, prop in node.get("properties", {}).items():
        prop = _resolve(schema, prop) if "$ref" in prop else prop
        kind = prop.get("type") or ("choice" if "enum" in prop else "object")
        if "allOf" in prop or "oneOf" in prop:
            inner = _resolve(schema, (prop.get("allOf") or prop.get("oneOf"))[0])
            kind = "choice" if "enum" in inner else inner.get("type", "object")
            prop = {**inner, **{k: v for k, v in prop.items() if k not in ("allOf", "oneOf")}}
        rows.append(
            {
                "name": name,
                "type": prop.get("format") or kind,
                "required": name in required,
                "read_only": prop.get("readOnly", False),
                "choices": ", ".join(str(v) for v in prop.get("enum", []) if v),
                "description": prop.get("description", ""),
            }
        )
    return rows


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            ok = next((r for code, r in op.get("responses", {}).items() if code.startswith("2")), {})
            rows.append(
                {
                    "anchor": op.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary") or op.get("description", "").split("\n")[0],
                    "description": op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "request_fields": _fields(schema, body),
                    "response_fields": _fields(
                        schema, ok.get("content", {}).get("application/json", {}).get("schema")
                    ),
                    "responses": sorted(op.get("responses", {})),
                }
            )
    return rows
