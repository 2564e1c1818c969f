/**
 * `npm run sign -- <segment file> --key <private.pem>`: prints the base64 signature of the segment's
 * statement (SPEC-FLEET section 3, D10), to give to `addSegmentSignature` with the key's id (printed
 * on stderr). `--statement` prints the exact bytes to sign instead, for another tool (openssl, an
 * HSM). docs/trust.md explains both. Exit codes: 0 done, 2 bad arguments or inputs, 1 anything else.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { readManifest } from '../src/archive/read-manifest.js';
import { describePublicKey } from '../src/domain/trust/public-key.js';
import { segmentStatement } from '../src/domain/trust/signature-statement.js';
import { signStatement } from '../src/domain/trust/signature-verify.js';
import { DomainError } from '../src/model/errors.js';

const USAGE = `usage: npm run sign -- <segment file> --key <private.pem>
       npm run --silent sign -- <segment file> --statement > statement.bin`;

/** A mistake of the caller's: said on stderr (with the usage when it is the arguments), exit code 2. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

async function main(argv: string[]): Promise<void> {
  const { file, keyPath, statementOnly } = parseArguments(argv);
  const statement = await statementOf(file);
  if (statementOnly) {
    process.stdout.write(statement);
    return;
  }
  const privateKey = await readPrivateKey(keyPath!);
  const described = describeKey(privateKey);
  const signature = signStatement(privateKey, described.algorithm, statement);
  process.stdout.write(`${signature.toString('base64')}\n`);
  process.stderr.write(`signed with key ${described.keyId} (${described.algorithm})\n`);
}

function parseArguments(argv: string[]): { file: string; keyPath?: string; statementOnly: boolean } {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), true);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new UsageError(`expected one segment file, got ${positionals.length}`, true);
  }
  if (values.statement && values.key !== undefined)
    throw new UsageError('give --key or --statement, not both', true);
  if (!values.statement && values.key === undefined)
    throw new UsageError('give --key <private.pem> or --statement', true);
  return { file: positionals[0]!, keyPath: values.key, statementOnly: values.statement === true };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { key: { type: 'string' }, statement: { type: 'boolean' } },
  });
}

/** Name and version from the archive's `segment.json`, size and SHA-256 from its bytes. */
async function statementOf(file: string): Promise<Buffer> {
  const size = await inputFile(file, () => stat(file)).then((s) => {
    if (!s.isFile()) throw new UsageError(`${file} is not a file`);
    return s.size;
  });
  let manifest: Awaited<ReturnType<typeof readManifest>>;
  try {
    manifest = await readManifest(file);
  } catch (error) {
    if (error instanceof DomainError)
      throw new UsageError(`${file} is not a segment archive: ${error.message}`);
    throw error;
  }
  const hash = createHash('sha256');
  await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), hash);
  return segmentStatement({
    name: manifest.name,
    version: manifest.version,
    size,
    sha256: hash.digest('hex'),
  });
}

async function readPrivateKey(keyPath: string): Promise<KeyObject> {
  const pem = await inputFile(keyPath, () => readFile(keyPath, 'utf8'));
  try {
    const key = createPrivateKey(pem);
    return key;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MISSING_PASSPHRASE') {
      throw new UsageError(
        `${keyPath} is encrypted; decrypt it (openssl pkey) or sign the --statement output with another tool`,
      );
    }
    throw new UsageError(`${keyPath} does not hold a private key PEM (${(error as Error).message})`);
  }
}

/** The key must be one seghub accepts, or its signatures would be refused later. */
function describeKey(privateKey: KeyObject) {
  try {
    return describePublicKey(createPublicKey(privateKey));
  } catch (error) {
    if (error instanceof DomainError) throw new UsageError(`the key is not accepted: ${error.message}`);
    throw error;
  }
}

/** Runs a read of a file the caller named; a missing or unreadable one is the caller's mistake. */
async function inputFile<T>(file: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new UsageError(`cannot read ${file}: ${code}`);
    }
    throw error;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`sign: ${error.message}\n${error.showUsage ? `${USAGE}\n` : ''}`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`sign: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
