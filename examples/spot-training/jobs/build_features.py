"""Builds the weekly demand features (local stand-in for the Glue Spark job)."""
import argparse
import csv
import random

import lake

parser = argparse.ArgumentParser()
parser.add_argument("--run-date", required=True)
parser.add_argument("--out", required=True)
args, _glue_arguments = parser.parse_known_args()

rng = random.Random(args.run_date)
out = lake.path(args.out)
out.mkdir(parents=True, exist_ok=True)
with (out / "features.csv").open("w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["store", "week", "promo", "temperature", "demand"])
    for store in range(20):
        for week in range(52):
            promo = rng.random() < 0.2
            temperature = 10 + 15 * rng.random()
            demand = 100 + 3 * store + (40 if promo else 0) + 2 * temperature + rng.gauss(0, 5)
            writer.writerow([store, week, int(promo), round(temperature, 2), round(demand, 2)])
print(f"wrote {20 * 52} feature rows to {out / 'features.csv'}")
