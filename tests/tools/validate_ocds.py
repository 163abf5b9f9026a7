"""Validates OCDS 1.1 release packages against the OCDS 1.1.5 release-package schema with the Bids
extension applied (JSON Merge Patch), using Draft 4 jsonschema and a referencing registry, and
checks what the schema cannot: every contract's awardID names an award of its release, every
award's suppliers are bidders of that release, and every award's relatedBid is one of its bids.

usage: validate_ocds.py SCHEMA_DIR PACKAGE.json...   (exit 0 when all are valid; errors on stdout)
"""

import json
import sys
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

BASE = "https://standard.open-contracting.org/schema/1__1__5/"


def load(path):
    text = path.read_text(encoding="utf-8")
    text = text.replace("{{lang}}", "en").replace("{{version}}", "1.1")
    return json.loads(text)


def merge_patch(target, patch):
    """RFC 7386: objects merge recursively, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def semantic_errors(package):
    errors = []
    for release in package.get("releases", []):
        ocid = release.get("ocid")
        awards = {a["id"] for a in release.get("awards", [])}
        bid_details = release.get("bids", {}).get("details", [])
        bids = {b["id"] for b in bid_details}
        bidders = {(t.get("id"), t.get("name")) for b in bid_details for t in b.get("tenderers", [])}
        for contract in release.get("contracts", []):
            if contract.get("awardID") not in awards:
                errors.append(f"{ocid}: contract {contract.get('id')} names award {contract.get('awardID')}, not in the release")
        for award in release.get("awards", []):
            for supplier in award.get("suppliers", []):
                if (supplier.get("id"), supplier.get("name")) not in bidders:
                    errors.append(f"{ocid}: supplier {supplier.get('name')} of award {award['id']} is not a bidder")
            if "relatedBid" in award and award["relatedBid"] not in bids:
                errors.append(f"{ocid}: award {award['id']} relates to unknown bid {award['relatedBid']}")
    return errors


def main():
    schema_dir = Path(sys.argv[1])
    package_schema = load(schema_dir / "schema-1__1__5" / "release-package-schema.json")
    release_schema = load(schema_dir / "schema-1__1__5" / "release-schema.json")
    patch = load(schema_dir / "ocds_bid_extension-v1.1.5" / "release-schema.json")
    release_schema = merge_patch(release_schema, patch)
    if "bids" not in release_schema["properties"] or "Bid" not in release_schema["definitions"]:
        print("the Bids extension was not applied")
        return 2
    registry = Registry().with_resources(
        [
            (BASE + "release-package-schema.json", Resource(package_schema, specification=DRAFT4)),
            (BASE + "release-schema.json", Resource(release_schema, specification=DRAFT4)),
        ]
    )
    validator = jsonschema.Draft4Validator(package_schema, registry=registry)
    failed = False
    for name in sys.argv[2:]:
        package = json.loads(Path(name).read_text(encoding="utf-8"))
        errors = [
            f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(package)
        ]
        errors += semantic_errors(package)
        if errors:
            failed = True
            for e in errors:
                print(f"{name}: {e}")
        else:
            print(f"{name}: valid, {len(package['releases'])} releases")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
