#!/usr/bin/env python3
"""Moves Chinese interface text out of tera templates into the theme's i18n files.

    tools/i18n.py list themes/default/templates/new.html > strings.tsv
        one line per piece of Chinese text: template, text, an empty key column, an empty English
        column. `{name}` marks a value (`{{ x.name }}`) that sits inside the text.
    (fill in the key column as `section.key` and the English column)
    tools/i18n.py apply strings.tsv
        rewrites the templates (`{{ t.section.key }}`, `| fill(name=x.name)` for values, `| safe`
        when the text holds / & < > or quotes; quoted literals inside tags become `t.section.key`)
        and adds the keys to themes/default/i18n/zh.toml and en.toml.

Afterwards build the demo and compare it with the output from before: zh must be byte-identical.
Comparisons with ledger labels (`== "支取"`) are not moved: use `| code` (see docs/theme.md).
Text split by tags or {% if %} comes out in pieces; join such pieces by hand where English needs
another word order. Only Python's standard library is used.
"""

import re
import sys

CJK = re.compile(r"[\u3000-\u303f\uff00-\uffef\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
TAG = re.compile(r"(\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\})", re.S)
# A value that may sit inside a string: a variable, optionally through one formatting filter.
VALUE = re.compile(
    r"^\{\{\s*([a-z_][a-z0-9_.]*)(\s*\|\s*(yuan|pct|area|thousands|price|wan|length|term|period))?\s*\}\}$"
)
SPECIAL = re.compile(r"[&<>\"'/]")
I18N = "themes/default/i18n/"


def segments(src):
    pos = 0
    for m in TAG.finditer(src):
        if m.start() > pos:
            yield "text", src[pos:m.start()]
        t = m.group(0)
        yield {"{#": "comment", "{{": "expr", "{%": "stmt"}[t[:2]], t
        pos = m.end()
    if pos < len(src):
        yield "text", src[pos:]


def tokens(src):
    """('lit', text) kept as it is, or ('run', parts): text between markup (< > ") and values,
    holding Chinese. parts: ('s', text) or ('v', expression source)."""
    out, cur = [], []

    def flush():
        nonlocal cur
        if not any(p[0] == "s" and CJK.search(p[1]) for p in cur):
            out.extend(("lit", p[1]) for p in cur)
            cur = []
            return
        head, tail = [], []
        while cur[0][0] == "s" and not CJK.search(cur[0][1]) and not cur[0][1].strip():
            head.append(("lit", cur.pop(0)[1]))
        while cur[-1][0] == "s" and not CJK.search(cur[-1][1]) and not cur[-1][1].strip():
            tail.insert(0, ("lit", cur.pop()[1]))
        if cur[0][0] == "s":
            s = cur[0][1]
            st = s.lstrip()
            if "\n" in s[: len(s) - len(st)]:
                head.append(("lit", s[: len(s) - len(st)]))
                cur[0] = ("s", st)
        if cur[-1][0] == "s":
            s = cur[-1][1]
            st = s.rstrip()
            if "\n" in s[len(st):]:
                tail.insert(0, ("lit", s[len(st):]))
                cur[-1] = ("s", st)
        out.extend(head)
        out.append(("run", cur))
        out.extend(tail)
        cur = []

    for kind, text in segments(src):
        if kind == "text":
            for piece in re.split(r'([<>"])', text):
                if piece in ("<", ">", '"'):
                    flush()
                    out.append(("lit", piece))
                elif piece:
                    cur.append(("s", piece))
        elif kind == "expr" and VALUE.match(text):
            cur.append(("v", text))
        else:
            flush()
            out.append(("lit", text))
    flush()
    return out


def run_text(parts):
    """The string with {placeholders}, and placeholder → expression."""
    names, out = {}, []
    for kind, text in parts:
        if kind == "s":
            out.append(text)
            continue
        m = VALUE.match(text)
        expr = m.group(1) + (" | " + m.group(3) if m.group(3) else "")
        name = m.group(1).split(".")[-1]
        while name in names and names[name] != expr:
            name += "_"
        names[name] = expr
        out.append("{" + name + "}")
    return "".join(out), names


def literals(src):
    for kind, text in segments(src):
        if kind in ("expr", "stmt"):
            for m in re.finditer(r'"([^"]*)"|\'([^\']*)\'', text):
                lit = m.group(1) if m.group(1) is not None else m.group(2)
                if CJK.search(lit):
                    yield lit


def cmd_list(paths):
    for path in paths:
        src = open(path, encoding="utf-8").read()
        seen = set()
        for tok in tokens(src):
            if tok[0] == "run":
                text = run_text(tok[1])[0]
                if text not in seen:
                    seen.add(text)
                    print(f"{path}\t{text}\t\t")
        for lit in literals(src):
            if ("lit", lit) not in seen:
                seen.add(("lit", lit))
                print(f"{path}\tliteral:{lit}\t\t")


def toml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_keys(lang, keys):
    """keys: [(section, key, value)] appended to their tables (created at the end if new)."""
    path = I18N + lang + ".toml"
    lines = open(path, encoding="utf-8").read().rstrip("\n").split("\n")
    for section, key, value in keys:
        entry = f"{key} = {toml_string(value)}"
        try:
            start = lines.index(f"[{section}]")
        except ValueError:
            lines += ["", f"[{section}]", entry]
            continue
        end = start + 1
        while end < len(lines) and not lines[end].startswith("["):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        if any(l.startswith(key + " = ") for l in lines[start + 1:end]):
            sys.exit(f"{path}: [{section}] already has {key}")
        lines.insert(end, entry)
    open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")


def cmd_apply(tsv):
    table = {}
    new_keys = {}
    for n, line in enumerate(open(tsv, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 4 or "." not in fields[2] or not fields[3]:
            sys.exit(f"{tsv}:{n}: expected template, text, section.key, English")
        path, text, ref, english = fields
        section, key = ref.split(".", 1)
        table[(path, text)] = (section, key, english)
        value = text[len("literal:"):] if text.startswith("literal:") else text
        new_keys.setdefault((section, key), (value, english))
    for path in sorted({p for p, _ in table}):
        src = open(path, encoding="utf-8").read()
        out = []
        for tok in tokens(src):
            if tok[0] == "lit":
                out.append(tok[1])
                continue
            text, names = run_text(tok[1])
            if (path, text) not in table:
                out.append("".join(p[1] for p in tok[1]))
                continue
            section, key, english = table[(path, text)]
            ref = f"t.{section}.{key}"
            if names:
                args = ", ".join(f"{n}={e}" for n, e in names.items())
                out.append("{{ " + ref + " | fill(" + args + ") }}")
            elif SPECIAL.search(text) or SPECIAL.search(english):
                out.append("{{ " + ref + " | safe }}")
            else:
                out.append("{{ " + ref + " }}")
        src = "".join(out)

        def fix(m):
            tag = m.group(0)
            if tag.startswith("{#"):
                return tag

            def lit(mm):
                value = mm.group(1) if mm.group(1) is not None else mm.group(2)
                hit = table.get((path, "literal:" + value))
                return f"t.{hit[0]}.{hit[1]}" if hit else mm.group(0)

            return re.sub(r'"([^"]*)"|\'([^\']*)\'', lit, tag)

        src = TAG.sub(fix, src)
        open(path, "w", encoding="utf-8").write(src)
    add_keys("zh", [(s, k, v[0]) for (s, k), v in new_keys.items()])
    add_keys("en", [(s, k, v[1]) for (s, k), v in new_keys.items()])


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "list":
        cmd_list(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "apply":
        cmd_apply(sys.argv[2])
    else:
        sys.exit(__doc__)
