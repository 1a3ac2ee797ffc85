#!/usr/bin/env python3
"""Reference record loop on lxml iterparse, for the foreach benchmark.

usage: foreach_lxml.py INPUT /Company/Products/Product SKU

Does what the benchmark's zynk script does: walks every record at the path, one at a
time, reads its `Sku` and compares it with SKU (logging when they are equal), keeping
memory flat by clearing each record once read. Prints how many records it walked.
"""
import sys

from lxml import etree


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None


def main():
    inp, path, wanted = sys.argv[1:4]
    steps = [s.split(":")[-1] for s in path.strip("/").split("/")]
    records = 0
    for _, elem in etree.iterparse(inp, events=("end",), tag="{*}" + steps[-1]):
        chain = []
        node = elem
        while node is not None:
            chain.append(local(node.tag))
            node = node.getparent()
        if chain[::-1] != steps:
            continue
        records += 1
        if elem.findtext("Sku", default="") == wanted:
            print("found it", file=sys.stderr)
        # Free what was read: the record's content and the records before it.
        elem.clear(keep_tail=True)
        parent = elem.getparent()
        while elem.getprevious() is not None:
            del parent[0]
    print(records)


if __name__ == "__main__":
    main()
