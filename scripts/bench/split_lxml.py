#!/usr/bin/env python3
"""Reference splitter on lxml iterparse, for the split benchmark.

usage: split_lxml.py INPUT /Company/Products/Product LIMIT OUT_DIR

Writes the same chunks as zynk's split (<stem>_<n>.xml, LIMIT records each, the
declaration, root, wrappers and other content in every chunk), re-serialised by lxml
rather than cut from the input's bytes. Records are assumed to share one parent, which
holds for the benchmark's product export.
"""
import os
import sys
import tempfile

from lxml import etree

MARKER = "zynk-split-records"


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None


def main():
    inp, path, limit, out = sys.argv[1:5]
    limit = int(limit)
    steps = [s.split(":")[-1] for s in path.strip("/").split("/")]
    os.makedirs(out, exist_ok=True)
    stem = os.path.splitext(os.path.basename(inp))[0]

    parts = []  # temp files holding each chunk's serialised records
    current, in_current = None, 0
    parent, index = None, None
    for _, elem in etree.iterparse(inp, events=("end",), tag="{*}" + steps[-1]):
        chain = []
        node = elem
        while node is not None:
            chain.append(local(node.tag))
            node = node.getparent()
        if chain[::-1] != steps:
            continue
        if current is None or in_current == limit:
            if current is not None:
                current.close()
            current = tempfile.NamedTemporaryFile(dir=out, delete=False, suffix=".part")
            parts.append(current.name)
            in_current = 0
        current.write(b"\n    " + etree.tostring(elem, encoding="utf-8", with_tail=False))
        in_current += 1
        p = elem.getparent()
        if parent is None:
            parent, index = p, p.index(elem)
        elem.clear()
        elem.tail = None
        p.remove(elem)
    if current is not None:
        current.close()
    if not parts:
        return
    # What is left of the tree is the skeleton: cut it where the records were.
    parent.insert(index, etree.Comment(MARKER))
    root = parent.getroottree()
    text = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    head, tail = text.split(("<!--" + MARKER + "-->").encode(), 1)
    for n, part in enumerate(parts, 1):
        with open(os.path.join(out, f"{stem}_{n}.xml"), "wb") as chunk, open(part, "rb") as records:
            chunk.write(head)
            chunk.write(records.read())
            chunk.write(tail)
        os.remove(part)


if __name__ == "__main__":
    main()
