"""Clean the day's orders and join each customer's region (the Glue Python-shell job).

Glue passes `--key value` arguments (plus --JOB_NAME and others this job
ignores). Drops invalid rows (non-positive quantity, missing or bad price,
unknown customer, duplicate order id), converts prices to EUR, and writes
JSON lines plus a CSV under --out.
"""
import argparse
import csv
import json
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

sys.dont_write_bytecode = True  # no __pycache__ next to the jobs
import lake  # noqa: E402

TO_EUR = {"EUR": Decimal("1"), "USD": Decimal("0.92"), "GBP": Decimal("1.17")}
CENT = Decimal("0.01")


def read_csv(uri: str, name: str):
    with open(lake.path(uri) / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False)
    parser.add_argument("--orders", required=True)
    parser.add_argument("--customers", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--extract-job-id", default="")
    parser.add_argument("--JOB_NAME", default="transform-orders")
    args, _ = parser.parse_known_args()

    region = {row["customer_id"]: row["region"] for row in read_csv(args.customers, "customers.csv")}
    raw = read_csv(args.orders, "orders.csv")
    clean, dropped, seen = [], {}, set()

    def drop(reason: str) -> None:
        dropped[reason] = dropped.get(reason, 0) + 1

    for row in raw:
        try:
            quantity = int(row["quantity"])
            price = Decimal(row["unit_price"].replace(",", "."))
        except (ValueError, InvalidOperation):
            drop("unparseable")
            continue
        if quantity <= 0 or price <= 0:
            drop("non_positive")
        elif row["currency"] not in TO_EUR:
            drop("unknown_currency")
        elif row["customer_id"] not in region:
            drop("unknown_customer")
        elif row["order_id"] in seen:
            drop("duplicate")
        else:
            seen.add(row["order_id"])
            unit_eur = (price * TO_EUR[row["currency"]]).quantize(CENT, ROUND_HALF_UP)
            clean.append({
                "order_id": row["order_id"], "customer_id": row["customer_id"], "region": region[row["customer_id"]],
                "sku": row["sku"], "quantity": quantity, "unit_price_eur": str(unit_eur),
                "amount_eur": str((unit_eur * quantity).quantize(CENT)), "source_currency": row["currency"],
                "ordered_at": row["ordered_at"],
            })

    out = lake.path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "orders.jsonl", "w", encoding="utf-8") as f:
        for row in clean:
            f.write(json.dumps(row) + "\n")
    with open(out / "orders.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(clean[0]))
        writer.writeheader()
        writer.writerows(clean)
    summary = {"job": args.JOB_NAME, "extract_job_id": args.extract_job_id, "read": len(raw),
               "written": len(clean), "dropped": dropped}
    (out / "_manifest.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"read {len(raw)} orders, kept {len(clean)}, dropped {sum(dropped.values())} {dropped}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
