/**
 * CRC-32 (the zlib / IEEE polynomial, same result as node:zlib crc32) of
 * `length` bytes from `at`. Records checksum 28 bytes each; for such short
 * ranges this table loop is about 3× faster than a native zlib call on a
 * fresh subarray, and allocates nothing.
 */
const TABLE = buildTable();

export function crc32Range(bytes: Uint8Array, at: number, length: number): number {
  let crc = -1;
  const end = at + length;
  for (let position = at; position < end; position += 1) {
    crc = (TABLE[(crc ^ (bytes[position] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ -1) >>> 0;
}

function buildTable(): Int32Array {
  const table = new Int32Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    table[byte] = crc;
  }
  return table;
}
