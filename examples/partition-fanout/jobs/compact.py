"""Compacts one landed partition: many small JSON-lines files into one file of sorted events."""
import argparse
import json

import lake

parser = argparse.ArgumentParser()
parser.add_argument("--in", dest="source", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--target-mib", type=int, default=256)
args = parser.parse_args()

source = lake.path(args.source)
events = []
for part in sorted(source.glob("*.json")):
    with part.open() as handle:
        events.extend(json.loads(line) for line in handle if line.strip())
events.sort(key=lambda event: (event["session"], event["at"]))
out = lake.path(args.out)
out.mkdir(parents=True, exist_ok=True)
with (out / "compacted.json").open("w") as handle:
    for event in events:
        handle.write(json.dumps(event) + "\n")
print(f"compacted {len(events)} events from {source} into {out / 'compacted.json'}")
