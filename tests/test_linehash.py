"""primaryLocationLineHash: the vectors of github/codeql-action's own tests, and properties."""

from __future__ import annotations

import random

import pytest

from workerlint.core.output.linehash import BLOCK_SIZE, decode, line_hashes

# From github/codeql-action src/fingerprints.test.ts ("hash"): input -> hash of each line.
VECTORS = [
    ("", ["c129715d7a2bc9a3:1"]),
    (
        " a\nb\n  \t\tc\n d",
        ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"],
    ),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        [
            "8b7cf3e952e7aeb2:1",
            "b1ae1287ec4718d9:1",
            "bff680108adb0fcc:1",
            "c6805c5e1288b612:1",
            "b86d3392aea1be30:1",
            "e6ceba753e1a442:1",
        ],
    ),
    (
        "x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n",
        [
            "e54938cc54b302f1:1",
            "bb609acbe9138d60:1",
            "1131fd5871777f34:1",
            "5c482a0f8b35ea28:1",
            "54517377da7028d2:1",
            "2c644846cb18d53e:1",
            "f1b89f20de0d133:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
    (
        "Lorem ipsum dolor sit amet.\n" * 10,
        [
            "a7f2ff13bc495cf2:1",
            "a7f2ff13bc495cf2:2",
            "a7f2ff13bc495cf2:3",
            "a7f2ff13bc495cf2:4",
            "a7f2ff13bc495cf2:5",
            "a7f2ff13bc495cf2:6",
            "a7f2ff1481e87703:1",
            "a9cf91f7bbf1862b:1",
            "55ec222b86bcae53:1",
            "cc97dc7b1d7d8f7b:1",
            "c129715d7a2bc9a3:1",
        ],
    ),
]
# The same seven hashes for one text with every kind of line ending (same test).
GREETINGS = [
    "e9496ae3ebfced30:1",
    "fb7c023a8b9ccb3f:1",
    "ce8ba1a563dcdaca:1",
    "e20e36e16fcb0cc8:1",
    "b3edc88f2938467e:1",
    "c8e28b0b4002a3a0:1",
    "c129715d7a2bc9a3:1",
]
LINE_ENDINGS = [
    " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
    " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
    " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
    " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
]


@pytest.mark.parametrize(("text", "expected"), VECTORS)
def test_codeql_action_vectors(text, expected):
    assert line_hashes(text) == expected


@pytest.mark.parametrize("text", LINE_ENDINGS)
def test_codeql_action_line_ending_vectors(text):
    assert line_hashes(text) == GREETINGS


def test_codeql_action_testdata_files():
    # src/testdata/fingerprinting.expected.sarif: testFile1.js line 1, testFile2.js line 2.
    assert line_hashes("var a = 0;\nvar b = 0;\nvar c = 0;\nvar d = 0;\n")[0] == (
        "5e4d5a9cf1294ad9:1"
    )
    assert line_hashes("var foo = 0;\nvar bar = 0;\nvar baz = 0;\nvar qux = 0;\n")[1] == (
        "f7592a95a9381ac0:1"
    )


def _rolling(text: str) -> list[str]:
    """The action's own procedure, step by step (a rolling hash over a 100-unit window fed one
    UTF-16 unit at a time), as an independent oracle for the closed form under test."""
    mask = (1 << 64) - 1
    first_mod = pow(37, BLOCK_SIZE, 1 << 64)
    window = [0] * BLOCK_SIZE
    line_numbers = [-1] * BLOCK_SIZE
    state = {"hash": 0, "index": 0, "line": 0, "line_start": True, "prev_cr": False}
    counts: dict[str, int] = {}
    out: list[tuple[int, str]] = []

    def output() -> None:
        value = format(state["hash"], "x")
        counts[value] = counts.get(value, 0) + 1
        out.append((line_numbers[state["index"]], f"{value}:{counts[value]}"))
        line_numbers[state["index"]] = -1

    def update(current: int) -> None:
        begin = window[state["index"]]
        window[state["index"]] = current
        state["hash"] = (37 * state["hash"] + current - first_mod * begin) & mask
        state["index"] = (state["index"] + 1) % BLOCK_SIZE

    def process(current: int) -> None:
        if current in (32, 9) or (state["prev_cr"] and current == 10):
            state["prev_cr"] = False
            return
        state["prev_cr"] = current == 13
        if current == 13:
            current = 10
        if line_numbers[state["index"]] != -1:
            output()
        if state["line_start"]:
            state["line_start"] = False
            state["line"] += 1
            line_numbers[state["index"]] = state["line"]
        if current == 10:
            state["line_start"] = True
        update(current)

    data = text.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(data), 2):
        process(int.from_bytes(data[i : i + 2], "little"))
    process(65535)
    for _ in range(BLOCK_SIZE):
        if line_numbers[state["index"]] != -1:
            output()
        update(0)
    assert [line for line, _ in out] == list(range(1, len(out) + 1))
    return [value for _, value in out]


def test_matches_the_rolling_procedure_on_random_text():
    rng = random.Random(8)
    alphabet = ["a", "b", "end", " ", "\t", "\n", "\r", "\r\n", "é", "😀", "\ufeff", "x" * 120]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80)))
        assert line_hashes(text) == _rolling(text), repr(text)


def test_one_hash_per_line_as_the_action_counts_lines():
    assert len(line_hashes("a\nb")) == 2
    assert len(line_hashes("a\nb\n")) == 3  # the line after the final newline
    assert len(line_hashes("a\rb\r\nc")) == 3  # a lone CR ends a line


def test_identical_blocks_are_counted_in_order():
    text = "HTTParty.get(url)\n" * 30
    hashes = line_hashes(text)
    repeated = [h for h in hashes if h.startswith(hashes[0].split(":")[0] + ":")]
    assert repeated == [f"{hashes[0].split(':')[0]}:{n}" for n in range(1, len(repeated) + 1)]
    assert len(repeated) > 20


def test_indentation_and_line_endings_do_not_matter():
    assert line_hashes("def a\n  b\nend\n") == line_hashes("def a\r\n\t\tb\r\nend\r\n")
    assert line_hashes("def a\n  b\nend\n") != line_hashes("def a\n  c\nend\n")


def test_a_line_depends_only_on_the_next_hundred_units():
    head = "x = 1\n"
    tail = "y" * BLOCK_SIZE
    assert line_hashes(head + tail + "A")[0] == line_hashes(head + tail + "B")[0]
    assert line_hashes(head + tail[:-10] + "A")[0] != line_hashes(head + tail[:-10] + "B")[0]


def test_astral_characters_count_as_two_units():
    # 49 emoji are 98 UTF-16 units: with the line's "a" and its newline, the window is full.
    base = "a" + "😀" * 49 + "\n"
    assert line_hashes(base + "A")[0] == line_hashes(base + "B")[0]
    shorter = "a" + "😀" * 48 + "\n"
    assert line_hashes(shorter + "A")[0] != line_hashes(shorter + "B")[0]


def test_decode_keeps_the_bom_and_replaces_invalid_bytes():
    assert decode(b"\xef\xbb\xbfa\n") == "\ufeffa\n"
    assert decode(b"a\xffb") == "a\ufffdb"
