#!/usr/bin/env python3
"""Writes per-text features of a TSV text set (first column: text) as CSV, for trying
`modelmonitor drift` on real data without copying the data set:

    python3 tools/examples/text_features.py ../shared/data/sst2/dev.tsv > /tmp/dev.csv

Columns: chars, words, non_letter_share, has_digit (categorical), first_word (categorical).
"""
import csv
import sys

writer = csv.writer(sys.stdout, lineterminator='\n')
writer.writerow(['chars', 'words', 'non_letter_share', 'has_digit', 'first_word'])
with open(sys.argv[1], encoding='utf-8') as f:
    next(f)
    for i, line in enumerate(f):
        if len(sys.argv) > 2 and i >= int(sys.argv[2]):
            break
        text = line.rstrip('\n').split('\t')[0]
        words = text.split()
        non_letters = sum(1 for c in text if not c.isalpha())
        writer.writerow([len(text), len(words), round(non_letters / max(len(text), 1), 6),
                         'yes' if any(c.isdigit() for c in text) else 'no',
                         words[0].lower() if words else ''])
