#!/usr/bin/env python3
"""Validates an OSCAL JSON document against a NIST OSCAL JSON Schema (draft-07), as the shared data README
does: python3-jsonschema with `pattern` checked by the `regex` module (the schemas use \\p{L}, which Python's
re rejects). Usage: oscal_jsonschema.py SCHEMA DOCUMENT. Exit 0 and "DOCUMENT validates", exit 1 with the
first errors, exit 77 when python3-jsonschema or python3-regex is missing (the test then skips)."""
import json
import sys

try:
    import jsonschema
    import regex
except ImportError as e:  # pragma: no cover
    print(f"skip: {e} (install python3-jsonschema and python3-regex)")
    sys.exit(77)


def pattern(validator, p, instance, schema):
    if isinstance(instance, str) and not regex.search(p, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {p}")


V = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": pattern})
with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    doc = json.load(f)
errors = list(V(schema).iter_errors(doc))
for e in errors[:9]:
    print(e.json_path, e.message[:200])
print(sys.argv[2], "validates" if not errors else f"fails ({len(errors)} errors)")
sys.exit(1 if errors else 0)
