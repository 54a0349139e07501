"""`py_validate.py DIR`: what the Rust validator does, in Python: tomllib, jsonschema
(Draft202012Validator.iter_errors per record with the committed schemas), unique ids,
references and quotes. Exit 1 if any problem."""

import sys

from jsonschema import Draft202012Validator

import common


def main():
    dir_ = sys.argv[1]
    docs = common.load(dir_)
    validators = {f: Draft202012Validator(s) for f, s in common.record_schemas().items()}
    problems = []
    for name, record in common.records(docs):
        for err in validators[name].iter_errors(record):
            problems.append(f"{name}: {err.message}")
    problems += common.rule_checks(dir_, docs)
    for p in problems[:20]:
        print(p, file=sys.stderr)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
