/**
 * Opens an .xlsx package (a zip of XML parts) defensively: uploads are hostile, so sizes are checked
 * before anything is inflated, and every failure becomes an `XlsxError` with a message a user can act on.
 */
import { Inflate } from 'fflate';

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

  const decoder = new TextDecoder('utf-8');
  const parts = new Map<string, string>();
  let budget = limits.maxUncompressedBytes;
  for (const entry of centralDirectory(bytes)) {
    if (!isWanted(entry.name)) continue;
    if (entry.size > budget) throw tooLarge(limits);
    const content = inflateEntry(bytes, entry);
    budget -= content.byteLength;
    parts.set(entry.name, decoder.decode(content));
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
    name === 'xl/metadata.xml' ||
    name === 'xl/richData/rdrichvalue.xml' ||
    name === 'xl/richData/rdrichvaluestructure.xml' ||
    /^xl\/worksheets\/[^/]+\.xml$/.test(name)
  );
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** The uncompressed size the archive declares; inflating stops as soon as the output passes it. */
  size: number;
  localHeader: number;
}

const corrupt = () =>
  new XlsxError('corrupt', 'the .xlsx file is damaged and cannot be opened (its zip structure is invalid)');

/** The entries listed in the zip's central directory (the authoritative list; local headers may omit sizes). */
function centralDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  const stop = Math.max(0, end - 0xffff);
  while (end >= stop && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < stop) throw corrupt();
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  const names = new TextDecoder('utf-8');
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw corrupt();
    const nameLength = view.getUint16(at + 28, true);
    const size = view.getUint32(at + 24, true);
    const compressedSize = view.getUint32(at + 20, true);
    // Zip64 marks sizes over 4 GB: far beyond any workbook limit.
    if (size === 0xffffffff || compressedSize === 0xffffffff)
      throw new XlsxError('too-large', 'the workbook holds a part larger than 4 GB');
    entries.push({
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize,
      size,
      localHeader: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/** Compressed input fed per step: deflate expands at most ~1,000×, so one step yields at most ~4 MB. */
const INFLATE_STEP = 4 * 1024;

/** An entry's content, refused as soon as it grows past its declared size (a header that understates it). */
function inflateEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localHeader;
  if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw corrupt();
  const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const data = bytes.subarray(dataStart, dataStart + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw corrupt();
  const overflow = () =>
    new XlsxError(
      'corrupt',
      `the .xlsx file is damaged: ${entry.name} is larger than its zip header declares`,
    );
  if (entry.method === 0) {
    if (data.length !== entry.size) throw overflow();
    return data;
  }
  if (entry.method !== 8)
    throw new XlsxError('unsupported', `${entry.name} uses an unsupported zip compression`);
  const out = new Uint8Array(entry.size);
  let length = 0;
  const inflater = new Inflate((chunk) => {
    if (length + chunk.length > entry.size) throw overflow();
    out.set(chunk, length);
    length += chunk.length;
  });
  try {
    for (let i = 0; i < data.length; i += INFLATE_STEP)
      inflater.push(data.subarray(i, i + INFLATE_STEP), i + INFLATE_STEP >= data.length);
  } catch (error) {
    if (error instanceof XlsxError) throw error;
    throw corrupt();
  }
  if (length !== entry.size) throw corrupt();
  return out;
}
