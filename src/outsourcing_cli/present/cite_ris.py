"""Citations as RIS (the tagged format EndNote and Zotero read)."""

from __future__ import annotations

from .cite_model import _DEFAULT_TYPES, _TYPES, Reference, _date_parts, one_line


def to_ris(ref: Reference) -> str:
    lines = [("TY", _TYPES.get(ref.kind, _DEFAULT_TYPES)[1])]
    lines += [("AU", a) for a in ref.authors]
    if ref.title:
        lines.append(("TI", ref.title))
    parts = _date_parts(ref.date)
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", "/".join([f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]] + [""] * (3 - len(parts)))))
    for tag, value in (
        ("M1", ref.number),
        ("ET", ref.version),
        ("T2", ref.event),
        ("PB", ref.publisher),
        ("LA", ref.language),
        ("UR", ref.url),
        ("Y2", ref.accessed),
    ):
        if value:
            lines.append((tag, value))
    lines += [("N1", n) for n in ref.notes]
    lines.append(("ID", ref.id))
    return "".join(f"{tag}  - {one_line(value)}\n" for tag, value in lines) + "ER  - \n"
