"""Reading an uploaded roster: every problem named with its line, a refused file yields no rows."""

from learnpath.services.learning import roster


def test_a_good_roster_gives_its_rows_with_line_numbers() -> None:
    read = roster.read(
        b"\xef\xbb\xbfname,Email\r\nAna,ana@example.com\r\n\r\nBo,BO@example.com\r\n"
    )
    assert read.problems == []
    assert [(r.line, r.key, r.value) for r in read.rows] == [
        (2, "email", "ana@example.com"),
        (4, "email", "BO@example.com"),
    ]


def test_external_ids_are_read_when_there_is_no_email_column() -> None:
    read = roster.read(b"external_id\nE1\nE2\n")
    assert [(r.key, r.value) for r in read.rows] == [("external_id", "E1"), ("external_id", "E2")]


def test_a_file_that_is_not_utf8_names_its_first_bad_line() -> None:
    read = roster.read("email\nana@example.com\nmüller@example.com\n".encode("latin-1"))
    assert read.rows == []
    assert read.problems == ["line 3: the file is not UTF-8 text (save it as CSV UTF-8)"]


def test_a_missing_header_is_refused() -> None:
    read = roster.read(b"ana@example.com\nbo@example.com\n")
    assert read.problems == ["line 1: the header row must name an email or external_id column"]


def test_duplicate_rows_name_the_line_they_repeat() -> None:
    read = roster.read(b"email\nana@example.com\nbo@example.com\nANA@example.com\n")
    assert read.problems == ["line 4: repeats line 2 (ANA@example.com)"]


def test_formula_cells_are_refused_per_line() -> None:
    data = b"email,note\n=cmd|' /C calc'!A0,x\nbo@example.com,+1\nok@example.com,fine\n"
    read = roster.read(data)
    assert read.problems[0].startswith("line 2: the cell \"=cmd|' /C calc'!A0\"")
    assert read.problems[1].startswith("line 3: the cell '+1' starts like a formula")
    assert len(read.problems) == 2


def test_a_row_without_the_key_and_an_empty_roster_are_refused() -> None:
    assert roster.read(b"email,name\n,Ana\n").problems == ["line 2: no email"]
    assert roster.read(b"email\n").problems == ["the file has a header but no rows"]


def test_a_file_over_ten_megabytes_is_refused_before_reading() -> None:
    data = b"email\n" + b"a@example.com\n" * (roster.MAX_BYTES // 14 + 1)
    assert len(data) > roster.MAX_BYTES
    assert roster.read(data).problems == ["the file is larger than 10 MB"]
