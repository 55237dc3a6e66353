"""Reading uploads: what real spreadsheets throw at us (Excel's cp1252 CSV, semicolons, blank rows, numbers)."""

import datetime
import io

import pytest
from openpyxl import Workbook

from core.imports.readers import ImportFileError, table_read
from core.imports.registry import ImportField, Importer, mapping_guess


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_semicolon_csv_saved_by_excel_in_cp1252_reads_with_its_row_numbers():
    # given a Windows CSV with a pound sign, a blank line and semicolons
    content = "Company;Notes\r\nCafé Networks;£500 budget\r\n;\r\nB Ltd;\r\n".encode("cp1252")
    # when
    table = table_read(content=content, file_name="export.csv", max_rows=10)
    # then the blank row is skipped but the numbers match what the user sees in the spreadsheet
    assert table.headers == ["Company", "Notes"]
    assert table.rows == [(2, ["Café Networks", "£500 budget"]), (4, ["B Ltd", ""])]


def test_an_xlsx_gives_text_cells_whole_numbers_without_decimals_and_iso_dates():
    content = xlsx([["Name", "Score", "Since", None], ["A Ltd", 70.0, datetime.datetime(2026, 3, 1), None],
                    [None, None, None, None], ["B Ltd", None, None, None]])
    table = table_read(content=content, file_name="book.xlsx", max_rows=10)
    assert table.headers == ["Name", "Score", "Since"]
    # (a column empty from top to bottom is outside the sheet's used range: no cell for it)
    assert table.rows == [(2, ["A Ltd", "70", "2026-03-01"]), (4, ["B Ltd", "", ""])]


def test_an_xlsx_keeps_its_row_numbers_when_it_starts_lower_and_reads_prices_and_booleans():
    content = xlsx([[None], [None, "Part", "Cost", "Active"], [None, "P-1", 12.5, True], [None, "P-2", 0.1, False]])
    table = table_read(content=content, file_name="book.xlsx", max_rows=10)
    assert table.headers == ["Column 1", "Part", "Cost", "Active"]
    assert table.rows == [(3, ["", "P-1", "12.5", "yes"]), (4, ["", "P-2", "0.1", "no"])]


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"", "a.csv", "The file is empty."),
    (b"Name\n", "a.csv", "The file has a header row but no data rows."),
    (b"\n\n", "a.csv", "The file has no header row."),
    (b"anything", "old.xls", "Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."),
    (b"anything", "photo.png", "Upload a CSV or an Excel (.xlsx) file."),
    (b"PK\x03\x04 not really a zip", "book.xlsx", "The Excel file cannot be opened: is it a valid .xlsx workbook?"),
    (b"Name\nA\nB\nC\n", "a.csv", "The file has more than 2 rows: split it into smaller files."),
])
def test_files_that_cannot_be_imported_are_refused_with_the_reason(content, name, message):
    with pytest.raises(ImportFileError) as error:
        table_read(content=content, file_name=name, max_rows=2)
    assert str(error.value) == message


def test_columns_are_matched_by_label_name_or_alias_whatever_the_case_and_punctuation():
    class Demo(Importer):
        fields = (ImportField("name", "Company name", aliases=("customer",)), ImportField("postcode", "Postcode",
                                                                                          aliases=("post code", "zip")))
    mapping = mapping_guess(importer=Demo(), headers=["Unrelated", "POST-CODE", "Customer", "company name"])
    # the first column that names a field wins
    assert mapping == {"postcode": 1, "name": 2}
