#!/usr/bin/env python3
"""schema_check.py FILE.ok... - every JSON golden output validates against
doc/headroom.schema.json (one document, or one document per line for
explain --json-lines). Files that are not JSON are skipped; a file that
starts like JSON but does not parse is a failure. Needs python3-jsonschema
(tools/install-deps.sh test)."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("schema_check: python3-jsonschema is missing (tools/install-deps.sh test)")
    sys.exit(1)

SCHEMA = json.load(open("doc/headroom.schema.json"))
jsonschema.Draft202012Validator.check_schema(SCHEMA)
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


def validator_for(doc):
    """The whole schema, or for a document that names its command the
    branch for it, so an error message points at the field, not at anyOf."""
    branch = None
    if isinstance(doc, dict):
        branch = "explain_line" if "type" in doc else {
            "check": "check_document", "explain": "explain_document"}.get(doc.get("command"))
    schema = SCHEMA if not branch else {
        "$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{branch}"}
    return jsonschema.Draft202012Validator(schema, format_checker=FORMATS)


def documents(text):
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


problems = docs = 0
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    if not text.lstrip().startswith("{"):
        continue
    try:
        parsed = documents(text)
    except json.JSONDecodeError as e:
        print(f"{path}: not JSON: {e}")
        problems += 1
        continue
    for n, doc in enumerate(parsed, 1):
        docs += 1
        for err in validator_for(doc).iter_errors(doc):
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{path}: document {n}: /{where}: {err.message[:300]}")
            problems += 1
print(f"schema_check: {docs} JSON documents, {problems} problems")
sys.exit(1 if problems else 0)
