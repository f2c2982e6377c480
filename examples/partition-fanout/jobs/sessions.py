"""Builds the sessions table from the compacted partitions (local stand-in for the Glue jobs)."""
import argparse
import json

import lake

parser = argparse.ArgumentParser()
parser.add_argument("--date", required=True)
parser.add_argument("--partitions", default="")
parser.add_argument("--mode", default="incremental")
parser.add_argument("--bucket", default="acme-clickstream")
args, _glue_arguments = parser.parse_known_args()

compacted = lake.path(f"s3://{args.bucket}/compacted/landing/date={args.date}")
sessions = {}
for file in sorted(compacted.glob("*/compacted.json")):
    with file.open() as handle:
        for line in handle:
            event = json.loads(line)
            session = sessions.setdefault(event["session"], {"session": event["session"], "pages": 0, "first": event["at"], "last": event["at"]})
            session["pages"] += 1
            session["first"] = min(session["first"], event["at"])
            session["last"] = max(session["last"], event["at"])
table = lake.path(f"s3://{args.bucket}/tables/sessions/date={args.date}")
table.mkdir(parents=True, exist_ok=True)
with (table / "sessions.json").open("w") as handle:
    json.dump(sorted(sessions.values(), key=lambda s: s["session"]), handle, indent=1)
print(f"{args.mode}: {len(sessions)} sessions from {args.partitions or '?'} partitions -> {table / 'sessions.json'}")
