"""A deliberately simple reference parser for `text/event-stream` (Python 3, stdlib only).

It implements the semantics of `spec-vectors/README.md` (items, limits, `truncated`) on top
of the WHATWG rules numbered in spec-vectors/RULES.md. It is an oracle for the conformance vectors, not a
fast parser: it looks at one byte at a time and keeps the current line as raw bytes.

Usage::

    p = Parser(initial_last_event_id="", max_line_len=None, max_event_len=None,
               max_id_len=None, unknown_fields=False)
    p.feed(b"data: a\\r")      # any chunking
    p.feed(b"\\n\\r\\n")
    p.finish()                  # end of stream
    p.items                     # [{"kind": "event", "type": "message", "data": "a", "id": ""}]
    p.last_event_id, p.retry    # final state

Design notes:

* Decoding (P1, P3). CR, LF and ':' never occur inside a multi-byte UTF-8 sequence and
  always end a maximal invalid subpart, so splitting lines and fields on raw bytes and then
  decoding each piece with ``errors="replace"`` (maximal subparts -> one U+FFFD each, as the
  WHATWG Encoding standard) equals decoding the whole stream first. Sequences cut by a chunk
  boundary are never decoded early because only complete lines are decoded.
* BOM (P2). Whole-stream ``decode("utf-8-sig")`` would be fine, but incremental feeding needs
  the decision at byte level: the first up-to-three bytes are held until they either equal
  EF BB BF (dropped, but counted toward the first line's length for ``max_line_len``) or
  stop matching (released as ordinary content).
* Lines (P4, P5, P21). CR ends a line at once; an LF that directly follows a CR is swallowed.
* Limits (README "Limits"). ``max_line_len`` is checked as each byte of a line arrives, so a
  line is dropped as soon as it is longer than the limit, even if its terminator never comes.
  ``max_event_len`` is checked when a complete ``data`` line is processed, ``max_id_len``
  when a complete ``id`` line is.
"""

BOM = b"\xef\xbb\xbf"
CR, LF, COLON, SPACE = 0x0D, 0x0A, 0x3A, 0x20
U64_MAX = 2 ** 64 - 1


def _decode(raw):
    return bytes(raw).decode("utf-8", "replace")


def _strip_one_space(raw):
    return raw[1:] if raw[:1] == b" " else raw


class Parser:
    def __init__(self, initial_last_event_id="", max_line_len=None, max_event_len=None,
                 max_id_len=None, unknown_fields=False):
        self.max_line_len = max_line_len
        self.max_event_len = max_event_len
        self.max_id_len = max_id_len
        self.unknown_fields = unknown_fields
        self.items = []
        # Final state (README "final").
        self.last_event_id = initial_last_event_id  # committed at blank lines (P17)
        self.retry = None                           # last valid retry (P15)
        # Stream start: BOM detection (P2).
        self._bom_decided = False
        self._bom_held = b""
        # Current line (raw bytes) and line splitting state (P4, P5).
        self._line = bytearray()
        self._line_len = 0        # bytes counted for max_line_len (BOM included on line 1)
        self._line_over = False   # current line exceeded max_line_len; rest of it discarded
        self._after_cr = False    # previous byte was a CR terminator
        # Block state (P7).
        self._data = ""           # data buffer
        self._data_len = 0        # raw bytes counted for max_event_len
        self._has_data = False
        self._type = ""           # event type buffer
        self._has_type = False    # an `event` field was processed in this block
        self._id = initial_last_event_id  # last-event-ID buffer (D3)
        self._has_id = False      # a valid `id` field was processed in this block
        self._skipping = False    # block dropped by a limit: ignore lines until a blank one
        self._finished = False

    # ----- input ------------------------------------------------------------------------

    def feed(self, chunk):
        if self._finished:
            raise RuntimeError("feed after finish")
        for b in bytes(chunk):
            if self._bom_decided:
                self._byte(b)
            else:
                self._bom_byte(b)

    def finish(self):
        if self._finished:
            return
        self._finished = True
        if not self._bom_decided:
            self._release_bom_prefix()
        # P20: a partial line is dropped, an open block is not dispatched, its id never
        # committed (the buffer is simply abandoned; self.last_event_id is unchanged).
        if self._skipping:
            return  # README: ending inside a dropped block reports no truncated
        if self._line or self._has_data or self._has_type or self._has_id:
            self.items.append({"kind": "truncated"})

    # ----- BOM (P2) ---------------------------------------------------------------------

    def _bom_byte(self, b):
        self._bom_held += bytes([b])
        if BOM.startswith(self._bom_held):
            if len(self._bom_held) == 3:
                self._bom_decided = True
                self._bom_held = b""
                self._count_line_bytes(3)  # README: a BOM on the first line counts
            return
        self._release_bom_prefix()

    def _release_bom_prefix(self):
        held, self._bom_held = self._bom_held, b""
        self._bom_decided = True
        for b in held:
            self._byte(b)

    # ----- line splitting (P4, P5, P21) -------------------------------------------------

    def _byte(self, b):
        if self._after_cr:
            self._after_cr = False
            if b == LF:
                return  # second half of a CRLF
        if b == CR:
            self._after_cr = True
            self._end_line()
        elif b == LF:
            self._end_line()
        else:
            self._count_line_bytes(1)
            if not self._line_over:
                self._line.append(b)

    def _count_line_bytes(self, n):
        self._line_len += n
        if (self.max_line_len is not None and not self._line_over
                and self._line_len > self.max_line_len):
            self._line_over = True
            self._line = bytearray()
            self._drop("line_too_long")

    def _end_line(self):
        line, over = bytes(self._line), self._line_over
        self._line = bytearray()
        self._line_len = 0
        self._line_over = False
        if over:
            return  # part of a dropped block; never empty
        if self._skipping:
            if not line:
                self._skipping = False  # README: decoding resumes after the blank line
            return
        self._process_line(line)

    # ----- line classification (P8-P11) ------------------------------------------------

    def _process_line(self, line):
        if not line:
            self._dispatch()  # P8
            return
        if line[0] == COLON:  # P9, D8
            self.items.append({"kind": "comment", "text": _decode(_strip_one_space(line[1:]))})
            return
        colon = line.find(b":")
        if colon < 0:  # P11
            name, value = line, b""
        else:  # P10
            name, value = line[:colon], _strip_one_space(line[colon + 1:])
        self._process_field(name, value)

    # ----- fields (P12-P16) -------------------------------------------------------------

    def _process_field(self, name, value):
        if name == b"event":  # P12
            self._type = _decode(value)
            self._has_type = True
        elif name == b"data":  # P13
            size = self._data_len + len(value) + 1
            if self.max_event_len is not None and size > self.max_event_len:
                self._drop("event_too_large")
                return
            self._data += _decode(value) + "\n"
            self._data_len = size
            self._has_data = True
        elif name == b"id":  # P14
            if self.max_id_len is not None and len(value) > self.max_id_len:
                self._drop("id_too_long")  # README "Limits": before the NUL check
                return
            if b"\x00" not in value:
                self._id = _decode(value)
                self._has_id = True
        elif name == b"retry":  # P15, D1, D2
            if value and all(0x30 <= c <= 0x39 for c in value):
                ms = int(value.decode("ascii"), 10)
                if ms <= U64_MAX:
                    self.retry = ms
                    self.items.append({"kind": "retry", "ms": ms})
        elif self.unknown_fields:  # P16
            self.items.append({"kind": "unknown_field", "name": _decode(name),
                               "value": _decode(value)})

    # ----- dispatch (P17-P19) -----------------------------------------------------------

    def _dispatch(self):
        self.last_event_id = self._id  # P17: always commit
        if not self._data:  # P18 step 2
            if self._has_id:  # D6
                self.items.append({"kind": "last_event_id", "id": self.last_event_id})
        else:
            data = self._data[:-1] if self._data.endswith("\n") else self._data  # P18 step 3
            self.items.append({"kind": "event", "type": self._type or "message",
                               "data": data, "id": self.last_event_id})  # P19
        self._reset_block()

    def _reset_block(self):
        self._data = ""
        self._data_len = 0
        self._has_data = False
        self._type = ""
        self._has_type = False
        self._has_id = False

    # ----- limits (README) --------------------------------------------------------------

    def _drop(self, reason):
        if self._skipping:
            return  # reported once per block
        self.items.append({"kind": "dropped", "reason": reason})
        self._reset_block()
        self._id = self.last_event_id  # void the block's id: back to the committed value
        self._skipping = True


def parse(data, chunks=None, **config):
    """Parses `data` (bytes) fed as `chunks` (a list of split positions) and returns
    (items, last_event_id, retry)."""
    p = Parser(**config)
    start = 0
    for end in (chunks or []):
        p.feed(data[start:end])
        start = end
    p.feed(data[start:])
    p.finish()
    return p.items, p.last_event_id, p.retry
