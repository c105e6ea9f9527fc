import { createWriteStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface ZipEntry {
  name: string;
  compressedBytes: number;
  bytes: number;
}

export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;

/** The entries of a zip file, from its central directory (names and sizes; nothing is inflated). */
export function zipEntries(file: string): ZipEntry[] {
  const zip = readFileSync(file);
  // The end record is 22 bytes plus a comment of at most 64 KiB, at the very end.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipFormatError(`${file}: no end of central directory record`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) {
      throw new ZipFormatError(`${file}: central directory entry ${i} is malformed`);
    }
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      compressedBytes: zip.readUInt32LE(offset + 20),
      bytes: zip.readUInt32LE(offset + 24),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Zips files as serverless-esbuild does for `package.individually` (archiver's zip, default compression,
 * fixed dates), so that a bundle the deploy never packages (a floor) is weighed like the functions' zips.
 * archiver is serverless-esbuild's own dependency: it is resolved from there, not declared twice.
 */
export async function zipLikeTheDeploy(zipFile: string, files: readonly string[]): Promise<void> {
  const archiverOf = createRequire(require.resolve('serverless-esbuild'));
  const archiver = archiverOf('archiver') as ArchiverModule;
  const archive = archiver.create('zip');
  const output = createWriteStream(zipFile);
  await new Promise<void>((resolve, reject) => {
    output.on('open', () => {
      archive.pipe(output);
      for (const file of files)
        archive.append(readFileSync(file), { name: path.basename(file), date: new Date(0) });
      void archive.finalize();
    });
    output.on('close', () => resolve());
    output.on('error', reject);
    archive.on('error', reject);
  });
}

/** The part of archiver's API the bench uses. */
interface ArchiverModule {
  create(format: 'zip'): {
    pipe(stream: NodeJS.WritableStream): void;
    append(data: Buffer, entry: { name: string; date: Date }): void;
    finalize(): Promise<void>;
    on(event: 'error', listener: (err: Error) => void): void;
  };
}
