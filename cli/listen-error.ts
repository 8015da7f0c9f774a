/**
 * A server that cannot bind is the user's to fix, not a crash: the message names the address, the
 * flag that sets it and what to do, and the CLI prints it without a stack trace (exit 1).
 */

/** A runtime failure whose message is the whole story: printed as is, exit code 1. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}

/**
 * Runs `bind` (a start that listens on host:port); a bind failure (EADDRINUSE, EACCES,
 * EADDRNOTAVAIL) becomes a StartError naming `flag`. Other errors pass through.
 */
export async function namingFlag<T>(flag: string, host: string, port: number, bind: () => Promise<T>): Promise<T> {
  try {
    return await bind();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    if (code === 'EADDRINUSE') throw new StartError(`${where} is already in use (another Sigmascope, or another program): stop it, or choose a free port with ${flag} N (${flag} 0 picks one)`);
    if (code === 'EACCES') throw new StartError(`not allowed to listen on ${where}: ports below 1024 need root; choose another with ${flag} N`);
    if (code === 'EADDRNOTAVAIL') throw new StartError(`${host} is not an address of this machine: choose another with ${flag === '--status-port' ? '--status-listen' : '--listen'} ADDR`);
    throw err;
  }
}
