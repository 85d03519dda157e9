"""Validates an OpenAPI document with openapi-spec-validator; prints every error, exits 1 on any."""
import json
import sys

from openapi_spec_validator import OpenAPIV31SpecValidator

with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
errors = list(OpenAPIV31SpecValidator(doc).iter_errors())
for e in errors:
    print(f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}")
print(f"{len(errors)} errors")
sys.exit(1 if errors else 0)
