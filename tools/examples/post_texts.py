#!/usr/bin/env python3
"""Posts the texts of a TSV file (first column, header row skipped) to /predict, 32 per request.

Usage: post_texts.py FILE [COUNT] [URL]
Prints the last response's drift_detected and severity, and writes the prediction ids and the
file's labels to predictions.json (for trying POST /feedback).
"""
import csv
import json
import sys
import urllib.request

path = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else None
url = sys.argv[3] if len(sys.argv) > 3 else "http://127.0.0.1:8080/predict"
rows = list(csv.reader(open(path, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))[1:][:count]
ids = []
response = {}
for start in range(0, len(rows), 32):
    body = json.dumps({"texts": [r[0] for r in rows[start:start + 32]]}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    response = json.load(urllib.request.urlopen(request))
    ids += [p["id"] for p in response["predictions"]]
print(f"posted {len(rows)} texts; drift_detected={response.get('drift_detected')} severity={response.get('severity')}")
json.dump({"ids": ids, "labels": [r[1] if len(r) > 1 else None for r in rows]}, open("predictions.json", "w"))
