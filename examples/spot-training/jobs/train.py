"""Trains a linear demand model by gradient descent, checkpointing every epoch.

A reclaimed Spot attempt restarts the job: it resumes from the last checkpoint
in $CHECKPOINT_URI instead of starting over.
"""
import argparse
import csv
import json
import os

import lake

parser = argparse.ArgumentParser()
parser.add_argument("--features", required=True)
parser.add_argument("--epochs", type=int, default=40)
parser.add_argument("--model-version", required=True)
args = parser.parse_args()

rows = []
with (lake.path(args.features) / "features.csv").open() as handle:
    for row in csv.DictReader(handle):
        rows.append(([1.0, float(row["store"]) / 20, float(row["promo"]), float(row["temperature"]) / 25], float(row["demand"]) / 200))

checkpoints = lake.path(os.environ["CHECKPOINT_URI"])
checkpoints.mkdir(parents=True, exist_ok=True)
checkpoint = checkpoints / "checkpoint.json"
state = {"epoch": 0, "weights": [0.0, 0.0, 0.0, 0.0]}
if checkpoint.exists() and os.environ.get("RESUME_FROM_CHECKPOINT") == "true":
    state = json.loads(checkpoint.read_text())
    print(f"resuming from epoch {state['epoch']} (attempt {os.environ.get('AWS_BATCH_JOB_ATTEMPT', '1')})")

weights = state["weights"]
for epoch in range(state["epoch"], args.epochs):
    gradient = [0.0] * len(weights)
    loss = 0.0
    for features, target in rows:
        error = sum(w * x for w, x in zip(weights, features)) - target
        loss += error * error
        for i, x in enumerate(features):
            gradient[i] += 2 * error * x / len(rows)
    weights = [w - 0.5 * g for w, g in zip(weights, gradient)]
    checkpoint.write_text(json.dumps({"epoch": epoch + 1, "weights": weights}))
    if (epoch + 1) % 10 == 0:
        print(f"epoch {epoch + 1}: mse {loss / len(rows):.5f}")

model = lake.path(f"{os.path.dirname(os.path.dirname(args.features.rstrip('/')))}/models/{args.model_version}/")
model.mkdir(parents=True, exist_ok=True)
(model / "model.json").write_text(json.dumps({"version": args.model_version, "weights": weights}))
print(f"model written to {model / 'model.json'}")
