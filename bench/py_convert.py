"""`py_convert.py CSV_DIR OUT ENGINE`: converts every CSV of a release to Parquet with one
engine, `polars` or `duckdb`."""

import pathlib
import sys


def main():
    csv_dir, out, engine = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(csv_dir.glob("*.csv"))
    if engine == "polars":
        import polars as pl

        for f in files:
            pl.read_csv(f, infer_schema_length=10000).write_parquet(out / f"{f.stem}.parquet")
    elif engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        for f in files:
            con.execute(
                f"COPY (SELECT * FROM read_csv_auto('{f}')) TO '{out / (f.stem + '.parquet')}' "
                "(FORMAT PARQUET)"
            )
    else:
        sys.exit(f"unknown engine {engine!r}: polars or duckdb")


if __name__ == "__main__":
    main()
