"""Load the clean orders and the customer dimension into the warehouse (SQLite locally).

The warehouse schema is a SQLite file, <lake root>/warehouse/<schema>.db, with
tables fact_orders and dim_customer. Loading is idempotent: the date's orders
replace any earlier load of that date (one transaction), customers are upserted.
"""
import argparse
import csv
import json
import sqlite3
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the jobs
import lake  # noqa: E402

SCHEMA = """
CREATE TABLE IF NOT EXISTS dim_customer (
  customer_id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, country TEXT NOT NULL,
  region TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fact_orders (
  order_id TEXT PRIMARY KEY, order_date TEXT NOT NULL, customer_id TEXT NOT NULL, region TEXT NOT NULL,
  sku TEXT NOT NULL, quantity INTEGER NOT NULL, unit_price_eur REAL NOT NULL, amount_eur REAL NOT NULL,
  source_currency TEXT NOT NULL, ordered_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fact_orders_date ON fact_orders (order_date);
"""


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--date", required=True)
    parser.add_argument("--in", dest="inp", required=True)
    parser.add_argument("--customer-dim", required=True)
    args = parser.parse_args()

    with open(lake.path(args.inp) / "orders.jsonl", encoding="utf-8") as f:
        orders = [json.loads(line) for line in f if line.strip()]
    with open(lake.path(args.customer_dim) / "customer_dim.csv", newline="", encoding="utf-8") as f:
        customers = list(csv.DictReader(f))

    db = lake.warehouse(args.schema)
    db.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(db)
    try:
        con.executescript(SCHEMA)
        with con:  # one transaction: a failed load leaves the previous state
            con.executemany(
                "INSERT INTO dim_customer VALUES (:customer_id, :name, :email, :country, :region, :created_at, :updated_at)"
                " ON CONFLICT (customer_id) DO UPDATE SET name = excluded.name, email = excluded.email,"
                " country = excluded.country, region = excluded.region, updated_at = excluded.updated_at",
                customers,
            )
            con.execute("DELETE FROM fact_orders WHERE order_date = ?", (args.date,))
            con.executemany(
                "INSERT INTO fact_orders VALUES (:order_id, :order_date, :customer_id, :region, :sku, :quantity,"
                " :unit_price_eur, :amount_eur, :source_currency, :ordered_at)",
                [dict(o, order_date=args.date) for o in orders],
            )
        facts = con.execute("SELECT count(*) FROM fact_orders WHERE order_date = ?", (args.date,)).fetchone()[0]
        dims = con.execute("SELECT count(*) FROM dim_customer").fetchone()[0]
        summary = con.execute(
            "SELECT region, count(*), round(sum(amount_eur), 2) FROM fact_orders WHERE order_date = ?"
            " GROUP BY region ORDER BY region",
            (args.date,),
        ).fetchall()
    finally:
        con.close()

    print(f"warehouse: {db}")
    print(f"loaded {args.schema}.fact_orders: {facts} rows for {args.date}; {args.schema}.dim_customer: {dims} rows")
    print(f"daily revenue {args.date} (EUR)")
    print(f"  {'region':<8}{'orders':>8}{'revenue':>14}")
    for region, count, revenue in summary:
        print(f"  {region:<8}{count:>8}{revenue:>14,.2f}")
    total = sum(r[2] for r in summary)
    print(f"  {'total':<8}{facts:>8}{total:>14,.2f}")
    print(json.dumps({"warehouse": str(db), "fact_orders": facts, "dim_customer": dims, "revenue_eur": round(total, 2)}))


if __name__ == "__main__":
    main()
