/**
 * How an output or input is shown wherever results are read (the CLI, the task pane, the results sheet):
 * by its name with its cell beside it, so the user can still find it in the workbook.
 */
export function namedCell(cell: string, name: string | undefined): string {
  return name !== undefined ? `${name} (${cell})` : cell;
}
