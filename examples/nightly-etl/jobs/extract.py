"""Extract a table from the shop database (local stand-in).

Locally there is no shop database: the day's data is generated from a seed
derived from the date, so the same date always gives the same rows. A small,
known share of the orders is invalid on purpose (what the transform drops),
and a few customers appear twice (an older and a newer version: what the
customer dimension deduplicates). `_manifest.json` records what was written.

    python3 extract.py --table orders --date 2026-11-24 --out s3://bucket/raw/orders/date=2026-11-24/
"""
import argparse
import csv
import hashlib
import json
import random
import sys
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True  # no __pycache__ next to the jobs
import lake  # noqa: E402

CUSTOMERS = 800  # distinct customers
COUNTRIES = {  # country -> (region, currency)
    "FR": ("EMEA", "EUR"), "DE": ("EMEA", "EUR"), "ES": ("EMEA", "EUR"), "IT": ("EMEA", "EUR"),
    "GB": ("EMEA", "GBP"), "US": ("AMER", "USD"), "CA": ("AMER", "USD"), "BR": ("AMER", "USD"),
    "JP": ("APAC", "USD"), "AU": ("APAC", "USD"),
}
SKUS = [f"SKU-{n:04d}" for n in range(1, 121)]
FIRST = ["Ana", "Ben", "Chloé", "Dan", "Eva", "Finn", "Gia", "Hugo", "Iris", "Jon", "Kai", "Lena"]
LAST = ["Martin", "Smith", "Rossi", "Müller", "García", "Sato", "Brown", "Dubois", "Silva", "Lee"]


def rng(*parts: str) -> random.Random:
    """A generator seeded from the parts (stable across Python versions and runs)."""
    return random.Random(int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big"))


def customers(date: str):
    r = rng("customers")
    rows = []
    for n in range(1, CUSTOMERS + 1):
        country = r.choice(list(COUNTRIES))
        first, last = r.choice(FIRST), r.choice(LAST)
        created = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=r.randrange(60 * 24 * 600))
        rows.append({
            "customer_id": f"C{n:05d}", "name": f"{first} {last}",
            "email": f"{first}.{last}{n}@Example.COM".replace("é", "e").replace("ü", "u").replace("í", "i"),
            "country": country, "region": COUNTRIES[country][0],
            "created_at": created.isoformat(), "updated_at": created.isoformat(),
        })
    # Every 40th customer changed since: an older and a newer version of the row.
    for row in rows[::40]:
        newer = dict(row, email=row["email"].upper(), updated_at=f"{date}T01:00:00+00:00")
        rows.append(newer)
    return rows


def orders(date: str):
    r = rng("orders", date)
    day = datetime.fromisoformat(date).replace(tzinfo=timezone.utc)
    count = 2500 + r.randrange(1000)
    rows, invalid = [], 0
    for n in range(1, count + 1):
        customer = f"C{r.randrange(1, CUSTOMERS + 1):05d}"
        currency = r.choice(["EUR", "EUR", "EUR", "USD", "GBP"])
        price = round(r.uniform(2, 250), 2)
        row = {
            "order_id": f"{date.replace('-', '')}-{n:06d}", "customer_id": customer, "sku": r.choice(SKUS),
            "quantity": str(r.choice([1, 1, 1, 2, 2, 3, 5])),
            # The shop writes decimal commas for EUR prices.
            "unit_price": f"{price:.2f}".replace(".", ",") if currency == "EUR" else f"{price:.2f}",
            "currency": currency,
            "ordered_at": (day + timedelta(seconds=r.randrange(86400))).isoformat(),
        }
        defect = r.randrange(50)
        if defect == 0:
            row["quantity"] = "0"
        elif defect == 1:
            row["unit_price"] = ""
        elif defect == 2:
            row["customer_id"] = "C99999"  # unknown customer
        if defect <= 2:
            invalid += 1
        rows.append(row)
    return rows, invalid


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False)
    parser.add_argument("--table", required=True, choices=["orders", "customers"])
    parser.add_argument("--date", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    try:
        datetime.strptime(args.date, "%Y-%m-%d")
    except ValueError:
        parser.error(f"--date {args.date!r} is not a calendar date (YYYY-MM-DD)")
    out = lake.path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.table == "orders":
        rows, invalid = orders(args.date)
        manifest = {"table": "orders", "date": args.date, "rows": len(rows), "invalid": invalid,
                    "valid": len(rows) - invalid}
    else:
        rows = customers(args.date)
        manifest = {"table": "customers", "date": args.date, "rows": len(rows),
                    "distinct": len({row["customer_id"] for row in rows})}
    file = out / f"{args.table}.csv"
    with open(file, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"extracted {len(rows)} {args.table} rows for {args.date} -> {file}")
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
