"""Evaluates the trained model on the features and writes its metrics next to it."""
import argparse
import csv
import json

import lake

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--train-job", required=True)
args = parser.parse_args()

model_dir = lake.path(args.model)
model = json.loads((model_dir / "model.json").read_text())
features_dir = model_dir.parent.parent / "features"
errors = []
for features in sorted(features_dir.glob("*/features.csv")):
    with features.open() as handle:
        for row in csv.DictReader(handle):
            x = [1.0, float(row["store"]) / 20, float(row["promo"]), float(row["temperature"]) / 25]
            prediction = 200 * sum(w * v for w, v in zip(model["weights"], x))
            errors.append(abs(prediction - float(row["demand"])))
mae = sum(errors) / max(1, len(errors))
(model_dir / "metrics.json").write_text(json.dumps({"mae": mae, "rows": len(errors), "trainJob": args.train_job}))
print(f"mean absolute error {mae:.2f} on {len(errors)} rows")
