"""Build the customer dimension (local stand-in for the Spark Glue job; plain python3).

Keeps the latest version of each customer (by updated_at), normalises the
email, and writes it next to the raw partition:
s3://<bucket>/raw/customers/date=D/ -> s3://<bucket>/curated/customer_dim/date=D/
(or --out when given).
"""
import argparse
import csv
import json
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the jobs
import lake  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False)
    parser.add_argument("--customers", required=True)
    parser.add_argument("--out")
    parser.add_argument("--JOB_NAME", default="refresh-customer-dim")
    args, _ = parser.parse_known_args()
    out_uri = args.out or args.customers.replace("/raw/customers/", "/curated/customer_dim/")

    with open(lake.path(args.customers) / "customers.csv", newline="", encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    latest = {}
    for row in raw:
        current = latest.get(row["customer_id"])
        if current is None or row["updated_at"] > current["updated_at"]:
            latest[row["customer_id"]] = row
    dim = [
        {"customer_id": r["customer_id"], "name": r["name"], "email": r["email"].strip().lower(),
         "country": r["country"], "region": r["region"], "created_at": r["created_at"], "updated_at": r["updated_at"]}
        for r in sorted(latest.values(), key=lambda r: r["customer_id"])
    ]
    out = lake.path(out_uri)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "customer_dim.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(dim[0]))
        writer.writeheader()
        writer.writerows(dim)
    summary = {"job": args.JOB_NAME, "read": len(raw), "customers": len(dim), "out": out_uri}
    (out / "_manifest.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"customer dimension: {len(raw)} rows -> {len(dim)} customers -> {out_uri}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
