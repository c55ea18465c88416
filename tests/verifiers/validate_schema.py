"""Validates credentials against 1EdTech's JSON Schema for an Open Badges 3.0
AchievementCredential (the JSON-LD variant, draft 2019-09), with the `jsonschema` package.

    python validate_schema.py SCHEMA.json CREDENTIAL.json...

The schema is the JSON-LD variant: every property that may repeat is written as an array there.
In JSON-LD a single value and an array of one are the same statement, and Data Integrity writes
one proof as an object; so a single `proof` object is checked as a list of one (nothing else is
rewritten).

Prints one line per credential, "valid" or the first errors; exits 0 only when all are valid.
"""
import json
import sys

from jsonschema import Draft201909Validator


def main():
    schema = json.load(open(sys.argv[1]))
    validator = Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)
    ok = True
    for path in sys.argv[2:]:
        doc = json.load(open(path))
        if isinstance(doc.get("proof"), dict):
            doc["proof"] = [doc["proof"]]
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            ok = False
            shown = "; ".join(f"{'/'.join(map(str, e.path))}: {e.message[:200]}" for e in errors[:5])
            print(f"{path}: invalid: {shown}")
        else:
            print(f"{path}: valid")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
