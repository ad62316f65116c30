"""Bytes → text, without ever guessing Thai into mojibake.

Order (``decode_table``):
1. A declared encoding (``metadata/<id>.yaml`` → ``source.encoding``) is used as is. If the bytes do
   not decode with it, that is an error (``encoding/declared-mismatch``) naming the byte offset; we
   do not guess further, because the declaration is what the steward has to fix.
2. UTF-8, with or without a BOM (the BOM is recorded as encoding ``utf-8-sig``, not as a finding:
   Excel's "CSV UTF-8" writes one, and Excel needs it to show Thai). UTF-16 with a BOM is taken too
   (Excel's "Unicode text"), with a warning.
3. cp874 (Windows Thai, a superset of TIS-620) only when the bytes decode AND the result holds Thai
   that is well formed (see ``looks_like_thai``); a warning ``encoding/not-utf8`` asks to re-save as
   UTF-8 or to declare the encoding.
4. Otherwise an error ``encoding/undecodable`` and no text.

An empty file (``structure/empty-file``) and a binary one (a spreadsheet container,
``encoding/not-csv``; NUL characters, ``encoding/binary-file``) give an error and no text either.
No finding quotes the file's bytes: at most one byte, in hex, with its offset.

Why not chardet (what frictionless does): for a cp874 file with little Thai it answers cp1252,
iso8859-15 or cp1257 and the Thai comes out as "àÅ×Í¡µÑé§". Latin-1 bytes do decode as cp874 too
(é is the Thai tone mark ้), which is why step 3 checks that the Thai is well formed: a Latin-1
file with no Thai ends as ``encoding/undecodable`` with a hint to declare its encoding.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from flows.validation.findings import Finding, Severity

#: Spreadsheet containers that are sometimes handed in instead of a CSV.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "xlsx/ods (zip)",
    b"\xd0\xcf\x11\xe0": "xls (OLE)",
}

_THAI = "\u0e01-\u0e5b"
_CONSONANT = "\u0e01-\u0e2e"
_MARK = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # vowels above/below, tone marks: follow a consonant
_LEADING_VOWEL = "\u0e40-\u0e44"           # เ แ โ ใ ไ: precede a consonant
_FOLLOWING_VOWEL = "\u0e30\u0e32\u0e33\u0e45"  # ะ า ำ ๅ: follow a consonant or a mark
# A real Thai word has two characters or more; Latin-1 symbols (©, °, £) decode to lone consonants.
_THAI_WORD = re.compile(f"[{_THAI}]*[{_CONSONANT}][{_THAI}]*")
# Sequences that real Thai never has but Latin-1/cp1252 text decoded as cp874 does.
_MALFORMED_THAI = re.compile(
    f"(?<![{_CONSONANT}{_MARK}])[{_MARK}]"          # a mark with no consonant before it
    # a leading vowel with no consonant after it ("เเ", typed for แ, is a common Thai habit)
    f"|[{_LEADING_VOWEL}](?![{_CONSONANT}\u0e40])"
    f"|(?<![{_THAI}])[{_FOLLOWING_VOWEL}]"          # a following vowel starting a word
    f"|[A-Za-z][{_THAI}]|[{_THAI}][A-Za-z]"          # Thai glued to Latin letters ("caf้")
)
_QUOTED = re.compile(r'"[^"]*"')


@dataclass
class Decoded:
    """The text of a table file (None when it could not be decoded) and what decoding found."""

    text: str | None
    encoding: str
    findings: list[Finding] = field(default_factory=list)


def decode_table(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode a CSV file's bytes; see the module docstring for the order and why."""
    container = binary_container(data)
    if container:
        return Decoded(None, "binary", [_not_csv(container)])
    if declared:
        decoded = _decode_declared(data, declared)
    else:
        decoded = _decode_guessed(data)
    if decoded.text is None:
        return decoded
    if not decoded.text:
        return Decoded(None, decoded.encoding, [*decoded.findings, _empty_file()])
    nul = decoded.text.find("\x00")
    if nul >= 0:  # text formats never hold NUL: an image, an archive, a database file ...
        return Decoded(None, "binary", [_binary_file(nul)])
    decoded.findings.extend(line_ending_findings(decoded.text))
    return decoded


def looks_like_thai(text: str) -> bool:
    """True when the text holds a Thai word (2+ characters) and all its Thai is well formed.

    Used to accept a cp874 decoding: Latin-1/cp1252 bytes decode as cp874 without error but give
    lone consonants (© → ฉ), Thai marks after Latin letters (é → ้), leading vowels before
    punctuation and the like.
    """
    if _MALFORMED_THAI.search(text):
        return False
    return any(len(word.group()) >= 2 for word in _THAI_WORD.finditer(text))


def line_ending_findings(text: str) -> list[Finding]:
    """Warn about mixed or CR-only line endings (the file still reads; other tools may not).

    Line breaks inside quoted cells are not counted: a spreadsheet's CRLF file with LF inside a
    cell is normal.
    """
    outside = _QUOTED.sub("", text)
    crlf = outside.count("\r\n")
    counts = {"CRLF": crlf, "LF": outside.count("\n") - crlf, "CR": outside.count("\r") - crlf}
    kinds = {kind: n for kind, n in counts.items() if n}
    if len(kinds) > 1:
        detail = ", ".join(f"{kind} {n}" for kind, n in kinds.items())
        return [_finding("encoding/mixed-line-endings", Severity.WARNING,
                         f"ไฟล์ใช้การขึ้นบรรทัดใหม่ปนกันหลายแบบ ({detail}) ระบบอ่านได้ แต่โปรแกรมอื่นอาจแบ่งแถวผิด",
                         f"The file mixes line endings ({detail}); it was read, but other tools may split rows wrongly.",
                         "บันทึกไฟล์ใหม่ให้ใช้การขึ้นบรรทัดแบบเดียวกันทั้งไฟล์ (LF หรือ CRLF)",
                         "Re-save the file with one kind of line ending (LF or CRLF) throughout.")]
    if set(kinds) == {"CR"}:
        return [_finding("encoding/cr-line-endings", Severity.WARNING,
                         "ไฟล์ขึ้นบรรทัดใหม่ด้วย CR อย่างเดียว (แบบ Mac รุ่นเก่า) ระบบอ่านได้ แต่หลายโปรแกรมจะเห็นเป็นบรรทัดเดียว",
                         "The file ends lines with CR only (old Mac style); it was read, but many tools see one long line.",
                         "บันทึกไฟล์ใหม่เป็น CSV UTF-8 ที่ขึ้นบรรทัดด้วย LF หรือ CRLF",
                         "Re-save as CSV UTF-8 with LF or CRLF line endings.")]
    return []


def _decode_declared(data: bytes, declared: str) -> Decoded:
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return Decoded(None, declared, [_finding(
            "encoding/unknown-declared", Severity.ERROR,
            f"ไม่รู้จักชื่อการเข้ารหัส {declared!r} ที่ประกาศไว้ใน metadata",
            f"The declared encoding {declared!r} is not a known encoding name.",
            "แก้ source.encoding ใน metadata/<id>.yaml เป็นชื่อที่ถูกต้อง เช่น utf-8 หรือ cp874",
            "Fix source.encoding in metadata/<id>.yaml to a valid name such as utf-8 or cp874.")])
    if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    try:
        return Decoded(data.decode(name), name)
    except UnicodeDecodeError as exc:
        return Decoded(None, name, [_declared_mismatch(declared, exc)])


def _decode_guessed(data: bytes) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data)
    else:
        encoding = "utf-8"
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError as utf8_error:
        return _decode_thai_or_fail(data, utf8_error)


def _decode_utf16(data: bytes) -> Decoded:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        return Decoded(None, "unknown", [_undecodable(exc)])
    return Decoded(text, "utf-16", [_not_utf8("utf-16")])


def _decode_thai_or_fail(data: bytes, utf8_error: UnicodeDecodeError) -> Decoded:
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError:
        return Decoded(None, "unknown", [_undecodable(utf8_error)])
    if not looks_like_thai(text):
        return Decoded(None, "unknown", [_undecodable(utf8_error)])
    return Decoded(text, "cp874", [_not_utf8("cp874 (TIS-620)")])


def binary_container(data: bytes) -> str | None:
    for signature, kind in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return None


def _declared_mismatch(declared: str, exc: UnicodeDecodeError) -> Finding:
    byte = exc.object[exc.start:exc.start + 1].hex()
    return _finding(
        "encoding/declared-mismatch", Severity.ERROR,
        f"ไฟล์ไม่ได้เข้ารหัสแบบ {declared} ตามที่ประกาศไว้: ไบต์ที่ตำแหน่ง {exc.start} (0x{byte}) อ่านไม่ได้",
        f"The file is not {declared} as declared: byte 0x{byte} at offset {exc.start} cannot be decoded.",
        "บันทึกไฟล์ใหม่เป็น CSV UTF-8 หรือแก้ source.encoding ใน metadata/<id>.yaml ให้ตรงกับไฟล์จริง (เช่น cp874 สำหรับไฟล์ภาษาไทยแบบเก่า)",
        "Re-save the file as CSV UTF-8, or set source.encoding in metadata/<id>.yaml to the file's "
        "real encoding (e.g. cp874 for legacy Thai files).")


def _undecodable(exc: UnicodeDecodeError) -> Finding:
    byte = exc.object[exc.start:exc.start + 1].hex()
    return _finding(
        "encoding/undecodable", Severity.ERROR,
        f"อ่านไฟล์ไม่ได้: ไม่ใช่ UTF-8 (ไบต์ 0x{byte} ที่ตำแหน่ง {exc.start}) และไม่ใช่ข้อความภาษาไทยแบบ TIS-620/cp874",
        f"Cannot read the file: it is not UTF-8 (byte 0x{byte} at offset {exc.start}) and not Thai "
        "text in TIS-620/cp874.",
        "บันทึกไฟล์ใหม่เป็น CSV UTF-8 หรือประกาศการเข้ารหัสของไฟล์ใน source.encoding ของ metadata/<id>.yaml (เช่น latin-1)",
        "Re-save the file as CSV UTF-8, or declare its encoding in source.encoding of "
        "metadata/<id>.yaml (e.g. latin-1).")


def _not_utf8(encoding: str) -> Finding:
    return _finding(
        "encoding/not-utf8", Severity.WARNING,
        f"ไฟล์ไม่ได้เข้ารหัสเป็น UTF-8 ระบบอ่านเป็น {encoding} ซึ่งตรวจแล้วได้ข้อความภาษาไทยที่ถูกต้อง",
        f"The file is not UTF-8; it was read as {encoding}, which gives well-formed Thai.",
        f"บันทึกไฟล์ใหม่เป็น CSV UTF-8 หรือประกาศ source.encoding: {encoding.split()[0]} ใน metadata/<id>.yaml",
        f"Re-save the file as CSV UTF-8, or declare source.encoding: {encoding.split()[0]} in "
        "metadata/<id>.yaml.")


def _empty_file() -> Finding:
    return _finding(
        "structure/empty-file", Severity.ERROR,
        "ไฟล์ข้อมูลว่างเปล่า (ไม่มีแม้แต่แถวหัวคอลัมน์)",
        "The data file is empty (not even a header row).",
        "ใส่ข้อมูลในไฟล์ (แถวแรกเป็นชื่อคอลัมน์ตาม schema) หรือรันขั้นตอน ingest ใหม่ถ้าไฟล์สร้างจากแหล่งข้อมูลดิบ",
        "Fill the file (the first row holds the schema's field names), or run "
        "`senate-catalog ingest` again if it is converted from raw files.")


def _binary_file(offset: int) -> Finding:
    return _finding(
        "encoding/binary-file", Severity.ERROR,
        f"ไฟล์นี้ไม่ใช่ไฟล์ข้อความ CSV: มีอักขระ NUL (ตำแหน่งอักขระที่ {offset:,}) ซึ่งพบในไฟล์ไบนารี เช่น รูปภาพหรือไฟล์บีบอัด",
        f"This is not a text CSV: it holds a NUL character (at character {offset:,}), as binary "
        "files such as images or archives do.",
        'ตรวจว่าเลือกไฟล์ถูกต้อง แล้วบันทึกข้อมูลเป็น "CSV UTF-8 (Comma delimited)"',
        'Check that this is the right file, and save the data as "CSV UTF-8 (Comma delimited)".')


def _not_csv(container: str) -> Finding:
    return _finding(
        "encoding/not-csv", Severity.ERROR,
        f"ไฟล์นี้เป็นไฟล์สเปรดชีต ({container}) ไม่ใช่ CSV ระบบตรวจได้เฉพาะ CSV",
        f"This is a spreadsheet file ({container}), not a CSV; only CSV is supported.",
        'เปิดไฟล์ใน Excel แล้วบันทึกเป็น "CSV UTF-8 (Comma delimited)" (ทีละชีต)',
        'Open it in a spreadsheet program and save as "CSV UTF-8 (Comma delimited)", one sheet per file.')


def _finding(rule: str, severity: Severity, message_th: str, message_en: str,
             hint_th: str, hint_en: str) -> Finding:
    return Finding(rule=rule, severity=severity, message_th=message_th, message_en=message_en,
                   hint_th=hint_th, hint_en=hint_en)


def utf8_payload(data: bytes, *, declared: str | None = None) -> tuple[bytes, str] | None:
    """The bytes to parse and the encoding's name when ``decode_table`` would read ``data`` as
    UTF-8 and find nothing to say; None when it must decide (another encoding, a finding).

    For big files: the check runs in C on the bytes (pyarrow's UTF-8 validation) and no
    Python string of the whole file is made. A byte-order mark is dropped, as decoding does.
    """
    if binary_container(data) or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        if declared and codecs.lookup(declared).name != "utf-8":
            return None
    except LookupError:
        return None
    bom = data.startswith(codecs.BOM_UTF8)
    payload = data[len(codecs.BOM_UTF8):] if bom else data
    # NUL means binary; line endings other than all-LF or all-CRLF may deserve a warning.
    if not payload or payload.find(b"\x00") >= 0 or not _one_line_ending(payload):
        return None
    if not _valid_utf8(payload):
        return None
    return payload, "utf-8-sig" if bom else "utf-8"


def _one_line_ending(data: bytes) -> bool:
    if data.find(b"\r") < 0:
        return True
    crlf = data.count(b"\r\n")
    return data.count(b"\r") == crlf == data.count(b"\n")


def _valid_utf8(data: bytes) -> bool:
    import numpy as np
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    blob = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        blob.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True
