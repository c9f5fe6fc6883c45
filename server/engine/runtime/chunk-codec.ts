/**
 * Binary form of a chunk's results in Redis: the header's length, a JSON header, then the typed arrays,
 * each starting at a multiple of 8 bytes, so that a decoder holding the bytes in an aligned buffer of
 * its own (the assembly thread does) reads every array in place instead of copying it.
 */
import type { ChunkResult } from '../simulate';

const ALIGN = 8;
const padded = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

interface ChunkHeader {
  start: number;
  end: number;
  outputs: number;
  inputs: number;
  sorted: boolean;
  lengths: number[];
}

export function encodeChunk(chunk: ChunkResult): Buffer {
  const arrays = [...chunk.values, ...chunk.outcomes, ...chunk.inputSamples, ...(chunk.sorted ?? [])];
  const header: ChunkHeader = {
    start: chunk.start,
    end: chunk.end,
    outputs: chunk.values.length,
    inputs: chunk.inputSamples.length,
    sorted: chunk.sorted !== undefined,
    lengths: arrays.map((a) => a.byteLength),
  };
  const json = Buffer.from(JSON.stringify(header));
  const parts: Buffer[] = [Buffer.alloc(4), json, Buffer.alloc(padded(4 + json.length) - 4 - json.length)];
  parts[0].writeUInt32LE(json.length);
  for (const a of arrays) {
    parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    parts.push(Buffer.alloc(padded(a.byteLength) - a.byteLength));
  }
  return Buffer.concat(parts);
}

export function decodeChunk(bytes: Buffer): ChunkResult {
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString()) as ChunkHeader;
  const aligned = bytes.byteOffset % ALIGN === 0;
  let offset = padded(4 + headerLength);
  const slices = header.lengths.map((length) => {
    const at = offset;
    offset += padded(length);
    if (aligned) return { buffer: bytes.buffer, byteOffset: bytes.byteOffset + at, length };
    // A misaligned buffer (a slice of a larger one): typed arrays need aligned offsets, so copy.
    const copy = new Uint8Array(length);
    copy.set(bytes.subarray(at, at + length));
    return { buffer: copy.buffer, byteOffset: 0, length };
  });
  const float64 = (s: (typeof slices)[number]) => new Float64Array(s.buffer, s.byteOffset, s.length / 8);
  const uint8 = (s: (typeof slices)[number]) => new Uint8Array(s.buffer, s.byteOffset, s.length);
  const o = header.outputs;
  const samplesEnd = 2 * o + header.inputs;
  return {
    start: header.start,
    end: header.end,
    values: slices.slice(0, o).map(float64),
    outcomes: slices.slice(o, 2 * o).map(uint8),
    inputSamples: slices.slice(2 * o, samplesEnd).map(float64),
    ...(header.sorted ? { sorted: slices.slice(samplesEnd).map(float64) } : {}),
  };
}
