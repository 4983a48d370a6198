/*
| CSV files people open in a spreadsheet (exports of customers, invoices, ratings).
*/

/** Characters that make a spreadsheet read a cell as a formula (CSV injection). */
export const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One CSV record (RFC 4180, CRLF-terminated): fields quoted when they hold a comma, a quote, a
 * line break or spaces at an end. A field a spreadsheet would run as a formula (`=`, `+`, `-`,
 * `@`, tab, CR first) gets a leading `'`, which the import takes off again.
 */
export function csvRecord(values: readonly (string | number | null | undefined)[]) {
  return (
    values
      .map((value) => {
        let cell = value === null || value === undefined ? '' : String(value)
        if (FORMULA_START.test(cell)) cell = `'${cell}`
        return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell
      })
      .join(',') + '\r\n'
  )
}
