"""`py_schema_only.py DIR`: JSON Schema checking alone. Loads every file and builds the
validators untimed, then times only the loop over the already-parsed records, with jsonschema
(Draft202012Validator.iter_errors) and with fastjsonschema (compiled, draft-07 semantics; the
schemas use no 2020-12-only keyword). Prints `jsonschema_s X` and `fastjsonschema_s Y`."""

import sys
import time

import fastjsonschema
from jsonschema import Draft202012Validator

import common


def main():
    docs = common.load(sys.argv[1])
    recs = common.records(docs)
    schemas = common.record_schemas()

    validators = {f: Draft202012Validator(s) for f, s in schemas.items()}
    t = time.perf_counter()
    errors = 0
    for name, record in recs:
        for _ in validators[name].iter_errors(record):
            errors += 1
    js = time.perf_counter() - t
    if errors:
        print(f"jsonschema: {errors} error(s)", file=sys.stderr)

    compiled = {}
    for f, s in schemas.items():
        s = {k: v for k, v in s.items() if k != "$schema"}
        s["$schema"] = "http://json-schema.org/draft-07/schema#"
        compiled[f] = fastjsonschema.compile(s)
    t = time.perf_counter()
    errors = 0
    for name, record in recs:
        try:
            compiled[name](record)
        except fastjsonschema.JsonSchemaException:
            errors += 1
    fjs = time.perf_counter() - t
    if errors:
        print(f"fastjsonschema: {errors} error(s)", file=sys.stderr)

    print(f"records {len(recs)}")
    print(f"jsonschema_s {js:.6f}")
    print(f"fastjsonschema_s {fjs:.6f}")


if __name__ == "__main__":
    main()
