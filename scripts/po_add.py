"""Add Latvian translations to locale/lv/LC_MESSAGES/django.po for msgids not yet in it.

    python scripts/po_add.py entries.txt

Each entry in the file: `msgid` line, `msgstr` line, blank line; plural entries as
`msgid`, `msgid_plural`, `msgstr[0]`, `msgstr[1]`, `msgstr[2]`. Running `makemessages`
then keeps them (it merges, it does not drop translations)."""

import re
import sys
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "lv" / "LC_MESSAGES" / "django.po"


def msgids(text):
    return set(re.findall(r'^msgid "(.*)"$', text, flags=re.MULTILINE))


def main(path):
    catalogue = CATALOGUE.read_text(encoding="utf-8")
    known = msgids(catalogue)
    added = []
    for block in Path(path).read_text(encoding="utf-8").strip().split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, flags=re.MULTILINE).group(1)
        if msgid not in known:
            added.append(block.strip())
    if added:
        CATALOGUE.write_text(catalogue.rstrip("\n") + "\n\n" + "\n\n".join(added) + "\n", "utf-8")
    print(f"{len(added)} added")


if __name__ == "__main__":
    main(sys.argv[1])
