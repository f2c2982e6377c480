"""Local stand-in for S3: s3://bucket/key lives at <lake root>/bucket/key.

The lake root is $STEPLINE_LAKE, else .stepline/lake next to the pipeline.
"""
import os
from pathlib import Path

ROOT = Path(os.environ.get("STEPLINE_LAKE") or Path(__file__).resolve().parent.parent / ".stepline" / "lake")


def path(uri: str) -> Path:
    """The local path of an s3:// URI (other paths are returned as they are)."""
    if not uri.startswith("s3://"):
        return Path(uri)
    return ROOT / uri[len("s3://"):]
