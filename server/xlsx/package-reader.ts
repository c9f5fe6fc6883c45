/**
 * Opens an .xlsx package (a zip of XML parts) defensively: uploads are hostile, so sizes are checked
 * before anything is inflated, and every failure becomes an `XlsxError` with a message a user can act on.
 */
import { unzipSync } from 'fflate';

export type XlsxErrorCode = 'not-xlsx' | 'encrypted' | 'corrupt' | 'too-large' | 'unsupported';

export class XlsxError extends Error {
  constructor(
    readonly code: XlsxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'XlsxError';
  }
}

export interface PackageLimits {
  /** Total uncompressed size of the parts we read. */
  maxUncompressedBytes: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = { maxUncompressedBytes: 200 * 1024 * 1024 };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** OLE compound file: password-protected .xlsx files and legacy .xls are stored this way. */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** The XML parts of the package, by path, decoded as UTF-8. Only the parts Montecell reads are inflated. */
export function readPackage(
  bytes: Uint8Array,
  limits: PackageLimits = DEFAULT_PACKAGE_LIMITS,
): Map<string, string> {
  if (startsWith(bytes, OLE_MAGIC))
    throw new XlsxError(
      'encrypted',
      'the file is password-protected or a legacy .xls workbook; save it as an unprotected .xlsx and try again',
    );
  if (!startsWith(bytes, ZIP_MAGIC)) throw new XlsxError('not-xlsx', 'the file is not an .xlsx workbook');

  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (!isWanted(file.name)) return false;
        declared += file.originalSize;
        if (declared > limits.maxUncompressedBytes) throw tooLarge(limits);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof XlsxError) throw error;
    throw new XlsxError(
      'corrupt',
      'the .xlsx file is damaged and cannot be opened (its zip structure is invalid)',
    );
  }

  const decoder = new TextDecoder('utf-8');
  const parts = new Map<string, string>();
  let actual = 0;
  for (const [name, content] of Object.entries(files)) {
    // Declared sizes can lie; count what was really inflated too.
    actual += content.byteLength;
    if (actual > limits.maxUncompressedBytes) throw tooLarge(limits);
    parts.set(name, decoder.decode(content));
  }
  if (!parts.has('xl/workbook.xml'))
    throw new XlsxError(
      'not-xlsx',
      'the file is a zip archive but not an Excel workbook (no xl/workbook.xml)',
    );
  return parts;
}

function tooLarge(limits: PackageLimits): XlsxError {
  const mb = Math.round(limits.maxUncompressedBytes / (1024 * 1024));
  return new XlsxError('too-large', `the workbook expands to more than ${mb} MB uncompressed`);
}

function isWanted(name: string): boolean {
  return (
    name === 'xl/workbook.xml' ||
    name === 'xl/_rels/workbook.xml.rels' ||
    name === 'xl/sharedStrings.xml' ||
    /^xl\/worksheets\/[^/]+\.xml$/.test(name)
  );
}
