#!/usr/bin/env python3
"""Validate Simpul plugin messages against messages.schema.json.

    python3 plugins/schema/validate.py DEFINITION MESSAGE.json [MESSAGE.json ...]

DEFINITION is the kind of message: AdapterRequest, AdapterResponse, AdapterError, Manifest
or HostInfo (or any other definition of the schema, e.g. TrainingCenter). A MESSAGE of `-`
is read from standard input. Prints each violation with the path of the offending value and
exits with 1 if any message is invalid. Needs the `jsonschema` package (pip install jsonschema).
"""

import json
import os
import sys

from jsonschema import Draft7Validator

SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "messages.schema.json")


def explain(error):
    """The violations to show for an error. A oneOf or anyOf (a message kind, a record
    collection, a filter) fails as a whole, with the errors of every branch inside; show those
    of the branch the message meant: the one it gets furthest into before it fails."""
    if not error.context:
        return [error]
    branches = {}
    for inner in error.context:
        branches.setdefault(inner.relative_schema_path[0], []).extend(explain(inner))
    reach = {b: min(len(e.absolute_path) for e in found) for b, found in branches.items()}
    furthest = max(reach.values())
    return [e for b, found in branches.items() if reach[b] == furthest for e in found]


def violations(validator, message):
    """(path, problem) for each violation, without repeats."""
    seen, out = set(), []
    for error in validator.iter_errors(message):
        for leaf in explain(error):
            where = "/" + "/".join(str(p) for p in leaf.absolute_path)
            if (where, leaf.message) not in seen:
                seen.add((where, leaf.message))
                out.append((where, leaf.message))
    return out


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__.strip())
    definition, paths = argv[1], argv[2:]
    with open(SCHEMA_FILE, encoding="utf-8") as f:
        schema = json.load(f)
    if definition not in schema["definitions"]:
        sys.exit(f"{definition} is not a definition of {SCHEMA_FILE}")
    # In draft-07 a `$ref` replaces its siblings: the document is entered at the definition.
    schema["$ref"] = "#/definitions/" + definition
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    invalid = False
    for path in paths:
        if path == "-":
            message = json.load(sys.stdin)
        else:
            with open(path, encoding="utf-8") as f:
                message = json.load(f)
        errors = violations(validator, message)
        for where, problem in errors:
            print(f"{path}: {where}: {problem}")
        if errors:
            invalid = True
        else:
            print(f"{path}: a valid {definition}")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
