// Prints the VSIX's size and file count (from the zip's end record), so bloat shows up.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const buf = readFileSync(file);
const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
const files = eocd === -1 ? '?' : buf.readUInt16LE(eocd + 10);
console.log(`${file}: ${(buf.length / 1024).toFixed(0)} KiB, ${files} files`);
